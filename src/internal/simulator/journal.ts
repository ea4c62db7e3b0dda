/**
 * What the engine remembers besides the platform: the requests it received,
 * the scripted answers waiting, the callback attempts and the fault
 * injector, each history capped at `historyLimit` (oldest dropped first).
 */
import * as Effect from "effect/Effect"
import * as SubscriptionRef from "effect/SubscriptionRef"
import * as Faults from "./faults.js"
import type { CallbackDelivery, ReceivedRequest, ScriptedAnswer } from "./types.js"

/** A scripted answer and the endpoint it waits for (`undefined`: any). */
export interface Script {
  readonly endpoint: string | undefined
  readonly answer: ScriptedAnswer
}

/** The engine's mutable record of what happened. */
export interface Journal {
  readonly historyLimit: number
  received: Array<ReceivedRequest>
  requestIndex: number
  script: Array<Script>
  deliveries: Array<CallbackDelivery>
  faults: Faults.Faults
  /** The number of finished callback attempts, for `awaitCallbacks`. */
  readonly deliveryCount: SubscriptionRef.SubscriptionRef<number>
}

/** An empty journal. */
export const make = (historyLimit: number, faults: Faults.FaultOptions | undefined): Effect.Effect<Journal> =>
  Effect.map(SubscriptionRef.make(0), (deliveryCount) => ({
    historyLimit,
    received: [],
    requestIndex: 0,
    script: [],
    deliveries: [],
    faults: Faults.make(faults),
    deliveryCount
  }))

const keepLast = <A>(items: Array<A>, limit: number) => {
  if (items.length > limit) items.splice(0, items.length - limit)
}

/** Records a received request. */
export const addRequest = (journal: Journal, request: ReceivedRequest): void => {
  journal.received.push(request)
  keepLast(journal.received, journal.historyLimit)
}

/** Records a finished callback attempt. */
export const addDelivery = (journal: Journal, delivery: CallbackDelivery): Effect.Effect<void> => {
  journal.deliveries.push(delivery)
  keepLast(journal.deliveries, journal.historyLimit)
  return SubscriptionRef.update(journal.deliveryCount, (n) => n + 1)
}

/** Takes the first scripted answer for `endpoint`, if any. */
export const takeScript = (journal: Journal, endpoint: string): ScriptedAnswer | undefined => {
  const index = journal.script.findIndex((s) => s.endpoint === undefined || s.endpoint === endpoint)
  if (index < 0) return undefined
  const [entry] = journal.script.splice(index, 1)
  return entry?.answer
}

/** Forgets every request, script and delivery, and restarts fault mode with `faults` (the count is reset apart). */
export const clear = (journal: Journal, faults: Faults.FaultOptions | undefined): void => {
  journal.received = []
  journal.requestIndex = 0
  journal.script = []
  journal.deliveries = []
  journal.faults = Faults.make(faults)
}
