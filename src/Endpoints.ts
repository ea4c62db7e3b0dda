/**
 * The Callbot v3 endpoints: path, request schema and response schema of each,
 * with the vendor's wire field names.
 *
 * Request schemas decode the caller's input into the exact JSON that is sent
 * (validated, defaults filled); response schemas decode the platform's answer.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Models from "./Models.js"

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
export const PATH_PREFIX = "/callcentre/api/v3/" as const

/**
 * Defines an endpoint under {@link PATH_PREFIX}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <Req, ReqEncoded, Res, ResEncoded>(
  name: string,
  request: Schema.Schema<Req, ReqEncoded>,
  response: Schema.Schema<Res, ResEncoded>,
  options: {
    readonly envelope?: EnvelopeKind | undefined
    readonly acceptGzip?: boolean | undefined
    readonly idempotent?: boolean | undefined
  } = {}
): Endpoint<Req, ReqEncoded, Res, ResEncoded> => ({
  name,
  path: `${PATH_PREFIX}${name}`,
  request,
  response,
  envelope: options.envelope ?? "retCode",
  acceptGzip: options.acceptGzip ?? false,
  idempotent: options.idempotent ?? false
})

/**
 * The fields every `retCode` answer carries. `retMsg` and `responseID` are
 * required by the vendor; they decode as `""` when missing so a terse answer
 * still reaches the caller.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Envelope = Schema.Struct({
  retCode: Schema.Int,
  retMsg: Schema.optionalWith(Schema.String, { default: () => "", nullable: true }),
  responseID: Schema.optionalWith(Schema.String, { default: () => "", nullable: true })
})

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
export const PingEnvelope = Schema.Struct({
  code: Schema.Int,
  msg: Schema.optionalWith(Schema.String, { default: () => "", nullable: true }),
  reqId: Schema.optionalWith(Schema.String, { default: () => "", nullable: true })
})

const okEnvelope = {
  retCode: Schema.Literal(0),
  retMsg: Envelope.fields.retMsg,
  responseID: Envelope.fields.responseID
}

/**
 * `createAndCall` without its orders: everything validated as a whole before
 * the orders are checked one by one.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateAndCallHeader = Schema.Struct({
  productID: Models.ProductID,
  /** Yours, unique per task (a UUID is recommended); the idempotency key of the task. */
  userTaskID: Models.NonBlankString,
  /** Script template ID (portal: Script Management). */
  sceneID: Models.NonBlankString,
  taskCreateSetting: Models.TaskCreateSetting,
  funcFlag: Schema.optionalWith(Models.FuncFlag, { default: () => Models.defaultFuncFlag }),
  callInfoList: Models.CallInfoListHeader
})

/**
 * `POST /callcentre/api/v3/createAndCall` request: create a task and import
 * its orders.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateAndCallRequest = Schema.Struct({
  ...CreateAndCallHeader.fields,
  callInfoList: Models.CallInfoList
})

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
export const CreateAndCallResponse = Schema.Struct({
  ...okEnvelope,
  taskID: Schema.String,
  totalCount: Schema.Int,
  successCount: Schema.Int,
  errList: Schema.optionalWith(Schema.Array(Models.PhoneError), { default: () => [], nullable: true })
})

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

const lenientInt = Schema.optionalWith(Schema.Int, { nullable: true })
const lenientList = <A, I>(schema: Schema.Schema<A, I>) =>
  Schema.optionalWith(Schema.Array(schema), { nullable: true, default: () => [] })
const nullableList = <A, I>(schema: Schema.Schema<A, I>) => Schema.optional(Schema.NullOr(Schema.Array(schema)))

/**
 * The largest `orderList` `listOrderDetail` accepts (documented: 500).
 *
 * @since 0.1.0
 * @category constants
 */
export const LIST_ORDER_DETAIL_MAX = 500

