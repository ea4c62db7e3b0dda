/**
 * The Callbot v3 endpoints: path, request schema and response schema of each,
 * with the vendor's wire field names.
 *
 * Request schemas decode the caller's input into the exact JSON that is sent
 * (validated, defaults filled); response schemas decode the platform's answer.
 *
 * This module is the face: the schemas are defined by family under
 * `internal/endpoints/` (common fields, tasks, orders, lists) and documented here.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Models from "./Models.js"
import * as internalCommon from "./internal/endpoints/common.js"
import * as internalEndpoint from "./internal/endpoints/endpoint.js"
import * as internalLists from "./internal/endpoints/lists.js"
import * as internalOrders from "./internal/endpoints/orders.js"
import * as internalTasks from "./internal/endpoints/tasks.js"

/**
 * Which envelope an endpoint answers with: `"retCode"` (`retCode`, `retMsg`,
 * `responseID` — every endpoint but `ping`) or `"code"` (`code`, `msg`,
 * `reqId` — `ping`). A non-zero code maps to the same error classes either
 * way.
 *
 * @since 0.1.0
 * @category models
 */
export type EnvelopeKind = "retCode" | "code"

/**
 * One endpoint: where it lives and what goes in and out.
 *
 * @since 0.1.0
 * @category models
 */
export interface Endpoint<Req, ReqEncoded, Res, ResEncoded> {
  /** The vendor's name, the last path segment: `createAndCall`. */
  readonly name: string
  readonly path: string
  readonly request: Schema.Schema<Req, ReqEncoded>
  readonly response: Schema.Schema<Res, ResEncoded>
  readonly envelope: EnvelopeKind
  /**
   * Whether the vendor documents a gzip-compressed answer for this endpoint
   * (`Accept-Encoding: gzip`: `listCall`, `exportBatchCall`). The client asks
   * for one by default there.
   */
  readonly acceptGzip: boolean
  /**
   * Sending it twice has the same effect as sending it once (reads, task
   * control, updates). The client retries ambiguous failures (the platform
   * may have acted) only for these; the others are reconciled by
   * `CallbotApi` before anything is re-sent.
   */
  readonly idempotent: boolean
}

/**
 * The path prefix of every v3 endpoint.
 *
 * @since 0.1.0
 * @category constants
 */
export const PATH_PREFIX = internalEndpoint.PATH_PREFIX

/**
 * Defines an endpoint under {@link PATH_PREFIX}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = internalEndpoint.make

/**
 * The fields every `retCode` answer carries. `retMsg` and `responseID` are
 * required by the vendor; they decode as `""` when missing so a terse answer
 * still reaches the caller.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Envelope = internalCommon.Envelope

/**
 * @since 0.1.0
 * @category models
 */
export type Envelope = typeof Envelope.Type

/**
 * `ping`'s own envelope: `code` (`0` = success), `msg`, `reqId`. A non-zero
 * `code` maps through the same table as `retCode`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PingEnvelope = internalCommon.PingEnvelope

/**
 * `createAndCall` without its orders: everything validated as a whole before
 * the orders are checked one by one.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateAndCallHeader = internalTasks.CreateAndCallHeader

/**
 * `POST /callcentre/api/v3/createAndCall` request: create a task and import
 * its orders.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateAndCallRequest = internalTasks.CreateAndCallRequest

/**
 * What the caller passes to `createAndCall` (defaults may be left out).
 *
 * @since 0.1.0
 * @category models
 */
export type CreateAndCallInput = typeof CreateAndCallRequest.Encoded

/**
 * `createAndCall` request as sent.
 *
 * @since 0.1.0
 * @category models
 */
export type CreateAndCallWire = typeof CreateAndCallRequest.Type

/**
 * `createAndCall` response (`retCode` 0).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateAndCallResponse = internalTasks.CreateAndCallResponse

/**
 * @since 0.1.0
 * @category models
 */
export type CreateAndCallResponse = typeof CreateAndCallResponse.Type

/**
 * @since 0.1.0
 * @category endpoints
 */
export const createAndCall = make("createAndCall", CreateAndCallRequest, CreateAndCallResponse)

// ---------------------------------------------------------------------------
// shared pieces

/**
 * The largest `orderList` `listOrderDetail` accepts (documented: 500).
 *
 * @since 0.1.0
 * @category constants
 */
