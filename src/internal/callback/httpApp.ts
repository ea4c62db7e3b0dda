/**
 * The receiver as an `@effect/platform` HttpApp: read the body once, under
 * the size cap, the read deadline and the buffered-bytes budget, then hand
 * it to the receiver's `handle`.
 *
 * @internal
 */
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as Http from "node:http"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { within } from "../retry/deadline.js"
import type * as Callback from "../../Callback.js"
import type * as Signer from "../../Signer.js"
import { ack, reject, toResponse, unsignedReply } from "./acks.js"
import { type BodyLimits, type BodyResult, readBody } from "./body.js"
import * as Budget from "./budget.js"
import { CallbackMalformedBody, CallbackTooLarge } from "./errors.js"
import * as CallbackMetrics from "./metrics.js"
import { isUnreadRequest, readRequest } from "./nodeBody.js"


/** The answer to a body cut off by the read deadline (counted). @internal */
export const readTimedOut = () => {
  const reply = unsignedReply(ack(408, 7, "callback body not received in time"), { _tag: "ReadTimedOut" })
  return Effect.zipRight(
    Effect.logWarning("callback rejected: the body did not arrive within the read deadline"),
    Effect.as(CallbackMetrics.count("unknown", reply), reply)
  )
}

const overloaded = () =>
  Effect.as(
    Effect.logWarning("callback refused for now: too many callback bytes are buffered already; answering 503"),
    unsignedReply(ack(503, 7, "receiver busy"), { _tag: "Overloaded" })
  )

/** An answer given here, before `handle`: counted as a delivery of unknown kind. */
const counted = <E, R>(reply: Effect.Effect<Callback.Reply, E, R>) =>
  Effect.tap(reply, (r) => CallbackMetrics.count("unknown", r))

/** The answer to a body read (or refused) under the limits. @internal */
export const answer = <R>(
  read: BodyResult,
  limits: BodyLimits,
  headers: Signer.HeadersInput,
  handle: Callback.Receiver<R>["handle"]
) => read._tag === "Body" ? handle({ headers, body: read.bytes }) : counted(refuse(read, limits))

const refuse = (read: Exclude<BodyResult, { readonly _tag: "Body" }>, limits: BodyLimits) => {
  switch (read._tag) {
    case "TooLarge": {
      const error = new CallbackTooLarge({ maxBodyBytes: limits.maxBodyBytes, size: read.contentLength })
      return Effect.zipRight(Effect.logWarning(error.message), reject(error))
    }
    case "Unreadable": {
      return Effect.zipRight(
        Effect.logWarning("callback rejected: the body could not be read"),
        reject(new CallbackMalformedBody({ description: "the body could not be read" }))
      )
    }
    case "Busy":
      return overloaded()
  }
}

/**
 * The body of a Node.js request read from its own events (`None`: the read
 * deadline passed), with the deadline's timer in the read itself.
 * Interrupting it stops the read and destroys the request, as interrupting
 * the platform's read does.
 */
const readNode = (source: Http.IncomingMessage, limits: BodyLimits, lease: Budget.Lease) =>
  Effect.async<Option.Option<BodyResult>>((resume) => {
    const cancel = readRequest(source, limits, lease, (read) =>
      resume(Effect.succeed(read._tag === "TimedOut" ? Option.none() : Option.some(read))))
    return Effect.sync(cancel)
  })

/** The body through the platform's request, under the limits (`None`: the read deadline passed). */
const readPlatform = (request: HttpServerRequest.HttpServerRequest, limits: BodyLimits, lease: Budget.Lease) => {
  const read = Effect.interruptible(readBody(request, limits.maxBodyBytes, limits.budget, lease))
  // The deadline is one child fiber and a timer (`within`), not a race of two fibers.
  return Duration.isFinite(limits.readTimeout)
    ? Effect.option(within(read, limits.readTimeout, () => undefined))
    : Effect.asSome(read)
}

/** @internal */
export const make = <R>(
  limits: BodyLimits,
  handle: Callback.Receiver<R>["handle"]
): Callback.Receiver<R>["httpApp"] =>
  Effect.flatMap(Effect.context<HttpServerRequest.HttpServerRequest>(), (context) => {
    const request = Context.get(context, HttpServerRequest.HttpServerRequest)
    const lease: Budget.Lease = { bytes: 0 }
    // Servers run an HttpApp uninterruptibly (`HttpApp.toHandled`): the read
    // must be made interruptible for its deadline to stop it. On Node, the
    // interrupted read destroys the request, so the sender sees the
    // connection closed rather than the 408. A Node request nobody has read
    // is read from its events, its deadline a timer of the read's own —
    // unless the platform's own body cap (`withMaxBodySize`) is set: then
    // the platform reads it, as it always did, under both caps.
    const source = request.source
    const platformCap = Context.get(context, HttpIncomingMessage.MaxBodySize)
    const read = Option.isNone(platformCap) && isUnreadRequest(source)
      ? Effect.interruptible(readNode(source, limits, lease))
      : readPlatform(request, limits, lease)
    return read.pipe(
      Effect.flatMap(Option.match({
        onNone: readTimedOut,
        onSome: (read) => answer(read, limits, request.headers, handle)
      })),
      Effect.ensuring(Effect.sync(() => Budget.release(limits.budget, lease))),
      Effect.map(toResponse)
    )
  }).pipe(Effect.withSpan("Callback.httpApp", { captureStackTrace: false }))
