/**
 * effect-callbot: an Effect-native SDK for the NXCloud Callbot v3 API.
 *
 * @since 0.1.0
 */
/**
 * The Callbot API service: every endpoint, typed results and errors.
 *
 * @since 0.1.0
 */
export * as CallbotApi from "./CallbotApi.js";
/**
 * Callbacks from the platform: schemas, verification and the receiver HttpApp.
 *
 * @since 0.1.0
 */
export * as Callback from "./Callback.js";
/**
 * The signed HTTP client under the API.
 *
 * @since 0.1.0
 */
export * as CallbotClient from "./CallbotClient.js";
/**
 * One error class per `retCode`, plus transport, status, response and
 * validation errors.
 *
 * @since 0.1.0
 */
export * as CallbotError from "./CallbotError.js";
/**
 * Endpoint definitions: paths and request/response schemas.
 *
 * @since 0.1.0
 */
export * as Endpoints from "./Endpoints.js";
/**
 * Shared wire models and enums.
 *
 * @since 0.1.0
 */
export * as Models from "./Models.js";
/**
 * Retry policy of the client, as data.
 *
 * @since 0.1.0
 */
export * as RetryPolicy from "./RetryPolicy.js";
/**
 * Replay protection for the callback receiver: seen `requestID`s, in memory
 * or in a shared `KeyValueStore`.
 *
 * @since 0.1.0
 */
export * as ReplayStore from "./ReplayStore.js";
/**
 * Request, response and callback signatures.
 *
 * @since 0.1.0
 */
export * as Signer from "./Signer.js";
