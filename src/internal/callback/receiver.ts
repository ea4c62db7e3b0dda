/**
 * The receiver: body cap → verify (unverified: unsigned refusal) → decode →
 * handler choice → the replay-store claim → the handler (run to its end; the
 * answer waits up to `handlerTimeout`) → done or release → the signed answer.
 *
 * @internal
 */
import * as Context from "effect/Context"
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
import { type CallbackError, CallbackTooLarge } from "./errors.js"
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
    Effect.contextWith((context) => {
      const found = Context.getOption(context, ReplayStoreTag)
      return Option.isSome(found) ? found.value : defaultStoreFor(uuid)
    })
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
): Effect.Effect<Callback.Reply, never, Signer.Signer> => {
  if (Option.isNone(outcome)) {
    return Effect.zipRight(
      Effect.logError("callback handler still running at handlerTimeout; answering 503 so the platform retries"),
      makeReply(ack(503, 7, "callback handler timed out"), { _tag: "HandlerTimedOut" }, requestID)
    )
  }
  if (outcome.value._tag === "Failure") {
    return Effect.zipRight(
      Effect.logError("callback handler failed; answering 500 so the platform retries", outcome.value.cause),
      makeReply(ack(500, 5001, "callback handler failed"), { _tag: "HandlerFailed" }, requestID)
    )
  }
  return makeReply(ack(200, 0, "success"), { _tag: "Handled", kind }, requestID)
}

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
    Effect.matchEffect(restore(store.claim(key, ctx.inFlightTtl)), {
      onFailure: (error) =>
        Effect.zipRight(
          Effect.logError("callback replay store unavailable; answering 503", error),
          makeReply(ack(503, 7, "replay store unavailable"), { _tag: "StoreUnavailable", error }, requestID)
        ),
      onSuccess: (claim) => {
        switch (claim._tag) {
          case "Done":
            return Effect.zipRight(
              Effect.logInfo("callback already handled (same requestID); acknowledged without running the handler"),
              makeReply(ack(200, 0, "success"), { _tag: "Duplicate" }, requestID)
            )
          case "InFlight":
            return Effect.zipRight(
              Effect.logWarning("callback with this requestID is being handled; answering 503"),
              makeReply(ack(503, 7, "callback is being handled"), { _tag: "InFlight" }, requestID)
            )
          case "Claimed": {
            const claimed = { store, key, token: claim.token }
            return Effect.flatMap(
              runToEnd(ctx, run, delivery, kind, claimed, restore),
              (outcome) => finish(outcome, kind, requestID)
            )
          }
        }
      }
    })
  )
}

const encoder = new TextEncoder()
const byteLength = (body: string | Uint8Array): number =>
  typeof body === "string" ? encoder.encode(body).length : body.length

/** A refusal of a delivery not verified: logged, unsigned. */
const refuse = (error: CallbackError): Effect.Effect<Callback.Reply> =>
  Effect.zipRight(Effect.logWarning(error.message), reject(error))

// Plain chains rather than Effect.gen: this runs for every delivery.
const receive = (ctx: ReceiverContext, raw: unknown): Effect.Effect<Callback.Reply, never, unknown> => {
  const safe = safeInput(raw)
  if (Either.isLeft(safe)) return refuse(safe.left)
  const input = safe.right
  const size = byteLength(input.body)
  if (size > ctx.maxBodyBytes) return refuse(new CallbackTooLarge({ maxBodyBytes: ctx.maxBodyBytes, size }))
  return Effect.matchEffect(verifySigned(input, ctx.options), {
    onFailure: refuse,
    onSuccess: (headers) => {
      const verified = decodeVerified(input, headers, ctx.decodeOptions)
      if (Either.isLeft(verified)) {
        // The sender proved the secret: this refusal is signed.
        return Effect.zipRight(
          Effect.logWarning(verified.left.message),
          rejectVerified(verified.left, headers.requestID)
        )
      }
      const kind = kindOf(verified.right.callback)
      return Effect.tap(dispatch(ctx, verified.right, kind), (reply) => CallbackMetrics.count(kind, reply))
    }
  })
}

/** A verified delivery of `kind`: its handler, under the replay store. */
const dispatch = (
  ctx: ReceiverContext,
  verified: VerifiedBody,
  kind: Callback.CallbackKind | "unknown"
): Effect.Effect<Callback.Reply, never, unknown> => {
  const { body, callback, extra, headers, mismatch } = verified
  const requestID = headers.requestID
  const run = pickHandler(ctx.handlers, callback)
  const answer = run === undefined
    ? Effect.zipRight(
      Effect.logWarning(`no handler for ${kind} callbacks; acknowledged without processing`),
      makeReply(ack(200, 0, "success"), { _tag: "Unhandled", kind }, requestID)
    )
    : Effect.flatMap(ctx.store(headers.uuid), (store) => {
      const delivery: Callback.Delivery = { ...headers, extra, body }
      // A handler that interrupts itself counts as failed (500). When the
      // request itself is interrupted (client gone), no answer is sent
      // anyway, and the handler runs on.
      return store === undefined
        ? Effect.flatMap(
          Effect.uninterruptibleMask((restore) => runToEnd(ctx, run, delivery, kind, undefined, restore)),
          (outcome) => finish(outcome, kind, requestID)
        )
        : runClaimed(ctx, store, run, delivery, kind)
    })
  const logged = mismatch
    ? Effect.zipRight(
      Effect.logDebug(
        `callbackType ${callback.callbackType} delivered to the ${ctx.options.expect} receiver; decoded as ${ctx.options.expect}`
      ),
      answer
    )
    : answer
  return Effect.zipRight(
    Effect.annotateCurrentSpan({ "callbot.requestID": requestID, "callbot.kind": kind }),
    logged
  )
}

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