export const LIST_ORDER_DETAIL_MAX = internalCommon.LIST_ORDER_DETAIL_MAX

/**
 * Order IDs a caller passes: at least one, none blank.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OrderIDs = internalCommon.OrderIDs

/**
 * `page`: 1-based page number, default `1`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Page = internalCommon.Page

/**
 * The page size the SDK uses when none is given (the vendor's example value;
 * the maximum is not documented).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_PAGE_SIZE = internalCommon.DEFAULT_PAGE_SIZE

/**
 * `size`: page size, default {@link DEFAULT_PAGE_SIZE}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PageSize = internalCommon.PageSize

// ---------------------------------------------------------------------------
// ping

/**
 * `POST /callcentre/api/v3/ping` request: `data` is echoed back (default
 * `"ping"`). `ping` takes no `productID`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PingRequest = internalCommon.PingRequest

/**
 * @since 0.1.0
 * @category models
 */
export type PingInput = typeof PingRequest.Encoded

/**
 * `ping` response (`code` 0): the echoed `data` and the platform's clock.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PingResponse = internalCommon.PingResponse

/**
 * @since 0.1.0
 * @category models
 */
export type PingResponse = typeof PingResponse.Type

/**
 * @since 0.1.0
 * @category endpoints
 */
export const ping = make("ping", PingRequest, PingResponse, { envelope: "code", idempotent: true })

// ---------------------------------------------------------------------------
// createTask

/**
 * `createTask` as sent: the vendor's createTask example — SMS keys spelled
 * `smsId` / `intentId`, `taskCallbackUrl` / `orderCallbackUrl` / `other` /
 * `account` at the top level. `maxCall`, `taskName` (when given) and
 * `phoneEncrypt`, which createTask's page does not list, are sent too rather
 * than dropped.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateTaskWire = internalTasks.CreateTaskWire

/**
 * `POST /callcentre/api/v3/createTask` request: creates a task without
 * orders (add them with `addBatchCall`). Takes the same spelling as
 * `createAndCall` (`smsID`, `intentID`, `taskCallbackUrl` inside
 * `taskCreateSetting` or at the top level) and decodes to
 * {@link CreateTaskWire}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateTaskRequest = internalTasks.CreateTaskRequest

/**
 * What the caller passes to `createTask`.
 *
 * @since 0.1.0
 * @category models
 */
export type CreateTaskInput = typeof CreateTaskRequest.Encoded

/**
 * @since 0.1.0
 * @category models
 */
export type CreateTaskWire = typeof CreateTaskRequest.Type

/**
 * `createTask` response. Not documented: `taskID` is expected by analogy
 * with `createAndCall` and is optional, so a created task is never reported
 * as a failure because the field is missing.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateTaskResponse = internalTasks.CreateTaskResponse

/**
 * @since 0.1.0
 * @category models
 */
export type CreateTaskResponse = typeof CreateTaskResponse.Type

/**
 * @since 0.1.0
 * @category endpoints
 */
export const createTask = make("createTask", CreateTaskRequest, CreateTaskResponse)

// ---------------------------------------------------------------------------
// addBatchCall / importBatchCall

/**
 * `addBatchCall` / `importBatchCall` without their orders.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AddBatchCallHeader = internalOrders.AddBatchCallHeader

/**
 * `POST /callcentre/api/v3/addBatchCall` request: adds orders to an existing
 * task.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AddBatchCallRequest = internalOrders.AddBatchCallRequest

/**
 * @since 0.1.0
 * @category models
 */
export type AddBatchCallInput = typeof AddBatchCallRequest.Encoded

/**
 * @since 0.1.0
 * @category models
 */
export type AddBatchCallWire = typeof AddBatchCallRequest.Type

/**
 * `addBatchCall` response. Not documented: the counters and `errList` of
 * `createAndCall` are expected and optional (`null` `errList` reads `[]`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AddBatchCallResponse = internalOrders.AddBatchCallResponse

/**
 * @since 0.1.0
 * @category models
 */
export type AddBatchCallResponse = typeof AddBatchCallResponse.Type

/**
 * @since 0.1.0
 * @category endpoints
 */
export const addBatchCall = make("addBatchCall", AddBatchCallRequest, AddBatchCallResponse)

