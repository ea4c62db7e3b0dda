/**
 * The waits of a retry policy as one `Schedule`, and the three ways it is
 * run: `retry` (attempts of one request), `pauses` (a budget of waits, one
 * at a time) and `rounds` (reconciliation rounds of a create).
 */
import * as Clock from "effect/Clock";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Either from "effect/Either";
import * as Option from "effect/Option";
import * as Schedule from "effect/Schedule";
import * as ScheduleDecision from "effect/ScheduleDecision";
import { cappedRetryAfter, shouldRetry } from "./policy.js";
/**
 * `schedule`, stepped only while `retries` are left and the input is
 * retryable. `Schedule.recurs` + `Schedule.whileInput` would step the
 * user's schedule once more on the failure that ends the retries (both
 * sides of an intersection are stepped, and `whileInput` checks after the
 * step); a policy's schedule sees exactly the failures that are retried.
 */
const gate = (schedule, retries, retryable) => Schedule.makeWithState({ used: 0, inner: schedule.initial }, (now, input, state) => state.used >= retries || (retryable !== undefined && !retryable(input))
    ? Effect.succeed([state, undefined, ScheduleDecision.done])
    : Effect.map(schedule.step(now, input, state.inner), ([inner, out, decision]) => [{ used: state.used + 1, inner }, out, decision]));
/**
 * The policy's waits, fed with the errors of failed attempts (the first
 * failure is the first input): at most `maxAttempts - 1` of them, each the
 * policy schedule's delay or `Retry-After` (cut to the policy's `maxDelay`)
 * if longer, in whole milliseconds,
 * and none that would start the next attempt at or after `deadline` (epoch
 * milliseconds). Outputs the delay.
 */
export const waits = (policy, deadline, options = {}) => {
    const { onRetry, retryable } = options;
    return Schedule.passthrough(gate(policy.schedule, policy.maxAttempts - 1, retryable)).pipe(
    // Whole milliseconds: jitter yields fractions, which clocks and spans do not want.
    Schedule.modifyDelay((error, delay) => Duration.millis(Math.ceil(Duration.toMillis(Option.match(cappedRetryAfter(policy, error), {
        onNone: () => delay,
        onSome: (ra) => Duration.max(ra, delay)
    }))))), Schedule.delays, 
    // The deadline bounds when the next attempt would start, counted from the
    // call's start; `Schedule.upTo` bounds the time elapsed before a decision,
    // counted from the first failure, which is not the same policy.
    Schedule.checkEffect((error, delay) => Effect.flatMap(Clock.currentTimeMillis, (now) => now + Duration.toMillis(delay) >= deadline
        ? Effect.succeed(false)
        : onRetry === undefined
            ? Effect.succeed(true)
            : Effect.as(onRetry(error, delay, now), true))));
};
const deadlineFrom = (policy, started) => started + Duration.toMillis(policy.deadline);
/** One attempt in its own span; the caller's span counts the attempts. */
const spannedAttempt = (attempt, info, n) => attempt(n).pipe(Effect.withSpan("CallbotClient.attempt", {
    captureStackTrace: false,
    attributes: { "callbot.endpoint": info.endpoint, "callbot.attempt": n }
}), Effect.exit, Effect.tap(() => Effect.annotateCurrentSpan("callbot.attempts", n)), Effect.flatten);
/** The span event of one retry decision. */
const retryEvent = (n, error, delay, now) => Effect.currentSpan.pipe(Effect.flatMap((span) => Effect.sync(() => span.event("callbot.retry", BigInt(Math.floor(now)) * 1000000n, {
    "callbot.attempt": n,
    "callbot.delayMillis": Duration.toMillis(delay),
    "callbot.error": error._tag,
    ...("retCode" in error ? { "callbot.retCode": error.retCode } : {}),
    ...("status" in error ? { "http.response.status_code": error.status } : {})
}))), Effect.ignore);
/** @internal */
export const retry = (attempt, policy, info) => Effect.flatMap(Clock.currentTimeMillis, (started) => {
    let n = 1;
    const current = Effect.suspend(() => spannedAttempt(attempt, info, n));
    const retryable = (error) => shouldRetry(policy, info, error);
    // The first attempt runs outside `Effect.retry`, so that a call that
    // succeeds at once (most do) builds no schedule driver; its error is
    // then replayed as the schedule's first input.
    const retryAfterFirst = (first) => {
        let replay = first;
        const next = Effect.suspend(() => {
            if (replay !== undefined) {
                const error = replay;
                replay = undefined;
                return Effect.fail(error);
            }
            n++;
            return current;
        });
        return Effect.retry(next, waits(policy, deadlineFrom(policy, started), {
            retryable,
            onRetry: (error, delay, now) => retryEvent(n, error, delay, now)
        }));
    };
    return Effect.catchAll(current, (error) => (n >= policy.maxAttempts || !retryable(error) ? Effect.fail(error) : retryAfterFirst(error)));
});
/** @internal */
export const pauses = (policy) => Effect.flatMap(Clock.currentTimeMillis, (started) => Effect.map(Schedule.driver(waits(policy, deadlineFrom(policy, started))), (driver) => (error) => Effect.match(driver.next(error), { onFailure: () => false, onSuccess: () => true })));
/**
 * Reconciliation rounds under a policy. Each run of `round` either settles
 * (`Right`: the answer; `Left`: the failure to report) or fails with the
 * error after which its request may be sent again: then the policy's next
 * wait (as in {@link pauses}) comes first. When the waits are used up,
 * `exhausted` decides with the last such error.
 */
export const rounds = (policy, round, exhausted) => Effect.flatMap(Clock.currentTimeMillis, (started) => Effect.retry(round, waits(policy, deadlineFrom(policy, started))).pipe(Effect.matchEffect({
    onFailure: exhausted,
    onSuccess: Either.match({ onLeft: Effect.fail, onRight: Effect.succeed })
})));
