/**
 * The Callbot v3 API as an Effect service: one method per vendor endpoint,
 * plus readable shorthands, streams over the paged lists and chunked imports.
 *
 * Each method validates its input with `effect/Schema` before anything is
 * sent (an {@link CallbotError.InvalidRequest} names the field), signs and
 * sends it, verifies the answer and returns the typed result — or fails with
 * one `CallbotError` tag per `retCode`.
 *
 * @example
 * ```ts
 * import { CallbotApi } from "effect-callbot"
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * const CallbotLive = CallbotApi.layer({
 *   uuid: "my-account-uuid",
 *   secretKey: Redacted.make("my-secret-key")
 * }).pipe(Layer.provide(NodeHttpClient.layerUndici))
 *
 * const program = Effect.gen(function*() {
 *   const api = yield* CallbotApi.CallbotApi
 *   const result = yield* api.createAndCall({ ... })
 *   yield* Effect.log(`task ${result.taskID}: ${result.successCount}/${result.totalCount} imported`)
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(CallbotLive)))
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Chunk from "effect/Chunk"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as CallbotError from "./CallbotError.js"
import * as CallbotClient from "./CallbotClient.js"
import * as Endpoints from "./Endpoints.js"
import * as Importer from "./internal/importer.js"
import * as Orders from "./internal/orders.js"
import * as Models from "./Models.js"
import * as RetryPolicy from "./RetryPolicy.js"
import * as Signer from "./Signer.js"

// ---------------------------------------------------------------------------
// options

/**
 * Orders per import request when none is configured. The platform's cap is
 * not documented (it answers `TooManyElements`, 4001, above it); this is our
 * choice.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_CHUNK_SIZE = 500

/**
 * Requests of one import (or of one split `listOrderDetail` / `stopOrder`)
 * in flight at once when none is configured. The platform's rate limit is
 * not documented; this is our choice.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_CONCURRENCY = 4

/**
 * How a big order list is sent.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportOptions {
  /**
   * Orders per request (default {@link DEFAULT_CHUNK_SIZE}). A request the
   * platform answers `TooManyElements` (4001) is halved and re-sent (down to
   * one order), and the smaller size is kept for the rest of the import.
   */
  readonly chunkSize?: number | undefined
  /** Requests in flight at once (default {@link DEFAULT_CONCURRENCY}). */
  readonly concurrency?: number | undefined
}

/**
 * How `importBatchCall` sends a big order list.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportBatchOptions extends ImportOptions {
  /**
   * What to do with more valid orders than one request carries. Every
   * `importBatchCall` starts a new batch and deletes the undialled numbers of
   * the previous one, so the list cannot simply be split into several
   * imports:
   *
   * - `"fail"` (default): refuse with `InvalidRequest` before anything is
   *   sent; a `TooManyElements` (4001) answer is returned as the error.
   * - `"addBatchCall"`: import the first chunk with `importBatchCall`, then
   *   add the rest to the task with `addBatchCall` (whether the platform
   *   counts those in the new batch, e.g. for `exportBatchCall`, is not
   *   documented).
   */
  readonly overflow?: "fail" | "addBatchCall" | undefined
  /**
   * Send the `importBatchCall` body gzip-compressed (`Content-Encoding:
   * gzip`). The signature covers the uncompressed JSON. Default: the layer's
   * `gzipImport` (`false`).
   */
  readonly gzip?: boolean | undefined
}

/**
 * Options of the list streams.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamOptions {
  /** Page size (`size`); default the layer's `pageSize`, else {@link Endpoints.DEFAULT_PAGE_SIZE}. */
  readonly pageSize?: number | undefined
}

/**
 * Settings of the API layer (on top of the client's).
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiOptions {
  /** Orders per import request. Default {@link DEFAULT_CHUNK_SIZE}. */
  readonly chunkSize?: number | undefined
  /** Requests in flight per import / split call. Default {@link DEFAULT_CONCURRENCY}. */
  readonly concurrency?: number | undefined
  /** Page size of the list streams. Default {@link Endpoints.DEFAULT_PAGE_SIZE}. */
  readonly pageSize?: number | undefined
  /** Ask for gzip answers from `listCall` and `exportBatchCall`. Default `true`. */
  readonly acceptGzip?: boolean | undefined
  /** Compress `importBatchCall` bodies. Default `false` (which bytes the platform checks is not documented). */
  readonly gzipImport?: boolean | undefined
}

// ---------------------------------------------------------------------------
// results

/**
 * A request of a multi-request call (import, `stopOrder`) that failed as a
 * whole while others went through. Its orders are listed in the result's
 * `errList` (`rejectedBy: "request"`) with this error's message.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChunkFailure {
  /** The endpoint of the failed request. */
  readonly endpoint: string
  readonly error: CallbotClient.ExecuteError
  /** How many orders it carried. */
  readonly orders: number
  /**
   * Whether the platform may have acted on it anyway: the request may have
   * reached it and the answer does not say (transport failure after sending,
   * HTTP 5xx, `retCode` 1 / 5001 / undocumented, an unreadable or
   * unverifiable answer). Check with `listOrder` before re-sending.
   */
  readonly maybeImported: boolean
}

/**
 * The merged answer of an order import: the platform's counters plus every
 * order that was not imported, whoever refused it.
 *
 * - `totalCount`: orders you passed in (sent + rejected here).
 * - `successCount`: orders the platform imported.
 * - `errList`: rejected orders, client-side first (in input order), then the
 *   platform's and those of failed requests (in request order).
 * - `failures`: requests that failed as a whole after others went through.
 * - `requests`: requests the platform answered with `retCode` 0.
 * - `retMsg`, `responseID`: of the first answer.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportResult {
  readonly retCode: 0
  readonly retMsg: string
  readonly responseID: string
  readonly totalCount: number
  readonly successCount: number
  readonly errList: ReadonlyArray<Models.RejectedOrder>
  readonly failures: ReadonlyArray<ChunkFailure>
  readonly requests: number
}

/**
 * The answer of {@link CallbotApi.createAndCall}.
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateAndCallResult extends ImportResult {
  /** The platform's ID of the new task. */
  readonly taskID: string
}

