/**
 * Retry policy of the Callbot client, as data.
 *
 * What is retried, and why:
 *
 * | outcome | class | retried |
 * |---|---|---|
 * | `SystemBusy` (7), `ServerMaintenance` (5), `BatchImportInProgress` (1001) | transient: the platform did not act | yes |
 * | HTTP 429, 502, 503, 504 | transient | yes, honouring `Retry-After` (up to `maxDelay`) |
 * | `TransportError` with `sent: false` (connection refused, DNS) | transient: nothing reached the platform | yes |
 * | `InternalServerError` (5001), HTTP 500 | ambiguous: it may have acted | idempotent endpoints only |
 * | `TransportError` with `sent: true` (timeout, reset after sending) | ambiguous | idempotent endpoints only |
 * | `MalformedResponse` (e.g. a truncated body), `ResponseSignatureError` | ambiguous: the request arrived, the answer cannot be used | idempotent endpoints only |
 * | validation, signature, account, permission, 4001, `retCode` 1 or undocumented | permanent | never |
 *
 * "Ambiguous" failures of endpoints that create things (`createTask`,
 * `createAndCall`, `addBatchCall`, `importBatchCall`) are not blindly re-sent:
 * `CallbotApi` reconciles first (looks the task and orders up by their
 * idempotency keys, `userTaskID` and `orderID`) and re-sends only what is
 * missing.
 *
 * Every retry is a new request: fresh `requestID`, fresh `createTs`, new
 * signature, same body.
 *
 * @example
 * ```ts
 * import { CallbotApi, RetryPolicy } from "effect-callbot"
 * import { Effect, Schedule } from "effect"
 *
 * // per layer
 * CallbotApi.layer({ ...account, retry: RetryPolicy.make({ maxAttempts: 8, deadline: "2 minutes" }) })
 *
 * // per call, with your own Schedule
 * api.listTask(query).pipe(
 *   RetryPolicy.withPolicy(RetryPolicy.make({ schedule: Schedule.spaced("1 second") }))
 * )
 * ```
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as FiberRef from "effect/FiberRef"
import type * as Option from "effect/Option"
import type * as Schedule from "effect/Schedule"
import type * as CallbotError from "./CallbotError.js"
import * as internal from "./internal/retry/policy.js"
import * as internalSchedule from "./internal/retry/schedule.js"

/**
 * Errors of one request attempt that reached the wire.
 *
 * @since 0.1.0
 * @category models
 */
export type AttemptError =
  | CallbotError.ApiError
  | CallbotError.TransportError
  | CallbotError.HttpStatusError
  | CallbotError.MalformedResponse
  | CallbotError.ResponseSignatureError

/**
 * How a failed attempt is classified.
 *
 * - `transient`: the platform did not act; safe to send again.
 * - `ambiguous`: the platform may have acted; safe to send again only for
 *   idempotent requests, otherwise reconcile first.
 * - `permanent`: sending again cannot help.
 *
 * @since 0.1.0
 * @category models
 */
export type Classification = "transient" | "ambiguous" | "permanent"

/**
 * Classifies a failed attempt (see the module docs for the table).
 *
 * @since 0.1.0
 * @category classification
 */
export const classify: (error: AttemptError) => Classification = internal.classify

/**
 * The delay the platform asked for (`Retry-After`), if any.
 *
 * @since 0.1.0
 * @category classification
 */
export const retryAfter: (error: AttemptError) => Option.Option<Duration.Duration> = internal.retryAfter

