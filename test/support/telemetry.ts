/**
 * Records every span (with its attributes and events) and every log line
 * produced while a test runs, so a test can assert what they contain.
 */
import { Context, Effect, Layer, Logger, Tracer } from "effect"

export interface Recorded {
  readonly spans: Array<Tracer.Span>
  readonly logs: Array<string>
}

export class Telemetry extends Context.Tag("test/Telemetry")<Telemetry, Recorded>() {}

/** A tracer and logger that record into {@link Telemetry}. */
export const layer: Layer.Layer<Telemetry> = Layer.unwrapEffect(
  Effect.gen(function*() {
    const base = yield* Effect.tracer
    const recorded: Recorded = { spans: [], logs: [] }
    const tracer = Tracer.make({
      span: (name, parent, context, links, startTime, kind, options) => {
        const span = base.span(name, parent, context, links, startTime, kind, options)
        recorded.spans.push(span)
        return span
      },
      context: (f, fiber) => base.context(f, fiber)
    })
    const logger = Logger.make((options) => {
      recorded.logs.push(Logger.logfmtLogger.log(options))
    })
    return Layer.mergeAll(
      Layer.succeed(Telemetry, recorded),
      Layer.setTracer(tracer),
      Logger.replace(Logger.defaultLogger, logger)
    )
  })
)

/** Everything a span carries, as text. */
export const renderSpan = (span: Tracer.Span): string => {
  const events = "events" in span && Array.isArray(span.events) ? JSON.stringify(span.events, replacer) : ""
  return [
    span.name,
    ...[...span.attributes].map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v, replacer)}`),
    events,
    span.links.map((l) => JSON.stringify(l.attributes, replacer)).join(","),
    span.status._tag === "Ended" ? String(span.status.exit) : ""
  ].join("\n")
}

const replacer = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value)