/**
 * The answer of {@link CallbotApi.importBatchCall}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportBatchResult extends ImportResult {
  /** The new batch, when the platform says (not documented). */
  readonly batchID?: string | undefined
}

/**
 * The merged answer of {@link CallbotApi.stopOrder}: the platform's counters
 * summed over the requests, and every order not stopped.
 *
 * @since 0.1.0
 * @category models
 */
export interface StopOrderResult {
  readonly retCode: 0
  readonly retMsg: string
  readonly responseID: string
  /** Order IDs passed in. */
  readonly totalCount: number
  readonly successCount: number
  /** The platform's `{ orderID, errMsg }`, plus the orders of failed requests. */
  readonly errList: ReadonlyArray<typeof Models.OrderError.Type>
  readonly failures: ReadonlyArray<ChunkFailure>
}

// ---------------------------------------------------------------------------
// inputs

/**
 * Orders as an array or as a `Stream` (read as it goes, never collected).
 *
 * @since 0.1.0
 * @category models
 */
export type OrderSource<E = never, R = never> =
  | ReadonlyArray<Models.CallOrderInput>
  | Stream.Stream<Models.CallOrderInput, E, R>

/**
 * An import request whose `callInfoList.callList` is a `Stream` of orders.
 *
 * @since 0.1.0
 * @category models
 */
export type WithOrderStream<
  I extends { readonly callInfoList: { readonly callList: ReadonlyArray<Models.CallOrderInput> } },
  E,
  R
> =
  & Omit<I, "callInfoList">
  & {
    readonly callInfoList: Omit<I["callInfoList"], "callList"> & {
      readonly callList: Stream.Stream<Models.CallOrderInput, E, R>
    }
  }

/**
 * `mgrTaskStatus` extras of the pause / finish shorthands.
 *
 * @since 0.1.0
 * @category models
 */
export interface TaskOperationOptions {
  /** `1` also deletes the data not dialled yet ("use with caution"). */
  readonly delCall?: 0 | 1 | undefined
}

// ---------------------------------------------------------------------------
// service

