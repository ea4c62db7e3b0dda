/**
 * Virtual time: the engine moves the platform to the `Clock` time before and
 * after every request, on every inspection, and from a timer fiber that
 * sleeps until the next event (rounded up to `timerResolutionMillis`). Under
 * `TestClock` a whole campaign runs with `TestClock.adjust`.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import type * as Platform from "./platform.js"

/** The engine's hold on virtual time. */
export interface VirtualTime {
  /** Wakes the timer fiber when the next event is earlier than the one it sleeps for. */
  readonly poke: Effect.Effect<void>
  /** Processes every event due by the current `Clock` time and delivers their callbacks. */
  readonly catchUp: Effect.Effect<void>
  /** The timer fiber's loop (never ends). */
  readonly timer: Effect.Effect<never>
}

/** Builds the timer over `platform`; `flush` delivers the callbacks the platform produced. */
export const make = (
  platform: Platform.Platform,
  flush: Effect.Effect<void>,
  resolutionMillis: number
): Effect.Effect<VirtualTime> =>
  Effect.map(Queue.sliding<void>(1), (wake) => {
    let timerTarget: number | undefined
    const resolution = Math.max(0, resolutionMillis)
    const wakeTime = (due: number) => (resolution > 0 ? Math.ceil(due / resolution) * resolution : due)

    const poke = Effect.suspend(() => {
      const next = platform.nextDue()
      return next !== undefined && (timerTarget === undefined || wakeTime(next) < timerTarget)
        ? Queue.offer(wake, undefined)
        : Effect.void
    })

    const catchUp = Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.sync(() => platform.advance(now)).pipe(Effect.zipRight(flush), Effect.zipRight(poke)))

    // One turn of the timer: catch up, then sleep until the next due event or a poke.
    const tick = Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      platform.advance(now)
      yield* flush
      const next = platform.nextDue()
      timerTarget = next === undefined ? undefined : wakeTime(next)
      if (timerTarget === undefined) {
        yield* Queue.take(wake)
      } else {
        yield* Effect.raceFirst(Effect.sleep(Duration.millis(Math.max(1, timerTarget - now))), Queue.take(wake))
      }
      timerTarget = undefined
    })
    const timer = Effect.forever(tick)
    return { poke, catchUp, timer }
  })
