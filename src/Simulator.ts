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
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as ServeError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import { createServer } from "node:http"
import * as Engine from "./internal/simulator.js"
import * as Signer from "./Signer.js"

/**
 * An account the simulated platform knows.
 *
 * @since 0.1.0
 * @category models
 */
export type Account = Engine.Account

/**
 * The account the simulator knows by default (`uuid` `sim-0000-uuid`).
 *
 * @since 0.1.0
 * @category constants
 */
export const testAccount: Account = Engine.testAccount

/**
 * A canned answer for the next matching request: a `retCode`, an HTTP status,
 * a malformed body, or a normal answer with a tampered, misdirected or
 * missing signature.
 *
 * @since 0.1.0
 * @category models
 */
export type ScriptedAnswer = Engine.ScriptedAnswer

/**
 * Constructors of {@link ScriptedAnswer}: `ScriptedAnswer.RetCode({ retCode: 7 })`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ScriptedAnswer = Engine.ScriptedAnswer

/**
 * One request as the simulator received it (exact bytes included), with what
 * it answered, whether it took effect and the fault injected, if any.
 *
 * @since 0.1.0
 * @category models
 */
export type ReceivedRequest = Engine.ReceivedRequest

/**
 * A task on the simulated platform (a snapshot).
 *
 * @since 0.1.0
 * @category models
 */
export type SimTask = Engine.SimTask

/**
 * An order on the simulated platform (a snapshot, with its calls).
 *
 * @since 0.1.0
 * @category models
 */
export type SimOrder = Engine.SimOrder

/**
 * A call record (`callInfoDetail`) as the simulator sends it.
 *
 * @since 0.1.0
 * @category models
 */
export type CallInfo = Engine.CallInfo

/**
 * `taskStat` counters of a task.
 *
 * @since 0.1.0
 * @category models
 */
export type TaskStat = Engine.TaskStat

/**
 * One callback delivery attempt and the receiver's answer.
 *
 * @since 0.1.0
 * @category models
 */
export type CallbackDelivery = Engine.CallbackDelivery

/**
 * A callback as it leaves the platform (for in-process handlers).
 *
 * @since 0.1.0
 * @category models
 */
export type OutgoingCallback = Engine.OutgoingCallback

/**
 * A receiver's answer to a callback.
 *
 * @since 0.1.0
 * @category models
 */
export type CallbackReply = Engine.CallbackReply

/**
 * An in-process callback receiver (option `callbackHandler`): returns the
 * receiver's answer; a failure counts as no answer.
 *
 * @since 0.1.0
 * @category models
 */
export type CallbackHandler = Engine.CallbackHandler

/**
 * How calls go: answer rate, durations, intents, a per-call override.
 *
 * @since 0.1.0
 * @category models
 */
export type CampaignOptions = Engine.CampaignOptions

/**
 * A chosen call outcome (see {@link CampaignOptions}).
 *
 * @since 0.1.0
 * @category models
 */
export type CallDecision = Engine.CallDecision

/**
 * An intent the simulated script can reach.
 *
 * @since 0.1.0
 * @category models
 */
export type IntentDef = Engine.IntentDef

/**
 * The intents answered calls reach by default (levels 1–4).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultIntents: ReadonlyArray<IntentDef> = Engine.defaultIntents

/**
 * A kind of injected fault.
 *
 * @since 0.1.0
 * @category models
 */
export type FaultKind = Engine.FaultKind

/**
 * Every {@link FaultKind}.
 *
 * @since 0.1.0
 * @category constants
 */
export const faultKinds: ReadonlyArray<FaultKind> = Engine.faultKinds

/**
 * Fault mode settings: seed, rate per kind and the kinds' parameters.
 *
 * @since 0.1.0
 * @category models
 */
export type FaultOptions = Engine.FaultOptions

/**
 * Faults injected so far, by kind.
 *
 * @since 0.1.0
 * @category models
 */
export type FaultStats = Engine.FaultStats

/**
 * How many times each `orderID` / `userTaskID` was created.
 *
 * @since 0.1.0
 * @category models
 */
export type Creations = Engine.Creations

/**
 * The running simulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Simulator extends Engine.Inspection {
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
export interface Options extends Engine.EngineOptions {
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
export const httpCallbackHandler = (client: HttpClient.HttpClient): CallbackHandler => (callback) =>
  Signer.redactSignHeader(client.execute(
    HttpClientRequest.post(callback.url).pipe(
      HttpClientRequest.bodyText(callback.body, "application/json"),
      HttpClientRequest.setHeaders(callback.headers)
    )
  ).pipe(
    Effect.flatMap((response) =>
      Effect.map(Effect.orElseSucceed(response.text, () => ""), (body) => ({ status: response.status, body }))
    )
  ))

/**
 * Starts the simulator for the lifetime of the scope. Callbacks go to
 * `options.callbackHandler` when given, otherwise over HTTP with the
 * `HttpClient` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<Simulator, ServeError.ServeError, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const host = options.host ?? "127.0.0.1"
    const server = yield* NodeHttpServer.make(() => createServer(), { port: options.port ?? 0, host })
    const client = yield* HttpClient.HttpClient
    const engine = yield* Engine.makeEngine(options, httpCallbackHandler(client))
    // The handler fibers inherit this: request spans show `sign` as <redacted>.
    yield* Signer.redactSignHeader(server.serve(
      Effect.flatMap(engine.handle, (handled) =>
        handled._tag === "Respond"
          ? Effect.succeed(handled.response)
          : Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
            Effect.sync(() => {
              // Fault mode: close the connection without an answer.
              NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()
              return HttpServerResponse.empty({ status: 502 })
            })))
    ))
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    const { handle: _handle, ...inspection } = engine
    const urlHost = host.includes(":") ? `[${host}]` : host
    return Simulator.of({ ...inspection, baseUrl: `http://${urlHost}:${port}`, port })
  }).pipe(Effect.withSpan("Simulator.make"))

/**
 * The simulator as a layer: listens on loopback until the layer is released.
 * Callbacks are delivered with undici (or to `options.callbackHandler`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Simulator, ServeError.ServeError> =>
  Layer.scoped(Simulator, make(options)).pipe(Layer.provide(NodeHttpClient.layerUndici))
