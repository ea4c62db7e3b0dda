/**
 * Which handler runs a callback: the one handler, or the one for its kind
 * (looked up by the kind's key in the handler record), or `fallback`.
 *
 * @internal
 */
import type * as Effect from "effect/Effect"
import type * as Callback from "../../Callback.js"
import { type Callback as AnyCallback, type CallbackOf, kindOf } from "./kinds.js"
import { type CallbackKind, UnknownCallback } from "./models.js"

/** What `Callback.receiver` accepts. @internal */
export type AnyHandlers = Callback.Handler<AnyCallback, unknown, unknown> | Callback.Handlers<unknown, unknown>

/** A handler bound to its callback. @internal */
export type Run = (delivery: Callback.Delivery) => Effect.Effect<unknown, unknown, unknown>

type KindHandlers = {
  readonly [K in CallbackKind]?: Callback.Handler<CallbackOf<K>, unknown, unknown> | undefined
}

const bind = <K extends CallbackKind>(handlers: KindHandlers, kind: K, callback: CallbackOf<K>): Run | undefined => {
  const handler = handlers[kind]
  return handler === undefined ? undefined : (delivery) => handler(callback, delivery)
}

/**
 * The handler that runs `callback`, bound to it; `undefined` when none does
 * (the receiver then acknowledges and logs).
 *
 * @internal
 */
export const pickHandler = (handlers: AnyHandlers, callback: AnyCallback | UnknownCallback): Run | undefined => {
  if (typeof handlers === "function") {
    return callback instanceof UnknownCallback ? undefined : (delivery) => handlers(callback, delivery)
  }
  const run = callback._tag === "UnknownCallback" ? undefined : bind(handlers, kindOf(callback), callback)
  if (run !== undefined) return run
  const fallback = handlers.fallback
  return fallback === undefined ? undefined : (delivery) => fallback(callback, delivery)
}

/** Does the receiver take callbacks of an unknown `callbackType`? @internal */
export const hasFallback = (handlers: AnyHandlers): boolean =>
  typeof handlers !== "function" && handlers.fallback !== undefined