/**
 * The Callbot API.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallbotApi {
  /**
   * `POST /callcentre/api/v3/ping`: liveness and credentials check. `data`
   * (default `"ping"`) is echoed back. A non-zero `code` fails with the same
   * error classes as a `retCode`.
   */
  readonly ping: (request?: Endpoints.PingInput) => Effect.Effect<Endpoints.PingResponse, CallbotError.CallbotError>

  /**
   * `POST /callcentre/api/v3/createTask`: creates a task without orders. Takes
   * the `createAndCall` spelling (`smsID` / `intentID`, `taskCallbackUrl` in
   * `taskCreateSetting` or at the top level) and sends createTask's
   * (`smsId` / `intentId`, callback URLs at the top level).
   */
  readonly createTask: (
    request: Endpoints.CreateTaskInput
  ) => Effect.Effect<Endpoints.CreateTaskResponse, CallbotError.CallbotError>

  /**
   * `POST /callcentre/api/v3/addBatchCall`: adds orders (an array or a
   * `Stream`) to an existing task, in requests of `chunkSize` orders.
   * Orders that fail validation are reported in `errList`
   * (`rejectedBy: "client"`) and the rest are sent. If every request fails,
   * the call fails with the first error; otherwise the failed requests'
   * orders are in `errList` (`rejectedBy: "request"`) and `failures`.
   */
  readonly addBatchCall: {
    <E = never, R = never>(
      request: WithOrderStream<Endpoints.AddBatchCallInput, E, R>,
      options?: ImportOptions
    ): Effect.Effect<ImportResult, CallbotError.CallbotError | E, R>
    (request: Endpoints.AddBatchCallInput, options?: ImportOptions): Effect.Effect<ImportResult, CallbotError.CallbotError>
  }

  /**
   * `POST /callcentre/api/v3/createAndCall`: creates a task and imports its
   * orders (an array or a `Stream`). More orders than one request carries:
   * the task is created with the first chunk, the rest are added with
   * `addBatchCall`. The first request failing fails the call (no task);
   * after it, a failed request's orders are reported in `errList`
   * (`rejectedBy: "request"`) and `failures`. Orders that fail validation
   * are reported in `errList` (`rejectedBy: "client"`) and the rest are
   * sent; `productID` is filled in.
   */
  readonly createAndCall: {
    <E = never, R = never>(
      request: WithOrderStream<Endpoints.CreateAndCallInput, E, R>,
      options?: ImportOptions
    ): Effect.Effect<CreateAndCallResult, CallbotError.CallbotError | E, R>
    (request: Endpoints.CreateAndCallInput, options?: ImportOptions): Effect.Effect<
      CreateAndCallResult,
      CallbotError.CallbotError
    >
  }

  /**
   * `POST /callcentre/api/v3/importBatchCall`: imports orders as the task's
   * newest batch; the undialled numbers of the previous batch are deleted.
   * By default the list must fit one request (see
   * {@link ImportBatchOptions.overflow}).
   */
  readonly importBatchCall: {
    <E = never, R = never>(
      request: WithOrderStream<Endpoints.ImportBatchCallInput, E, R>,
      options?: ImportBatchOptions
    ): Effect.Effect<ImportBatchResult, CallbotError.CallbotError | E, R>
    (request: Endpoints.ImportBatchCallInput, options?: ImportBatchOptions): Effect.Effect<
      ImportBatchResult,
      CallbotError.CallbotError
    >
  }

  /** `POST /callcentre/api/v3/mgrTaskStatus`: start (`1`), pause (`2`) or finish (`3`) a task. */
  readonly mgrTaskStatus: (
    request: Endpoints.MgrTaskStatusInput
  ) => Effect.Effect<Endpoints.MgrTaskStatusResponse, CallbotError.CallbotError>

  /** Starts a task (`mgrTaskStatus` with `taskOperate` 1). */
  readonly startTask: (userTaskID: string) => Effect.Effect<Endpoints.MgrTaskStatusResponse, CallbotError.CallbotError>

  /** Pauses a task (`mgrTaskStatus` with `taskOperate` 2). */
  readonly pauseTask: (
    userTaskID: string,
    options?: TaskOperationOptions
  ) => Effect.Effect<Endpoints.MgrTaskStatusResponse, CallbotError.CallbotError>

  /** Finishes a task (`mgrTaskStatus` with `taskOperate` 3). */
  readonly finishTask: (
    userTaskID: string,
    options?: TaskOperationOptions
  ) => Effect.Effect<Endpoints.MgrTaskStatusResponse, CallbotError.CallbotError>

  /**
   * `POST /callcentre/api/v3/updateTask`: replaces `taskCreateSetting` and
   * `funcFlag` of a paused or not yet started task (effective after 5
   * minutes). Both are sent whole.
   */
  readonly updateTask: (
    request: Endpoints.UpdateTaskInput
  ) => Effect.Effect<Endpoints.UpdateTaskResponse, CallbotError.CallbotError>

  /** `POST /callcentre/api/v3/listTask`: one page of tasks. */
  readonly listTask: (
    request?: Endpoints.ListTaskInput
  ) => Effect.Effect<Endpoints.ListTaskResponse, CallbotError.CallbotError>

  /** Every task matching the filters, page after page until a short page. */
  readonly listTaskStream: (
    request?: Omit<Endpoints.ListTaskInput, "page" | "size">,
    options?: StreamOptions
  ) => Stream.Stream<Models.TaskInfo, CallbotError.CallbotError>

  /** `POST /callcentre/api/v3/listCall`: one page of a task's calls (gzip answer by default). */
  readonly listCall: (
    request: Endpoints.ListCallInput
  ) => Effect.Effect<Endpoints.ListCallResponse, CallbotError.CallbotError>

  /** Every call of a task matching the filters, page after page until a short page. */
  readonly listCallStream: (
    request: Omit<Endpoints.ListCallInput, "page" | "size">,
    options?: StreamOptions
  ) => Stream.Stream<Models.OrderRecord, CallbotError.CallbotError>

  /** `POST /callcentre/api/v3/listOrder`: one page of a task's orders, each with its last call. */
  readonly listOrder: (
    request: Endpoints.ListOrderInput
  ) => Effect.Effect<Endpoints.ListOrderResponse, CallbotError.CallbotError>

  /** Every order of a task matching the filters, page after page until a short page. */
  readonly listOrderStream: (
    request: Omit<Endpoints.ListOrderInput, "page" | "size">,
    options?: StreamOptions
  ) => Stream.Stream<Models.OrderRecord, CallbotError.CallbotError>

  /**
   * `POST /callcentre/api/v3/stopOrder`: stops orders not dialled yet
   * (irreversible). Any number of order IDs, sent {@link Endpoints.STOP_ORDER_MAX}
   * per request; counters and `errList` merged. If every request fails the
   * call fails with the first error; otherwise the failed requests' order IDs
   * are in `errList` and `failures`.
   */
  readonly stopOrder: (
    request: Endpoints.StopOrderInput,
    options?: Pick<ImportOptions, "concurrency">
  ) => Effect.Effect<StopOrderResult, CallbotError.CallbotError>

  /**
   * `POST /callcentre/api/v3/listOrderDetail`: every call of the given
   * orders. Any number of order IDs, sent 500 per request (the documented
   * limit); the answers are merged in input order. Read-only, so any failed
   * request fails the call.
   */
  readonly listOrderDetail: (
    request: Endpoints.ListOrderDetailInput,
    options?: Pick<ImportOptions, "concurrency">
  ) => Effect.Effect<Endpoints.ListOrderDetailResponse, CallbotError.CallbotError>

  /** `POST /callcentre/api/v3/exportBatchCall`: the task's latest batch, whole (gzip answer by default). */
  readonly exportBatchCall: (
    request: Endpoints.ExportBatchCallInput
  ) => Effect.Effect<Endpoints.ExportBatchCallResponse, CallbotError.CallbotError>
}

/**
 * The {@link CallbotApi} service tag.
 *
 * @since 0.1.0
 * @category services
 */
export const CallbotApi: Context.Tag<CallbotApi, CallbotApi> = Context.GenericTag<CallbotApi>(
  "effect-callbot/CallbotApi"
)

// ---------------------------------------------------------------------------
// helpers

const readPath = (u: unknown, path: ReadonlyArray<string>): unknown => {
  let current = u
  for (const key of path) {
    if (typeof current !== "object" || current === null || !(key in current)) return undefined
    current = Reflect.get(current, key)
  }
  return current
}

const isStream = (u: unknown): u is Stream.Stream<unknown, unknown, unknown> => Predicate.hasProperty(u, Stream.StreamTypeId)

/** The orders of an import request as a stream, and whether they came as an array. */
const orderSource = <E, R>(
  endpoint: string,
  input: unknown
): Effect.Effect<
  {
    readonly source: Stream.Stream<unknown, E, R>
    readonly isArray: boolean
    readonly array?: ReadonlyArray<unknown> | undefined
  },
  CallbotError.InvalidRequest
> => {
  const callList = readPath(input, ["callInfoList", "callList"])
  if (Array.isArray(callList)) {
    return Effect.succeed({ source: Stream.fromIterable(callList), isArray: true, array: callList })
  }
  if (isStream(callList)) {
    // The overloads tie this stream's E and R to the caller's; only the
    // runtime check above can tell it from an array.
    const source: Stream.Stream<unknown, E, R> = Stream.suspend(() => unsafeStream<E, R>(callList))
    return Effect.succeed({ source, isArray: false })
  }
  return Effect.fail(Orders.notAnArray(endpoint))
}

