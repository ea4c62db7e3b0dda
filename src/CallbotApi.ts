/**
 * The Callbot v3 API as an Effect service.
 *
 * Each method validates its input with `effect/Schema` before anything is
 * sent, signs and sends it, verifies the answer and returns the typed result —
 * or fails with one `CallbotError` tag per `retCode`.
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
import type * as CallbotError from "./CallbotError.js"
import * as CallbotClient from "./CallbotClient.js"
import * as Endpoints from "./Endpoints.js"
import * as Orders from "./internal/orders.js"
import type * as Models from "./Models.js"
import * as Signer from "./Signer.js"

/**
 * The merged answer of an order import: the platform's counters plus every
 * order that was not imported, whoever refused it.
 *
 * - `totalCount`: orders you passed in (sent + rejected here).
 * - `successCount`: orders the platform imported.
 * - `errList`: rejected orders, client-side first, then the platform's.
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
 * The Callbot API.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallbotApi {
  /**
   * `POST /callcentre/api/v3/createAndCall`: creates a task and imports its
   * orders in one request. Orders that fail validation are reported in
   * `errList` (`rejectedBy: "client"`) and the rest are sent; `productID` is
   * filled in.
   */
  readonly createAndCall: (
    request: Endpoints.CreateAndCallInput
  ) => Effect.Effect<CreateAndCallResult, CallbotError.CallbotError>
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

const readPath = (u: unknown, path: ReadonlyArray<string>): unknown => {
  let current = u
  for (const key of path) {
    if (typeof current !== "object" || current === null || !(key in current)) return undefined
    current = Reflect.get(current, key)
  }
  return current
}

const warnAboutFlags = (endpoint: string, funcFlag: typeof Models.FuncFlag.Type, orders: ReadonlyArray<Models.CallOrderWire>) =>
  Effect.gen(function*() {
    const intents = funcFlag.smsFuncFlag.flatMap((rule) => rule.intentID)
    const duplicated = intents.filter((id, i) => intents.indexOf(id) !== i)
    if (duplicated.length > 0) {
      yield* Effect.logWarning(
        `${endpoint}: smsFuncFlag repeats intentID ${[...new Set(duplicated)].join(", ")}; ` +
          "the platform keeps only the last rule for each"
      )
    }
    if (!funcFlag.wholeTTS && orders.some((order) => order.params.length > 0)) {
      yield* Effect.logWarning(`${endpoint}: orders carry script params but funcFlag.wholeTTS is false`)
    }
  })

/**
 * Builds the API on top of a {@link CallbotClient.CallbotClient}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<CallbotApi, never, CallbotClient.CallbotClient> = Effect.gen(function*() {
  const client = yield* CallbotClient.CallbotClient

  const createAndCall = Effect.fn("CallbotApi.createAndCall")(function*(input: Endpoints.CreateAndCallInput) {
    const endpoint = Endpoints.createAndCall.name
    const header = yield* CallbotClient.validate(endpoint, Endpoints.CreateAndCallHeader, input)
    const rawOrders = readPath(input, ["callInfoList", "callList"])
    if (!Array.isArray(rawOrders)) return yield* Orders.notAnArray(endpoint)
    const { rejected, valid } = Orders.checkOrders(rawOrders)
    if (valid.length === 0) return yield* Orders.noValidOrders(endpoint, rejected)
    yield* warnAboutFlags(endpoint, header.funcFlag, valid)
    yield* Effect.annotateCurrentSpan({
      "callbot.userTaskID": header.userTaskID,
      "callbot.orders": rawOrders.length,
      "callbot.rejectedByClient": rejected.length
    })
    const request: Endpoints.CreateAndCallWire = {
      ...header,
      callInfoList: { ...header.callInfoList, callList: valid }
    }
    const response = yield* client.execute(Endpoints.createAndCall, request)
    return {
      retCode: 0,
      retMsg: response.retMsg,
      responseID: response.responseID,
      taskID: response.taskID,
      totalCount: response.totalCount + rejected.length,
      successCount: response.successCount,
      errList: [...rejected, ...Orders.serverRejections(valid, response.errList)]
    } satisfies CreateAndCallResult
  })

  return CallbotApi.of({ createAndCall })
})

/**
 * Everything {@link layer} needs: the account and the client options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Signer.Options, CallbotClient.Options {}

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
  layerWithoutClient.pipe(
    Layer.provideMerge(CallbotClient.layer(options)),
    Layer.provideMerge(Signer.layer(options))
  )

/**
 * {@link Options} read from configuration: the {@link Signer.config} keys plus
 * `CALLBOT_BASE_URL` (default `https://nxbot.nxcloud.com`) and
 * `CALLBOT_VERIFY_RESPONSES` (`always` | `ifPresent` | `never`, default
 * `ifPresent`).
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
  )
}).pipe(Config.map(({ account, ...rest }) => ({ ...account, ...rest })))

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
 * {@link layer} configured from `CALLBOT_UUID`, `CALLBOT_SECRET_KEY`,
 * `CALLBOT_ALGORITHM`, `CALLBOT_BASE_URL` and `CALLBOT_VERIFY_RESPONSES`
 * (see {@link config}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = layerFromConfig(config)
