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
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Stream from "effect/Stream"
import type * as CallbotError from "./CallbotError.js"
import * as CallbotClient from "./CallbotClient.js"
import * as Endpoints from "./Endpoints.js"
import * as internalContext from "./internal/api/context.js"
import * as internal from "./internal/api/make.js"
import type * as Models from "./Models.js"
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
export const DEFAULT_CHUNK_SIZE = internalContext.DEFAULT_CHUNK_SIZE

/**
 * Requests of one import (or of one split `listOrderDetail` / `stopOrder`)
 * in flight at once when none is configured. The platform's rate limit is
 * not documented; this is our choice.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_CONCURRENCY = internalContext.DEFAULT_CONCURRENCY

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
  /**
   * Continue an import that an earlier run (a crashed job, a killed
   * process) left half done. Default `false`. `createAndCall` and
   * `addBatchCall` only (`importBatchCall` refuses it):
   *
   * - the task is looked up by `userTaskID` first (`listTask`); a
   *   `createAndCall` whose task exists goes on with `addBatchCall`, one
   *   whose task does not exist creates it as usual;
   * - when the task exists, each chunk's `orderID`s are looked up
   *   (`listOrderDetail`, at most 500 per request, with the same
   *   `concurrency`) and only the orders the platform does not hold are
   *   sent; those found count in `successCount` and in
   *   {@link ImportResult.alreadyImported}, not in `errList`;
   * - the lookups retry like every read; a chunk whose lookup fails for good
   *   is reported in `errList` (`rejectedBy: "request"`, `maybeImported:
   *   true`: an earlier run may have sent it) and none of it is sent.
   *
   * It relies on deterministic IDs: the same `userTaskID` and the same
   * `orderID` for the same order in every run. See `docs/reliability.md`.
   *
   * @since 0.2.0
   */
  readonly resume?: boolean | undefined
  /**
   * `"phone"`: within this call, an order whose `userPhone` an earlier order
   * of the list already has is rejected (`errList`, `rejectedBy: "client"`,
   * reason `duplicate phone`), so nobody is rung twice because their number
   * is in the export twice. Default: off (only repeated `orderID`s are
   * rejected). The phones seen are kept for the whole call: memory grows
   * with the number of distinct phones (tens of bytes each), also for a
   * `Stream`.
   *
   * @since 0.2.0
   */
  readonly dedupe?: "phone" | undefined
}

/**
 * How `importBatchCall` sends a big order list.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportBatchOptions extends Omit<ImportOptions, "resume"> {
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
 * - `successCount`: orders the platform imported (with `resume`: the orders
 *   of this list the platform holds at the end, sent now or found).
 * - `alreadyImported`: with `resume`, the orders found on the platform and
 *   therefore not sent (0 otherwise).
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
  /**
   * Orders of this list found on the platform by `resume` and not sent
   * (they count in `successCount`). 0 without `resume`.
   *
   * @since 0.2.0
   */
  readonly alreadyImported: number
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
   * With `{ resume: true }` (since 0.2.0) only the orders the task does not
   * hold yet are sent (see {@link ImportOptions.resume}).
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
   *
   * A task with this `userTaskID` that already exists fails the call with
   * `InvalidParameterValue`; since 0.2.0, when the platform's message says
   * so (names the ID or says it exists), the error's message adds that
   * `{ resume: true }` continues the import. With `{ resume: true }`, an
   * existing task is not created again: the orders it does not hold go on
   * with `addBatchCall` (see {@link ImportOptions.resume}).
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
// constructors

/**
 * Builds the API on top of a {@link CallbotClient.CallbotClient}, with
 * {@link ApiOptions}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWith: (
  apiOptions?: ApiOptions
) => Effect.Effect<CallbotApi, never, CallbotClient.CallbotClient> = internal.makeWith

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
 * (default 4), `CALLBOT_PAGE_SIZE` (default 100) and
 * `CALLBOT_MAX_RESPONSE_BYTES` (default 32 MiB, the client's
 * `maxResponseBytes`; since 0.2.0).
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
  pageSize: positiveIntConfig("CALLBOT_PAGE_SIZE", Endpoints.DEFAULT_PAGE_SIZE),
  maxResponseBytes: positiveIntConfig("CALLBOT_MAX_RESPONSE_BYTES", CallbotClient.DEFAULT_MAX_RESPONSE_BYTES)
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
