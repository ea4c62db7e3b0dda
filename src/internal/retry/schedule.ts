/**
 * The waits of a retry policy as one `Schedule`, and the three ways it is
 * run: `retry` (attempts of one request), `pauses` (a budget of waits, one
 * at a time) and `rounds` (reconciliation rounds of a create).
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import type * as RetryPolicy from "../../RetryPolicy.js"
import { cappedRetryAfter, shouldRetry } from "./policy.js"
import * as Metrics from "../metrics/metrics.js"

type AttemptError = RetryPolicy.AttemptError

/** What a schedule of {@link waits} checks besides the policy. */
interface WaitOptions {
  /** Failures that are not retried end the schedule. Default: every failure is. */
  readonly retryable?: ((error: AttemptError) => boolean) | undefined
  /** Runs once a retry is decided, before the wait. */
  readonly onRetry?: ((error: AttemptError, delay: Duration.Duration, now: number) => Effect.Effect<void>) | undefined
}

/**
 * `schedule`, stepped only while `retries` are left and the input is
 * retryable. `Schedule.recurs` + `Schedule.whileInput` would step the
 * user's schedule once more on the failure that ends the retries (both
 * sides of an intersection are stepped, and `whileInput` checks after the
 * step); a policy's schedule sees exactly the failures that are retried.
 */
const gate = <In>(
  schedule: Schedule.Schedule<unknown, In>,
  retries: number,
  retryable: ((input: In) => boolean) | undefined
): Schedule.Schedule<unknown, In> =>
  Schedule.makeWithState(
    { used: 0, inner: schedule.initial },
    (now, input: In, state: { readonly used: number; readonly inner: unknown }) =>
      state.used >= retries || (retryable !== undefined && !retryable(input))
        ? Effect.succeed([state, undefined, ScheduleDecision.done] as const)
        : Effect.map(
          schedule.step(now, input, state.inner),
          ([inner, out, decision]) => [{ used: state.used + 1, inner }, out, decision] as const
        )
  )

/**
 * The policy's waits, fed with the errors of failed attempts (the first
 * failure is the first input): at most `maxAttempts - 1` of them, each the
 * policy schedule's delay or `Retry-After` (cut to the policy's `maxDelay`)
 * if longer, in whole milliseconds,
 * and none that would start the next attempt at or after `deadline` (epoch
 * milliseconds). Outputs the delay.
 */
export const waits = (
  policy: RetryPolicy.RetryPolicy,
  deadline: number,
  options: WaitOptions = {}
): Schedule.Schedule<Duration.Duration, AttemptError> => {
  const { onRetry, retryable } = options
  return Schedule.passthrough(gate(policy.schedule, policy.maxAttempts - 1, retryable)).pipe(
    // Whole milliseconds: jitter yields fractions, which clocks and spans do not want.
    Schedule.modifyDelay((error, delay) =>
      Duration.millis(Math.ceil(Duration.toMillis(Option.match(cappedRetryAfter(policy, error), {
        onNone: () => delay,
        onSome: (ra) => Duration.max(ra, delay)
      }))))
    ),
    Schedule.delays,
    // The deadline bounds when the next attempt would start, counted from the
    // call's start; `Schedule.upTo` bounds the time elapsed before a decision,
    // counted from the first failure, which is not the same policy.
    Schedule.checkEffect((error, delay) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        now + Duration.toMillis(delay) >= deadline
          ? Effect.succeed(false)
          : onRetry === undefined
          ? Effect.succeed(true)
          : Effect.as(onRetry(error, delay, now), true))
    )
  )
}

const deadlineFrom = (policy: RetryPolicy.RetryPolicy, started: number): number =>
  started + Duration.toMillis(policy.deadline)

/** One attempt in its own span; the caller's span counts the attempts. */
const spannedAttempt = <A, R>(
  attempt: (n: number) => Effect.Effect<A, AttemptError, R>,
  info: RetryPolicy.RequestInfo,
  n: number
): Effect.Effect<A, AttemptError, R> =>
  attempt(n).pipe(
    Effect.withSpan("CallbotClient.attempt", {
      captureStackTrace: false,
      attributes: { "callbot.endpoint": info.endpoint, "callbot.attempt": n }
    }),
    Effect.exit,
    Effect.tap(() => Effect.annotateCurrentSpan("callbot.attempts", n)),
    Effect.flatten
  )

