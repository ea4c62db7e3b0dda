/**
 * What the receiver counts: each delivery's outcome as the
 * `callbot_callbacks_total` metric names it.
 *
 * @internal
 */
import type * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as MetricLabel from "effect/MetricLabel"
import type * as Callback from "../../Callback.js"
import * as Metrics from "../metrics/metrics.js"

/** The metric's `outcome` tag of a receiver's outcome. @internal */
export const outcomeTag = (outcome: Callback.Outcome): Metrics.CallbackOutcome => {
  switch (outcome._tag) {
    case "Handled":
      return "handled"
    case "Duplicate":
      return "duplicate"
    case "InFlight":
      return "in_flight"
    case "Unhandled":
      return "unhandled"
    case "HandlerFailed":
      return "handler_failed"
    case "HandlerTimedOut":
      return "timeout"
    case "ReadTimedOut":
      return "read_timeout"
    case "StoreUnavailable":
    case "Overloaded":
      return "unavailable"
    case "Rejected":
      switch (outcome.error._tag) {
        case "CallbackTooLarge":
          return "too_large"
        case "CallbackMalformedBody":
        case "CallbackUnknownType":
        case "CallbackTypeMismatch":
          return "malformed"
        case "CallbackMissingHeader":
        case "CallbackBadSignature":
        case "CallbackOutsideWindow":
          return "rejected"
      }
  }
}

const increments = new Map<string, Effect.Effect<void>>()

/**
 * The increment of `callbot_callbacks_total` for `kind` and `outcome` (the
 * same counter and tags as `Metrics.recordCallback`), built once. Both tags
 * are one label list: Effect finds the counter of a list it has seen without
 * building its key again, where nested `Metric.tagged` made a new list, hence
 * a new key and its hash, on every delivery.
 */
const increment = (kind: string, outcome: Metrics.CallbackOutcome): Effect.Effect<void> => {
  const key = `${kind}\u0000${outcome}`
  const found = increments.get(key)
  if (found !== undefined) return found
  const made = Metric.increment(
    Metric.taggedWithLabels(Metrics.callbacks, [MetricLabel.make("kind", kind), MetricLabel.make("outcome", outcome)])
  )
  increments.set(key, made)
  return made
}

/** Counts one answered delivery of `kind`. @internal */
export const count = (kind: Callback.CallbackKind | "unknown", reply: Callback.Reply): Effect.Effect<void> =>
  increment(kind, outcomeTag(reply.outcome))