/**
 * `POST /callcentre/api/v3/importBatchCall` request: imports orders as the
 * task's newest batch (the undialled numbers of the previous batch are
 * deleted). Same body as `addBatchCall`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImportBatchCallRequest = internalOrders.ImportBatchCallRequest

/**
 * @since 0.1.0
 * @category models
 */
export type ImportBatchCallInput = typeof ImportBatchCallRequest.Encoded

/**
 * @since 0.1.0
 * @category models
 */
export type ImportBatchCallWire = typeof ImportBatchCallRequest.Type

/**
 * `importBatchCall` response. Not documented: `batchID` and the counters of
 * `createAndCall` are expected and optional.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImportBatchCallResponse = internalOrders.ImportBatchCallResponse

/**
 * @since 0.1.0
 * @category models
 */
export type ImportBatchCallResponse = typeof ImportBatchCallResponse.Type

/**
 * @since 0.1.0
 * @category endpoints
 */
export const importBatchCall = make("importBatchCall", ImportBatchCallRequest, ImportBatchCallResponse)

// ---------------------------------------------------------------------------
// mgrTaskStatus / updateTask

/**
 * `POST /callcentre/api/v3/mgrTaskStatus` request: start (`1`), pause (`2`)
 * or finish (`3`) a task; `delCall: 1` also deletes what is not dialled yet.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MgrTaskStatusRequest = internalTasks.MgrTaskStatusRequest

/**
 * @since 0.1.0
 * @category models
 */
export type MgrTaskStatusInput = typeof MgrTaskStatusRequest.Encoded

/**
 * `mgrTaskStatus` response (the vendor's example): the task and its status
 * after the operation.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MgrTaskStatusResponse = internalTasks.MgrTaskStatusResponse

/**
 * @since 0.1.0
 * @category models
 */
export type MgrTaskStatusResponse = typeof MgrTaskStatusResponse.Type

/**
 * @since 0.1.0
 * @category endpoints
 */
export const mgrTaskStatus = make("mgrTaskStatus", MgrTaskStatusRequest, MgrTaskStatusResponse, { idempotent: true })

/**
 * `POST /callcentre/api/v3/updateTask` request: replaces `taskCreateSetting`
 * and `funcFlag` of a paused or not yet started task (effective after 5
 * minutes). Partial updates are not documented, so both objects are sent
 * whole: `funcFlag` is required here (a default would silently switch SMS
 * and encryption off), and fields left out of `taskCreateSetting` take the
 * same defaults as in `createAndCall`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateTaskRequest = internalTasks.UpdateTaskRequest

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateTaskInput = typeof UpdateTaskRequest.Encoded

/**
 * `updateTask` response: the envelope (nothing else is documented).
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateTaskResponse = internalTasks.UpdateTaskResponse

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateTaskResponse = typeof UpdateTaskResponse.Type

/**
 * @since 0.1.0
 * @category endpoints
 */
export const updateTask = make("updateTask", UpdateTaskRequest, UpdateTaskResponse, { idempotent: true })

// ---------------------------------------------------------------------------
// lists

/**
 * `listTask` `queryConditions`: every filter is optional.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TaskQuery = internalLists.TaskQuery

/**
 * `POST /callcentre/api/v3/listTask` request.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListTaskRequest = internalLists.ListTaskRequest

/**
 * @since 0.1.0
 * @category models
 */
export type ListTaskInput = typeof ListTaskRequest.Encoded

/**
 * `listTask` response: one page of tasks (`null` reads `[]`). No total
 * count is documented; a page shorter than `size` is the last.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListTaskResponse = internalLists.ListTaskResponse

/**
 * @since 0.1.0
 * @category models
 */
export type ListTaskResponse = typeof ListTaskResponse.Type

/**
 * @since 0.1.0
 * @category endpoints
 */
export const listTask = make("listTask", ListTaskRequest, ListTaskResponse, { idempotent: true })

/**
 * `listCall` `options`: every filter is optional and sent only when given.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallQuery = internalLists.CallQuery

/**
 * `POST /callcentre/api/v3/listCall` request: the calls of a task (one order
 * may have several).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListCallRequest = internalLists.ListCallRequest

/**
 * @since 0.1.0
 * @category models
 */
export type ListCallInput = typeof ListCallRequest.Encoded

/**
 * `listCall` response. Not documented: one {@link Models.OrderRecord} per
 * call in `callList` (`docs/vendor-gaps.md`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListCallResponse = internalLists.ListCallResponse

/**
 * @since 0.1.0
 * @category models
 */