/**
 * A retry policy.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. `1` disables retries. */
  readonly maxAttempts: number
  /** Time budget for all attempts and waits of one call. */
  readonly deadline: Duration.Duration
  /**
   * The delays between attempts (its output is ignored). `Retry-After` is
   * honoured on top, up to {@link RetryPolicy.maxDelay}: the wait is the
   * larger of the two.
   */
  readonly schedule: Schedule.Schedule<unknown, AttemptError>
  /**
   * Also retry ambiguous failures of requests that are not idempotent.
   * Off by default: `CallbotApi` reconciles instead.
   */
  readonly retryAmbiguous: boolean
  /**
   * Time allowed for one attempt, from sending to the whole answer read.
   * `undefined`: the client's `timeout` option (default 30 s).
   */
  readonly timeout: Duration.Duration | undefined
  /**
   * After an ambiguous failure of a request that creates things, look the
   * task and orders up by their idempotency keys (`userTaskID`, `orderID`)
   * and re-send only what the platform does not have. Default `true`
   * (`false` in {@link none}).
   */
  readonly reconcile: boolean
  /**
   * The longest wait a `Retry-After` may impose: a longer one (many seconds,
   * or an HTTP date far in the future) is cut to this. {@link make} sets it
   * to its `maxDelay` (default 10 seconds); `undefined`: not capped.
   *
   * @since 0.2.0
   */
  readonly maxDelay?: Duration.Duration | undefined
}

/**
 * Options of {@link make}; every field has a default.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Default 5. */
  readonly maxAttempts?: number | undefined
  /** Default 60 seconds. */
  readonly deadline?: Duration.DurationInput | undefined
  /** First backoff delay. Default 200 ms. */
  readonly baseDelay?: Duration.DurationInput | undefined
  /** Largest backoff delay, and the longest wait a `Retry-After` may impose. Default 10 seconds. */
  readonly maxDelay?: Duration.DurationInput | undefined
  /** Exponential factor. Default 2. */
  readonly factor?: number | undefined
  /** Randomise each delay (Effect's `Schedule.jittered`: 80 %–120 %). Default `true`. */
  readonly jitter?: boolean | undefined
  /** Replace the backoff with your own schedule (delays only). */
  readonly schedule?: Schedule.Schedule<unknown, AttemptError> | undefined
  /** Default `false`. */
  readonly retryAmbiguous?: boolean | undefined
  /** Per-attempt timeout. Default: the client's `timeout` option. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Default `true`. */
  readonly reconcile?: boolean | undefined
}

/**
 * Builds a policy: exponential backoff with jitter, capped, bounded by
 * attempts and a deadline.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options?: Options) => RetryPolicy = internal.make

/**
 * The default policy: 5 attempts within 60 s, backoff from 200 ms doubling
 * to at most 10 s, with jitter.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultPolicy: RetryPolicy = make()

/**
 * One attempt, no retries and no reconciliation: what one request does.
 *
 * @since 0.1.0
 * @category constructors
 */
export const none: RetryPolicy = make({ maxAttempts: 1, reconcile: false })

/**
 * The per-call override; `None` means "use the layer's policy".
 *
 * @since 0.1.0
 * @category references
 */
export const currentPolicy: FiberRef.FiberRef<Option.Option<RetryPolicy>> = internal.currentPolicy

/**
 * Runs `effect` (one or more Callbot calls) with this retry policy instead of
 * the layer's.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withPolicy: {
  (policy: RetryPolicy): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(effect: Effect.Effect<A, E, R>, policy: RetryPolicy): Effect.Effect<A, E, R>
} = internal.withPolicy

/**
 * What one retried call needs to know about the request.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestInfo {
  readonly endpoint: string
  /** Sending it twice has the same effect as once. */
  readonly idempotent: boolean
}

/**
 * Whether a failure is retried under a policy for this request.
 *
 * @since 0.1.0
 * @category classification
 */
export const shouldRetry: (policy: RetryPolicy, info: RequestInfo, error: AttemptError) => boolean =
  internal.shouldRetry

/**
 * The waits of a policy, one at a time: each call sleeps the next delay of
 * the policy's schedule (at least `Retry-After`) and answers `true`, or
 * answers `false` without sleeping when the schedule, the attempts or the
 * deadline are used up. Used between reconciliation rounds.
 *
 * @since 0.1.0
 * @category combinators
 */
export const pauses: (policy: RetryPolicy) => Effect.Effect<(error: AttemptError) => Effect.Effect<boolean>> =
  internalSchedule.pauses

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
export const retry: <A, R>(
  attempt: (n: number) => Effect.Effect<A, AttemptError, R>,
  policy: RetryPolicy,
  info: RequestInfo
) => Effect.Effect<A, AttemptError, R> = internalSchedule.retry