/** The span event of one retry decision. */
const retryEvent = (n: number, error: AttemptError, delay: Duration.Duration, now: number): Effect.Effect<void> =>
  Effect.currentSpan.pipe(
    Effect.flatMap((span) =>
      Effect.sync(() =>
        span.event("callbot.retry", BigInt(Math.floor(now)) * 1_000_000n, {
          "callbot.attempt": n,
          "callbot.delayMillis": Duration.toMillis(delay),
          "callbot.error": error._tag,
          ...("retCode" in error ? { "callbot.retCode": error.retCode } : {}),
          ...("status" in error ? { "http.response.status_code": error.status } : {})
        })
      )
    ),
    Effect.ignore
  )

/** @internal */
export const retry = <A, R>(
  attempt: (n: number) => Effect.Effect<A, AttemptError, R>,
  policy: RetryPolicy.RetryPolicy,
  info: RetryPolicy.RequestInfo
): Effect.Effect<A, AttemptError, R> =>
  Effect.flatMap(Clock.currentTimeMillis, (started) => {
    let n = 1
    const current = Effect.suspend(() => spannedAttempt(attempt, info, n))
    const retryable = (error: AttemptError) => shouldRetry(policy, info, error)
    const again = Effect.suspend(() => {
      n++
      return current
    })
    const schedule = waits(policy, deadlineFrom(policy, started), {
      retryable,
      onRetry: (error, delay, now) =>
        Effect.zipRight(Metrics.recordRetry(info.endpoint, error._tag), retryEvent(n, error, delay, now))
    })
    return Effect.catchAll(
      current,
      (error) => (n >= policy.maxAttempts || !retryable(error) ? Effect.fail(error) : retryAfter(error, again, schedule))
    )
  })

/**
 * `Effect.retry(again, schedule)` after a first run that already failed
 * with `first`, which is replayed as the schedule's first input. Callers
 * run the first attempt outside `Effect.retry`, so that a call settled at
 * once (most are) builds no schedule driver.
 */
const retryAfter = <A, R>(
  first: AttemptError,
  again: Effect.Effect<A, AttemptError, R>,
  schedule: Schedule.Schedule<Duration.Duration, AttemptError>
): Effect.Effect<A, AttemptError, R> => {
  let replay: AttemptError | undefined = first
  return Effect.retry(
    Effect.suspend(() => {
      if (replay === undefined) return again
      const error = replay
      replay = undefined
      return Effect.fail(error)
    }),
    schedule
  )
}

/** @internal */
export const pauses = (
  policy: RetryPolicy.RetryPolicy
): Effect.Effect<(error: AttemptError) => Effect.Effect<boolean>> =>
  Effect.flatMap(Clock.currentTimeMillis, (started) =>
    Effect.map(Schedule.driver(waits(policy, deadlineFrom(policy, started))), (driver) => (error: AttemptError) =>
      Effect.match(driver.next(error), { onFailure: () => false, onSuccess: () => true })))

/**
 * Reconciliation rounds under a policy. Each run of `round` either settles
 * (`Right`: the answer; `Left`: the failure to report) or fails with the
 * error after which its request may be sent again: then the policy's next
 * wait (as in {@link pauses}) comes first. When the waits are used up,
 * `exhausted` decides with the last such error.
 */
export const rounds = <A, E, R>(
  policy: RetryPolicy.RetryPolicy,
  round: Effect.Effect<Either.Either<A, E>, AttemptError, R>,
  exhausted: (error: AttemptError) => Effect.Effect<A, E>
): Effect.Effect<A, E, R> =>
  Effect.flatMap(Clock.currentTimeMillis, (started) => {
    const settled = (outcome: Either.Either<A, E>): Effect.Effect<A, E> =>
      Either.isRight(outcome) ? Effect.succeed(outcome.right) : Effect.fail(outcome.left)
    // As in `retry`: the first round runs outside `Effect.retry`.
    return Effect.matchEffect(round, {
      onSuccess: settled,
      onFailure: (first) =>
        retryAfter(first, round, waits(policy, deadlineFrom(policy, started))).pipe(
          Effect.matchEffect({ onFailure: exhausted, onSuccess: settled })
        )
    })
  })
