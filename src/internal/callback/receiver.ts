/**
 * The receiver: body cap → verify (unverified: unsigned refusal) → decode →
 * handler choice → the replay-store claim → the handler (run to its end; the
 * answer waits up to `handlerTimeout`) → done or release → the signed answer.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type * as Callback from "../../Callback.js"
import type * as ReplayStore from "../../ReplayStore.js"
import type * as Signer from "../../Signer.js"
import { ack, makeReply, reject, rejectVerified } from "./acks.js"
import * as Budget from "./budget.js"
import { CallbackTooLarge } from "./errors.js"
import { type AnyHandlers, hasFallback, pickHandler, type Run } from "./handlers.js"
import * as HttpApp from "./httpApp.js"
import { safeInput } from "./input.js"
import { kindOf } from "./kinds.js"
import * as CallbackMetrics from "./metrics.js"
import type { DecodeBodyOptions } from "./decode.js"
import { defaultStoreFor } from "./defaultStore.js"
import { type LifeContext, runToEnd } from "./lifecycle.js"
import { tag as ReplayStoreTag } from "./replayStore.js"
import { decodeVerified, type VerifiedBody, verifySigned, windowMillis } from "./verify.js"

const defaultHandlerTimeout = Duration.seconds(30)
const defaultReadTimeout = Duration.seconds(10)
const defaultMaxBodyBytes = 1024 * 1024

/**
 * What a receiver works with, settled once from its handlers and options.
 *
 * @internal
 */
export interface ReceiverContext extends LifeContext {
  readonly handlers: AnyHandlers
  readonly options: Callback.ReceiverOptions
  readonly allowUnknown: boolean
  readonly maxBodyBytes: number
  /** How long the HttpApp waits for a body. */
  readonly readTimeout: Duration.Duration
  /** What the HttpApp may buffer across deliveries. */
  readonly budget: Budget.Budget
  /** What decoding a verified body needs. */
  readonly decodeOptions: DecodeBodyOptions
  /**
   * The replay store for a delivery to account `uuid`; `undefined` when
   * replay protection is off.
   */
  readonly store: (uuid: string) => Effect.Effect<ReplayStore.ReplayStore | undefined>
}

const resolveStore = (
  options: Callback.ReceiverOptions
): (uuid: string) => Effect.Effect<ReplayStore.ReplayStore | undefined> => {
  const given = options.replayStore
  if (given === "none") return () => Effect.succeed(undefined)
  if (given !== undefined) {
    const store = Effect.succeed(given)
    return () => store
  }
  return (uuid) =>
    Effect.map(
      Effect.serviceOption(ReplayStoreTag),
      (found) => Option.isSome(found) ? found.value : defaultStoreFor(uuid)
    )
}

/** @internal */
export const makeContext = (handlers: AnyHandlers, options: Callback.ReceiverOptions): ReceiverContext => {
  const window = windowMillis(options)
  const handlerTimeout = Duration.decode(options.handlerTimeout ?? defaultHandlerTimeout)
  const replayTtlMillis = Math.max(
    Number.isFinite(window) ? window : 0,
    Duration.toMillis(
      Duration.decode(
        options.replayTtl ?? (Number.isFinite(window) ? Duration.millis(window * 2) : Duration.hours(24))
      )
    )
  )
  const allowUnknown = hasFallback(handlers)
  return {
    handlers,
    options,
    allowUnknown,
    window,
    maxBodyBytes: Math.max(0, Math.floor(options.maxBodyBytes ?? defaultMaxBodyBytes)),
    readTimeout: Duration.decode(options.readTimeout ?? defaultReadTimeout),
    budget: options.maxBufferedBytes === undefined ? Budget.shared : Budget.make(options.maxBufferedBytes),
    handlerTimeout,
    replayTtlMillis,
    // A crashed instance must not block redeliveries for long; a live one
    // extends the claim while its handler outlives the answer (lifecycle.ts).
    inFlightTtl: Duration.isFinite(handlerTimeout)
      ? Duration.sum(handlerTimeout, Duration.seconds(30))
      : Duration.millis(replayTtlMillis),
    decodeOptions: { expect: options.expect, onTypeMismatch: options.onTypeMismatch, allowUnknown },
    store: resolveStore(options)
  }
}

/** The answer to a handler's outcome (`None`: the answer deadline passed). */
const finish = (
  outcome: Option.Option<Exit.Exit<unknown, unknown>>,
  kind: Callback.CallbackKind | "unknown",
  requestID: string
) =>
  Effect.gen(function*() {
    if (Option.isNone(outcome)) {
      yield* Effect.logError("callback handler still running at handlerTimeout; answering 503 so the platform retries")
      return yield* makeReply(ack(503, 7, "callback handler timed out"), { _tag: "HandlerTimedOut" }, requestID)
    }
    if (outcome.value._tag === "Failure") {
      yield* Effect.logError("callback handler failed; answering 500 so the platform retries", outcome.value.cause)
      return yield* makeReply(ack(500, 5001, "callback handler failed"), { _tag: "HandlerFailed" }, requestID)
    }
    return yield* makeReply(ack(200, 0, "success"), { _tag: "Handled", kind }, requestID)
  })

/**
 * Claims the delivery in the store and, once claimed, starts the handler,
 * which runs to its end and then marks the key done (success) or releases
 * it (failure) — see `runToEnd`. Uninterruptible but for the claim and the
 * waiting.
 */
