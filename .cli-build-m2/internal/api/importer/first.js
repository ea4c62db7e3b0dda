/**
 * The first request of an import (`createAndCall` creates the task,
 * `importBatchCall` starts the batch): it must succeed before any other is
 * sent; an ambiguous failure is reconciled, a 4001 halves it when allowed.
 */
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import { sendReconciled } from "../reconcile.js";
import { answered, isTooMany, merge, partition, splitAt } from "./accounting.js";
import { halve } from "./rest.js";
// Sends the first request once; an ambiguous failure is reconciled:
// if it took effect, the orders it did not carry over go with `rest`;
// if it did not, it is sent again within the retry policy's budget.
const sendFirstOnce = (ctx, first, orders) => {
    const send = Effect.map(Effect.zipRight(ctx.inspect(orders), first.send(orders)), (result) => ({ result, sent: orders, leftover: [], reconciled: false }));
    const settle = ctx.reconcile?.first;
    if (ctx.reconcile === undefined || settle === undefined)
        return send;
    return sendReconciled(ctx.reconcile.policy, send, () => Effect.map(settle(orders), Option.map((found) => {
        const { found: present, missing } = partition(orders, found.present);
        return { result: found.result, sent: present, leftover: missing, reconciled: true };
    })));
};
/**
 * Sends the first request, halving on 4001 (when allowed); the orders
 * halved away are returned to go with `rest`.
 */
export const sendFirst = (ctx, first, orders) => sendFirstOnce(ctx, first, orders).pipe(Effect.catchIf((error) => first.overflow === "continue" && isTooMany(error) && orders.length > 1, () => Effect.flatMap(halve(ctx, orders.length), (size) => {
    const [now, later] = splitAt(orders, size);
    return Effect.map(sendFirst(ctx, first, now), (r) => ({ ...r, leftover: [...r.leftover, ...later] }));
})));
/** The first request's answer merged before the rest's. */
export const withFirst = (endpoint, firstSent, rest) => Effect.map(answered(endpoint, firstSent.sent, firstSent.result), (firstMerged) => merge(firstSent.reconciled ? { ...firstMerged, requests: 0 } : firstMerged, rest));
