/**
 * The calls split into several requests by a documented limit on the
 * list they carry (`listOrderDetail`, `stopOrder`), sent with bounded
 * concurrency and merged in input order.
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import * as Endpoints from "../../Endpoints.js";
import { validate } from "../client/validation.js";
import { importOptions, pieces } from "./context.js";
import { maybeImported } from "./importer/accounting.js";
const ListOrderDetailAnyLength = Schema.Struct({
    ...Endpoints.ListOrderDetailRequest.fields,
    orderList: Endpoints.OrderIDs
});
const concurrencyOf = (ctx, endpoint, perCall) => Effect.map(importOptions(ctx, endpoint, { concurrency: perCall?.concurrency }), (o) => o.concurrency);
export const listOrderDetail = (ctx) => Effect.fn("CallbotApi.listOrderDetail")(function* (input, perCall) {
    const endpoint = Endpoints.listOrderDetail.name;
    const concurrency = yield* concurrencyOf(ctx, endpoint, perCall);
    const valid = yield* validate(endpoint, ListOrderDetailAnyLength, input);
    const parts = pieces(valid.orderList, Endpoints.LIST_ORDER_DETAIL_MAX);
    yield* Effect.annotateCurrentSpan({ "callbot.orders": valid.orderList.length, "callbot.requests": parts.length });
    const answers = yield* Effect.forEach(parts, (orderList) => ctx.client.execute(Endpoints.listOrderDetail, { ...valid, orderList }), { concurrency });
    const [first] = answers;
    return {
        retCode: 0,
        retMsg: first?.retMsg ?? "",
        responseID: first?.responseID ?? "",
        orderDetailList: answers.flatMap((answer) => answer.orderDetailList)
    };
});
const stopOnce = (ctx, valid, orderIDs) => Effect.either(ctx.client.execute(Endpoints.stopOrder, { ...valid, orderIDs }));
/** The answers of a split `stopOrder` merged: counters summed, failed requests' orders listed. */
const mergeStops = (valid, parts, answers) => {
    const endpoint = Endpoints.stopOrder.name;
    const succeeded = answers.flatMap((answer) => (answer._tag === "Right" ? [answer.right] : []));
    const failures = [];
    const errList = [];
    answers.forEach((answer, i) => {
        if (answer._tag === "Right") {
            errList.push(...answer.right.errList);
            return;
        }
        const part = parts[i] ?? [];
        const maybe = maybeImported(answer.left);
        failures.push({ endpoint, error: answer.left, orders: part.length, maybeImported: maybe });
        const reason = `stopOrder request failed: ${answer.left._tag}: ${answer.left.message}` +
            (maybe ? " (the platform may have stopped it: check with listOrder)" : "");
        for (const orderID of part)
            errList.push({ orderID, errMsg: reason });
    });
    const [first] = succeeded;
    return {
        retCode: 0,
        retMsg: first?.retMsg ?? "",
        responseID: first?.responseID ?? "",
        totalCount: valid.orderIDs.length,
        successCount: succeeded.reduce((n, answer) => n + answer.successCount, 0),
        errList,
        failures
    };
};
export const stopOrder = (ctx) => Effect.fn("CallbotApi.stopOrder")(function* (input, perCall) {
    const endpoint = Endpoints.stopOrder.name;
    const concurrency = yield* concurrencyOf(ctx, endpoint, perCall);
    const valid = yield* validate(endpoint, Endpoints.stopOrder.request, input);
    const parts = pieces(valid.orderIDs, Endpoints.STOP_ORDER_MAX);
    yield* Effect.annotateCurrentSpan({
        "callbot.userTaskID": valid.userTaskID,
        "callbot.orders": valid.orderIDs.length,
        "callbot.requests": parts.length
    });
    const answers = yield* Effect.forEach(parts, (orderIDs) => stopOnce(ctx, valid, orderIDs), { concurrency });
    const firstFailure = answers.find((answer) => answer._tag === "Left");
    // Nothing was stopped: the error itself is the answer.
    if (answers.every((answer) => answer._tag === "Left") && firstFailure?._tag === "Left") {
        return yield* Effect.fail(firstFailure.left);
    }
    return mergeStops(valid, parts, answers);
});