/**
 * Order IDs a caller passes: at least one, none blank.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OrderIDs = Schema.Array(Models.NonBlankString).pipe(
  Schema.minItems(1, { message: () => "must contain at least one order ID" })
)

/**
 * `page`: 1-based page number, default `1`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Page = Schema.optionalWith(
  Schema.Int.pipe(Schema.greaterThanOrEqualTo(1, { message: () => "must be an integer >= 1 (pages are 1-based)" })),
  { default: () => 1 }
)

/**
 * The page size the SDK uses when none is given (the vendor's example value;
 * the maximum is not documented).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_PAGE_SIZE = 100

/**
 * `size`: page size, default {@link DEFAULT_PAGE_SIZE}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PageSize = Schema.optionalWith(
  Schema.Int.pipe(Schema.positive({ message: () => "must be a positive integer" })),
  { default: () => DEFAULT_PAGE_SIZE }
)

// ---------------------------------------------------------------------------
// ping

/**
 * `POST /callcentre/api/v3/ping` request: `data` is echoed back (default
 * `"ping"`). `ping` takes no `productID`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PingRequest = Schema.Struct({
  data: Schema.optionalWith(Schema.String, { default: () => "ping" })
})

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
export const PingResponse = Schema.Struct({
  code: Schema.Literal(0),
  msg: PingEnvelope.fields.msg,
  reqId: PingEnvelope.fields.reqId,
  data: Schema.optionalWith(Schema.String, { default: () => "", nullable: true }),
  /** Unix seconds on the platform. */
  timestamp: Schema.Number
})

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

const CreateTaskInputSchema = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString,
  sceneID: Models.NonBlankString,
  /** Appears only in the vendor's createTask example; meaning not documented. Sent when given. */
  account: Schema.optional(Schema.String),
  taskCreateSetting: Models.CreateTaskSetting,
  funcFlag: Schema.optionalWith(Models.FuncFlag, { default: () => Models.defaultFuncFlag }),
  /** Pass-through value (inferred). Default `""`. */
  other: Schema.optionalWith(Schema.String, { default: () => "" }),
  /** Task-status callback URL; may be given here or in `taskCreateSetting`. */
  taskCallbackUrl: Schema.optional(Models.HttpUrl),
  /** Order callback URL (inferred from the name). Sent when given. */
  orderCallbackUrl: Schema.optional(Models.HttpUrl)
}).pipe(
  Schema.filter((input) => {
    const nested = input.taskCreateSetting.taskCallbackUrl
    if (input.taskCallbackUrl === undefined && nested === undefined) {
      return { path: ["taskCallbackUrl"], message: "is required (here or in taskCreateSetting)" }
    }
    if (input.taskCallbackUrl !== undefined && nested !== undefined && input.taskCallbackUrl !== nested) {
      return { path: ["taskCallbackUrl"], message: "differs from taskCreateSetting.taskCallbackUrl; give it once" }
    }
    return undefined
  })
)

