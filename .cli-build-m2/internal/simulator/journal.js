/**
 * What the engine remembers besides the platform: the requests it received,
 * the scripted answers waiting, the callback attempts and the fault
 * injector, each history capped at `historyLimit` (oldest dropped first).
 */
import * as Effect from "effect/Effect";
import * as SubscriptionRef from "effect/SubscriptionRef";
import * as Faults from "./faults.js";
/** An empty journal. */
export const make = (historyLimit, faults) => Effect.map(SubscriptionRef.make(0), (deliveryCount) => ({
    historyLimit,
    received: [],
    requestIndex: 0,
    script: [],
    deliveries: [],
    faults: Faults.make(faults),
    deliveryCount
}));
const keepLast = (items, limit) => {
    if (items.length > limit)
        items.splice(0, items.length - limit);
};
/** Records a received request. */
export const addRequest = (journal, request) => {
    journal.received.push(request);
    keepLast(journal.received, journal.historyLimit);
};
/** Records a finished callback attempt. */
export const addDelivery = (journal, delivery) => {
    journal.deliveries.push(delivery);
    keepLast(journal.deliveries, journal.historyLimit);
    return SubscriptionRef.update(journal.deliveryCount, (n) => n + 1);
};
/** Takes the first scripted answer for `endpoint`, if any. */
export const takeScript = (journal, endpoint) => {
    const index = journal.script.findIndex((s) => s.endpoint === undefined || s.endpoint === endpoint);
    if (index < 0)
        return undefined;
    const [entry] = journal.script.splice(index, 1);
    return entry?.answer;
};
/** Forgets every request, script and delivery, and restarts fault mode with `faults` (the count is reset apart). */
export const clear = (journal, faults) => {
    journal.received = [];
    journal.requestIndex = 0;
    journal.script = [];
    journal.deliveries = [];
    journal.faults = Faults.make(faults);
};
