/**
 * A stand-in for the Callbot platform: a real HTTP server (Node.js, on
 * loopback by default) that verifies signatures, validates bodies, keeps
 * tasks and orders, dials them over virtual time (the Effect `Clock`),
 * answers like the vendor with signed responses, and delivers signed
 * callbacks. A fault mode injects seeded, reproducible failures.
 *
 * It backs the SDK's own tests and the demo, and is for your tests too: point
 * `CallbotApi.layer({ baseUrl: simulator.baseUrl, ... })` at it, or run it as
 * a process (`npm run simulator -- --port 8080`) for code that is not written
 * with Effect. For unit tests without sockets see `effect-callbot/testing`.
 *
 * Exported at `effect-callbot/simulator` (it needs `@effect/platform-node`).
 * See `docs/simulator.md`.
 *
 * @example
 * ```ts
 * import { CallbotApi } from "effect-callbot"
 * import * as Simulator from "effect-callbot/simulator"
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Effect, Layer } from "effect"
 *
 * const ApiOnSimulator = Layer.unwrapEffect(
 *   Effect.map(Simulator.Simulator, (sim) =>
 *     CallbotApi.layer({ baseUrl: sim.baseUrl, ...Simulator.testAccount })
 *   )
 * ).pipe(Layer.provide(NodeHttpClient.layerUndici), Layer.provideMerge(Simulator.layer()))
 * ```
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ServeError from "@effect/platform/HttpServerError"
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Campaign from "./internal/simulator/campaign.js"
import * as Faults from "./internal/simulator/faults.js"
import * as internal from "./internal/simulator/server.js"
import * as Types from "./internal/simulator/types.js"

/**
 * An account the simulated platform knows.
 *
 * @since 0.1.0
 * @category models
 */
export type Account = Types.Account

/**
 * The account the simulator knows by default (`uuid` `sim-0000-uuid`).
 *
 * @since 0.1.0
 * @category constants
 */
export const testAccount: Account = Types.testAccount

/**
 * A canned answer for the next matching request: a `retCode`, an HTTP status,
 * a malformed body, or a normal answer with a tampered, misdirected or
 * missing signature.
 *
 * @since 0.1.0
 * @category models
 */
export type ScriptedAnswer = Types.ScriptedAnswer

/**
 * Constructors of {@link ScriptedAnswer}: `ScriptedAnswer.RetCode({ retCode: 7 })`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ScriptedAnswer = Types.ScriptedAnswer

/**
 * One request as the simulator received it (exact bytes included), with what
 * it answered, whether it took effect and the fault injected, if any.
 *
 * @since 0.1.0
 * @category models
 */
export type ReceivedRequest = Types.ReceivedRequest

/**
 * A task on the simulated platform (a snapshot).
 *
 * @since 0.1.0
 * @category models
 */
export type SimTask = Types.SimTask

/**
 * An order on the simulated platform (a snapshot, with its calls).
 *
 * @since 0.1.0
 * @category models
 */
export type SimOrder = Types.SimOrder

/**
 * A call record (`callInfoDetail`) as the simulator sends it.
 *
 * @since 0.1.0
 * @category models
 */
export type CallInfo = Types.CallInfo

/**
 * `taskStat` counters of a task.
 *
 * @since 0.1.0
 * @category models
 */
export type TaskStat = Types.TaskStat

/**
 * One callback delivery attempt and the receiver's answer.
 *
 * @since 0.1.0
 * @category models
 */
export type CallbackDelivery = Types.CallbackDelivery

/**
 * A callback as it leaves the platform (for in-process handlers).
 *
 * @since 0.1.0
 * @category models
 */
export type OutgoingCallback = Types.OutgoingCallback

/**
 * A receiver's answer to a callback.
 *
 * @since 0.1.0
 * @category models
 */
export type CallbackReply = Types.CallbackReply

/**
 * An in-process callback receiver (option `callbackHandler`): returns the
 * receiver's answer; a failure counts as no answer.
 *
 * @since 0.1.0
 * @category models
 */
export type CallbackHandler = Types.CallbackHandler

/**
 * How calls go: answer rate, durations, intents, a per-call override.
 *
 * @since 0.1.0
 * @category models
 */
export type CampaignOptions = Campaign.CampaignOptions

/**
 * A chosen call outcome (see {@link CampaignOptions}).
 *
 * @since 0.1.0
 * @category models
 */
export type CallDecision = Campaign.CallDecision

/**
 * An intent the simulated script can reach.
 *
 * @since 0.1.0
 * @category models
 */
export type IntentDef = Campaign.IntentDef

/**
 * The intents answered calls reach by default (levels 1–4).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultIntents: ReadonlyArray<IntentDef> = Campaign.defaultIntents

/**
 * A kind of injected fault.
 *
 * @since 0.1.0
 * @category models
 */
export type FaultKind = Faults.FaultKind

/**
 * Every {@link FaultKind}.
 *
 * @since 0.1.0
 * @category constants
 */
export const faultKinds: ReadonlyArray<FaultKind> = Faults.faultKinds

/**
 * Fault mode settings: seed, rate per kind and the kinds' parameters.
 *
 * @since 0.1.0
 * @category models
 */
export type FaultOptions = Faults.FaultOptions

/**
 * Faults injected so far, by kind.
 *
 * @since 0.1.0
 * @category models
 */
export type FaultStats = Faults.FaultStats

/**
 * How many times each `orderID` / `userTaskID` was created, and (since
 * 0.2.0, `resent`) how many times an `orderID` the platform already held
 * was sent again: a test sees a double send there.
 *
 * @since 0.1.0
 * @category models
 */
export type Creations = Types.Creations

/**
 * The running simulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Simulator extends Types.Inspection {
  /** `http://127.0.0.1:<port>`: pass it as the client's `baseUrl`. */
  readonly baseUrl: string
  readonly port: number
}

/**
 * The {@link Simulator} service tag.
 *
 * @since 0.1.0
 * @category services
 */
export const Simulator: Context.Tag<Simulator, Simulator> = Context.GenericTag<Simulator>(
  "effect-callbot/Simulator"
)

/**
 * Simulator settings (see `docs/simulator.md` for each one).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Types.EngineOptions {
  /** Port to listen on; `0` (default) picks a free one. */
  readonly port?: number | undefined
  /** Interface to bind. Default `127.0.0.1`. */
  readonly host?: string | undefined
}

/**
 * Delivers callbacks with an `HttpClient`: one POST per attempt with the
 * signature headers, the receiver's status and body as the reply.
 *
 * @since 0.1.0
 * @category constructors
 */
export const httpCallbackHandler: (client: HttpClient.HttpClient) => CallbackHandler = internal.httpCallbackHandler

/**
 * Starts the simulator for the lifetime of the scope. Callbacks go to
 * `options.callbackHandler` when given, otherwise over HTTP with the
 * `HttpClient` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (
  options?: Options
) => Effect.Effect<Simulator, ServeError.ServeError, HttpClient.HttpClient | Scope.Scope> = internal.make

/**
 * The simulator as a layer: listens on loopback until the layer is released.
 * Callbacks are delivered with undici (or to `options.callbackHandler`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Simulator, ServeError.ServeError> =>
  Layer.scoped(Simulator, make(options)).pipe(Layer.provide(NodeHttpClient.layerUndici))
