/**
 * What the receiver counts: each delivery's outcome as the
 * `callbot_callbacks_total` metric names it.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
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

/** Counts one answered delivery of `kind`. @internal */
export const count = (kind: Callback.CallbackKind | "unknown", reply: Callback.Reply): Effect.Effect<void> =>
  Metrics.recordCallback(kind, outcomeTag(reply.outcome))
