import * as Config from "effect/Config";
import * as Context from "effect/Context";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import * as CallbotClient from "./CallbotClient.js";
import * as Endpoints from "./Endpoints.js";
import * as internalContext from "./internal/api/context.js";
import * as internal from "./internal/api/make.js";
import * as Signer from "./Signer.js";
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
export const DEFAULT_CHUNK_SIZE = internalContext.DEFAULT_CHUNK_SIZE;
/**
 * Requests of one import (or of one split `listOrderDetail` / `stopOrder`)
 * in flight at once when none is configured. The platform's rate limit is
 * not documented; this is our choice.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_CONCURRENCY = internalContext.DEFAULT_CONCURRENCY;
/**
 * The {@link CallbotApi} service tag.
 *
 * @since 0.1.0
 * @category services
 */
export const CallbotApi = Context.GenericTag("effect-callbot/CallbotApi");
// ---------------------------------------------------------------------------
// constructors
/**
 * Builds the API on top of a {@link CallbotClient.CallbotClient}, with
 * {@link ApiOptions}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWith = internal.makeWith;
/**
 * Builds the API with the default {@link ApiOptions}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = makeWith();
/**
 * The API alone, on top of a {@link CallbotClient.CallbotClient} you provide.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithoutClient = Layer.effect(CallbotApi, make);
/**
 * The API alone with {@link ApiOptions}, on top of a
 * {@link CallbotClient.CallbotClient} you provide.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApi = (options) => Layer.effect(CallbotApi, makeWith(options));
/**
 * The whole stack — {@link Signer.Signer}, the signed
 * {@link CallbotClient.CallbotClient} and {@link CallbotApi} — needing only an
 * `HttpClient` (`NodeHttpClient.layerUndici`, `FetchHttpClient.layer`, …).
 * The `Signer` is exposed too, for verifying callbacks with the same account.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options) => layerApi(options).pipe(Layer.provideMerge(CallbotClient.layer(options)), Layer.provideMerge(Signer.layer(options)));
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
export const config = Config.all({
    account: Signer.config,
    baseUrl: Config.url("CALLBOT_BASE_URL").pipe(Config.map((url) => url.toString()), Config.withDefault(CallbotClient.DEFAULT_BASE_URL)),
    verifyResponses: Config.literal("always", "ifPresent", "never")("CALLBOT_VERIFY_RESPONSES").pipe(Config.withDefault("ifPresent")),
    chunkSize: positiveIntConfig("CALLBOT_CHUNK_SIZE", DEFAULT_CHUNK_SIZE),
    concurrency: positiveIntConfig("CALLBOT_CONCURRENCY", DEFAULT_CONCURRENCY),
    pageSize: positiveIntConfig("CALLBOT_PAGE_SIZE", Endpoints.DEFAULT_PAGE_SIZE),
    maxResponseBytes: positiveIntConfig("CALLBOT_MAX_RESPONSE_BYTES", CallbotClient.DEFAULT_MAX_RESPONSE_BYTES)
}).pipe(Config.map(({ account, ...rest }) => ({ ...account, ...rest })));
function positiveIntConfig(name, fallback) {
    return Config.integer(name).pipe(Config.validate({ message: "must be a positive integer", validation: (n) => n > 0 }), Config.withDefault(fallback));
}
/**
 * {@link layer} built from any `Config` of {@link Options}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromConfig = (options) => Layer.unwrapEffect(Effect.map(options, layer));
/**
 * {@link layer} configured from the environment (see {@link config}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = layerFromConfig(config);
