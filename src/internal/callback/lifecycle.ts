/**
 * A handler's life, apart from the request's: once started it runs to its
 * end in a daemon fiber (neither the answer deadline nor a client that went
 * away interrupts it); its outcome marks the delivery done or releases it;
 * while it outlives the answer, its in-flight claim is kept alive.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import type * as Callback from "../../Callback.js"
import type * as ReplayStore from "../../ReplayStore.js"
import { joinWithin } from "../retry/deadline.js"
import type { Run } from "./handlers.js"

/**
 * What a handler's life depends on (a part of the receiver's context).
 *
 * @internal
 */
export interface LifeContext {
  /** The `createTs` window, in milliseconds (`Infinity` when off). */
  readonly window: number
  readonly replayTtlMillis: number
  /** The answer deadline (`Duration.infinity`: the answer waits for the handler). */
  readonly handlerTimeout: Duration.Duration
  /** How long a claim blocks redeliveries, and how far each extension reaches. */
  readonly inFlightTtl: Duration.Duration
}

/** A delivery claimed in a store, with the token that owns the claim. @internal */
export interface Claimed {
  readonly store: ReplayStore.ReplayStore
  readonly key: string
  readonly token: string
}

/** What the request and the handler's fiber share about one run. */
interface RunState {
  /** The handler has ended: its outcome is being recorded. */
  ended: boolean
  /** The request stopped waiting (deadline or interruption). */
  detached: boolean
  /** Orders claim extensions before the final done/release (slow path only). */
  lock: Effect.Semaphore | undefined
}

const doneTtl = (ctx: LifeContext, createTs: string, now: number) =>
  Duration.millis(
    Number.isFinite(ctx.window)
      ? Math.max(ctx.replayTtlMillis, Number(createTs) * 1000 + ctx.window - now)
      : ctx.replayTtlMillis
  )

const succeeded = (exit: Exit.Exit<unknown, unknown>): boolean => exit._tag === "Success"

/** Done on success, released otherwise; store errors are logged, not raised. */
const record = (ctx: LifeContext, claimed: Claimed, exit: Exit.Exit<unknown, unknown>, createTs: string) =>
  succeeded(exit)
    ? Effect.clockWith((clock) =>
      claimed.store.complete(claimed.key, claimed.token, doneTtl(ctx, createTs, clock.unsafeCurrentTimeMillis()))
    ).pipe(
      Effect.catchAll((error) => Effect.logError("callback handled, but the replay store could not record it", error))
    )
    : claimed.store.release(claimed.key, claimed.token).pipe(
      Effect.catchAll((error) => Effect.logError("replay store: could not release a failed delivery", error))
    )

const settle = (
  ctx: LifeContext,
  claimed: Claimed | undefined,
  exit: Exit.Exit<unknown, unknown>,
  createTs: string,
  state: RunState
): Effect.Effect<void> =>
  Effect.suspend(() => {
    state.ended = true
    const late = state.detached
      ? succeeded(exit)
        ? Effect.logInfo("callback handler succeeded after its answer; later redeliveries are acknowledged")
        : Effect.logWarning("callback handler failed after its answer; a redelivery may run it again", exit)
      : Effect.void
    if (claimed === undefined) return late
    const recorded = state.detached
      ? Effect.zipRight(record(ctx, claimed, exit, createTs), late)
      : record(ctx, claimed, exit, createTs)
    return state.lock === undefined ? recorded : state.lock.withPermits(1)(recorded)
  })

/** The handler in its own fiber: interruptible by itself only, then recorded. */
const work = (
  ctx: LifeContext,
  run: Run,
  delivery: Callback.Delivery,
  kind: Callback.CallbackKind | "unknown",
  claimed: Claimed | undefined,
  state: RunState
) =>
  Effect.exit(Effect.interruptible(Effect.suspend(() => run(delivery)))).pipe(
    // No stack capture: the span is per delivery and the stack is ours, not the caller's.
    Effect.withSpan("Callback.handler", {
      attributes: { "callbot.requestID": delivery.requestID, "callbot.kind": kind },
      captureStackTrace: false
    }),
    Effect.tap((exit) => settle(ctx, claimed, exit, delivery.createTs, state))
  )

