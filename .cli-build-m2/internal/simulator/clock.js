/**
 * Virtual time: the engine moves the platform to the `Clock` time before and
 * after every request, on every inspection, and from a timer fiber that
 * sleeps until the next event (rounded up to `timerResolutionMillis`). Under
 * `TestClock` a whole campaign runs with `TestClock.adjust`.
 */
import * as Clock from "effect/Clock";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Queue from "effect/Queue";
/** Builds the timer over `platform`; `flush` delivers the callbacks the platform produced. */
export const make = (platform, flush, resolutionMillis) => Effect.map(Queue.sliding(1), (wake) => {
    let timerTarget;
    const resolution = Math.max(0, resolutionMillis);
    const wakeTime = (due) => (resolution > 0 ? Math.ceil(due / resolution) * resolution : due);
    const poke = Effect.suspend(() => {
        const next = platform.nextDue();
        return next !== undefined && (timerTarget === undefined || wakeTime(next) < timerTarget)
            ? Queue.offer(wake, undefined)
            : Effect.void;
    });
    const catchUp = Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => platform.advance(now)).pipe(Effect.zipRight(flush), Effect.zipRight(poke)));
    // One turn of the timer: catch up, then sleep until the next due event or a poke.
    const tick = Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis;
        platform.advance(now);
        yield* flush;
        const next = platform.nextDue();
        timerTarget = next === undefined ? undefined : wakeTime(next);
        if (timerTarget === undefined) {
            yield* Queue.take(wake);
        }
        else {
            yield* Effect.raceFirst(Effect.sleep(Duration.millis(Math.max(1, timerTarget - now))), Queue.take(wake));
        }
        timerTarget = undefined;
    });
    const timer = Effect.forever(tick);
    return { poke, catchUp, timer };
});
