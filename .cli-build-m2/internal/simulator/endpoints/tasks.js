/**
 * The endpoints that create, steer and list tasks: `createAndCall`,
 * `createTask`, `mgrTaskStatus`, `updateTask`, `listTask`.
 */
import * as Models from "../../../Models.js";
import { Fields, isHttpUrl } from "../fields.js";
import { nonEmpty, readPage } from "../filters.js";
import { deleteOrders, importOrders, undialled } from "../orderBook.js";
import { fail, ok, seconds, Status } from "../state.js";
import { applyUpdate, checkCompletion, duplicateTask, initialStatus, newTask, setStatus } from "../tasks.js";
import { callListTooLong, checkProduct, lookupTask, readCallInfo, readFlags, readSetting, readTaskIDs, readUrl } from "../validation.js";
import { emitTask, taskEntry } from "../views.js";
/** `createAndCall`: creates a task with its orders. */
export const createAndCall = (state, uuid, body, now) => {
    const f = new Fields();
    checkProduct(f, body);
    const { userTaskID, sceneID } = readTaskIDs(f, body);
    const rawSetting = f.object(body, "taskCreateSetting");
    const rawFuncFlag = f.object(body, "funcFlag");
    const setting = readSetting(f, rawSetting, "createAndCall", undefined, state.options.defaultMaxCall);
    const taskCallbackUrl = readUrl(f, rawSetting, "taskCallbackUrl", "taskCreateSetting.taskCallbackUrl", true);
    const flags = readFlags(f, rawFuncFlag, "createAndCall", undefined);
    const info = readCallInfo(f, body);
    if (f.rejection)
        return fail(f.rejection.retCode, f.rejection.retMsg);
    const tooLong = callListTooLong(info.callList, state.options.maxCallListLength);
    if (tooLong)
        return tooLong;
    const duplicate = duplicateTask(state, uuid, userTaskID);
    if (duplicate)
        return duplicate;
    const task = newTask(state, {
        uuid,
        userTaskID,
        sceneID,
        createdBy: "createAndCall",
        taskCallbackUrl,
        orderCallbackUrl: info.orderCallbackUrl,
        callCallbackUrl: info.callCallbackUrl,
        setting,
        flags,
        rawSetting,
        rawFuncFlag,
        now
    });
    initialStatus(task, now);
    const result = importOrders(state, task, info.callList, info, now, undefined, now);
    emitTask(state, task);
    return ok({ taskID: task.taskID, ...result });
};
/** `createTask`: creates a task without orders. */
export const createTask = (state, uuid, body, now) => {
    const f = new Fields();
    checkProduct(f, body);
    const { userTaskID, sceneID } = readTaskIDs(f, body);
    f.optString(body, "account");
    f.optString(body, "other");
    const rawSetting = f.object(body, "taskCreateSetting");
    const rawFuncFlag = f.optObject(body, "funcFlag") ?? {};
    const setting = readSetting(f, rawSetting, "createTask", undefined, state.options.defaultMaxCall);
    const flags = readFlags(f, rawFuncFlag, "createTask", undefined);
    // createTask takes the callback URLs at the top level (and taskCallbackUrl possibly in the settings).
    const taskCallbackUrl = f.has(body, "taskCallbackUrl")
        ? readUrl(f, body, "taskCallbackUrl", "taskCallbackUrl", false)
        : readUrl(f, rawSetting, "taskCallbackUrl", "taskCreateSetting.taskCallbackUrl", false);
    const orderCallbackUrl = readUrl(f, body, "orderCallbackUrl", "orderCallbackUrl", false);
    if (f.rejection)
        return fail(f.rejection.retCode, f.rejection.retMsg);
    const duplicate = duplicateTask(state, uuid, userTaskID);
    if (duplicate)
        return duplicate;
    const task = newTask(state, {
        uuid,
        userTaskID,
        sceneID,
        createdBy: "createTask",
        taskCallbackUrl,
        orderCallbackUrl,
        callCallbackUrl: "",
        setting,
        flags,
        rawSetting,
        rawFuncFlag,
        now
    });
    initialStatus(task, now);
    emitTask(state, task);
    return ok({ taskID: task.taskID });
};
/** `mgrTaskStatus`: starts, pauses or finishes a task. */
export const mgrTaskStatus = (state, uuid, body, now) => {
    const f = new Fields();
    checkProduct(f, body);
    const task = lookupTask(state, f, uuid, body);
    const operate = f.integer(body, "taskOperate");
    const delCall = f.optInteger(body, "delCall");
    f.value([1, 2, 3].includes(operate), "taskOperate", "must be 1 (start), 2 (pause) or 3 (finish)");
    if (delCall !== undefined)
        f.value(delCall === 0 || delCall === 1, "delCall", "must be 0 or 1");
    if (f.rejection || task === undefined)
        return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "");
    const from = task.status;
    const refuse = (what) => fail(1, `cannot ${what} task ${task.userTaskID}: it is ${Models.taskStatusName(from)}`);
    switch (operate) {
        case 1:
            if (from === Status.Completed || from === Status.Ended)
                return refuse("start");
            setStatus(state, task, Status.InProgress, now);
            break;
        case 2:
            if (from === Status.Pending || from === Status.Completed || from === Status.Ended)
                return refuse("pause");
            setStatus(state, task, Status.Paused, now);
            break;
        default:
            if (from === Status.Completed)
                return refuse("finish");
            setStatus(state, task, Status.Ended, now);
    }
    if (delCall === 1)
        deleteOrders(state, task, undialled);
    checkCompletion(state, task, now);
    return ok({ taskID: task.taskID, taskStatus: task.status });
};
/** `updateTask`: new settings for a pending or paused task, in force after the update delay. */
export const updateTask = (state, uuid, body, now) => {
    const f = new Fields();
    checkProduct(f, body);
    const task = lookupTask(state, f, uuid, body);
    f.optString(body, "sceneID");
    const rawSetting = f.optObject(body, "taskCreateSetting");
    const rawFuncFlag = f.optObject(body, "funcFlag");
    if (f.rejection || task === undefined)
        return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "");
    const current = task.pendingUpdate ?? task;
    const setting = rawSetting === undefined
        ? current.setting
        : readSetting(f, rawSetting, "update", current.setting, state.options.defaultMaxCall);
    const flags = rawFuncFlag === undefined ? current.flags : readFlags(f, rawFuncFlag, "update", current.flags);
    const taskCallbackUrl = rawSetting === undefined
        ? undefined
        : f.optString(rawSetting, "taskCallbackUrl", "taskCreateSetting.taskCallbackUrl");
    if (taskCallbackUrl !== undefined && taskCallbackUrl.trim() !== "") {
        f.value(isHttpUrl(taskCallbackUrl), "taskCreateSetting.taskCallbackUrl", "must be an absolute http(s) URL");
    }
    const problem = f.problem();
    if (problem)
        return fail(problem.retCode, problem.retMsg);
    if (task.status !== Status.Pending && task.status !== Status.Paused) {
        return fail(1, `cannot update task ${task.userTaskID}: it is ${Models.taskStatusName(task.status)}; only pending or paused tasks can be updated`);
    }
    task.pendingUpdate = {
        applyAtMs: now + state.options.updateDelayMillis,
        taskCallbackUrl: taskCallbackUrl ?? task.pendingUpdate?.taskCallbackUrl,
        setting,
        flags,
        rawSetting: { ...current.rawSetting, ...rawSetting },
        rawFuncFlag: { ...current.rawFuncFlag, ...rawFuncFlag }
    };
    if (state.options.updateDelayMillis <= 0)
        applyUpdate(state, task, now);
    return ok();
};
/** `listTask`: the account's tasks, filtered and paged. */
export const listTask = (state, uuid, body) => {
    const f = new Fields();
    checkProduct(f, body);
    const paginate = readPage(f, body, true, state.options.maxPageSize);
    const q = f.object(body, "queryConditions");
    const statuses = nonEmpty(f.optIntegers(q, "taskStatus", "queryConditions.taskStatus"));
    const names = nonEmpty(f.optStrings(q, "taskName", "queryConditions.taskName"));
    const sceneID = f.optString(q, "sceneID", "queryConditions.sceneID");
    const ids = nonEmpty(f.optStrings(q, "userTaskID", "queryConditions.userTaskID"));
    const startTs = f.optInteger(q, "startTs", "queryConditions.startTs");
    const endTs = f.optInteger(q, "endTs", "queryConditions.endTs");
    if (f.rejection)
        return fail(f.rejection.retCode, f.rejection.retMsg);
    const matching = state.tasks.filter((task) => {
        const createTs = seconds(task.createdMs);
        return task.uuid === uuid &&
            (statuses === undefined || statuses.includes(task.status)) &&
            (names === undefined || names.some((n) => task.setting.taskName.includes(n))) &&
            (sceneID === undefined || sceneID === "" || task.sceneID === sceneID) &&
            (ids === undefined || ids.includes(task.userTaskID)) &&
            (startTs === undefined || startTs <= 0 || createTs >= startTs) &&
            (endTs === undefined || endTs <= 0 || createTs <= endTs);
    });
    return ok({ taskData: paginate(matching).map(taskEntry) });
};