const SmsRuleWire = Schema.Struct({
  smsId: Schema.String,
  intentId: Schema.Array(Schema.String),
  intentName: Schema.Array(Schema.String)
})

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
export const CreateTaskWire = Schema.Struct({
  productID: Schema.Literal(Models.PRODUCT_ID),
  userTaskID: Schema.String,
  sceneID: Schema.String,
  account: Schema.optional(Schema.String),
  taskCreateSetting: Schema.Struct({
    strategyName: Schema.String,
    startupType: Models.StartupType,
    startupAt: Schema.Number,
    zoneSecond: Schema.Number,
    dialAtWeekDay: Schema.String,
    dialAtUpHour: Schema.String,
    dialAtDownHour: Schema.String,
    maxRingTime: Schema.Number,
    routeID: Schema.String,
    maxCall: Schema.optional(Schema.Number),
    taskName: Schema.optional(Schema.String),
    manualCallSetting: Schema.optional(Schema.typeSchema(Models.ManualCallSetting))
  }),
  funcFlag: Schema.Struct({
    taskKeep: Schema.Boolean,
    roundRedial: Schema.Boolean,
    wholeTTS: Schema.Boolean,
    smsEnable: Schema.Boolean,
    smsFuncFlag: Schema.Array(SmsRuleWire),
    phoneEncrypt: Schema.Boolean
  }),
  other: Schema.String,
  taskCallbackUrl: Schema.String,
  orderCallbackUrl: Schema.optional(Schema.String)
})

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
export const CreateTaskRequest = Schema.transform(CreateTaskInputSchema, CreateTaskWire, {
  strict: true,
  decode: (input) => {
    const { maxCall, taskCallbackUrl, taskName, manualCallSetting, ...setting } = input.taskCreateSetting
    return {
      productID: input.productID,
      userTaskID: input.userTaskID,
      sceneID: input.sceneID,
      ...(input.account === undefined ? {} : { account: input.account }),
      taskCreateSetting: {
        ...setting,
        ...(maxCall === undefined ? {} : { maxCall }),
        ...(taskName === undefined ? {} : { taskName }),
        ...(manualCallSetting === undefined ? {} : { manualCallSetting })
      },
      funcFlag: {
        taskKeep: input.funcFlag.taskKeep,
        roundRedial: input.funcFlag.roundRedial,
        wholeTTS: input.funcFlag.wholeTTS,
        smsEnable: input.funcFlag.smsEnable,
        smsFuncFlag: input.funcFlag.smsFuncFlag.map((rule) => ({
          smsId: rule.smsID,
          intentId: rule.intentID,
          intentName: rule.intentName
        })),
        phoneEncrypt: input.funcFlag.phoneEncrypt
      },
      other: input.other,
      taskCallbackUrl: input.taskCallbackUrl ?? taskCallbackUrl ?? "",
      ...(input.orderCallbackUrl === undefined ? {} : { orderCallbackUrl: input.orderCallbackUrl })
    }
  },
  encode: (wire) => ({
    productID: wire.productID,
    userTaskID: wire.userTaskID,
    sceneID: wire.sceneID,
    ...(wire.account === undefined ? {} : { account: wire.account }),
    taskCreateSetting: wire.taskCreateSetting,
    funcFlag: {
      ...wire.funcFlag,
      smsFuncFlag: wire.funcFlag.smsFuncFlag.map((rule) => ({
        smsID: rule.smsId,
        intentID: rule.intentId,
        intentName: rule.intentName
      }))
    },
    other: wire.other,
    taskCallbackUrl: wire.taskCallbackUrl,
    ...(wire.orderCallbackUrl === undefined ? {} : { orderCallbackUrl: wire.orderCallbackUrl })
  })
})

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
export const CreateTaskResponse = Schema.Struct({
  ...okEnvelope,
  taskID: Schema.optionalWith(Schema.String, { nullable: true })
})

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
export const AddBatchCallHeader = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString,
  callInfoList: Models.CallInfoListHeader
})

