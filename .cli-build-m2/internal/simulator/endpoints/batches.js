/**
 * Batch import and export: `importBatchCall` replaces a task's undialled
 * batch (busy, answering 1001, for `importSeconds`), `exportBatchCall` lists
 * the latest batch with each order's last call.
 */
import { Fields } from "../fields.js";
import { deleteOrders, importOrders, undialled } from "../orderBook.js";
import { fail, ok, seconds } from "../state.js";
import { acceptsOrders } from "../tasks.js";
import { callListTooLong, checkProduct, lookupTask, readCallInfo } from "../validation.js";
/** The 1001 answer while a batch import is in progress. */
const importInProgress = (task, now) => now < task.importingUntilMs ? fail(1001, "a batch import is in progress; import/export not possible") : undefined;
/** `exportBatchCall`: the latest batch's orders with their last call. */
export const exportBatchCall = (state, uuid, body, now) => {
    const f = new Fields();
    checkProduct(f, body);
    const task = lookupTask(state, f, uuid, body);
    if (f.rejection || task === undefined)
        return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "");
    const busy = importInProgress(task, now);
    if (busy)
        return busy;
    const batch = task.batch;
    const orders = batch === undefined ? [] : task.orders.filter((o) => o.batchID === batch.id);
    return ok({
        totalCount: orders.length,
        batchID: batch?.id ?? "",
        callList: orders.map((order) => {
            const last = order.calls[order.calls.length - 1];
            return {
                orderID: order.orderID,
                userPhone: order.userPhone,
                other: order.other,
                callID: last?.callID ?? "",
                callStatus: last?.status ?? 0,
                callStartTs: last === undefined ? 0 : seconds(last.startMs),
                intents: last?.intents ?? []
            };
        })
    });
};
/** `importBatchCall`: replaces the undialled orders of the previous batch with a new batch. */
export const importBatchCall = (state, uuid, body, now) => {
    const f = new Fields();
    checkProduct(f, body);
    const task = lookupTask(state, f, uuid, body);
    const info = readCallInfo(f, body);
    if (f.rejection || task === undefined)
        return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "");
    const busy = importInProgress(task, now);
    if (busy)
        return busy;
    const tooLong = callListTooLong(info.callList, state.options.maxCallListLength);
    if (tooLong)
        return tooLong;
    const closed = acceptsOrders(task);
    if (closed !== undefined)
        return fail(1, closed);
    const previous = task.batch;
    const n = (previous?.n ?? 0) + 1;
    const batchID = `${task.taskID}-B${n}`;
    if (previous !== undefined)
        deleteOrders(state, task, (o) => o.batchID === previous.id && undialled(o));
    task.batch = { id: batchID, n };
    task.importingUntilMs = now + state.options.importMillis;
    const result = importOrders(state, task, info.callList, info, now, batchID, now + state.options.importMillis);
    return ok({ batchID, ...result });
};
