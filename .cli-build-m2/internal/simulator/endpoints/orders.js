/**
 * The endpoints that add, stop and list orders: `addBatchCall`, `listOrder`,
 * `stopOrder`, `listOrderDetail`.
 */
import { Fields } from "../fields.js";
import { callMatches, nonEmpty, readCallFilter, readPage } from "../filters.js";
import { deleteOrders, importOrders } from "../orderBook.js";
import { fail, isFinished, MAX_ORDER_DETAIL_IDS, ok } from "../state.js";
import { acceptsOrders, checkCompletion } from "../tasks.js";
import { callListTooLong, checkProduct, lookupTask, readCallInfo, tooMany } from "../validation.js";
import { callInfo, orderEntry } from "../views.js";
/** `addBatchCall`: adds orders to an open task. */
export const addBatchCall = (state, uuid, body, now) => {
    const f = new Fields();
    checkProduct(f, body);
    const task = lookupTask(state, f, uuid, body);
    const info = readCallInfo(f, body);
    if (f.rejection || task === undefined)
        return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "");
    const tooLong = callListTooLong(info.callList, state.options.maxCallListLength);
    if (tooLong)
        return tooLong;
    const closed = acceptsOrders(task);
    if (closed !== undefined)
        return fail(1, closed);
    return ok(importOrders(state, task, info.callList, info, now, undefined, now));
};
/** `listOrder`: the task's orders, filtered on their last call, paged. */
export const listOrder = (state, uuid, body) => {
    const f = new Fields();
    checkProduct(f, body);
    const task = lookupTask(state, f, uuid, body);
    const o = f.object(body, "options");
    const ids = nonEmpty(f.optStrings(o, "orderID", "options.orderID"));
    const finish = f.optInteger(o, "finish", "options.finish");
    if (finish !== undefined)
        f.value(finish === 0 || finish === 1, "options.finish", "must be 1 (finished), 0 (unfinished) or null");
    const filter = readCallFilter(f, o, false);
    const paginate = readPage(f, body, false, state.options.maxPageSize);
    if (f.rejection || task === undefined)
        return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "");
    const matching = task.orders.filter((order) => (ids === undefined || ids.includes(order.orderID)) &&
        (finish === undefined || (finish === 1) === isFinished(order)) &&
        callMatches(order.calls[order.calls.length - 1], filter));
    return ok({
        orderList: paginate(matching).map((order) => {
            const last = order.calls[order.calls.length - 1];
            return orderEntry(order, last === undefined ? null : callInfo(state, last, true));
        })
    });
};
/** `stopOrder`: stops undialled orders (and deletes them with `delCall`). */
export const stopOrder = (state, uuid, body, now) => {
    const f = new Fields();
    checkProduct(f, body);
    const task = lookupTask(state, f, uuid, body);
    const orderIDs = f.optStrings(body, "orderIDs", "orderIDs", true) ?? [];
    const delCall = f.optInteger(body, "delCall");
    if (delCall !== undefined)
        f.value(delCall === 0 || delCall === 1, "delCall", "must be 0 or 1");
    if (f.rejection || task === undefined)
        return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "");
    const { maxStopOrderIDs } = state.options;
    if (orderIDs.length > maxStopOrderIDs)
        return tooMany("orderIDs", orderIDs.length, maxStopOrderIDs);
    const errList = [];
    let success = 0;
    const stopped = [];
    for (const orderID of orderIDs) {
        const orders = task.orders.filter((o) => o.orderID === orderID);
        if (orders.length === 0) {
            errList.push({ orderID, errMsg: "order not found in this task" });
            continue;
        }
        if (orders.some((o) => o.attempts > 0)) {
            errList.push({ orderID, errMsg: "order already dialled; only undialled orders can be stopped" });
            continue;
        }
        for (const order of orders) {
            order.state = "stopped";
            stopped.push(order);
        }
        success++;
    }
    if (delCall === 1)
        deleteOrders(state, task, (o) => stopped.includes(o));
    checkCompletion(state, task, now);
    return ok({ totalCount: orderIDs.length, successCount: success, errList });
};
/** `listOrderDetail`: the named orders with every call (at most 500 IDs). */
export const listOrderDetail = (state, uuid, body) => {
    const f = new Fields();
    checkProduct(f, body);
    const task = lookupTask(state, f, uuid, body);
    const orderList = f.optStrings(body, "orderList", "orderList", true) ?? [];
    if (f.rejection || task === undefined)
        return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "");
    if (orderList.length > MAX_ORDER_DETAIL_IDS)
        return tooMany("orderList", orderList.length, MAX_ORDER_DETAIL_IDS);
    const wanted = new Set(orderList);
    const detail = orderList.flatMap((orderID) => {
        if (!wanted.delete(orderID))
            return [];
        return task.orders.filter((o) => o.orderID === orderID).map((order) => {
            const { callInfoDetail: _, ...entry } = orderEntry(order, null);
            return { ...entry, callInfoDetailList: order.calls.map((call) => callInfo(state, call, true)) };
        });
    });
    return ok({ orderDetailList: detail });
};