/**
 * `POST /callcentre/api/v3/addBatchCall` request: adds orders to an existing
 * task.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AddBatchCallRequest = Schema.Struct({
  ...AddBatchCallHeader.fields,
  callInfoList: Models.CallInfoList
})

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
export const AddBatchCallResponse = Schema.Struct({
  ...okEnvelope,
  totalCount: lenientInt,
  successCount: lenientInt,
  errList: lenientList(Models.PhoneError)
})

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
export const ImportBatchCallRequest = AddBatchCallRequest

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
export const ImportBatchCallResponse = Schema.Struct({
  ...okEnvelope,
  batchID: Schema.optionalWith(Schema.String, { nullable: true }),
  totalCount: lenientInt,
  successCount: lenientInt,
  errList: lenientList(Models.PhoneError)
})

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
export const MgrTaskStatusRequest = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString,
  taskOperate: Models.TaskOperate,
  delCall: Schema.optional(Models.DelCall)
})

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
export const MgrTaskStatusResponse = Schema.Struct({
  ...okEnvelope,
  taskID: Schema.String,
  taskStatus: Models.TaskStatus
})

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
export const UpdateTaskRequest = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString,
  sceneID: Models.NonBlankString,
  taskCreateSetting: Models.TaskCreateSetting,
  funcFlag: Models.FuncFlag
})

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
export const UpdateTaskResponse = Schema.Struct(okEnvelope)

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
})

/**
 * `POST /callcentre/api/v3/listTask` request.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListTaskRequest = Schema.Struct({
  productID: Models.ProductID,
  page: Page,
  size: PageSize,
  queryConditions: Schema.optionalWith(TaskQuery, { default: () => ({}) })
})

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
export const ListTaskResponse = Schema.Struct({
  ...okEnvelope,
  taskData: lenientList(Models.TaskInfo)
})

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

const intentFilters = {
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
}

/**
 * `listCall` `options`: every filter is optional and sent only when given.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallQuery = Schema.Struct({
  callID: nullableList(Schema.String),
  ...intentFilters,
  /** Time range; which timestamp is filtered is not documented. */
  startTs: Schema.optional(Schema.Int),
  endTs: Schema.optional(Schema.Int)
})

/**
 * `POST /callcentre/api/v3/listCall` request: the calls of a task (one order
 * may have several).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListCallRequest = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString,
  options: Schema.optionalWith(CallQuery, { default: () => ({}) }),
  page: Page,
  size: PageSize
})

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
export const ListCallResponse = Schema.Struct({
  ...okEnvelope,
  callList: lenientList(Models.OrderRecord)
})

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
export const OrderQuery = Schema.Struct({
  orderID: nullableList(Schema.String),
  ...intentFilters,
  /** Semantics not documented; the simulator reads `1` finished, `0` unfinished. */
  finish: Schema.optional(Schema.NullOr(Schema.Int))
})

/**
 * `POST /callcentre/api/v3/listOrder` request: the orders of a task, each
 * with its last call.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListOrderRequest = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString,
  options: Schema.optionalWith(OrderQuery, { default: () => ({}) }),
  page: Page,
  size: PageSize
})

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
export const ListOrderResponse = Schema.Struct({
  ...okEnvelope,
  orderList: lenientList(Models.OrderRecord)
})

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
export const StopOrderRequest = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString,
  orderIDs: OrderIDs,
  delCall: Schema.optional(Models.DelCall)
})

/**
 * Order IDs per `stopOrder` request: our choice (the vendor documents no
 * limit), the same as `listOrderDetail`'s documented one.
 *
 * @since 0.1.0
 * @category constants
 */
export const STOP_ORDER_MAX = 500

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
export const StopOrderResponse = Schema.Struct({
  ...okEnvelope,
  totalCount: Schema.Int,
  successCount: Schema.Int,
  errList: lenientList(Models.OrderError)
})

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
export const ListOrderDetailRequest = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString,
  orderList: OrderIDs.pipe(
    Schema.maxItems(LIST_ORDER_DETAIL_MAX, {
      message: () => `must not list more than ${LIST_ORDER_DETAIL_MAX} order IDs per request`
    })
  )
})

/**
 * What the caller passes to `listOrderDetail`: any number of order IDs.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOrderDetailInput {
  readonly productID?: typeof Models.PRODUCT_ID | undefined
  readonly userTaskID: string
  readonly orderList: ReadonlyArray<string>
}

/**
 * `listOrderDetail` response (the vendor's example).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListOrderDetailResponse = Schema.Struct({
  ...okEnvelope,
  orderDetailList: lenientList(Models.OrderDetail)
})

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
export const ExportBatchCallRequest = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString
})

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
export const ExportBatchCallResponse = Schema.Struct({
  ...okEnvelope,
  totalCount: Schema.Int,
  batchID: Schema.String,
  callList: lenientList(Models.ExportedCall)
})

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
