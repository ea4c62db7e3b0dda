/**
 * An `HttpClient` straight on an undici `Dispatcher`, for Node.js: a leaner
 * stand-in for `NodeHttpClient.layerUndici` under the SDK's client (or any
 * other code that takes an `HttpClient`).
 *
 * It is built with the platform's own `HttpClient.make`, so what you get
 * from `HttpClient` stays the same: an `http.client` span per request with
 * the redacted headers, trace propagation, `transformClient`, and
 * interruption, which aborts the request. Only the answer object is
 * leaner: its headers are converted once and its body is read once. The
 * platform's undici answer converts its headers on every read and runs a
 * fiber for every body it reads. On the bench machine, one request at a
 * time, it takes ~360 µs of CPU per request against ~510 µs for
 * `NodeHttpClient.layerUndici` (`docs/benchmarks.md`).
 *
 * A separate entry point, `effect-callbot/undici`, so that apps on
 * `FetchHttpClient` (or off Node.js) never load undici. Needs `undici` ^7
 * (an optional peer dependency; `@effect/platform-node` already brings it).
 *
 * @example
 * ```ts
 * import { CallbotApi } from "effect-callbot"
 * import * as UndiciHttpClient from "effect-callbot/undici"
 * import { Layer, Redacted } from "effect"
 *
 * const ApiLive = CallbotApi.layer({
 *   uuid: "my-account-uuid",
 *   secretKey: Redacted.make(process.env.CALLBOT_SECRET_KEY ?? "")
 * }).pipe(Layer.provide(UndiciHttpClient.layer))
 * ```
 *
 * @since 0.3.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Layer from "effect/Layer"
import type * as Undici from "undici"
import * as internal from "./internal/undici/client.js"

/**
 * The client over a dispatcher you own (an `Agent`, a `Pool`, a
 * `ProxyAgent`, `undici.getGlobalDispatcher()`, …). You close it.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make: (dispatcher: Undici.Dispatcher) => HttpClient.HttpClient = internal.make

/**
 * The client over its own undici `Agent` with these options (connections
 * per origin, keep-alive, TLS, …), destroyed when the layer is released.
 *
 * @since 0.3.0
 * @category layers
 */
export const layerWith: (options?: Undici.Agent.Options) => Layer.Layer<HttpClient.HttpClient> = internal.layerWith

/**
 * The client over its own undici `Agent` with undici's defaults, destroyed
 * when the layer is released: the drop-in for `NodeHttpClient.layerUndici`.
 *
 * @since 0.3.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = internal.layerWith()