function unsafeStream<E, R>(stream: Stream.Stream<unknown, unknown, unknown>): Stream.Stream<unknown, E, R>
function unsafeStream(stream: Stream.Stream<unknown, unknown, unknown>) {
  return stream
}

const PositiveInt = Schema.Int.pipe(Schema.positive({ message: () => "must be a positive integer" }))

const ImportOptionsSchema = Schema.Struct({
  chunkSize: PositiveInt,
  concurrency: PositiveInt,
  overflow: Schema.Literal("fail", "addBatchCall"),
  gzip: Schema.Boolean
})

const resolveOptions = (
  endpoint: string,
  options: unknown
): Effect.Effect<typeof ImportOptionsSchema.Type, CallbotError.InvalidRequest> =>
  Effect.mapError(
    Schema.decodeUnknown(ImportOptionsSchema, { errors: "all" })(options),
    (error) => CallbotClient.invalidRequest(endpoint, error, "options")
  )

const warnAboutSmsRules = (endpoint: string, funcFlag: typeof Models.FuncFlag.Type) => {
  const intents = funcFlag.smsFuncFlag.flatMap((rule) => rule.intentID)
  const duplicated = intents.filter((id, i) => intents.indexOf(id) !== i)
  return duplicated.length === 0 ? Effect.void : Effect.logWarning(
    `${endpoint}: smsFuncFlag repeats intentID ${[...new Set(duplicated)].join(", ")}; ` +
      "the platform keeps only the last rule for each"
  )
}

/** Warns once per call when orders carry script params while `wholeTTS` is off. */
const paramsWarning = (endpoint: string, funcFlag: typeof Models.FuncFlag.Type) => {
  let warned = funcFlag.wholeTTS
  return (orders: ReadonlyArray<Models.CallOrderWire>): Effect.Effect<void> =>
    Effect.suspend(() => {
      if (warned || !orders.some((order) => order.params.length > 0)) return Effect.void
      warned = true
      return Effect.logWarning(`${endpoint}: orders carry script params but funcFlag.wholeTTS is false`)
    })
}

