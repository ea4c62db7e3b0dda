/** The documented cap of `listOrderDetail.orderList`. */
export const MAX_ORDER_DETAIL_IDS = 500;
/** Milliseconds to Unix seconds. */
export const seconds = (ms) => Math.floor(ms / 1000);
/** Rounds to two decimals (the vendor's rates). */
export const round2 = (x) => Math.round(x * 100) / 100;
/** Finished or stopped. */
export const isFinished = (order) => order.state === "finished" || order.state === "stopped";
/** A successful reply with the endpoint's fields. */
export const ok = (fields = {}) => ({ retCode: 0, retMsg: "success", fields });
/** An error reply. */
export const fail = (retCode, retMsg) => ({ retCode, retMsg });
/** Task statuses. */
export const Status = { Pending: 1, InProgress: 2, Completed: 3, Ended: 4, Paused: 5 };
/** An empty platform state. */
export const make = (options, campaign) => ({
    options,
    campaign,
    tasks: [],
    taskIndex: new Map(),
    orderIndex: new Map(),
    active: [],
    outbox: [],
    orderCreations: new Map(),
    taskCreations: new Map(),
    simTime: Number.NEGATIVE_INFINITY,
    taskSeq: 0,
    orderSeq: 0,
    callSeq: 0
});
/** Drops every task, order, call and pending callback (the clock and the ID counters go on). */
export const clear = (state) => {
    state.tasks = [];
    state.taskIndex = new Map();
    state.orderIndex = new Map();
    state.active = [];
    state.outbox = [];
    state.orderCreations = new Map();
    state.taskCreations = new Map();
};
/** The index key of an ID within an account. */
export const key = (uuid, id) => `${uuid}\u0000${id}`;
