/**
 * The receiver as a Node.js `(req, res)` listener, built once from the
 * current runtime: the body is read from the request's own events under the
 * same size cap, read deadline and buffered-bytes budget as the HttpApp (or
 * taken from `req.body` when a framework has read it already), then handed
 * to the receiver's `handle`; the reply is written with `res.writeHead` /
 * `res.end`. Only `node:http` types are imported: the code uses what the
 * request and response objects offer.
 *
 * @internal
 */
import type * as Http from "node:http"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Runtime from "effect/Runtime"
import type * as Callback from "../../Callback.js"
import { ack, unsignedReply } from "./acks.js"
import type { BodyResult } from "./body.js"
import * as Budget from "./budget.js"
import type { AnyHandlers } from "./handlers.js"
import { answer, type BodyLimits, readTimedOut } from "./httpApp.js"
import { build } from "./receiver.js"

/** @internal */
export type Listener = (req: Http.IncomingMessage, res: Http.ServerResponse) => void

type ReadResult = BodyResult | { readonly _tag: "TimedOut" }

const tooLarge = (contentLength: number | undefined): ReadResult => ({ _tag: "TooLarge", contentLength })

const declaredLength = (req: Http.IncomingMessage): number | undefined => {
  const value = req.headers["content-length"]
  return typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined
}

/**
 * Reads the whole body once, as `readBody` does for the HttpApp: a declared
 * length over the cap or over the budget is refused before anything is
 * read; a chunked body is counted (past the cap nothing more is kept, up to
 * `maxBodyBytes` more is discarded for a clean 413, and reading stops beyond
 * that); the read deadline runs from here. `done` is called once.
 */
const readRequest = (
  req: Http.IncomingMessage,
  limits: BodyLimits,
  lease: Budget.Lease,
  done: (result: ReadResult) => void
): void => {
  const max = limits.maxBodyBytes
  const declared = declaredLength(req)
  if (declared !== undefined && declared > max) return done(tooLarge(declared))
  if (declared !== undefined && !Budget.take(limits.budget, lease, declared)) return done({ _tag: "Busy" })
  const chunks: Array<Buffer> = []
  let size = 0
  let discarded = 0
  let over = false
  let finished = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const finish = (result: ReadResult) => {
    if (finished) return
    finished = true
    if (timer !== undefined) clearTimeout(timer)
    req.removeListener("data", onData)
    req.removeListener("end", onEnd)
    req.removeListener("error", onError)
    req.removeListener("close", onError)
    done(result)
  }
  const onData = (chunk: Buffer) => {
    if (over) {
      discarded += chunk.length
      if (discarded > max) finish(tooLarge(undefined))
      return
    }
    if (size + chunk.length > max) {
      over = true
      chunks.length = 0
      discarded = size + chunk.length - max
      if (discarded > max) finish(tooLarge(undefined))
      return
    }
    if (declared === undefined && !Budget.take(limits.budget, lease, chunk.length)) {
      chunks.length = 0
      return finish({ _tag: "Busy" })
    }
    chunks.push(chunk)
    size += chunk.length
  }
  const onEnd = () => {
    if (over) return finish(tooLarge(undefined))
    const first = chunks[0]
    finish({ _tag: "Body", bytes: chunks.length === 1 && first !== undefined ? first : Buffer.concat(chunks, size) })
  }
  // An error, or the connection closed before the end: nothing to answer well.
  const onError = () => finish({ _tag: "Unreadable" })
  req.on("data", onData)
  req.on("end", onEnd)
  req.on("error", onError)
  req.on("close", onError)
  if (Duration.isFinite(limits.readTimeout)) {
    timer = setTimeout(() => finish({ _tag: "TimedOut" }), Duration.toMillis(limits.readTimeout))
  }
}

const defect = unsignedReply(ack(500, 5001, "callback receiver failed"), { _tag: "HandlerFailed" })

const write = (req: Http.IncomingMessage, res: Http.ServerResponse, reply: Callback.Reply) => {
  if (res.headersSent || res.writableEnded) return
  res.writeHead(reply.status, reply.headers)
  // A body not read to its end (refused, too slow): close rather than read on.
  if (!req.complete) res.once("finish", () => req.destroy())
  res.end(reply.body)
}

/** @internal */
export const make = (
  handlers: AnyHandlers,
  options: Callback.ReceiverOptions | undefined
): Effect.Effect<Listener, never, unknown> =>
  Effect.map(Effect.runtime<unknown>(), (runtime) => {
    const { ctx, handle } = build(handlers, options)
    const runFork = Runtime.runFork(runtime)
    return (req, res) => {
      const lease: Budget.Lease = { bytes: 0 }
      const respond = (reply: Effect.Effect<Callback.Reply, never, unknown>) => {
        const fiber = runFork(Effect.withSpan(reply, "Callback.nodeHandler", { captureStackTrace: false }))
        fiber.addObserver((exit) => {
          Budget.release(ctx.budget, lease)
          write(req, res, exit._tag === "Success" ? exit.value : defect)
        })
      }
      // Express (`express.raw()`), Fastify and others may have read the body already.
      const body: unknown = Reflect.get(req, "body")
      if (body !== undefined) return respond(handle({ headers: req.headers, body }))
      readRequest(req, ctx, lease, (read) =>
        respond(read._tag === "TimedOut" ? readTimedOut() : answer(read, ctx, req.headers, handle)))
    }
  })
