import * as Context from "effect/Context";
import * as Layer from "effect/Layer";
import * as transport from "./internal/client/transport.js";
import * as validation from "./internal/client/validation.js";
/**
 * The production base URL (the vendor documents no other v3 host).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_BASE_URL = transport.DEFAULT_BASE_URL;
/**
 * The default {@link Options.maxResponseBytes}: 32 MiB. The largest
 * documented answers are `exportBatchCall` (a whole batch, unpaged) and
 * `listCall` pages; at about 1–2 KiB of JSON per call record this holds an
 * export of some 20,000 calls and a hundred 1,000-row pages, far below what
 * one JavaScript string can hold (~512 MiB).
 *
 * @since 0.2.0
 * @category constants
 */
export const DEFAULT_MAX_RESPONSE_BYTES = transport.DEFAULT_MAX_RESPONSE_BYTES;
/**
 * The {@link CallbotClient} service tag.
 *
 * @since 0.1.0
 * @category services
 */
export const CallbotClient = Context.GenericTag("effect-callbot/CallbotClient");
/**
 * Formats a schema parse error as `[{ field, description }]`, with array
 * indices as `callList[3]`.
 *
 * @since 0.1.0
 * @category utils
 */
export const formatIssues = validation.formatIssues;
/**
 * Builds an {@link CallbotError.InvalidRequest} from a parse error.
 *
 * @since 0.1.0
 * @category utils
 */
export const invalidRequest = validation.invalidRequest;
/**
 * Decodes a caller's input with an endpoint's request schema: the result is
 * the exact wire value; a failure names every field at fault.
 *
 * @since 0.1.0
 * @category utils
 */
export const validate = validation.validate;
/**
 * Builds the signed client from a {@link Signer.Signer} and an `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = transport.make;
/**
 * The signed client as a layer; needs a {@link Signer.Signer} and an
 * `HttpClient` (`NodeHttpClient.layerUndici`, `FetchHttpClient.layer`, …).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options = {}) => Layer.effect(CallbotClient, make(options));
