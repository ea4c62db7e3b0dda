/**
 * A handler's life, apart from the request's: once started it runs to its
 * end in a daemon fiber (neither the answer deadline nor a client that went
 * away interrupts it); its outcome marks the delivery done or releases it;
 * while it outlives the answer, its in-flight claim is kept alive.
 *
 * @internal
 */
import * as Clock from "effect/Clock";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Fiber from "effect/Fiber";
import * as Option from "effect/Option";
const doneTtl = (ctx, createTs) => Effect.map(Clock.currentTimeMillis, (now) => Duration.millis(Number.isFinite(ctx.window)
    ? Math.max(ctx.replayTtlMillis, Number(createTs) * 1000 + ctx.window - now)
    : ctx.replayTtlMillis));
const succeeded = (exit) => exit._tag === "Success";
/** Done on success, released otherwise; store errors are logged, not raised. */
const record = (ctx, claimed, exit, createTs) => succeeded(exit)
    ? Effect.flatMap(doneTtl(ctx, createTs), (ttl) => claimed.store.complete(claimed.key, claimed.token, ttl)).pipe(Effect.catchAll((error) => Effect.logError("callback handled, but the replay store could not record it", error)))
    : claimed.store.release(claimed.key, claimed.token).pipe(Effect.catchAll((error) => Effect.logError("replay store: could not release a failed delivery", error)));
const settle = (ctx, claimed, exit, createTs, state) => Effect.suspend(() => {
    state.ended = true;
    const late = state.detached
        ? succeeded(exit)
            ? Effect.logInfo("callback handler succeeded after its answer; later redeliveries are acknowledged")
            : Effect.logWarning("callback handler failed after its answer; a redelivery may run it again", exit)
        : Effect.void;
    if (claimed === undefined)
        return late;
    const recorded = Effect.zipRight(record(ctx, claimed, exit, createTs), late);
    return state.lock === undefined ? recorded : state.lock.withPermits(1)(recorded);
});
/** The handler in its own fiber: interruptible by itself only, then recorded. */
const work = (ctx, run, delivery, kind, claimed, state) => Effect.exit(Effect.interruptible(Effect.suspend(() => run(delivery)))).pipe(
// No stack capture: the span is per delivery and the stack is ours, not the caller's.
Effect.withSpan("Callback.handler", {
    attributes: { "callbot.requestID": delivery.requestID, "callbot.kind": kind },
    captureStackTrace: false
}), Effect.tap((exit) => settle(ctx, claimed, exit, delivery.createTs, state)));
const half = (duration) => Duration.millis(Math.max(1000, Duration.toMillis(duration) / 2));
/**
 * Extends the claim now and every half `inFlightTtl` until the handler's
 * fiber ends (each extension checks, under the lock, that it has not).
 */
const keepClaimed = (ctx, claimed, extend, lock, state, worker) => {
    const beat = lock.withPermits(1)(Effect.suspend(() => (state.ended ? Effect.void : extend(claimed.key, claimed.token, ctx.inFlightTtl)))).pipe(Effect.catchAll((error) => Effect.logWarning("replay store: could not extend an in-flight claim", error)));
    return Effect.race(Fiber.await(worker), Effect.forever(Effect.zipRight(beat, Effect.sleep(half(ctx.inFlightTtl)))));
};
/**
 * Starts the handler and waits for it under the answer deadline
 * (`handlerTimeout`; `None` when it passed). The request's interruption
 * stops only the waiting. Must be called uninterruptibly; `restore` makes
 * the waiting interruptible.
 *
 * @internal
 */
export const runToEnd = (ctx, run, delivery, kind, claimed, restore) => Effect.gen(function* () {
    const state = { ended: false, detached: false, lock: undefined };
    const worker = yield* Effect.forkDaemon(work(ctx, run, delivery, kind, claimed, state));
    const detach = Effect.suspend(() => {
        const extend = claimed?.store.extend;
        if (state.detached || state.ended)
            return Effect.void;
        state.detached = true;
        if (claimed === undefined || extend === undefined)
            return Effect.void;
        const lock = (state.lock = Effect.unsafeMakeSemaphore(1));
        return Effect.asVoid(Effect.forkDaemon(keepClaimed(ctx, claimed, extend, lock, state, worker)));
    });
    const finite = Duration.isFinite(ctx.handlerTimeout);
    // With no answer deadline, the claim is still kept alive past half its life.
    const firstWait = finite ? ctx.handlerTimeout : half(ctx.inFlightTtl);
    const first = yield* restore(Effect.timeoutOption(Fiber.join(worker), firstWait)).pipe(Effect.onInterrupt(() => detach));
    if (Option.isSome(first))
        return first;
    yield* detach;
    if (finite)
        return Option.none();
    return Option.some(yield* restore(Fiber.join(worker)));
});
