/**
 * Reconciliation: after an ambiguous failure (the platform may have acted),
 * things are looked up by their idempotency keys (`userTaskID`, `orderID`)
 * instead of being re-sent blindly.
 */
import * as Effect from "effect/Effect";
import * as Either from "effect/Either";
import * as Option from "effect/Option";
import * as Endpoints from "../../Endpoints.js";
import * as RetryPolicy from "../../RetryPolicy.js";
import * as Retry from "../retry/schedule.js";
import { pieces } from "./context.js";
/** The task with this `userTaskID`, if the platform has it. */
export const findTask = (client, productID, userTaskID) => client.execute(Endpoints.listTask, { productID, page: 1, size: 10, queryConditions: { userTaskID: [userTaskID] } })
    .pipe(Effect.map((answer) => Option.fromNullable(answer.taskData.find((t) => t.userTaskID === userTaskID))));
/** The orderIDs among `orders` that the platform has. */
export const presentOrders = (client, productID, userTaskID) => (orders) => Effect.forEach(pieces(orders.map((o) => o.orderID), Endpoints.LIST_ORDER_DETAIL_MAX), (orderList) => client.execute(Endpoints.listOrderDetail, { productID, userTaskID, orderList }), { concurrency: 1 }).pipe(Effect.map((answers) => new Set(answers.flatMap((answer) => answer.orderDetailList.map((detail) => detail.orderID)))), Effect.withSpan("CallbotApi.reconcile.listOrderDetail", {
    captureStackTrace: false,
    attributes: { "callbot.orders": orders.length }
}));
/** The reconciliation of an import, when the policy in force asks for it. */
export const reconcilerFor = (client, productID, userTaskID, first) => Effect.map(client.retryPolicy, (policy) => policy.reconcile ? { present: presentOrders(client, productID, userTaskID), first, policy } : undefined);
/**
 * Sends a create with `send`. After an ambiguous failure, and after every
 * failure that follows one, `lookup` asks whether the platform acted: `Some`
 * settles the call with that stand-in answer, `None` sends again after the
 * policy's next wait. A failed lookup, a first failure that is not
 * ambiguous, or waits used up: the send's error.
 */
export const sendReconciled = (policy, send, lookup) => Effect.suspend(() => {
    let ambiguous = false;
    const round = send.pipe(Effect.map(Either.right), Effect.catchAll((error) => {
        if (!(ambiguous || RetryPolicy.classify(error) === "ambiguous"))
            return Effect.succeed(Either.left(error));
        ambiguous = true;
        return lookup(error).pipe(Effect.matchEffect({
            onFailure: () => Effect.succeed(Either.left(error)),
            onSuccess: Option.match({
                onNone: () => Effect.fail(error),
                onSome: (answer) => Effect.succeed(Either.right(answer))
            })
        }));
    }));
    return Retry.rounds(policy, round, Effect.fail);
});
