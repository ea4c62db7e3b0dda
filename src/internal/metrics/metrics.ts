/**
 * The SDK's metrics, defined once: names, descriptions, histogram
 * boundaries, and the tagged instances used on the hot paths (built once
 * per tag combination, then reused).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"

/** @internal */
export const requests = Metric.counter("callbot_requests_total", {
  description: "Calls to the Callbot API, by endpoint and outcome (success or the error's tag); retries are inside one call",
  incremental: true
})

/** @internal */
export const requestDuration = Metric.histogram(
  "callbot_request_duration_seconds",
  // 5 ms … ~41 s: one sample per call, retries and their waits included.
  MetricBoundaries.exponential({ start: 0.005, factor: 2, count: 14 }),
  "Duration of one call to the Callbot API, retries included, by endpoint"
)

/** @internal */
export const retries = Metric.counter("callbot_retries_total", {
  description: "Attempts retried, by endpoint and the error's tag that caused the retry",
  incremental: true
})

/** @internal */
export const orders = Metric.counter("callbot_orders_total", {
  description: "Orders of imports, by endpoint and outcome: imported, rejected, failed or already_imported",
  incremental: true
})

/** @internal */
export const callbacks = Metric.counter("callbot_callbacks_total", {
  description: "Callback deliveries, by kind and outcome",
  incremental: true
})

/** What became of one order of an import. @internal */
export type OrderOutcome = "imported" | "rejected" | "failed" | "already_imported"

/** What became of one callback delivery. @internal */
export type CallbackOutcome =
  | "handled"
  | "duplicate"
  | "in_flight"
  | "unhandled"
  | "rejected"
  | "malformed"
  | "too_large"
  | "handler_failed"
  | "timeout"
  | "read_timeout"
  | "unavailable"

const counters = new Map<string, Metric.Metric.Counter<number>>()
const histograms = new Map<string, Metric.Metric.Histogram<number>>()

/** `metric` with these tags, built once per combination. */
const tagged = <Type, Out>(
  cache: Map<string, Metric.Metric<Type, number, Out>>,
  metric: Metric.Metric<Type, number, Out>,
  name: string,
  tags: ReadonlyArray<readonly [string, string]>
): Metric.Metric<Type, number, Out> => {
  const key = name + "\u0000" + tags.map(([, value]) => value).join("\u0000")
  const found = cache.get(key)
  if (found !== undefined) return found
  const made = tags.reduce((m, [tag, value]) => Metric.tagged(m, tag, value), metric)
  cache.set(key, made)
  return made
}

/** One call to `endpoint` ended with `outcome` after `seconds`. @internal */
export const recordRequest = (endpoint: string, outcome: string, seconds: number): Effect.Effect<void> =>
  Effect.zipRight(
    Metric.increment(tagged(counters, requests, "requests", [["endpoint", endpoint], ["outcome", outcome]])),
    Metric.update(tagged(histograms, requestDuration, "duration", [["endpoint", endpoint]]), seconds)
  )

/** An attempt at `endpoint` failed with `reason` and is retried. @internal */
export const recordRetry = (endpoint: string, reason: string): Effect.Effect<void> =>
  Metric.increment(tagged(counters, retries, "retries", [["endpoint", endpoint], ["reason", reason]]))

/** `count` orders of an import to `endpoint` ended with `outcome`. @internal */
export const recordOrders = (endpoint: string, outcome: OrderOutcome, count: number): Effect.Effect<void> =>
  count <= 0
    ? Effect.void
    : Metric.incrementBy(tagged(counters, orders, "orders", [["endpoint", endpoint], ["outcome", outcome]]), count)

/** A delivery of `kind` ended with `outcome`. @internal */
export const recordCallback = (kind: string, outcome: CallbackOutcome): Effect.Effect<void> =>
  Metric.increment(tagged(counters, callbacks, "callbacks", [["kind", kind], ["outcome", outcome]]))
