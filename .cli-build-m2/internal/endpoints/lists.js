/**
 * The list endpoints' schemas: `listTask`, `listCall`, `listOrder`, `exportBatchCall`.
 *
 * @internal
 */
import * as Schema from "effect/Schema";
import * as Models from "../../Models.js";
import { Page, PageSize, lenientList, nullableList, okEnvelope } from "./common.js";
export const TaskQuery = Schema.Struct({
    taskStatus: Schema.optional(Schema.Array(Schema.Int)),
    /** Task names (fuzzy match per an older vendor revision). */
    taskName: Schema.optional(Schema.Array(Schema.String)),
    /** A single script template ID. */
    sceneID: Schema.optional(Schema.String),
    userTaskID: Schema.optional(Schema.Array(Schema.String)),
    /** Task creation time range (unit not documented; seconds likely). */
    startTs: Schema.optional(Schema.Int),
    endTs: Schema.optional(Schema.Int)
});
export const ListTaskRequest = Schema.Struct({
    productID: Models.ProductID,
    page: Page,
    size: PageSize,
    queryConditions: Schema.optionalWith(TaskQuery, { default: () => ({}) })
});
export const ListTaskResponse = Schema.Struct({
    ...okEnvelope,
    taskData: lenientList(Models.TaskInfo)
});
export const intentFilters = {
    /** Intent-tag IDs from the script template's intent settings. */
    intentID: nullableList(Schema.String),
    intentName: nullableList(Schema.String),
    /** User-defined intent tags. */
    intentTag: nullableList(Schema.String),
    /** Enum not documented. */
    intentLevel: nullableList(Schema.Int),
    /** Dialogue turns in `(gt, lt)`. */
    turnTime: Schema.optional(Schema.NullOr(Models.RangeFilter)),
    /** Call duration in `(gt, lt)`; unit not documented. */
    callDuration: Schema.optional(Schema.NullOr(Models.RangeFilter)),
    /** Enum not documented. */
    callStatus: nullableList(Schema.Int)
};
export const CallQuery = Schema.Struct({
    callID: nullableList(Schema.String),
    ...intentFilters,
    /** Time range; which timestamp is filtered is not documented. */
    startTs: Schema.optional(Schema.Int),
    endTs: Schema.optional(Schema.Int)
});
export const ListCallRequest = Schema.Struct({
    productID: Models.ProductID,
    userTaskID: Models.NonBlankString,
    options: Schema.optionalWith(CallQuery, { default: () => ({}) }),
    page: Page,
    size: PageSize
});
export const ListCallResponse = Schema.Struct({
    ...okEnvelope,
    callList: lenientList(Models.OrderRecord)
});
export const OrderQuery = Schema.Struct({
    orderID: nullableList(Schema.String),
    ...intentFilters,
    /** Semantics not documented; the simulator reads `1` finished, `0` unfinished. */
    finish: Schema.optional(Schema.NullOr(Schema.Int))
});
export const ListOrderRequest = Schema.Struct({
    productID: Models.ProductID,
    userTaskID: Models.NonBlankString,
    options: Schema.optionalWith(OrderQuery, { default: () => ({}) }),
    page: Page,
    size: PageSize
});
export const ListOrderResponse = Schema.Struct({
    ...okEnvelope,
    orderList: lenientList(Models.OrderRecord)
});
export const ExportBatchCallRequest = Schema.Struct({
    productID: Models.ProductID,
    userTaskID: Models.NonBlankString
});
export const ExportBatchCallResponse = Schema.Struct({
    ...okEnvelope,
    totalCount: Schema.Int,
    batchID: Schema.String,
    callList: lenientList(Models.ExportedCall)
});
