/**
 * A stand-in for the Callbot platform: a real HTTP server (Node.js, on
 * loopback by default) that verifies signatures, validates bodies, answers
 * like the vendor with signed responses, and delivers signed callbacks.
 *
 * It backs the SDK's own tests and the demo, and is for your tests too: point
 * `CallbotApi.layer({ baseUrl: simulator.baseUrl, ... })` at it.
 *
 * Exported at `effect-callbot/simulator` (it needs `@effect/platform-node`).
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
import type * as ServeError from "@effect/platform/HttpServerError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { createServer } from "node:http"
import * as Engine from "./internal/simulator.js"

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
 * One request as the simulator received it (exact bytes included).
 *
 * @since 0.1.0
 * @category models
 */
export type ReceivedRequest = Engine.ReceivedRequest

/**
 * A task on the simulated platform.
 *
 * @since 0.1.0
 * @category models
 */
export type SimTask = Engine.SimTask

/**
 * An order on the simulated platform.
 *
 * @since 0.1.0
 * @category models
 */
export type SimOrder = Engine.SimOrder

/**
 * One callback delivery attempt and the receiver's answer.
 *
 * @since 0.1.0
 * @category models
 */
export type CallbackDelivery = Engine.CallbackDelivery

/**
 * The running simulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Simulator extends Omit<Engine.Engine, "app"> {
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
 * Simulator settings.
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
 * Starts the simulator for the lifetime of the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}) =>
  Effect.gen(function*() {
    const host = options.host ?? "127.0.0.1"
    const server = yield* NodeHttpServer.make(() => createServer(), { port: options.port ?? 0, host })
    const engine = yield* Engine.makeEngine(options)
    yield* server.serve(engine.app)
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    const { app: _app, ...rest } = engine
    return Simulator.of({ ...rest, baseUrl: `http://${host}:${port}`, port })
  })

/**
 * The simulator as a layer: listens on loopback until the layer is released.
 * Callbacks are delivered with undici.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Simulator, ServeError.ServeError> =>
  Layer.scoped(Simulator, make(options)).pipe(Layer.provide(NodeHttpClient.layerUndici))
