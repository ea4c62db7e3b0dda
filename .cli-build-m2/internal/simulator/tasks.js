import { fail, isFinished, key, seconds, Status } from "./state.js";
import { emitTask } from "./views.js";
/** Moves a task to `status` (recorded in its history, with a task callback); a no-op when it is there. */
export const setStatus = (state, task, status, at) => {
    if (task.status === status)
        return;
    task.status = status;
    task.history.push({ status, at });
    if (status !== Status.Pending)
        task.startAtMs = undefined;
    emitTask(state, task);
};
/** Calls per order: 2 with `roundRedial`, else 1. */
export const maxAttempts = (task) => (task.flags.roundRedial ? 2 : 1);
/** Completes a running task whose orders are all finished (unless `taskKeep`). */
export const checkCompletion = (state, task, at) => {
    if (task.status === Status.InProgress && !task.flags.taskKeep && task.orders.length > 0 && task.active === 0 &&
        task.orders.every(isFinished)) {
        setStatus(state, task, Status.Completed, at);
    }
};
/** Puts a task's pending `updateTask` in force. */
export const applyUpdate = (state, task, at) => {
    const update = task.pendingUpdate;
    if (update === undefined)
        return;
    task.pendingUpdate = undefined;
    task.setting = update.setting;
    task.flags = update.flags;
    task.rawSetting = update.rawSetting;
    task.rawFuncFlag = update.rawFuncFlag;
    if (update.taskCallbackUrl !== undefined)
        task.taskCallbackUrl = update.taskCallbackUrl;
    if (task.status === Status.Pending)
        scheduleStart(state, task, at);
};
/** Starts a pending task per its startup type, now or at `startupAt`. */
const scheduleStart = (state, task, at) => {
    const type = task.setting.startupType;
    if (type === 3) {
        setStatus(state, task, Status.InProgress, at);
    }
    else if (type === 2) {
        const startAt = task.setting.startupAt * 1000;
        if (startAt <= at)
            setStatus(state, task, Status.InProgress, at);
        else
            task.startAtMs = startAt;
    }
    else {
        task.startAtMs = undefined;
    }
};
/** The answer to a re-sent `userTaskID` when duplicates are rejected, if it is one. */
export const duplicateTask = (state, uuid, userTaskID) => state.taskIndex.has(key(uuid, userTaskID)) && state.options.duplicateOrderIDs === "reject"
    ? fail(4, `invalid value: userTaskID ${JSON.stringify(userTaskID)} already exists`)
    : undefined;
/** Creates and indexes a pending task. */
export const newTask = (state, input) => {
    const seq = ++state.taskSeq;
    const task = {
        seq,
        uuid: input.uuid,
        userTaskID: input.userTaskID,
        taskID: `T${seconds(input.now)}${String(seq).padStart(6, "0")}`,
        sceneID: input.sceneID,
        status: Status.Pending,
        createdMs: input.now,
        createdBy: input.createdBy,
        taskCallbackUrl: input.taskCallbackUrl,
        orderCallbackUrl: input.orderCallbackUrl,
        callCallbackUrl: input.callCallbackUrl,
        rawSetting: input.rawSetting,
        rawFuncFlag: input.rawFuncFlag,
        setting: input.setting,
        flags: input.flags,
        orders: [],
        active: 0,
        startAtMs: undefined,
        pendingUpdate: undefined,
        batch: undefined,
        importingUntilMs: Number.NEGATIVE_INFINITY,
        history: [{ status: Status.Pending, at: input.now }]
    };
    state.tasks.push(task);
    state.taskIndex.set(key(input.uuid, input.userTaskID), task);
    state.taskCreations.set(input.userTaskID, (state.taskCreations.get(input.userTaskID) ?? 0) + 1);
    return task;
};
/** Starts a new task per its startup type, without a status callback (the creation callback follows). */
export const initialStatus = (task, now) => {
    const type = task.setting.startupType;
    if (type === 3 || (type === 2 && task.setting.startupAt * 1000 <= now)) {
        task.status = Status.InProgress;
        task.history.push({ status: Status.InProgress, at: now });
    }
    else if (type === 2) {
        task.startAtMs = task.setting.startupAt * 1000;
    }
};
/** Why a task takes no more orders (completed or ended), if it does not. */
export const acceptsOrders = (task) => task.status === Status.Completed || task.status === Status.Ended
    ? `task ${task.userTaskID} is ${task.status === Status.Completed ? "completed" : "ended"}; it takes no more orders`
    : undefined;
