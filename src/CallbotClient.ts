/**
 * The signed HTTP client under `CallbotApi`.
 *
 * Pipeline, in this order: base URL + `Accept: application/json` → the user's
 * `transformClient` → **sign last** (the body is serialised once and those
 * exact bytes are signed and sent) → per-attempt timeout → response: read the
 * body once, check the status, verify the response signature over those bytes
 * and that it answers *this* `requestID`, then decode the `retCode` envelope
 * and the endpoint's response schema from the same text.
 *
 * An answer is read under a size cap ({@link Options.maxResponseBytes}, also
 * applied to what a gzip body inflates to). No redirect is followed on any
 * transport: a 3xx is an `HttpStatusError` naming the status and `Location`,
 * never retried (`FetchHttpClient` requests are sent with
 * `redirect: "manual"`).
 *
 * The `sign` header is added to `Headers.currentRedactedNames`, so it never
 * lands in a span attribute or a logged `Headers` value.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as ParseResult from "effect/ParseResult"
import type * as Schema from "effect/Schema"
import type * as CallbotError from "./CallbotError.js"
import type * as Endpoints from "./Endpoints.js"
import * as transport from "./internal/client/transport.js"
import * as validation from "./internal/client/validation.js"
import type * as RetryPolicy from "./RetryPolicy.js"
import type * as Signer from "./Signer.js"

/**
 * The production base URL (the vendor documents no other v3 host).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_BASE_URL = transport.DEFAULT_BASE_URL

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
export const DEFAULT_MAX_RESPONSE_BYTES: number = transport.DEFAULT_MAX_RESPONSE_BYTES

/**
 * How response signatures are checked (the vendor documents signed response
 * headers, but the verification recipe is inferred):
 *
 * - `"ifPresent"` (default): a response with a `sign` header must verify and
 *   answer this `requestID`; an unsigned response passes.
 * - `"always"`: an unsigned response is rejected too.
 * - `"never"`: no check.
 *
 * @since 0.1.0
 * @category models
 */
export type VerifyResponses = "always" | "ifPresent" | "never"

/**
 * Options of the signed client.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Default {@link DEFAULT_BASE_URL}. */
  readonly baseUrl?: string | undefined
  /** Default `"ifPresent"`. */
  readonly verifyResponses?: VerifyResponses | undefined
  /** Time allowed for one attempt, from sending to the whole body read. Default 30 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * What is retried, how often and for how long (see {@link RetryPolicy}).
   * Default {@link RetryPolicy.defaultPolicy}; `RetryPolicy.none` turns
   * retries off. Override per call with `RetryPolicy.withPolicy`.
   */
  readonly retry?: RetryPolicy.RetryPolicy | undefined
  /**
   * Applied to the underlying client before signing (add headers, a proxy
   * agent, tracing options). It must not change the body.
   */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /**
   * The most bytes one answer may have: counted as the body streams in (a
   * declared `Content-Length` over it is refused before reading), and
   * counted again on what a gzip body inflates to. Over it, the call fails
   * with a `MalformedResponse` whose `maxResponseBytes` is set. Default
   * {@link DEFAULT_MAX_RESPONSE_BYTES} (32 MiB).
   *
   * @since 0.2.0
   */
  readonly maxResponseBytes?: number | undefined
}

/**
 * Errors of one call that got as far as the wire.
 *
 * @since 0.1.0
 * @category errors
 */
export type ExecuteError = RetryPolicy.AttemptError

/**
 * The signed client service.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallbotClient {
  /**
   * An `HttpClient` that prefixes the base URL and signs every request. Its
   * requests need a text or byte body; responses are returned as they are.
   */
  readonly httpClient: HttpClient.HttpClient
  /**
   * Sends an already validated request body (the `Type` side of the
   * endpoint's request schema) and decodes the answer, retrying under the
   * current {@link RetryPolicy}: each attempt is a new request (fresh
   * `requestID`, `createTs` and signature, same body).
   */
  readonly execute: <Req, ReqEncoded, Res, ResEncoded>(
    endpoint: Endpoints.Endpoint<Req, ReqEncoded, Res, ResEncoded>,
    request: Req,
    options?: ExecuteOptions
  ) => Effect.Effect<Res, ExecuteError>
  /** The policy in force here: the per-call override, else the layer's. */
  readonly retryPolicy: Effect.Effect<RetryPolicy.RetryPolicy>
}

/**
 * Per-request transport options of {@link CallbotClient.execute}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExecuteOptions {
  /**
   * Send `Accept-Encoding: gzip`. Default: the endpoint's
   * {@link Endpoints.Endpoint.acceptGzip} (`listCall`, `exportBatchCall`).
   * A gzip answer is decompressed before anything else (as a stream, under
   * {@link Options.maxResponseBytes} counted on the inflated bytes); its signature is
   * checked over the decompressed body (and, failing that, over the bytes
   * received, since the vendor does not say which one it signs).
   */
  readonly acceptGzip?: boolean | undefined
  /**
   * Compress the request body (`Content-Encoding: gzip`; documented for
   * `importBatchCall` only). The signature covers the **uncompressed** JSON
   * (`docs/vendor-gaps.md`). Default `false`.
   */
  readonly gzipRequest?: boolean | undefined
}

/**
 * The {@link CallbotClient} service tag.
 *
 * @since 0.1.0
 * @category services
 */
export const CallbotClient: Context.Tag<CallbotClient, CallbotClient> = Context.GenericTag<CallbotClient>(
  "effect-callbot/CallbotClient"
)

/**
 * Formats a schema parse error as `[{ field, description }]`, with array
 * indices as `callList[3]`.
 *
 * @since 0.1.0
 * @category utils
 */
export const formatIssues: (error: ParseResult.ParseError) => Array<CallbotError.ValidationIssue> =
  validation.formatIssues

/**
 * Builds an {@link CallbotError.InvalidRequest} from a parse error.
 *
 * @since 0.1.0
 * @category utils
 */
export const invalidRequest: (
  endpoint: string,
  error: ParseResult.ParseError,
  prefix?: string
) => CallbotError.InvalidRequest = validation.invalidRequest

/**
 * Decodes a caller's input with an endpoint's request schema: the result is
 * the exact wire value; a failure names every field at fault.
 *
 * @since 0.1.0
 * @category utils
 */
export const validate: <Req, ReqEncoded>(
  endpointName: string,
  schema: Schema.Schema<Req, ReqEncoded>,
  input: unknown
) => Effect.Effect<Req, CallbotError.InvalidRequest> = validation.validate

/**
 * Builds the signed client from a {@link Signer.Signer} and an `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (
  options?: Options
) => Effect.Effect<CallbotClient, never, HttpClient.HttpClient | Signer.Signer> = transport.make

/**
 * The signed client as a layer; needs a {@link Signer.Signer} and an
 * `HttpClient` (`NodeHttpClient.layerUndici`, `FetchHttpClient.layer`, …).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<CallbotClient, never, HttpClient.HttpClient | Signer.Signer> =>
  Layer.effect(CallbotClient, make(options))
