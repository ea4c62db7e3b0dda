/**
 * Time limits without racing fibers. `within`: a time limit on one attempt
 * at the cost of one child fiber and one timer.
 * `Effect.timeoutFail` races the attempt and a sleep in two forked fibers
 * and joins their fiber refs back (about 65 µs a request); here the attempt
 * alone runs in a child fiber and a plain timer stands for the sleep. The
 * timer is only used with the live clock: under any other `Clock` (a
 * `TestClock`) the limit is `Effect.timeoutFail`, so simulated time still
 * drives it. `awaitWithin`: waits for a running fiber up to a deadline with
 * an observer and a timer, no fiber at all.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import type * as Option from "effect/Option"

const liveClock = Context.get(DefaultServices.liveServices, Clock.Clock)

/**
 * `self`, or `onTimeout()` as its failure once `duration` has passed (the
 * attempt is then interrupted, which aborts its request). An interruption
 * of the caller interrupts the attempt too.
 */
export const within = <A, E, R, E2>(
  self: Effect.Effect<A, E, R>,
  duration: Duration.Duration,
  onTimeout: () => E2
): Effect.Effect<A, E | E2, R> => {
  if (!Duration.isFinite(duration)) return self
  return Effect.clockWith((clock) => {
    if (clock !== liveClock) return Effect.timeoutFail(self, { duration, onTimeout })
    const millis = Duration.toMillis(duration)
    return Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(Effect.fork(restore(self)), (child) =>
        restore(Effect.async<A, E | E2>((resume) => {
          let settled = false
          const observer = (exit: Exit.Exit<A, E>) => {
            if (settled) return
            settled = true
            clearTimeout(timer)
            resume(exit)
          }
          const timer = setTimeout(() => {
            if (settled) return
            settled = true
            child.removeObserver(observer)
            resume(Effect.zipRight(Fiber.interrupt(child), Effect.fail(onTimeout())))
          }, millis)
          child.addObserver(observer)
          return Effect.suspend(() => {
            settled = true
            clearTimeout(timer)
            child.removeObserver(observer)
            return Fiber.interrupt(child)
          })
        })))
    )
  })
}

/**
 * The exit of `fiber` if it ends within `duration` (`None` otherwise); the
 * fiber itself runs on either way. Like `Effect.timeoutOption(Fiber.join(fiber),
 * duration)`: a failure of the fiber is this effect's failure. Interrupting
 * the waiter stops only the waiting.
 */
export const joinWithin = <A, E>(
  fiber: Fiber.RuntimeFiber<A, E>,
  duration: Duration.Duration
): Effect.Effect<Option.Option<A>, E> =>
  Effect.clockWith((clock) => {
    if (clock !== liveClock) return Effect.timeoutOption(Fiber.join(fiber), duration)
    const ended = fiber.unsafePoll()
    if (ended !== null) return Effect.asSome(ended)
    const millis = Duration.toMillis(duration)
    return Effect.async<Option.Option<A>, E>((resume) => {
      let settled = false
      const observer = (exit: Exit.Exit<A, E>) => {
        if (settled) return
        settled = true
        if (timer !== undefined) clearTimeout(timer)
        resume(Effect.asSome(exit))
      }
      const timer = Duration.isFinite(duration)
        ? setTimeout(() => {
          if (settled) return
          settled = true
          fiber.removeObserver(observer)
          resume(Effect.succeedNone)
        }, millis)
        : undefined
      fiber.addObserver(observer)
      return Effect.sync(() => {
        settled = true
        if (timer !== undefined) clearTimeout(timer)
        fiber.removeObserver(observer)
      })
    })
  })