const half = (duration: Duration.Duration): Duration.Duration =>
  Duration.millis(Math.max(1000, Duration.toMillis(duration) / 2))

/**
 * Extends the claim now and every half `inFlightTtl` until the handler's
 * fiber ends (each extension checks, under the lock, that it has not).
 */
const keepClaimed = (
  ctx: LifeContext,
  claimed: Claimed,
  extend: NonNullable<ReplayStore.ReplayStore["extend"]>,
  lock: Effect.Semaphore,
  state: RunState,
  worker: Fiber.Fiber<unknown>
) => {
  const beat = lock.withPermits(1)(
    Effect.suspend(() => (state.ended ? Effect.void : extend(claimed.key, claimed.token, ctx.inFlightTtl)))
  ).pipe(Effect.catchAll((error) => Effect.logWarning("replay store: could not extend an in-flight claim", error)))
  return Effect.race(Fiber.await(worker), Effect.forever(Effect.zipRight(beat, Effect.sleep(half(ctx.inFlightTtl)))))
}

/**
 * `effect` in a fiber of its own, as `Effect.forkDaemon` does (the global
 * scope, this fiber's context and flags), but started at once: it runs
 * here until it first waits, so a handler that ends without waiting has its
 * outcome before the answer waits for it (no scheduling, no timer).
 */
const startDaemon = <A, R>(effect: Effect.Effect<A, never, R>): Effect.Effect<Fiber.RuntimeFiber<A>, never, R> =>
  Effect.map(Effect.runtime<R>(), (runtime) => Runtime.runFork(runtime)(effect))

/**
 * Starts the handler and waits for it under the answer deadline
 * (`handlerTimeout`; `None` when it passed). The request's interruption
 * stops only the waiting. Must be called uninterruptibly; `restore` makes
 * the waiting interruptible.
 *
 * @internal
 */
export const runToEnd = (
  ctx: LifeContext,
  run: Run,
  delivery: Callback.Delivery,
  kind: Callback.CallbackKind | "unknown",
  claimed: Claimed | undefined,
  restore: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
): Effect.Effect<Option.Option<Exit.Exit<unknown, unknown>>, never, unknown> =>
  Effect.suspend(() => {
    const state: RunState = { ended: false, detached: false, lock: undefined }
    return Effect.flatMap(startDaemon(work(ctx, run, delivery, kind, claimed, state)), (worker) => {
      // Ended already (it did not wait): its outcome, with nothing to wait for.
      const ended = worker.unsafePoll()
      if (ended !== null) return Effect.asSome(ended)
      const detach = Effect.suspend(() => {
        const extend = claimed?.store.extend
        if (state.detached || state.ended) return Effect.void
        state.detached = true
        if (claimed === undefined || extend === undefined) return Effect.void
        const lock = (state.lock = Effect.unsafeMakeSemaphore(1))
        return Effect.asVoid(Effect.forkDaemon(keepClaimed(ctx, claimed, extend, lock, state, worker)))
      })
      const finite = Duration.isFinite(ctx.handlerTimeout)
      // With no answer deadline, the claim is still kept alive past half its life.
      const firstWait = finite ? ctx.handlerTimeout : half(ctx.inFlightTtl)
      return restore(joinWithin(worker, firstWait)).pipe(
        Effect.onInterrupt(() => detach),
        Effect.flatMap((first) =>
          Option.isSome(first)
            ? Effect.succeed(first)
            : Effect.zipRight(detach, finite ? Effect.succeedNone : Effect.asSome(restore(Fiber.join(worker))))
        )
      )
    })
  })