export type ListCallResponse = typeof ListCallResponse.Type

/**
 * @since 0.1.0
 * @category endpoints
 */
export const listCall = make("listCall", ListCallRequest, ListCallResponse, { acceptGzip: true, idempotent: true })

/**
 * `listOrder` `options`: every filter is optional and sent only when given.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OrderQuery = internalLists.OrderQuery

/**
 * `POST /callcentre/api/v3/listOrder` request: the orders of a task, each
 * with its last call.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListOrderRequest = internalLists.ListOrderRequest

/**
 * @since 0.1.0
 * @category models
 */
export type ListOrderInput = typeof ListOrderRequest.Encoded

/**
 * `listOrder` response. Not documented: one {@link Models.OrderRecord} per
 * order in `orderList` (`docs/vendor-gaps.md`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListOrderResponse = internalLists.ListOrderResponse

/**
 * @since 0.1.0
 * @category models
 */
export type ListOrderResponse = typeof ListOrderResponse.Type

/**
 * @since 0.1.0
 * @category endpoints
 */
export const listOrder = make("listOrder", ListOrderRequest, ListOrderResponse, { idempotent: true })

// ---------------------------------------------------------------------------
// stopOrder / listOrderDetail

/**
 * `POST /callcentre/api/v3/stopOrder` request: stops orders not dialled yet
 * (irreversible). The maximum length of `orderIDs` is not documented; the
 * API sends at most {@link STOP_ORDER_MAX} per request.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StopOrderRequest = internalOrders.StopOrderRequest

/**
 * Order IDs per `stopOrder` request: our choice (the vendor documents no
 * limit), the same as `listOrderDetail`'s documented one.
 *
 * @since 0.1.0
 * @category constants
 */
export const STOP_ORDER_MAX = internalOrders.STOP_ORDER_MAX

/**
 * @since 0.1.0
 * @category models
 */
export type StopOrderInput = typeof StopOrderRequest.Encoded

/**
 * `stopOrder` response: counters and the orders that could not be stopped.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StopOrderResponse = internalOrders.StopOrderResponse

/**
 * @since 0.1.0
 * @category models
 */
export type StopOrderResponse = typeof StopOrderResponse.Type

/**
 * @since 0.1.0
 * @category endpoints
 */
export const stopOrder = make("stopOrder", StopOrderRequest, StopOrderResponse)

/**
 * `POST /callcentre/api/v3/listOrderDetail` request: every call of the given
 * orders; at most {@link LIST_ORDER_DETAIL_MAX} order IDs (the API splits
 * longer lists).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListOrderDetailRequest = internalOrders.ListOrderDetailRequest

/**
 * What the caller passes to `listOrderDetail`: any number of order IDs.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOrderDetailInput {
  /** `"callbot"`, filled in when left out; any other value is refused. */
  readonly productID?: string | undefined
  readonly userTaskID: string
  readonly orderList: ReadonlyArray<string>
}

/**
 * `listOrderDetail` response (the vendor's example).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListOrderDetailResponse = internalOrders.ListOrderDetailResponse

/**
 * @since 0.1.0
 * @category models
 */
export type ListOrderDetailResponse = typeof ListOrderDetailResponse.Type

/**
 * @since 0.1.0
 * @category endpoints
 */
export const listOrderDetail = make("listOrderDetail", ListOrderDetailRequest, ListOrderDetailResponse, { idempotent: true })

// ---------------------------------------------------------------------------
// exportBatchCall

/**
 * `POST /callcentre/api/v3/exportBatchCall` request: the latest batch of a
 * task, whole (no paging).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExportBatchCallRequest = internalLists.ExportBatchCallRequest

/**
 * @since 0.1.0
 * @category models
 */
export type ExportBatchCallInput = typeof ExportBatchCallRequest.Encoded

/**
 * `exportBatchCall` response (the vendor's example).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExportBatchCallResponse = internalLists.ExportBatchCallResponse

/**
 * @since 0.1.0
 * @category models
 */
export type ExportBatchCallResponse = typeof ExportBatchCallResponse.Type

/**
 * @since 0.1.0
 * @category endpoints
 */
export const exportBatchCall = make("exportBatchCall", ExportBatchCallRequest, ExportBatchCallResponse, {
  acceptGzip: true,
  idempotent: true
})