const pieces = <A>(items: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

const importResult = <F>(outcome: Importer.Outcome<F>): ImportResult => ({
  retCode: 0,
  retMsg: outcome.retMsg,
  responseID: outcome.responseID,
  totalCount: outcome.totalCount,
  successCount: outcome.successCount,
  errList: outcome.errList,
  failures: outcome.failures,
  requests: outcome.requests
})

const ListOrderDetailAnyLength = Schema.Struct({
  ...Endpoints.ListOrderDetailRequest.fields,
  orderList: Endpoints.OrderIDs
})

// ---------------------------------------------------------------------------
// constructors

/**
 * Builds the API on top of a {@link CallbotClient.CallbotClient}, with
 * {@link ApiOptions}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWith = (
  apiOptions: ApiOptions = {}
): Effect.Effect<CallbotApi, never, CallbotClient.CallbotClient> =>
  Effect.gen(function*() {
    const client = yield* CallbotClient.CallbotClient
    const defaults = {
      chunkSize: apiOptions.chunkSize ?? DEFAULT_CHUNK_SIZE,
      concurrency: apiOptions.concurrency ?? DEFAULT_CONCURRENCY,
      overflow: "fail" as const,
      gzip: apiOptions.gzipImport ?? false
    }
    const pageSize = apiOptions.pageSize ?? Endpoints.DEFAULT_PAGE_SIZE
    const acceptGzip = apiOptions.acceptGzip ?? true
    const options = (endpoint: string, perCall: ImportBatchOptions | undefined) =>
      resolveOptions(endpoint, {
        chunkSize: perCall?.chunkSize ?? defaults.chunkSize,
        concurrency: perCall?.concurrency ?? defaults.concurrency,
        overflow: perCall?.overflow ?? defaults.overflow,
        gzip: perCall?.gzip ?? defaults.gzip
      })

    // ---- reconciliation ------------------------------------------------------
    // After an ambiguous failure (the platform may have acted), look things
    // up by their idempotency keys instead of re-sending blindly.

    const findTask = (productID: typeof Models.PRODUCT_ID, userTaskID: string) =>
      client.execute(Endpoints.listTask, { productID, page: 1, size: 10, queryConditions: { userTaskID: [userTaskID] } })
        .pipe(Effect.map((answer) => Option.fromNullable(answer.taskData.find((t) => t.userTaskID === userTaskID))))

    const presentOrders = (productID: typeof Models.PRODUCT_ID, userTaskID: string) =>
    (orders: ReadonlyArray<Models.CallOrderWire>) =>
      Effect.forEach(
        pieces(orders.map((o) => o.orderID), Endpoints.LIST_ORDER_DETAIL_MAX),
        (orderList) => client.execute(Endpoints.listOrderDetail, { productID, userTaskID, orderList }),
        { concurrency: 1 }
      ).pipe(
        Effect.map((answers): ReadonlySet<string> =>
          new Set(answers.flatMap((answer) => answer.orderDetailList.map((detail) => detail.orderID)))
        ),
        Effect.withSpan("CallbotApi.reconcile.listOrderDetail", {
          captureStackTrace: false,
          attributes: { "callbot.orders": orders.length }
        })
      )

    /** The reconciliation of an import, when the policy in force asks for it. */
    const reconcilerFor = <First>(
      productID: typeof Models.PRODUCT_ID,
      userTaskID: string,
      first?: Importer.Reconcile<First>["first"]
    ) =>
      Effect.map(client.retryPolicy, (policy): Importer.Reconcile<First> | undefined =>
        policy.reconcile
          ? { present: presentOrders(productID, userTaskID), first, pauses: RetryPolicy.pauses(policy) }
          : undefined
      )

    // ---- single requests ---------------------------------------------------

    const ping = Effect.fn("CallbotApi.ping")(function*(input: Endpoints.PingInput = {}) {
      const wire = yield* CallbotClient.validate(Endpoints.ping.name, Endpoints.ping.request, input)
      return yield* client.execute(Endpoints.ping, wire)
    })

    const createTask = Effect.fn("CallbotApi.createTask")(function*(input: Endpoints.CreateTaskInput) {
      const wire = yield* CallbotClient.validate(Endpoints.createTask.name, Endpoints.createTask.request, input)
      yield* warnAboutSmsRules(Endpoints.createTask.name, {
        ...Models.defaultFuncFlag,
        smsFuncFlag: wire.funcFlag.smsFuncFlag.map((rule) => ({
          smsID: rule.smsId,
          intentID: rule.intentId,
          intentName: rule.intentName
        }))
      })
      yield* Effect.annotateCurrentSpan("callbot.userTaskID", wire.userTaskID)
      const policy = yield* client.retryPolicy
      const pause = yield* RetryPolicy.pauses(policy)
      let ambiguous = false
      while (true) {
        const sent = yield* Effect.either(client.execute(Endpoints.createTask, wire))
        if (sent._tag === "Right") return sent.right
        const error = sent.left
        if (!policy.reconcile || !(ambiguous || RetryPolicy.classify(error) === "ambiguous")) return yield* error
        ambiguous = true
        // The task may exist: userTaskID is its idempotency key.
        const found = yield* Effect.mapError(findTask(wire.productID, wire.userTaskID), () => error)
        if (Option.isSome(found)) {
          yield* Effect.annotateCurrentSpan("callbot.reconciled", true)
          return {
            retCode: 0,
            retMsg: `reconciled after ${error._tag}: the task exists`,
            responseID: "",
            taskID: found.value.taskID
          } satisfies Endpoints.CreateTaskResponse
        }
        if (!(yield* pause(error))) return yield* error
      }
    })

    const mgrTaskStatus = Effect.fn("CallbotApi.mgrTaskStatus")(function*(input: Endpoints.MgrTaskStatusInput) {
      const wire = yield* CallbotClient.validate(Endpoints.mgrTaskStatus.name, Endpoints.mgrTaskStatus.request, input)
      yield* Effect.annotateCurrentSpan({ "callbot.userTaskID": wire.userTaskID, "callbot.taskOperate": wire.taskOperate })
      return yield* client.execute(Endpoints.mgrTaskStatus, wire)
    })

    const operate = (taskOperate: 1 | 2 | 3, userTaskID: string, extra: TaskOperationOptions = {}) =>
      mgrTaskStatus({ userTaskID, taskOperate, ...(extra.delCall === undefined ? {} : { delCall: extra.delCall }) })

    const startTask = Effect.fn("CallbotApi.startTask")((userTaskID: string) =>
      operate(Models.TaskOperations.Start, userTaskID)
    )
    const pauseTask = Effect.fn("CallbotApi.pauseTask")((userTaskID: string, extra?: TaskOperationOptions) =>
      operate(Models.TaskOperations.Pause, userTaskID, extra)
    )
    const finishTask = Effect.fn("CallbotApi.finishTask")((userTaskID: string, extra?: TaskOperationOptions) =>
      operate(Models.TaskOperations.Finish, userTaskID, extra)
    )

    const updateTask = Effect.fn("CallbotApi.updateTask")(function*(input: Endpoints.UpdateTaskInput) {
      const wire = yield* CallbotClient.validate(Endpoints.updateTask.name, Endpoints.updateTask.request, input)
      yield* warnAboutSmsRules(Endpoints.updateTask.name, wire.funcFlag)
      yield* Effect.annotateCurrentSpan("callbot.userTaskID", wire.userTaskID)
      return yield* client.execute(Endpoints.updateTask, wire)
    })

    const exportBatchCall = Effect.fn("CallbotApi.exportBatchCall")(function*(input: Endpoints.ExportBatchCallInput) {
      const wire = yield* CallbotClient.validate(
        Endpoints.exportBatchCall.name,
        Endpoints.exportBatchCall.request,
        input
      )
      yield* Effect.annotateCurrentSpan("callbot.userTaskID", wire.userTaskID)
      return yield* client.execute(Endpoints.exportBatchCall, wire, { acceptGzip })
    })

    // ---- lists -------------------------------------------------------------

    const listTask = Effect.fn("CallbotApi.listTask")(function*(input: Endpoints.ListTaskInput = {}) {
      const wire = yield* CallbotClient.validate(Endpoints.listTask.name, Endpoints.listTask.request, input)
      return yield* client.execute(Endpoints.listTask, wire)
    })

    const listCall = Effect.fn("CallbotApi.listCall")(function*(input: Endpoints.ListCallInput) {
      const wire = yield* CallbotClient.validate(Endpoints.listCall.name, Endpoints.listCall.request, input)
      return yield* client.execute(Endpoints.listCall, wire, { acceptGzip })
    })

    const listOrder = Effect.fn("CallbotApi.listOrder")(function*(input: Endpoints.ListOrderInput) {
      const wire = yield* CallbotClient.validate(Endpoints.listOrder.name, Endpoints.listOrder.request, input)
      return yield* client.execute(Endpoints.listOrder, wire)
    })

    /** Walks pages from 1 until a page shorter than `size` (an empty one included). */
    const pages = <Wire extends { readonly page: number; readonly size: number }, WireEncoded, Res, ResEncoded, Item>(
      endpoint: Endpoints.Endpoint<Wire, WireEncoded, Res, ResEncoded>,
      input: unknown,
      items: (response: Res) => ReadonlyArray<Item>,
      executeOptions: CallbotClient.ExecuteOptions = {}
    ): Stream.Stream<Item, CallbotError.CallbotError> =>
      Stream.unwrap(
        Effect.map(CallbotClient.validate(endpoint.name, endpoint.request, input), (wire) =>
          Stream.paginateChunkEffect(wire.page, (page) =>
            Effect.map(
              client.execute(endpoint, { ...wire, page }, executeOptions).pipe(
                Effect.withSpan(`CallbotApi.${endpoint.name}`, { captureStackTrace: false, attributes: { "callbot.page": page } })
              ),
              (response) => {
                const list = items(response)
                return [
                  Chunk.fromIterable(list),
                  list.length < wire.size ? Option.none() : Option.some(page + 1)
                ] as const
              }
            )))
      ).pipe(Stream.withSpan(`CallbotApi.${endpoint.name}Stream`))

    const withPaging = (input: object | undefined, streamOptions: StreamOptions | undefined) => ({
      ...input,
      page: 1,
      size: streamOptions?.pageSize ?? pageSize
    })

    const listTaskStream: CallbotApi["listTaskStream"] = (input, streamOptions) =>
      pages(Endpoints.listTask, withPaging(input, streamOptions), (r) => r.taskData)
    const listCallStream: CallbotApi["listCallStream"] = (input, streamOptions) =>
      pages(Endpoints.listCall, withPaging(input, streamOptions), (r) => r.callList, { acceptGzip })
    const listOrderStream: CallbotApi["listOrderStream"] = (input, streamOptions) =>
      pages(Endpoints.listOrder, withPaging(input, streamOptions), (r) => r.orderList)

    // ---- split requests ----------------------------------------------------

    const concurrencyOf = (endpoint: string, perCall: Pick<ImportOptions, "concurrency"> | undefined) =>
      Effect.map(options(endpoint, { concurrency: perCall?.concurrency }), (o) => o.concurrency)

    const listOrderDetail = Effect.fn("CallbotApi.listOrderDetail")(function*(
      input: Endpoints.ListOrderDetailInput,
      perCall?: Pick<ImportOptions, "concurrency">
    ) {
      const endpoint = Endpoints.listOrderDetail.name
      const concurrency = yield* concurrencyOf(endpoint, perCall)
      const valid = yield* CallbotClient.validate(endpoint, ListOrderDetailAnyLength, input)
      const parts = pieces(valid.orderList, Endpoints.LIST_ORDER_DETAIL_MAX)
      yield* Effect.annotateCurrentSpan({ "callbot.orders": valid.orderList.length, "callbot.requests": parts.length })
      const answers = yield* Effect.forEach(
        parts,
        (orderList) => client.execute(Endpoints.listOrderDetail, { ...valid, orderList }),
        { concurrency }
      )
      const [first] = answers
      return {
        retCode: 0,
        retMsg: first?.retMsg ?? "",
        responseID: first?.responseID ?? "",
        orderDetailList: answers.flatMap((answer) => answer.orderDetailList)
      } satisfies Endpoints.ListOrderDetailResponse
    })

    const stopOrder = Effect.fn("CallbotApi.stopOrder")(function*(
      input: Endpoints.StopOrderInput,
      perCall?: Pick<ImportOptions, "concurrency">
    ) {
      const endpoint = Endpoints.stopOrder.name
      const concurrency = yield* concurrencyOf(endpoint, perCall)
      const valid = yield* CallbotClient.validate(endpoint, Endpoints.stopOrder.request, input)
      const parts = pieces(valid.orderIDs, Endpoints.STOP_ORDER_MAX)
      yield* Effect.annotateCurrentSpan({
        "callbot.userTaskID": valid.userTaskID,
        "callbot.orders": valid.orderIDs.length,
        "callbot.requests": parts.length
      })
      const answers = yield* Effect.forEach(
        parts,
        (orderIDs) => Effect.either(client.execute(Endpoints.stopOrder, { ...valid, orderIDs })),
        { concurrency }
      )
      const succeeded = answers.flatMap((answer) => (answer._tag === "Right" ? [answer.right] : []))
      const firstFailure = answers.find((answer) => answer._tag === "Left")
      // Nothing was stopped: the error itself is the answer.
      if (succeeded.length === 0 && firstFailure?._tag === "Left") return yield* Effect.fail(firstFailure.left)
      const failures: Array<ChunkFailure> = []
      const errList: Array<typeof Models.OrderError.Type> = []
      answers.forEach((answer, i) => {
        if (answer._tag === "Right") {
          errList.push(...answer.right.errList)
          return
        }
        const part = parts[i] ?? []
        const maybe = Importer.maybeImported(answer.left)
        failures.push({ endpoint, error: answer.left, orders: part.length, maybeImported: maybe })
        const reason = `stopOrder request failed: ${answer.left._tag}: ${answer.left.message}` +
          (maybe ? " (the platform may have stopped it: check with listOrder)" : "")
        for (const orderID of part) errList.push({ orderID, errMsg: reason })
      })
      const [first] = succeeded
      return {
        retCode: 0,
        retMsg: first?.retMsg ?? "",
        responseID: first?.responseID ?? "",
        totalCount: valid.orderIDs.length,
        successCount: succeeded.reduce((n, answer) => n + answer.successCount, 0),
        errList,
        failures
      } satisfies StopOrderResult
    })

    // ---- imports -----------------------------------------------------------

    const callInfoHeader = (header: { readonly callInfoList: typeof Models.CallInfoListHeader.Type }) => ({
      orderCallbackUrl: header.callInfoList.orderCallbackUrl,
      callCallbackUrl: header.callInfoList.callCallbackUrl
    })

    const addBatchCallImpl = <E, R>(
      input: unknown,
      perCall: ImportOptions | undefined
    ): Effect.Effect<ImportResult, CallbotError.CallbotError | E, R> =>
      Effect.gen(function*() {
        const endpoint = Endpoints.addBatchCall.name
        const opts = yield* options(endpoint, perCall)
        const header = yield* CallbotClient.validate(endpoint, Endpoints.AddBatchCallHeader, input)
        const { array, isArray, source } = yield* orderSource<E, R>(endpoint, input)
        const callInfo = callInfoHeader(header)
        const send = (callList: ReadonlyArray<Models.CallOrderWire>) =>
          client.execute(Endpoints.addBatchCall, { ...header, callInfoList: { ...callInfo, callList } })
        const outcome = yield* Importer.run({
          endpoint,
          array,
          source,
          dedupeAll: isArray,
          chunkSize: opts.chunkSize,
          concurrency: opts.concurrency,
          rest: send,
          restEndpoint: endpoint,
          reconcile: yield* reconcilerFor<Importer.SendResult>(header.productID, header.userTaskID)
        })
        yield* annotateImport(header.userTaskID, outcome)
        return importResult(outcome)
      }).pipe(Effect.withSpan("CallbotApi.addBatchCall"))

    const createAndCallImpl = <E, R>(
      input: unknown,
      perCall: ImportOptions | undefined
    ): Effect.Effect<CreateAndCallResult, CallbotError.CallbotError | E, R> =>
      Effect.gen(function*() {
        const endpoint = Endpoints.createAndCall.name
        const opts = yield* options(endpoint, perCall)
        const header = yield* CallbotClient.validate(endpoint, Endpoints.CreateAndCallHeader, input)
        const { array, isArray, source } = yield* orderSource<E, R>(endpoint, input)
        yield* warnAboutSmsRules(endpoint, header.funcFlag)
        const callInfo = callInfoHeader(header)
        const outcome = yield* Importer.run({
          endpoint,
          array,
          source,
          dedupeAll: isArray,
          chunkSize: opts.chunkSize,
          concurrency: opts.concurrency,
          first: {
            endpoint,
            overflow: "continue",
            send: (callList) =>
              client.execute(Endpoints.createAndCall, { ...header, callInfoList: { ...callInfo, callList } })
          },
          rest: (callList) =>
            client.execute(Endpoints.addBatchCall, {
              productID: header.productID,
              userTaskID: header.userTaskID,
              callInfoList: { ...callInfo, callList }
            }),
          restEndpoint: Endpoints.addBatchCall.name,
          inspect: paramsWarning(endpoint, header.funcFlag),
          reconcile: yield* reconcilerFor<Endpoints.CreateAndCallResponse>(
            header.productID,
            header.userTaskID,
            // The task exists (found by userTaskID): the orders it does not
            // have go on with addBatchCall.
            (orders) =>
              Effect.gen(function*() {
                const task = yield* findTask(header.productID, header.userTaskID)
                if (Option.isNone(task)) return Option.none()
                const present = yield* presentOrders(header.productID, header.userTaskID)(orders)
                return Option.some({
                  present,
                  result: {
                    retCode: 0,
                    retMsg: "reconciled: the task exists",
                    responseID: "",
                    taskID: task.value.taskID,
                    totalCount: orders.length,
                    successCount: orders.filter((o) => present.has(o.orderID)).length,
                    errList: []
                  } satisfies Endpoints.CreateAndCallResponse
                })
              })
          )
        })
        yield* annotateImport(header.userTaskID, outcome)
        const created = Option.map(outcome.first, (first) => first.taskID)
        return { ...importResult(outcome), taskID: Option.getOrElse(created, () => "") } satisfies CreateAndCallResult
      }).pipe(Effect.withSpan("CallbotApi.createAndCall"))

    const importBatchCallImpl = <E, R>(
      input: unknown,
      perCall: ImportBatchOptions | undefined
    ): Effect.Effect<ImportBatchResult, CallbotError.CallbotError | E, R> =>
      Effect.gen(function*() {
        const endpoint = Endpoints.importBatchCall.name
        const opts = yield* options(endpoint, perCall)
        const header = yield* CallbotClient.validate(endpoint, Endpoints.AddBatchCallHeader, input)
        const { array, isArray, source } = yield* orderSource<E, R>(endpoint, input)
        const callInfo = callInfoHeader(header)
        const outcome = yield* Importer.run({
          endpoint,
          array,
          source,
          dedupeAll: isArray,
          chunkSize: opts.chunkSize,
          concurrency: opts.concurrency,
          first: {
            endpoint,
            overflow: opts.overflow === "addBatchCall" ? "continue" : "fail",
            send: (callList) =>
              client.execute(
                Endpoints.importBatchCall,
                { ...header, callInfoList: { ...callInfo, callList } },
                { gzipRequest: opts.gzip }
              )
          },
          rest: (callList) =>
            client.execute(Endpoints.addBatchCall, { ...header, callInfoList: { ...callInfo, callList } }),
          restEndpoint: Endpoints.addBatchCall.name,
          reconcile: yield* reconcilerFor<Endpoints.ImportBatchCallResponse>(
            header.productID,
            header.userTaskID,
            // Orders of this import found on the platform mean the batch was
            // created: the missing ones are added to it. None found: the
            // import is sent again (it replaces the previous batch either way).
            (orders) =>
              Effect.map(presentOrders(header.productID, header.userTaskID)(orders), (present) => {
                const successCount = orders.filter((o) => present.has(o.orderID)).length
                return successCount === 0 ? Option.none() : Option.some({
                  present,
                  result: {
                    retCode: 0,
                    retMsg: "reconciled: the batch exists",
                    responseID: "",
                    totalCount: orders.length,
                    successCount,
                    errList: []
                  } satisfies Endpoints.ImportBatchCallResponse
                })
              })
          )
        })
        yield* annotateImport(header.userTaskID, outcome)
        const batchID = Option.getOrUndefined(Option.flatMapNullable(outcome.first, (first) => first.batchID))
        return {
          ...importResult(outcome),
          ...(batchID === undefined ? {} : { batchID })
        } satisfies ImportBatchResult
      }).pipe(Effect.withSpan("CallbotApi.importBatchCall"))

    // Overloads: a `Stream` of orders carries its error and requirements into
    // the result; an array adds none.
    function addBatchCall<E = never, R = never>(
      input: WithOrderStream<Endpoints.AddBatchCallInput, E, R>,
      perCall?: ImportOptions
    ): Effect.Effect<ImportResult, CallbotError.CallbotError | E, R>
    function addBatchCall(
      input: Endpoints.AddBatchCallInput,
      perCall?: ImportOptions
    ): Effect.Effect<ImportResult, CallbotError.CallbotError>
    function addBatchCall(input: unknown, perCall?: ImportOptions) {
      return addBatchCallImpl(input, perCall)
    }
    function createAndCall<E = never, R = never>(
      input: WithOrderStream<Endpoints.CreateAndCallInput, E, R>,
      perCall?: ImportOptions
    ): Effect.Effect<CreateAndCallResult, CallbotError.CallbotError | E, R>
    function createAndCall(
      input: Endpoints.CreateAndCallInput,
      perCall?: ImportOptions
    ): Effect.Effect<CreateAndCallResult, CallbotError.CallbotError>
    function createAndCall(input: unknown, perCall?: ImportOptions) {
      return createAndCallImpl(input, perCall)
    }
    function importBatchCall<E = never, R = never>(
      input: WithOrderStream<Endpoints.ImportBatchCallInput, E, R>,
      perCall?: ImportBatchOptions
    ): Effect.Effect<ImportBatchResult, CallbotError.CallbotError | E, R>
    function importBatchCall(
      input: Endpoints.ImportBatchCallInput,
      perCall?: ImportBatchOptions
    ): Effect.Effect<ImportBatchResult, CallbotError.CallbotError>
    function importBatchCall(input: unknown, perCall?: ImportBatchOptions) {
      return importBatchCallImpl(input, perCall)
    }

    return CallbotApi.of({
      ping,
      createTask,
      addBatchCall,
      createAndCall,
      importBatchCall,
      mgrTaskStatus,
      startTask,
      pauseTask,
      finishTask,
      updateTask,
      listTask,
      listTaskStream,
      listCall,
      listCallStream,
      listOrder,
      listOrderStream,
      stopOrder,
      listOrderDetail,
      exportBatchCall
    })
  })

