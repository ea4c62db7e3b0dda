/**
 * The callback bodies as schemas: `callbackType`, the three documented kinds
 * and the unknown one. Their documentation is on the face (`Callback.ts`).
 *
 * @internal
 */
import * as Schema from "effect/Schema";
import * as Models from "../../Models.js";
const NumericString = Schema.String.pipe(Schema.pattern(/^-?\d{1,15}$/, { message: () => "must be an integer or a string of digits" }));
/** @internal */
export const CallbackType = Schema.Union(Schema.Int, Schema.compose(NumericString, Schema.NumberFromString).pipe(Schema.int())).annotations({ identifier: "CallbackType", description: "1 task, 2 order, 3 call" });
/** @internal */
export const CallbackKind = Schema.Literal("task", "order", "call");
/** @internal */
export class TaskCallback extends Schema.Class("TaskCallback")({
    callbackType: CallbackType,
    userTaskID: Schema.String,
    taskID: Schema.String,
    sceneID: Schema.String,
    taskStatus: Models.TaskStatus,
    createTs: Schema.Number,
    taskStat: Models.TaskStat
}) {
    /** Discriminates the callback kinds. */
    _tag = "TaskCallback";
}
// The vendor marks these strings required but they are pass-through or
// display values; a missing or `null` one should not cost the callback.
const lenientString = Schema.optionalWith(Schema.String, { nullable: true, default: () => "" });
const orderFields = {
    callbackType: CallbackType,
    orderID: Schema.String,
    userPhone: lenientString,
    userName: lenientString,
    sceneID: lenientString,
    userTaskID: Schema.String,
    taskID: Schema.String,
    /** Pass-through value given with the order at import. */
    other: lenientString
};
/** @internal */
export class OrderCallback extends Schema.Class("OrderCallback")({
    ...orderFields,
    finish: Schema.optionalWith(Schema.Boolean, { nullable: true, default: () => true }),
    callInfoDetail: Schema.optionalWith(Models.CallRecord, { nullable: true })
}) {
    /** Discriminates the callback kinds. */
    _tag = "OrderCallback";
}
/** @internal */
export class CallCallback extends Schema.Class("CallCallback")({
    ...orderFields,
    finish: Schema.Boolean,
    callInfoDetail: Models.CallRecord
}) {
    /** Discriminates the callback kinds. */
    _tag = "CallCallback";
}
/** @internal */
export class UnknownCallback extends Schema.Class("UnknownCallback")({
    callbackType: Schema.Int,
    body: Schema.Record({ key: Schema.String, value: Schema.Unknown })
}) {
    /** Discriminates the callback kinds. */
    _tag = "UnknownCallback";
}
/** @internal */
export const TaskCallbackFromJson = Schema.parseJson(TaskCallback);
/** @internal */
export const isTaskCallback = (u) => u instanceof TaskCallback;
/** @internal */
export const isOrderCallback = (u) => u instanceof OrderCallback;
/** @internal */
export const isCallCallback = (u) => u instanceof CallCallback;
