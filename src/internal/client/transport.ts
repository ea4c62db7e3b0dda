/**
 * The signed client's pipeline: base URL + `Accept: application/json` → the
 * user's `transformClient` → sign last (those exact bytes are sent; a body
 * marked gzip is compressed after signing) → per-attempt timeout → the
 * answer read and checked once (`./response.ts`) → retries under the
 * policy in force.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import { identity } from "effect/Function"
import * as Option from "effect/Option"
import * as CallbotError from "../../CallbotError.js"
import type * as CallbotClient from "../../CallbotClient.js"
import type * as Endpoints from "../../Endpoints.js"
import * as RetryPolicy from "../../RetryPolicy.js"
import * as Signer from "../../Signer.js"
import { DEFAULT_MAX_RESPONSE_BYTES } from "./body.js"
import { within } from "../retry/deadline.js"
import { transportError } from "./failures.js"
import * as Gzip from "./gzip.js"
import { decodeAnswer, readBody, statusError, type Verifier, verifyResponse } from "./response.js"
import * as Metrics from "../metrics/metrics.js"

/** Signs the request's body bytes; a request without a text or byte body cannot be signed. */
const signRequest = (signer: Signer.Signer) => (request: HttpClientRequest.HttpClientRequest) => {
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
  return Effect.map(signer.sign(bytes), (signed) => HttpClientRequest.setHeaders(request, Signer.toHeaders(signed)))
}

/** @internal */
export { DEFAULT_MAX_RESPONSE_BYTES }

/** @internal */
export const DEFAULT_BASE_URL = "https://nxbot.nxcloud.com"

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

/**
 * No redirect is followed: `fetch` (and so `FetchHttpClient`) follows them
 * by default, sending the signed headers to wherever `Location` points.
 * Each request is run with `redirect: "manual"` in `FetchHttpClient.RequestInit`
 * (on top of one the calling fiber provides), so a 3xx comes back as it is
 * and becomes an `HttpStatusError`. The Node transports never follow one.
 */
const manualRedirects = (context: Context.Context<never>): Context.Context<never> =>
  Context.add(context, FetchHttpClient.RequestInit, {
    ...Option.getOrUndefined(Context.getOption(context, FetchHttpClient.RequestInit)),
    redirect: "manual"
  })

// One context update per request (rather than a lookup and a provide).
const noRedirects = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.transformResponse(client, (response) => Effect.locallyWith(response, FiberRef.currentContext, manualRedirects))

/** The `HttpClient` that prefixes the base URL and signs every request. */
const signedClient = (
  base: HttpClient.HttpClient,
  signer: Signer.Signer,
  options: CallbotClient.Options
): HttpClient.HttpClient => {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "")
  return noRedirects(base).pipe(
    HttpClient.mapRequest((request) =>
      request.pipe(HttpClientRequest.prependUrl(baseUrl), HttpClientRequest.acceptJson)
    ),
    (client) => (options.transformClient ? options.transformClient(client) : client),
    HttpClient.mapRequestEffect(signRequest(signer)),
    HttpClient.mapRequestEffect(compressMarked),
    HttpClient.transform(Signer.redactSignHeader)
  )
}

/** What one attempt needs. */
interface Transport {
  readonly httpClient: HttpClient.HttpClient
  readonly verifier: Verifier
  /** The most bytes one answer may have, received or inflated. */
  readonly maxResponseBytes: number
}

const decoder = new TextDecoder()
const encoder = new TextEncoder()

/** One request: a fresh signature, the answer read and checked once, within `timeout`. */
const attempt = <Req, ReqEncoded, Res, ResEncoded>(
  transport: Transport,
  endpoint: Endpoints.Endpoint<Req, ReqEncoded, Res, ResEncoded>,
  body: Uint8Array,
  executeOptions: CallbotClient.ExecuteOptions,
  timeout: Duration.Duration
): Effect.Effect<Res, CallbotClient.ExecuteError> => {
  const acceptGzip = executeOptions.acceptGzip ?? endpoint.acceptGzip
  const gzipRequest = executeOptions.gzipRequest ?? false
  const request = HttpClientRequest.post(endpoint.path).pipe(
    HttpClientRequest.bodyUint8Array(body, "application/json"),
    acceptGzip ? HttpClientRequest.setHeader("accept-encoding", "gzip") : identity,
    gzipRequest ? HttpClientRequest.setHeader("content-encoding", "gzip") : identity
  )
  const answered = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<Res, CallbotClient.ExecuteError> => {
    const requestID = response.request.headers["requestid"]
    return Effect.zipRight(
      Effect.annotateCurrentSpan("callbot.requestID", requestID),
      Effect.flatMap(readBody(endpoint.name, response, requestID, transport.maxResponseBytes), (answer): Effect.Effect<
        Res,
        CallbotClient.ExecuteError
      > => {
        const text = decoder.decode(answer.bytes)
        if (response.status < 200 || response.status >= 300) {
          return Effect.fail(statusError(endpoint.name, response, text, requestID))
        }
        return Effect.zipRight(
          verifyResponse(transport.verifier, endpoint.name, requestID, response, answer),
          decodeAnswer(endpoint, text, requestID)
        )
      })
    )
  }
  return within(
    Effect.flatMap(
      Effect.mapError(transport.httpClient.execute(request), (error) => transportError(endpoint.name, error)),
      answered
    ),
    timeout,
    () =>
      new CallbotError.TransportError({
        endpoint: endpoint.name,
        reason: "Timeout",
        description: `no complete answer within ${Duration.format(timeout)}`,
        sent: true
      })
  )
}

/** @internal */
export const make = (
  options: CallbotClient.Options = {}
): Effect.Effect<CallbotClient.CallbotClient, never, HttpClient.HttpClient | Signer.Signer> =>
  Effect.gen(function*() {
    const signer = yield* Signer.Signer
    const httpClient = signedClient(yield* HttpClient.HttpClient, signer, options)
    const transport: Transport = {
      httpClient,
      verifier: { signer, mode: options.verifyResponses ?? "ifPresent" },
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    }
    const defaultTimeout = Duration.decode(options.timeout ?? Duration.seconds(30))
    const layerPolicy = options.retry ?? RetryPolicy.defaultPolicy

    const retryPolicy = Effect.map(FiberRef.get(RetryPolicy.currentPolicy), Option.getOrElse(() => layerPolicy))

    const execute: CallbotClient.CallbotClient["execute"] = (endpoint, request, executeOptions = {}) =>
      Effect.flatMap(retryPolicy, (policy) => {
        const started = performance.now()
        // Serialised and encoded once: every attempt signs and sends these
        // same bytes. Only the bytes are kept while the request is in flight
        // (outside the JavaScript heap), not the JSON text as well.
        const body = encoder.encode(JSON.stringify(request))
        return RetryPolicy.retry(
          () => attempt(transport, endpoint, body, executeOptions, policy.timeout ?? defaultTimeout),
          policy,
          { endpoint: endpoint.name, idempotent: endpoint.idempotent }
        ).pipe(Effect.onExit((exit) =>
          Metrics.recordRequest(
            endpoint.name,
            Exit.isSuccess(exit) ? "success" : Option.getOrElse(
              Option.map(Cause.failureOption(exit.cause), (error) => error._tag),
              () => Cause.isInterruptedOnly(exit.cause) ? "interrupted" : "defect"
            ),
            (performance.now() - started) / 1000
          )
        ))
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

    return { httpClient, execute, retryPolicy }
  })
