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
 * The `sign` header is added to `Headers.currentRedactedNames`, so it never
 * lands in a span attribute or a logged `Headers` value.
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Either from "effect/Either"
import { identity } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as CallbotError from "./CallbotError.js"
import * as Endpoints from "./Endpoints.js"
import * as RetryPolicy from "./RetryPolicy.js"
import * as Gzip from "./internal/gzip.js"
import * as Signer from "./Signer.js"

/**
 * The production base URL (the vendor documents no other v3 host).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_BASE_URL = "https://nxbot.nxcloud.com"

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
   * A gzip answer is decompressed before anything else; its signature is
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

const snippet = (text: string): string => (text.length > 1024 ? `${text.slice(0, 1024)}…` : text)

const notSentCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT"
])

const errorCode = (u: unknown, depth = 0): string | undefined => {
  if (depth > 5 || typeof u !== "object" || u === null) return undefined
  const code = "code" in u && typeof u.code === "string" ? u.code : undefined
  if (code !== undefined) return code
  return "cause" in u ? errorCode(u.cause, depth + 1) : undefined
}

const describeCause = (u: unknown): string => {
  const code = errorCode(u)
  const message = u instanceof Error ? u.message : typeof u === "string" ? u : ""
  return [code, message].filter((s) => s !== undefined && s !== "").join(": ") || "transport failure"
}

const parseRetryAfter = (headers: Headers.Headers): number | undefined =>
  Option.match(Headers.get(headers, "retry-after"), {
    onNone: () => undefined,
    onSome: (value) => {
      if (/^\d+$/.test(value.trim())) return Number(value.trim())
      const date = Date.parse(value)
      return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000))
    }
  })

/**
 * Formats a schema parse error as `[{ field, description }]`, with array
 * indices as `callList[3]`.
 *
 * @since 0.1.0
 * @category utils
 */
