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
import * as Effect from "effect/Effect"
import * as Runtime from "effect/Runtime"
import type * as Callback from "../../Callback.js"
import { ack, unsignedReply } from "./acks.js"
import * as Budget from "./budget.js"
import type { AnyHandlers } from "./handlers.js"
import { answer, readTimedOut } from "./httpApp.js"
import { readRequest } from "./nodeBody.js"
import { build } from "./receiver.js"

/** @internal */
export type Listener = (req: Http.IncomingMessage, res: Http.ServerResponse) => void

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
