/**
 * The receiver: body cap → verify (unverified: unsigned refusal) → decode →
 * handler choice → the replay-store claim → the handler (run to its end; the
 * answer waits up to `handlerTimeout`) → done or release → the signed answer.
 *
 * @internal
 */
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Either from "effect/Either";
import * as Option from "effect/Option";
import { ack, makeReply, reject, rejectVerified } from "./acks.js";
import * as Budget from "./budget.js";
import { CallbackTooLarge } from "./errors.js";
import { hasFallback, pickHandler } from "./handlers.js";
import * as HttpApp from "./httpApp.js";
import { safeInput } from "./input.js";
import { kindOf } from "./kinds.js";
import { defaultStoreFor } from "./defaultStore.js";
import { runToEnd } from "./lifecycle.js";
import { tag as ReplayStoreTag } from "./replayStore.js";
import { decodeVerified, verifySigned, windowMillis } from "./verify.js";
const defaultHandlerTimeout = Duration.seconds(30);
const defaultReadTimeout = Duration.seconds(10);
const defaultMaxBodyBytes = 1024 * 1024;
const resolveStore = (options) => {
    const given = options.replayStore;
    if (given === "none")
        return () => Effect.succeed(undefined);
    if (given !== undefined) {
        const store = Effect.succeed(given);
        return () => store;
    }
    return (uuid) => Effect.map(Effect.serviceOption(ReplayStoreTag), (found) => Option.isSome(found) ? found.value : defaultStoreFor(uuid));
};
/** @internal */
export const makeContext = (handlers, options) => {
    const window = windowMillis(options);
    const handlerTimeout = Duration.decode(options.handlerTimeout ?? defaultHandlerTimeout);
    const replayTtlMillis = Math.max(Number.isFinite(window) ? window : 0, Duration.toMillis(Duration.decode(options.replayTtl ?? (Number.isFinite(window) ? Duration.millis(window * 2) : Duration.hours(24)))));
    const allowUnknown = hasFallback(handlers);
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
    };
};
/** The answer to a handler's outcome (`None`: the answer deadline passed). */
const finish = (outcome, kind, requestID) => Effect.gen(function* () {
    if (Option.isNone(outcome)) {
        yield* Effect.logError("callback handler still running at handlerTimeout; answering 503 so the platform retries");
        return yield* makeReply(ack(503, 7, "callback handler timed out"), { _tag: "HandlerTimedOut" }, requestID);
    }
    if (outcome.value._tag === "Failure") {
        yield* Effect.logError("callback handler failed; answering 500 so the platform retries", outcome.value.cause);
        return yield* makeReply(ack(500, 5001, "callback handler failed"), { _tag: "HandlerFailed" }, requestID);
    }
    return yield* makeReply(ack(200, 0, "success"), { _tag: "Handled", kind }, requestID);
});
/**
 * Claims the delivery in the store and, once claimed, starts the handler,
 * which runs to its end and then marks the key done (success) or releases
 * it (failure) — see `runToEnd`. Uninterruptible but for the claim and the
 * waiting.
 */
const runClaimed = (ctx, store, run, delivery, kind) => {
    const requestID = delivery.requestID;
    const key = `${delivery.uuid}/${requestID}`;
    return Effect.uninterruptibleMask((restore) => Effect.gen(function* () {
        const claim = yield* Effect.either(restore(store.claim(key, ctx.inFlightTtl)));
        if (Either.isLeft(claim)) {
            yield* Effect.logError("callback replay store unavailable; answering 503", claim.left);
            return yield* makeReply(ack(503, 7, "replay store unavailable"), {
                _tag: "StoreUnavailable",
                error: claim.left
            }, requestID);
        }
        switch (claim.right._tag) {
            case "Done": {
                yield* Effect.logInfo("callback already handled (same requestID); acknowledged without running the handler");
                return yield* makeReply(ack(200, 0, "success"), { _tag: "Duplicate" }, requestID);
            }
            case "InFlight": {
                yield* Effect.logWarning("callback with this requestID is being handled; answering 503");
                return yield* makeReply(ack(503, 7, "callback is being handled"), { _tag: "InFlight" }, requestID);
            }
            case "Claimed":
                break;
        }
        const claimed = { store, key, token: claim.right.token };
        const outcome = yield* runToEnd(ctx, run, delivery, kind, claimed, restore);
        return yield* finish(outcome, kind, requestID);
    }));
};
const encoder = new TextEncoder();
const byteLength = (body) => typeof body === "string" ? encoder.encode(body).length : body.length;
const receive = Effect.fnUntraced(function* (ctx, raw) {
    const safe = safeInput(raw);
    if (Either.isLeft(safe)) {
        yield* Effect.logWarning(safe.left.message);
        return yield* reject(safe.left);
    }
    const input = safe.right;
    const size = byteLength(input.body);
    if (size > ctx.maxBodyBytes) {
        const error = new CallbackTooLarge({ maxBodyBytes: ctx.maxBodyBytes, size });
        yield* Effect.logWarning(error.message);
        return yield* reject(error);
    }
    const signed = yield* Effect.either(verifySigned(input, ctx.options));
    if (Either.isLeft(signed)) {
        yield* Effect.logWarning(signed.left.message);
        return yield* reject(signed.left);
    }
    const requestID = signed.right.requestID;
    const verified = decodeVerified(input, signed.right, ctx.decodeOptions);
    if (Either.isLeft(verified)) {
        // The sender proved the secret: this refusal is signed.
        yield* Effect.logWarning(verified.left.message);
        return yield* rejectVerified(verified.left, requestID);
    }
    const { body, callback, extra, headers, mismatch } = verified.right;
    const kind = kindOf(callback);
    yield* Effect.annotateCurrentSpan({ "callbot.requestID": requestID, "callbot.kind": kind });
    if (mismatch) {
        yield* Effect.logDebug(`callbackType ${callback.callbackType} delivered to the ${ctx.options.expect} receiver; decoded as ${ctx.options.expect}`);
    }
    const run = pickHandler(ctx.handlers, callback);
    if (run === undefined) {
        yield* Effect.logWarning(`no handler for ${kind} callbacks; acknowledged without processing`);
        return yield* makeReply(ack(200, 0, "success"), { _tag: "Unhandled", kind }, requestID);
    }
    const delivery = { ...headers, extra, body };
    const store = yield* ctx.store(headers.uuid);
    // A handler that interrupts itself counts as failed (500). When the
    // request itself is interrupted (client gone), no answer is sent anyway,
    // and the handler runs on.
    if (store === undefined) {
        return yield* finish(yield* Effect.uninterruptibleMask((restore) => runToEnd(ctx, run, delivery, kind, undefined, restore)), kind, requestID);
    }
    return yield* runClaimed(ctx, store, run, delivery, kind);
});
/**
 * Builds a receiver: `handle` (traced as "Callback.receive", no call-site
 * stack: one span per delivery) and the HttpApp over it. Both share one
 * replay store.
 *
 * @internal
 */
export const make = (handlers, options = {}) => {
    const ctx = makeContext(handlers, options);
    const handle = (input) => Effect.withSpan(receive(ctx, input), "Callback.receive", {
        attributes: { "callbot.receiver": options.expect ?? "any" },
        captureStackTrace: false
    });
    return { handle, httpApp: HttpApp.make(ctx, handle) };
};
