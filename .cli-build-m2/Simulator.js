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
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient";
import * as Context from "effect/Context";
import * as Layer from "effect/Layer";
import * as Campaign from "./internal/simulator/campaign.js";
import * as Faults from "./internal/simulator/faults.js";
import * as internal from "./internal/simulator/server.js";
import * as Types from "./internal/simulator/types.js";
/**
 * The account the simulator knows by default (`uuid` `sim-0000-uuid`).
 *
 * @since 0.1.0
 * @category constants
 */
export const testAccount = Types.testAccount;
/**
 * Constructors of {@link ScriptedAnswer}: `ScriptedAnswer.RetCode({ retCode: 7 })`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ScriptedAnswer = Types.ScriptedAnswer;
/**
 * The intents answered calls reach by default (levels 1–4).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultIntents = Campaign.defaultIntents;
/**
 * Every {@link FaultKind}.
 *
 * @since 0.1.0
 * @category constants
 */
export const faultKinds = Faults.faultKinds;
/**
 * The {@link Simulator} service tag.
 *
 * @since 0.1.0
 * @category services
 */
export const Simulator = Context.GenericTag("effect-callbot/Simulator");
/**
 * Delivers callbacks with an `HttpClient`: one POST per attempt with the
 * signature headers, the receiver's status and body as the reply.
 *
 * @since 0.1.0
 * @category constructors
 */
export const httpCallbackHandler = internal.httpCallbackHandler;
/**
 * Starts the simulator for the lifetime of the scope. Callbacks go to
 * `options.callbackHandler` when given, otherwise over HTTP with the
 * `HttpClient` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = internal.make;
/**
 * The simulator as a layer: listens on loopback until the layer is released.
 * Callbacks are delivered with undici (or to `options.callbackHandler`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options = {}) => Layer.scoped(Simulator, make(options)).pipe(Layer.provide(NodeHttpClient.layerUndici));
