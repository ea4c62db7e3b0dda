/**
 * The endpoints answered by one request: validate, send, return the answer
 * (`createTask` reconciles an ambiguous failure by `userTaskID`).
 */
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import * as Endpoints from "../../Endpoints.js";
import * as Models from "../../Models.js";
import { validate } from "../client/validation.js";
import { findTask, sendReconciled } from "./reconcile.js";
/** Warns when `smsFuncFlag` repeats an intentID: the platform keeps only the last rule. */
export const warnAboutSmsRules = (endpoint, funcFlag) => {
    const intents = funcFlag.smsFuncFlag.flatMap((rule) => rule.intentID);
    const duplicated = intents.filter((id, i) => intents.indexOf(id) !== i);
    return duplicated.length === 0 ? Effect.void : Effect.logWarning(`${endpoint}: smsFuncFlag repeats intentID ${[...new Set(duplicated)].join(", ")}; ` +
        "the platform keeps only the last rule for each");
};
export const ping = (ctx) => Effect.fn("CallbotApi.ping")(function* (input = {}) {
    const wire = yield* validate(Endpoints.ping.name, Endpoints.ping.request, input);
    return yield* ctx.client.execute(Endpoints.ping, wire);
});
export const createTask = (ctx) => Effect.fn("CallbotApi.createTask")(function* (input) {
    const wire = yield* validate(Endpoints.createTask.name, Endpoints.createTask.request, input);
    yield* warnAboutSmsRules(Endpoints.createTask.name, {
        ...Models.defaultFuncFlag,
        smsFuncFlag: wire.funcFlag.smsFuncFlag.map((rule) => ({
            smsID: rule.smsId,
            intentID: rule.intentId,
            intentName: rule.intentName
        }))
    });
    yield* Effect.annotateCurrentSpan("callbot.userTaskID", wire.userTaskID);
    const policy = yield* ctx.client.retryPolicy;
    const send = ctx.client.execute(Endpoints.createTask, wire);
    if (!policy.reconcile)
        return yield* send;
    // The task may exist: userTaskID is its idempotency key.
    return yield* sendReconciled(policy, send, (error) => Effect.flatMap(findTask(ctx.client, wire.productID, wire.userTaskID), Option.match({
        onNone: () => Effect.succeedNone,
        onSome: (task) => Effect.as(Effect.annotateCurrentSpan("callbot.reconciled", true), Option.some({
            retCode: 0,
            retMsg: `reconciled after ${error._tag}: the task exists`,
            responseID: "",
            taskID: task.taskID
        }))
    })));
});
export const mgrTaskStatus = (ctx) => Effect.fn("CallbotApi.mgrTaskStatus")(function* (input) {
    const wire = yield* validate(Endpoints.mgrTaskStatus.name, Endpoints.mgrTaskStatus.request, input);
    yield* Effect.annotateCurrentSpan({ "callbot.userTaskID": wire.userTaskID, "callbot.taskOperate": wire.taskOperate });
    return yield* ctx.client.execute(Endpoints.mgrTaskStatus, wire);
});
/** The `mgrTaskStatus` shorthands. */
export const taskOperations = (mgr) => {
    const operate = (taskOperate, userTaskID, extra = {}) => mgr({ userTaskID, taskOperate, ...(extra.delCall === undefined ? {} : { delCall: extra.delCall }) });
    return {
        startTask: Effect.fn("CallbotApi.startTask")((userTaskID) => operate(Models.TaskOperations.Start, userTaskID)),
        pauseTask: Effect.fn("CallbotApi.pauseTask")((userTaskID, extra) => operate(Models.TaskOperations.Pause, userTaskID, extra)),
        finishTask: Effect.fn("CallbotApi.finishTask")((userTaskID, extra) => operate(Models.TaskOperations.Finish, userTaskID, extra))
    };
};
export const updateTask = (ctx) => Effect.fn("CallbotApi.updateTask")(function* (input) {
    const wire = yield* validate(Endpoints.updateTask.name, Endpoints.updateTask.request, input);
    yield* warnAboutSmsRules(Endpoints.updateTask.name, wire.funcFlag);
    yield* Effect.annotateCurrentSpan("callbot.userTaskID", wire.userTaskID);
    return yield* ctx.client.execute(Endpoints.updateTask, wire);
});
export const exportBatchCall = (ctx) => Effect.fn("CallbotApi.exportBatchCall")(function* (input) {
    const wire = yield* validate(Endpoints.exportBatchCall.name, Endpoints.exportBatchCall.request, input);
    yield* Effect.annotateCurrentSpan("callbot.userTaskID", wire.userTaskID);
    return yield* ctx.client.execute(Endpoints.exportBatchCall, wire, { acceptGzip: ctx.acceptGzip });
});
