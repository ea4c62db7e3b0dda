/**
 * A task's orders: importing a `callList` (each entry validated on its own,
 * rejected ones reported in `errList`), deleting orders, and which orders
 * count as undialled.
 */
import { Fields, isRecord, phonePattern } from "./fields.js";
import { key } from "./state.js";
/** Adds the valid entries of a `callList` to a task as orders; the rest are answered in `errList`. */
export const importOrders = (state, task, callList, urls, now, batchID, readyAtMs) => {
    const errList = [];
    let success = 0;
    for (const entry of callList) {
        if (!isRecord(entry)) {
            errList.push({ phone: "", errMsg: "callList entry must be an object" });
            continue;
        }
        const o = new Fields();
        const orderID = o.string(entry, "orderID");
        const userPhone = o.string(entry, "userPhone");
        const other = o.string(entry, "other");
        const userName = o.string(entry, "userName");
        const customerName = o.string(entry, "customerName");
        const params = o.array(entry, "params");
        params.forEach((param, i) => {
            if (!isRecord(param)) {
                o.reject(3, `params[${i}] must be an object`);
                return;
            }
            for (const k of ["name", "value"]) {
                const v = param[k];
                if (v !== undefined && v !== null && typeof v !== "string")
                    o.reject(3, `params[${i}].${k} must be a string`);
            }
        });
        o.notBlank(orderID, "orderID");
        const phone = typeof entry.userPhone === "string" ? entry.userPhone : "";
        if (o.rejection !== undefined) {
            errList.push({ phone, errMsg: o.rejection.retMsg });
            continue;
        }
        if (!phonePattern.test(userPhone)) {
            errList.push({ phone, errMsg: "invalid value: userPhone: digits only with the country code (7-15 digits)" });
            continue;
        }
        const k = key(task.uuid, orderID);
        const existing = state.orderIndex.get(k) ?? [];
        if (existing.length > 0 && state.options.duplicateOrderIDs === "reject") {
            errList.push({ phone, errMsg: `invalid value: orderID ${JSON.stringify(orderID)} already exists` });
            continue;
        }
        const duplicate = (state.orderCreations.get(orderID) ?? 0) + 1;
        state.orderCreations.set(orderID, duplicate);
        const order = {
            seq: ++state.orderSeq,
            orderID,
            duplicate,
            task,
            userPhone,
            userName,
            customerName,
            other,
            params,
            orderCallbackUrl: urls.orderCallbackUrl,
            callCallbackUrl: urls.callCallbackUrl,
            batchID,
            sms: { enable: task.flags.smsEnable, rules: task.flags.smsRules },
            createdMs: now,
            state: "pending",
            readyAtMs,
            attempts: 0,
            answered: false,
            calls: []
        };
        task.orders.push(order);
        state.orderIndex.set(k, [...existing, order]);
        success++;
    }
    return { totalCount: callList.length, successCount: success, errList };
};
/** Removes orders from a task and from the index. */
export const deleteOrders = (state, task, which) => {
    const removed = task.orders.filter(which);
    if (removed.length === 0)
        return;
    task.orders = task.orders.filter((o) => !which(o));
    for (const order of removed) {
        const k = key(task.uuid, order.orderID);
        const left = (state.orderIndex.get(k) ?? []).filter((o) => o !== order);
        if (left.length === 0)
            state.orderIndex.delete(k);
        else
            state.orderIndex.set(k, left);
    }
};
/** An order that was never dialled (pending or stopped). */
export const undialled = (order) => order.attempts === 0 && (order.state === "pending" || order.state === "stopped");