const runClaimed = (
  ctx: ReceiverContext,
  store: ReplayStore.ReplayStore,
  run: Run,
  delivery: Callback.Delivery,
  kind: Callback.CallbackKind | "unknown"
): Effect.Effect<Callback.Reply, never, unknown> => {
  const requestID = delivery.requestID
  const key = `${delivery.uuid}/${requestID}`
  return Effect.uninterruptibleMask((restore) =>
    Effect.gen(function*() {
      const claim = yield* Effect.either(restore(store.claim(key, ctx.inFlightTtl)))
      if (Either.isLeft(claim)) {
        yield* Effect.logError("callback replay store unavailable; answering 503", claim.left)
        return yield* makeReply(ack(503, 7, "replay store unavailable"), {
          _tag: "StoreUnavailable",
          error: claim.left
        }, requestID)
      }
      switch (claim.right._tag) {
        case "Done": {
          yield* Effect.logInfo("callback already handled (same requestID); acknowledged without running the handler")
          return yield* makeReply(ack(200, 0, "success"), { _tag: "Duplicate" }, requestID)
        }
        case "InFlight": {
          yield* Effect.logWarning("callback with this requestID is being handled; answering 503")
          return yield* makeReply(ack(503, 7, "callback is being handled"), { _tag: "InFlight" }, requestID)
        }
        case "Claimed":
          break
      }
      const claimed = { store, key, token: claim.right.token }
      const outcome = yield* runToEnd(ctx, run, delivery, kind, claimed, restore)
      return yield* finish(outcome, kind, requestID)
    })
  )
}

const encoder = new TextEncoder()
const byteLength = (body: string | Uint8Array): number =>
  typeof body === "string" ? encoder.encode(body).length : body.length

const receive = Effect.fnUntraced(function*(ctx: ReceiverContext, raw: unknown) {
  const safe = safeInput(raw)
  if (Either.isLeft(safe)) {
    yield* Effect.logWarning(safe.left.message)
    return yield* reject(safe.left)
  }
  const input = safe.right
  const size = byteLength(input.body)
  if (size > ctx.maxBodyBytes) {
    const error = new CallbackTooLarge({ maxBodyBytes: ctx.maxBodyBytes, size })
    yield* Effect.logWarning(error.message)
    return yield* reject(error)
  }
  const signed = yield* Effect.either(verifySigned(input, ctx.options))
  if (Either.isLeft(signed)) {
    yield* Effect.logWarning(signed.left.message)
    return yield* reject(signed.left)
  }
  const requestID = signed.right.requestID
  const verified = decodeVerified(input, signed.right, ctx.decodeOptions)
  if (Either.isLeft(verified)) {
    // The sender proved the secret: this refusal is signed.
    yield* Effect.logWarning(verified.left.message)
    return yield* rejectVerified(verified.left, requestID)
  }
  const kind = kindOf(verified.right.callback)
  return yield* Effect.tap(dispatch(ctx, verified.right, kind), (reply) => CallbackMetrics.count(kind, reply))
})

/** A verified delivery of `kind`: its handler, under the replay store. */
const dispatch = Effect.fnUntraced(function*(
  ctx: ReceiverContext,
  verified: VerifiedBody,
  kind: Callback.CallbackKind | "unknown"
) {
  const { body, callback, extra, headers, mismatch } = verified
  const requestID = headers.requestID
  yield* Effect.annotateCurrentSpan({ "callbot.requestID": requestID, "callbot.kind": kind })
  if (mismatch) {
    yield* Effect.logDebug(
      `callbackType ${callback.callbackType} delivered to the ${ctx.options.expect} receiver; decoded as ${ctx.options.expect}`
    )
  }
  const run = pickHandler(ctx.handlers, callback)
  if (run === undefined) {
    yield* Effect.logWarning(`no handler for ${kind} callbacks; acknowledged without processing`)
    return yield* makeReply(ack(200, 0, "success"), { _tag: "Unhandled", kind }, requestID)
  }
  const delivery: Callback.Delivery = { ...headers, extra, body }
  const store = yield* ctx.store(headers.uuid)
  // A handler that interrupts itself counts as failed (500). When the
  // request itself is interrupted (client gone), no answer is sent anyway,
  // and the handler runs on.
  if (store === undefined) {
    return yield* finish(
      yield* Effect.uninterruptibleMask((restore) => runToEnd(ctx, run, delivery, kind, undefined, restore)),
      kind,
      requestID
    )
  }
  return yield* runClaimed(ctx, store, run, delivery, kind)
})

/** Refusals are counted here: they come before the kind is known. */
const countRefusal = (reply: Callback.Reply) =>
  reply.outcome._tag === "Rejected" ? CallbackMetrics.count("unknown", reply) : Effect.void

/**
 * A receiver's settled context and its `handle` (traced as
 * "Callback.receive", no call-site stack: one span per delivery).
 *
 * @internal
 */
export const build = (handlers: AnyHandlers, options: Callback.ReceiverOptions = {}) => {
  const ctx = makeContext(handlers, options)
  // Takes any body: `receive` answers what is not bytes or text (400).
  const handle = (input: {
    readonly headers: Signer.HeadersInput
    readonly body: unknown
  }): Effect.Effect<Callback.Reply, never, unknown> =>
    Effect.withSpan(Effect.tap(receive(ctx, input), countRefusal), "Callback.receive", {
      attributes: { "callbot.receiver": options.expect ?? "any" },
      captureStackTrace: false
    })
  return { ctx, handle }
}

/**
 * Builds a receiver: `handle` and the HttpApp over it. Both share one
 * replay store.
 *
 * @internal
 */
export const make = (handlers: AnyHandlers, options: Callback.ReceiverOptions = {}): Callback.Receiver<unknown> => {
  const { ctx, handle } = build(handlers, options)
  return { handle, httpApp: HttpApp.make(ctx, handle) }
}
