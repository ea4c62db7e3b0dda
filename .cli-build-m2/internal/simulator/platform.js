/**
 * The simulated platform's state and rules, as plain synchronous code over
 * virtual time (milliseconds). The engine (`./engine.ts`) calls
 * {@link Platform.advance} with the `Clock` time before and after every
 * request and from its timer fiber; the platform processes every due event in
 * time order, using each event's own time for timestamps, so its results do
 * not depend on when the engine gets to run.
 *
 * This module wires the parts into the table of endpoint handlers:
 * `state.ts` (the records), `tasks.ts` (the status machine), `dialer.ts`
 * (dial windows, calls, the event loop), `orderBook.ts`, `validation.ts` and
 * `filters.ts` (the bodies), `views.ts` (what is shown), and `endpoints/`.
 */
import * as Campaign from "./campaign.js";
import { advance, nextDue } from "./dialer.js";
import { exportBatchCall, importBatchCall } from "./endpoints/batches.js";
import { listCall } from "./endpoints/calls.js";
import { addBatchCall, listOrder, listOrderDetail, stopOrder } from "./endpoints/orders.js";
import { ping } from "./endpoints/ping.js";
import { createAndCall, createTask, listTask, mgrTaskStatus, updateTask } from "./endpoints/tasks.js";
import * as PlatformState from "./state.js";
import { snapshotOrder, snapshotTask, taskCallback } from "./views.js";
/** The endpoint handlers over one state, by vendor name. */
const endpointsOf = (state) => {
    const on = (handler) => (uuid, body, nowMs) => handler(state, uuid, body, nowMs);
    return {
        ping,
        createTask: on(createTask),
        addBatchCall: on(addBatchCall),
        createAndCall: on(createAndCall),
        mgrTaskStatus: on(mgrTaskStatus),
        updateTask: on(updateTask),
        listTask: on(listTask),
        listCall: on(listCall),
        listOrder: on(listOrder),
        stopOrder: on(stopOrder),
        listOrderDetail: on(listOrderDetail),
        exportBatchCall: on(exportBatchCall),
        importBatchCall: on(importBatchCall)
    };
};
/** Builds an empty platform. */
export const make = (options) => {
    const state = PlatformState.make(options, Campaign.resolve(options.campaign));
    return {
        endpoints: endpointsOf(state),
        advance: (nowMs) => advance(state, nowMs),
        nextDue: () => nextDue(state),
        drainOutbox: () => {
            const out = state.outbox;
            state.outbox = [];
            return out;
        },
        taskCallbackNow: (uuid, userTaskID) => {
            const task = uuid === undefined
                ? [...state.tasks].reverse().find((t) => t.userTaskID === userTaskID)
                : state.taskIndex.get(PlatformState.key(uuid, userTaskID));
            return task === undefined ? undefined : taskCallback(task);
        },
        tasks: () => state.tasks.map(snapshotTask),
        orders: () => state.tasks.flatMap((task) => task.orders.map((order) => snapshotOrder(state, order))),
        creations: () => ({ orders: new Map(state.orderCreations), tasks: new Map(state.taskCreations) }),
        reset: () => PlatformState.clear(state)
    };
};
