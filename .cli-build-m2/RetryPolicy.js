import * as internal from "./internal/retry/policy.js";
import * as internalSchedule from "./internal/retry/schedule.js";
/**
 * Classifies a failed attempt (see the module docs for the table).
 *
 * @since 0.1.0
 * @category classification
 */
export const classify = internal.classify;
/**
 * The delay the platform asked for (`Retry-After`), if any.
 *
 * @since 0.1.0
 * @category classification
 */
export const retryAfter = internal.retryAfter;
/**
 * Builds a policy: exponential backoff with jitter, capped, bounded by
 * attempts and a deadline.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = internal.make;
/**
 * The default policy: 5 attempts within 60 s, backoff from 200 ms doubling
 * to at most 10 s, with jitter.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultPolicy = make();
/**
 * One attempt, no retries and no reconciliation: what one request does.
 *
 * @since 0.1.0
 * @category constructors
 */
export const none = make({ maxAttempts: 1, reconcile: false });
/**
 * The per-call override; `None` means "use the layer's policy".
 *
 * @since 0.1.0
 * @category references
 */
export const currentPolicy = internal.currentPolicy;
/**
 * Runs `effect` (one or more Callbot calls) with this retry policy instead of
 * the layer's.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withPolicy = internal.withPolicy;
/**
 * Whether a failure is retried under a policy for this request.
 *
 * @since 0.1.0
 * @category classification
 */
export const shouldRetry = internal.shouldRetry;
/**
 * The waits of a policy, one at a time: each call sleeps the next delay of
 * the policy's schedule (at least `Retry-After`) and answers `true`, or
 * answers `false` without sleeping when the schedule, the attempts or the
 * deadline are used up. Used between reconciliation rounds.
 *
 * @since 0.1.0
 * @category combinators
 */
export const pauses = internalSchedule.pauses;
/**
 * Runs `attempt` until it succeeds, fails with an error the policy does not
 * retry, runs out of attempts, or would pass the deadline. Each attempt runs
 * in its own span (`CallbotClient.attempt`, with `callbot.attempt`); each
 * retry decision is a span event with the delay, error tag and `retCode`.
 * `attempt` must build a fresh request each time (new signature).
 *
 * @since 0.1.0
 * @category combinators
 */
export const retry = internalSchedule.retry;