export const formatIssues = (error: ParseResult.ParseError): Array<CallbotError.ValidationIssue> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
    new CallbotError.ValidationIssue({
      field: issue.path.reduce<string>(
        (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`),
        ""
      ),
      description: issue.message
    })
  )

/**
 * Builds an {@link CallbotError.InvalidRequest} from a parse error.
 *
 * @since 0.1.0
 * @category utils
 */
export const invalidRequest = (endpoint: string, error: ParseResult.ParseError, prefix = ""): CallbotError.InvalidRequest => {
  const issues = formatIssues(error).map((issue) =>
    prefix === "" ? issue : new CallbotError.ValidationIssue({ ...issue, field: `${prefix}${issue.field === "" ? "" : issue.field.startsWith("[") ? issue.field : `.${issue.field}`}` })
  )
  const first = issues[0]
  return new CallbotError.InvalidRequest({
    endpoint,
    field: first?.field ?? prefix,
    description: first?.description ?? "invalid",
    issues
  })
}

/**
 * Decodes a caller's input with an endpoint's request schema: the result is
 * the exact wire value; a failure names every field at fault.
 *
 * @since 0.1.0
 * @category utils
 */
export const validate = <Req, ReqEncoded>(
  endpointName: string,
  schema: Schema.Schema<Req, ReqEncoded>,
  input: unknown
): Effect.Effect<Req, CallbotError.InvalidRequest> =>
  Effect.suspend(() => Either.mapLeft(decodePreserving(schema)(input), (error) => invalidRequest(endpointName, error)))

/**
 * Whether `input` has a key, at any depth, that `output` (the same value
 * decoded with unknown keys dropped) lacks. Keys whose value is `undefined`
 * do not count; where the decoded value is not an object (a transformation),
 * there is nothing to keep.
 */
const hasDroppedKeys = (input: unknown, output: unknown, depth: number): boolean => {
  if (depth > 64) return true
  if (typeof input !== "object" || input === null || typeof output !== "object" || output === null) return false
  if (Array.isArray(input)) {
    if (!Array.isArray(output)) return false
    for (let i = 0; i < input.length; i++) {
      if (hasDroppedKeys(input[i], output[i], depth + 1)) return true
    }
    return false
  }
  for (const key of Object.keys(input)) {
    const value: unknown = Reflect.get(input, key)
    if (value === undefined) continue
    if (!(key in output)) return true
    if (hasDroppedKeys(value, Reflect.get(output, key), depth + 1)) return true
  }
  return false
}

/**
 * Decodes like `Schema.decodeUnknownEither(schema, { errors: "all",
 * onExcessProperty: "preserve" })` — unknown fields are kept, so nothing the
 * caller or the platform sent is silently dropped — at the cost of the
 * default decode when there are none (about half of "preserve"'s).
 */
const decodePreserving = <A, I>(
  schema: Schema.Schema<A, I>
): (input: unknown) => Either.Either<A, ParseResult.ParseError> => {
  // Parsers are memoised per schema AST by effect/Schema: building these is cheap.
  const ignoring = Schema.decodeUnknownEither(schema, { errors: "all" })
  const preserving = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "preserve" })
  return (input) => {
    const decoded = ignoring(input)
    return Either.isRight(decoded) && hasDroppedKeys(input, decoded.right, 0) ? preserving(input) : decoded
  }
}

const decodeEnvelope = Schema.decodeUnknownEither(Endpoints.Envelope)
const decodePingEnvelope = Schema.decodeUnknownEither(Endpoints.PingEnvelope)

/**
 * Builds the signed client from a {@link Signer.Signer} and an `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<CallbotClient, never, HttpClient.HttpClient | Signer.Signer> =>
  Effect.gen(function*() {
    const signer = yield* Signer.Signer
    const base = yield* HttpClient.HttpClient
    const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "")
    const verifyMode = options.verifyResponses ?? "ifPresent"
    const defaultTimeout = Duration.decode(options.timeout ?? Duration.seconds(30))
    const layerPolicy = options.retry ?? RetryPolicy.defaultPolicy

    const signRequest = (request: HttpClientRequest.HttpClientRequest) => {
      const body = request.body
      const bytes = body._tag === "Uint8Array" ? body.body : body._tag === "Empty" ? new Uint8Array(0) : undefined
      if (bytes === undefined) {
        return Effect.fail(
          new HttpClientError.RequestError({
            request,
            reason: "Encode",
            description: "a Callbot request needs a text or byte body to be signed"
          })
        )
      }
      return Effect.map(signer.sign(bytes), (signed) =>
        HttpClientRequest.setHeaders(request, Signer.toHeaders(signed)))
    }

    const transformed = base.pipe(
      HttpClient.mapRequest((request) =>
        request.pipe(HttpClientRequest.prependUrl(baseUrl), HttpClientRequest.acceptJson)
      ),
      (client) => (options.transformClient ? options.transformClient(client) : client)
    )
    // A request marked `Content-Encoding: gzip` with a plain body is signed
    // over that plain body, then compressed: the signature covers the JSON.
    const compressMarked = (request: HttpClientRequest.HttpClientRequest) => {
      const body = request.body
      if (body._tag !== "Uint8Array" || Headers.get(request.headers, "content-encoding")._tag === "None") {
        return Effect.succeed(request)
      }
      if (Gzip.isGzip(body.body)) return Effect.succeed(request)
      return Gzip.gzip(body.body).pipe(
        Effect.map((compressed) => HttpClientRequest.bodyUint8Array(request, compressed, body.contentType)),
        Effect.mapError((error) =>
          new HttpClientError.RequestError({ request, reason: "Encode", cause: error, description: error.message })
        )
      )
    }
    const httpClient = transformed.pipe(
      HttpClient.mapRequestEffect(signRequest),
      HttpClient.mapRequestEffect(compressMarked),
      HttpClient.transform(Signer.redactSignHeader)
    )

    const verifyResponse = (
      endpoint: string,
      requestID: string | undefined,
      response: HttpClientResponse.HttpClientResponse,
      bytes: Uint8Array,
      received: Uint8Array
    ): Effect.Effect<void, CallbotError.ResponseSignatureError> => {
      if (verifyMode === "never") return Effect.void
      if (verifyMode === "ifPresent" && Option.isNone(Headers.get(response.headers, "sign"))) return Effect.void
      const verifyOver = (body: Uint8Array) => signer.verify({ headers: response.headers, body })
      // Which bytes the platform signs when it compresses is not documented:
      // the decompressed body first (our choice), then the bytes received.
      const verified = bytes === received
        ? verifyOver(bytes)
        : verifyOver(bytes).pipe(
          Effect.catchIf((error) => error.reason === "Mismatch", (error) =>
            verifyOver(received).pipe(Effect.mapError(() => error)))
        )
      return verified.pipe(
        Effect.mapError((error) =>
          new CallbotError.ResponseSignatureError({ endpoint, reason: error.reason, header: error.header, requestID })
        ),
        Effect.flatMap((verified) =>
          verified.requestID === requestID
            ? Effect.void
            : Effect.fail(new CallbotError.ResponseSignatureError({ endpoint, reason: "RequestIDMismatch", requestID }))
        )
      )
    }

    const attempt = <Req, ReqEncoded, Res, ResEncoded>(
      endpoint: Endpoints.Endpoint<Req, ReqEncoded, Res, ResEncoded>,
      body: string,
      executeOptions: ExecuteOptions,
      timeout: Duration.Duration
    ): Effect.Effect<Res, ExecuteError> =>
      Effect.gen(function*() {
        const acceptGzip = executeOptions.acceptGzip ?? endpoint.acceptGzip
        const gzipRequest = executeOptions.gzipRequest ?? false
        const request = HttpClientRequest.post(endpoint.path).pipe(
          HttpClientRequest.bodyText(body, "application/json"),
          acceptGzip ? HttpClientRequest.setHeader("accept-encoding", "gzip") : identity,
          gzipRequest ? HttpClientRequest.setHeader("content-encoding", "gzip") : identity
        )
        const response = yield* httpClient.execute(request).pipe(
          Effect.mapError((error) => transportError(endpoint.name, error))
        )
        const requestID = Option.getOrUndefined(Headers.get(response.request.headers, "requestid"))
        yield* Effect.annotateCurrentSpan("callbot.requestID", requestID)
        const received = yield* response.arrayBuffer.pipe(
          Effect.map((buffer) => new Uint8Array(buffer)),
          Effect.mapError((error) =>
            new CallbotError.TransportError({
              endpoint: endpoint.name,
              reason: "Transport",
              description: `reading the response body failed: ${describeCause(error.cause)}`,
              requestID,
              sent: true
            })
          )
        )
        // Decided by the magic bytes rather than `Content-Encoding`: a client
        // that already decompressed (fetch does) leaves the header in place.
        const bytes = Gzip.isGzip(received)
          ? yield* Gzip.gunzip(received).pipe(
            Effect.mapError((error) =>
              new CallbotError.MalformedResponse({
                endpoint: endpoint.name,
                description: error.message,
                body: "",
                requestID
              })
            )
          )
          : received
        const text = new TextDecoder().decode(bytes)
        if (response.status < 200 || response.status >= 300) {
          return yield* new CallbotError.HttpStatusError({
            endpoint: endpoint.name,
            status: response.status,
            body: snippet(text),
            requestID,
            retryAfter: parseRetryAfter(response.headers)
          })
        }
        yield* verifyResponse(endpoint.name, requestID, response, bytes, received)
        const json = yield* Effect.try({
          try: (): unknown => JSON.parse(text),
          catch: () =>
            new CallbotError.MalformedResponse({
              endpoint: endpoint.name,
              description: "the body is not JSON",
              body: snippet(text),
              requestID
            })
        })
        const envelope = endpoint.envelope === "code"
          ? Either.map(decodePingEnvelope(json), (e) => ({ retCode: e.code, retMsg: e.msg, responseID: e.reqId }))
          : decodeEnvelope(json)
        if (envelope._tag === "Left") {
          return yield* new CallbotError.MalformedResponse({
            endpoint: endpoint.name,
            description: `no ${endpoint.envelope} envelope: ${ParseResult.TreeFormatter.formatErrorSync(envelope.left)}`,
            body: snippet(text),
            requestID
          })
        }
        yield* Effect.annotateCurrentSpan({
          "callbot.retCode": envelope.right.retCode,
          "callbot.responseID": envelope.right.responseID
        })
        if (envelope.right.retCode !== 0) {
          return yield* CallbotError.fromRetCode({ ...envelope.right, requestID, endpoint: endpoint.name })
        }
        // Unknown fields are kept, so a field under a name we did not expect
        // is still reachable on the decoded value.
        return yield* Either.mapLeft(decodePreserving(endpoint.response)(json), (error) =>
          new CallbotError.MalformedResponse({
            endpoint: endpoint.name,
            description: formatIssues(error).map((i) => `${i.field}: ${i.description}`).join("; "),
            body: snippet(text),
            requestID
          })
        )
      }).pipe(
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            new CallbotError.TransportError({
              endpoint: endpoint.name,
              reason: "Timeout",
              description: `no complete answer within ${Duration.format(timeout)}`,
              sent: true
            })
        })
      )

    const retryPolicy = Effect.map(FiberRef.get(RetryPolicy.currentPolicy), Option.getOrElse(() => layerPolicy))

    const execute: CallbotClient["execute"] = (endpoint, request, executeOptions = {}) =>
      Effect.gen(function*() {
        const policy = yield* retryPolicy
        // Serialised once: every attempt signs and sends these same bytes.
        const body = JSON.stringify(request)
        return yield* RetryPolicy.retry(
          () => attempt(endpoint, body, executeOptions, policy.timeout ?? defaultTimeout),
          policy,
          { endpoint: endpoint.name, idempotent: endpoint.idempotent }
        )
      }).pipe(
        Effect.withSpan(`CallbotClient.${endpoint.name}`, {
          kind: "client",
          // The caller's own span (Effect.fn) already points at the call site.
          captureStackTrace: false,
          attributes: {
            "callbot.endpoint": endpoint.name,
            "callbot.gzipRequest": executeOptions.gzipRequest ?? false,
            "callbot.acceptGzip": executeOptions.acceptGzip ?? endpoint.acceptGzip
          }
        })
      )

    return CallbotClient.of({ httpClient, execute, retryPolicy })
  })

const transportError = (endpoint: string, error: HttpClientError.HttpClientError): CallbotError.TransportError => {
  if (error._tag === "RequestError") {
    const code = errorCode(error.cause)
    const reason = error.reason === "Transport" ? "Transport" : error.reason
    return new CallbotError.TransportError({
      endpoint,
      reason,
      description: error.description ?? describeCause(error.cause),
      sent: error.reason === "Transport" ? !(code !== undefined && notSentCodes.has(code)) : false
    })
  }
  return new CallbotError.TransportError({
    endpoint,
    reason: "Transport",
    description: error.description ?? describeCause(error.cause),
    sent: true
  })
}

/**
 * The signed client as a layer; needs a {@link Signer.Signer} and an
 * `HttpClient` (`NodeHttpClient.layerUndici`, `FetchHttpClient.layer`, …).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<CallbotClient, never, HttpClient.HttpClient | Signer.Signer> =>
  Layer.effect(CallbotClient, make(options))