const annotateImport = <F>(userTaskID: string, outcome: Importer.Outcome<F>) =>
  Effect.annotateCurrentSpan({
    "callbot.userTaskID": userTaskID,
    "callbot.orders": outcome.totalCount,
    "callbot.imported": outcome.successCount,
    "callbot.rejected": outcome.errList.length,
    "callbot.requests": outcome.requests,
    "callbot.failedRequests": outcome.failures.length
  })

/**
 * Builds the API with the default {@link ApiOptions}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<CallbotApi, never, CallbotClient.CallbotClient> = makeWith()

/**
 * Everything {@link layer} needs: the account, the client options and the
 * API options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Signer.Options, CallbotClient.Options, ApiOptions {}

/**
 * The API alone, on top of a {@link CallbotClient.CallbotClient} you provide.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithoutClient: Layer.Layer<CallbotApi, never, CallbotClient.CallbotClient> = Layer.effect(
  CallbotApi,
  make
)

/**
 * The API alone with {@link ApiOptions}, on top of a
 * {@link CallbotClient.CallbotClient} you provide.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApi = (options: ApiOptions): Layer.Layer<CallbotApi, never, CallbotClient.CallbotClient> =>
  Layer.effect(CallbotApi, makeWith(options))

/**
 * The whole stack — {@link Signer.Signer}, the signed
 * {@link CallbotClient.CallbotClient} and {@link CallbotApi} — needing only an
 * `HttpClient` (`NodeHttpClient.layerUndici`, `FetchHttpClient.layer`, …).
 * The `Signer` is exposed too, for verifying callbacks with the same account.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<CallbotApi | CallbotClient.CallbotClient | Signer.Signer, never, HttpClient.HttpClient> =>
  layerApi(options).pipe(
    Layer.provideMerge(CallbotClient.layer(options)),
    Layer.provideMerge(Signer.layer(options))
  )

/**
 * {@link Options} read from configuration: the {@link Signer.config} keys plus
 * `CALLBOT_BASE_URL` (default `https://nxbot.nxcloud.com`),
 * `CALLBOT_VERIFY_RESPONSES` (`always` | `ifPresent` | `never`, default
 * `ifPresent`), `CALLBOT_CHUNK_SIZE` (default 500), `CALLBOT_CONCURRENCY`
 * (default 4) and `CALLBOT_PAGE_SIZE` (default 100).
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Options> = Config.all({
  account: Signer.config,
  baseUrl: Config.url("CALLBOT_BASE_URL").pipe(
    Config.map((url) => url.toString()),
    Config.withDefault(CallbotClient.DEFAULT_BASE_URL)
  ),
  verifyResponses: Config.literal("always", "ifPresent", "never")("CALLBOT_VERIFY_RESPONSES").pipe(
    Config.withDefault("ifPresent" as const)
  ),
  chunkSize: positiveIntConfig("CALLBOT_CHUNK_SIZE", DEFAULT_CHUNK_SIZE),
  concurrency: positiveIntConfig("CALLBOT_CONCURRENCY", DEFAULT_CONCURRENCY),
  pageSize: positiveIntConfig("CALLBOT_PAGE_SIZE", Endpoints.DEFAULT_PAGE_SIZE)
}).pipe(Config.map(({ account, ...rest }) => ({ ...account, ...rest })))

function positiveIntConfig(name: string, fallback: number): Config.Config<number> {
  return Config.integer(name).pipe(
    Config.validate({ message: "must be a positive integer", validation: (n) => n > 0 }),
    Config.withDefault(fallback)
  )
}

/**
 * {@link layer} built from any `Config` of {@link Options}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromConfig = (
  options: Config.Config<Options>
): Layer.Layer<
  CallbotApi | CallbotClient.CallbotClient | Signer.Signer,
  ConfigError.ConfigError,
  HttpClient.HttpClient
> => Layer.unwrapEffect(Effect.map(options, layer))

/**
 * {@link layer} configured from the environment (see {@link config}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = layerFromConfig(config)
