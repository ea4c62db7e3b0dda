/**
 * An in-memory Callbot platform for unit tests: the simulator's engine (the
 * same state, rules, campaign, signatures and faults as
 * `effect-callbot/simulator`) behind an `HttpClient` that hands each request
 * straight to it — no sockets, no ports. Swap one layer:
 *
 * - {@link layer} gives `CallbotApi` (with its `CallbotClient` and `Signer`)
 *   backed by the in-memory platform, plus {@link SimulatorState} to inspect
 *   and steer it.
 * - Callbacks are delivered in memory to your `onCallback` handler (default:
 *   acknowledged and recorded); {@link callbackReceiver} runs an `HttpApp`
 *   such as `Callback.httpApp(...)` as that handler.
 * - Time is the Effect `Clock`: under `TestClock` a campaign runs with
 *   `TestClock.adjust`.
 *
 * Exported at `effect-callbot/testing`. Runtime-neutral: it needs no
 * `@effect/platform-node` (only `node:crypto` and `node:zlib`, like the SDK).
 * See `docs/testing.md`.
 *
 * @example
 * ```ts
 * import { CallbotApi } from "effect-callbot"
 * import * as Testing from "effect-callbot/testing"
 * import { Effect, TestClock } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const api = yield* CallbotApi.CallbotApi
 *   const sim = yield* Testing.SimulatorState
 *   yield* api.createAndCall({ ... })
 *   yield* TestClock.adjust("1 hour")
 *   const [task] = yield* sim.tasks
 *   // task.status === 3, task.taskStat.finishRate === 1
 * }).pipe(Effect.provide(Testing.layer({ seed: 42 })))
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as CallbotApi from "./CallbotApi.js"
import type * as CallbotClient from "./CallbotClient.js"
import * as internal from "./internal/simulator/memory.js"
import * as Types from "./internal/simulator/types.js"
import * as RetryPolicy from "./RetryPolicy.js"
import type * as Signer from "./Signer.js"

/**
 * The base URL the in-memory client answers on (any host works: the path
 * selects the endpoint).
 *
 * @since 0.1.0
 * @category constants
 */
export const BASE_URL = internal.BASE_URL

/**
 * An account the in-memory platform knows.
 *
 * @since 0.1.0
 * @category models
 */
export type Account = Types.Account

/**
 * The account known by default (`uuid` `sim-0000-uuid`), the same as the
 * HTTP simulator's.
 *
 * @since 0.1.0
 * @category constants
 */
export const testAccount: Account = Types.testAccount

/**
 * Constructors of scripted answers: `ScriptedAnswer.RetCode({ retCode: 7 })`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ScriptedAnswer = Types.ScriptedAnswer

/**
 * A callback as it leaves the platform.
 *
 * @since 0.1.0
 * @category models
 */
export type OutgoingCallback = Types.OutgoingCallback

/**
 * The receiver's answer to a callback.
 *
 * @since 0.1.0
 * @category models
 */
export type CallbackReply = Types.CallbackReply

/**
 * The in-memory platform: the same inspection and control members as the
 * HTTP `Simulator` (`tasks`, `orders`, `requests`, `callbacks`,
 * `awaitCallbacks`, `script`, `faultStats`, `creations`, …), its base URL,
 * and the in-memory `HttpClient` that reaches it.
 *
 * @since 0.1.0
 * @category models
 */
export interface SimulatorState extends Types.Inspection {
  readonly baseUrl: string
  /** Hands requests to the platform in memory (`Drop` faults fail as `ECONNRESET` transport errors). */
  readonly httpClient: HttpClient.HttpClient
}

/**
 * The {@link SimulatorState} service tag.
 *
 * @since 0.1.0
 * @category services
 */
export const SimulatorState: Context.Tag<SimulatorState, SimulatorState> = Context.GenericTag<SimulatorState>(
  "effect-callbot/Testing/SimulatorState"
)

