import * as HttpClient from "@effect/platform/HttpClient";
import * as Context from "effect/Context";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import * as CallbotApi from "./CallbotApi.js";
import * as internal from "./internal/simulator/memory.js";
import * as Types from "./internal/simulator/types.js";
import * as RetryPolicy from "./RetryPolicy.js";
/**
 * The base URL the in-memory client answers on (any host works: the path
 * selects the endpoint).
 *
 * @since 0.1.0
 * @category constants
 */
export const BASE_URL = internal.BASE_URL;
/**
 * The account known by default (`uuid` `sim-0000-uuid`), the same as the
 * HTTP simulator's.
 *
 * @since 0.1.0
 * @category constants
 */
export const testAccount = Types.testAccount;
/**
 * Constructors of scripted answers: `ScriptedAnswer.RetCode({ retCode: 7 })`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ScriptedAnswer = Types.ScriptedAnswer;
/**
 * The {@link SimulatorState} service tag.
 *
 * @since 0.1.0
 * @category services
 */
export const SimulatorState = Context.GenericTag("effect-callbot/Testing/SimulatorState");
/**
 * The default callback handler: answers `200 { retCode: 0 }` (the delivery
 * is still recorded in `callbacks`).
 *
 * @since 0.1.0
 * @category callbacks
 */
export const acknowledge = internal.acknowledge;
/**
 * Runs an `HttpApp` (for example `Callback.httpApp(handlers)`) as the
 * callback handler, in memory: each callback becomes a POST request to the
 * callback URL with the signature headers, and the app's response is the
 * reply. A failure or defect of the app answers 500.
 *
 * @since 0.1.0
 * @category callbacks
 */
export const callbackReceiver = internal.callbackReceiver;
/**
 * An `HttpClient` that hands every request to an engine's handler in memory.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeHttpClient = internal.makeHttpClient;
/**
 * Builds the in-memory platform for the lifetime of the scope. The context
 * `R` of `onCallback` is captured here.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = internal.make;
/**
 * The in-memory platform alone.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerState = (options = {}) => Layer.scoped(SimulatorState, make(options));
/**
 * The in-memory `HttpClient` of a {@link SimulatorState}, for building your
 * own client stack on it.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient = Layer.effect(HttpClient.HttpClient, Effect.map(SimulatorState, (state) => state.httpClient));
/**
 * `CallbotApi` (with its `CallbotClient` and `Signer`) backed by an
 * in-memory platform, plus {@link SimulatorState}: the one layer to swap in
 * unit tests.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options = {}) => {
    const account = options.account ?? testAccount;
    const api = Layer.unwrapEffect(Effect.map(SimulatorState, (state) => CallbotApi.layer({
        retry: RetryPolicy.none,
        ...options.api,
        baseUrl: state.baseUrl,
        uuid: account.uuid,
        secretKey: account.secretKey,
        algorithm: account.algorithm
    }).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, state.httpClient)))));
    return api.pipe(Layer.provideMerge(layerState(options)));
};