/**
 * Settings of the in-memory platform: every simulator option (see
 * `docs/simulator.md`) plus the account the API signs with, the API's own
 * options, and the callback handler.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<R = never> extends Omit<Types.EngineOptions, "callbackHandler"> {
  /** The account `CallbotApi` signs with; added to `accounts` if missing. Default {@link testAccount}. */
  readonly account?: Account | undefined
  /**
   * `CallbotApi` options (retries, chunking, verification, …); the base URL
   * and account are set here. Unlike production, `retry` defaults to
   * `RetryPolicy.none` (one attempt, no reconciliation): under `TestClock` a
   * retry's backoff would wait for a `TestClock.adjust` that a unit test does
   * not make. Pass `api: { retry: RetryPolicy.defaultPolicy }` to test the
   * production behaviour (and adjust the clock).
   */
  readonly api?: Omit<CallbotApi.Options, keyof Signer.Options | "baseUrl"> | undefined
  /** Receives every callback attempt in memory. Default {@link acknowledge}. */
  readonly onCallback?: ((callback: OutgoingCallback) => Effect.Effect<CallbackReply, unknown, R>) | undefined
}

/**
 * The default callback handler: answers `200 { retCode: 0 }` (the delivery
 * is still recorded in `callbacks`).
 *
 * @since 0.1.0
 * @category callbacks
 */
export const acknowledge: (callback: OutgoingCallback) => Effect.Effect<CallbackReply> = internal.acknowledge

/**
 * Runs an `HttpApp` (for example `Callback.httpApp(handlers)`) as the
 * callback handler, in memory: each callback becomes a POST request to the
 * callback URL with the signature headers, and the app's response is the
 * reply. A failure or defect of the app answers 500.
 *
 * @since 0.1.0
 * @category callbacks
 */
export const callbackReceiver: <E, R>(
  app: HttpApp.Default<E, R>
) => (
  callback: OutgoingCallback
) => Effect.Effect<CallbackReply, never, Exclude<Exclude<R, HttpServerRequest.HttpServerRequest>, Scope.Scope>> =
  internal.callbackReceiver

/**
 * An `HttpClient` that hands every request to an engine's handler in memory.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeHttpClient: (
  handle: Effect.Effect<Types.Handled, never, HttpServerRequest.HttpServerRequest>
) => HttpClient.HttpClient = internal.makeHttpClient

/**
 * Builds the in-memory platform for the lifetime of the scope. The context
 * `R` of `onCallback` is captured here.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: <R = never>(
  options?: Options<R>
) => Effect.Effect<SimulatorState, never, R | Scope.Scope> = internal.make

/**
 * The in-memory platform alone.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerState = <R = never>(options: Options<R> = {}): Layer.Layer<SimulatorState, never, R> =>
  Layer.scoped(SimulatorState, make(options))

/**
 * The in-memory `HttpClient` of a {@link SimulatorState}, for building your
 * own client stack on it.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient: Layer.Layer<HttpClient.HttpClient, never, SimulatorState> = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(SimulatorState, (state) => state.httpClient)
)

/**
 * `CallbotApi` (with its `CallbotClient` and `Signer`) backed by an
 * in-memory platform, plus {@link SimulatorState}: the one layer to swap in
 * unit tests.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <R = never>(
  options: Options<R> = {}
): Layer.Layer<
  CallbotApi.CallbotApi | CallbotClient.CallbotClient | Signer.Signer | SimulatorState,
  never,
  R
> => {
  const account = options.account ?? testAccount
  const api = Layer.unwrapEffect(
    Effect.map(SimulatorState, (state) =>
      CallbotApi.layer({
        retry: RetryPolicy.none,
        ...options.api,
        baseUrl: state.baseUrl,
        uuid: account.uuid,
        secretKey: account.secretKey,
        algorithm: account.algorithm
      }).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, state.httpClient))))
  )
  return api.pipe(Layer.provideMerge(layerState(options)))
}
