/**
 * The signed client's pipeline: base URL + `Accept: application/json` → the
 * user's `transformClient` → sign last (those exact bytes are sent; a body
 * marked gzip is compressed after signing) → per-attempt timeout → the
 * answer read and checked once (`./response.ts`) → retries under the
 * policy in force.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient";
import * as Headers from "@effect/platform/Headers";
import * as HttpClient from "@effect/platform/HttpClient";
import * as HttpClientError from "@effect/platform/HttpClientError";
import * as HttpClientRequest from "@effect/platform/HttpClientRequest";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as FiberRef from "effect/FiberRef";
import { identity } from "effect/Function";
import * as Option from "effect/Option";
import * as CallbotError from "../../CallbotError.js";
import * as RetryPolicy from "../../RetryPolicy.js";
import * as Signer from "../../Signer.js";
import { DEFAULT_MAX_RESPONSE_BYTES } from "./body.js";
import { transportError } from "./failures.js";
import * as Gzip from "./gzip.js";
import { decodeAnswer, readBody, statusError, verifyResponse } from "./response.js";
/** Signs the request's body bytes; a request without a text or byte body cannot be signed. */
const signRequest = (signer) => (request) => {
    const body = request.body;
    const bytes = body._tag === "Uint8Array" ? body.body : body._tag === "Empty" ? new Uint8Array(0) : undefined;
    if (bytes === undefined) {
        return Effect.fail(new HttpClientError.RequestError({
            request,
            reason: "Encode",
            description: "a Callbot request needs a text or byte body to be signed"
        }));
    }
    return Effect.map(signer.sign(bytes), (signed) => HttpClientRequest.setHeaders(request, Signer.toHeaders(signed)));
};
/** @internal */
export { DEFAULT_MAX_RESPONSE_BYTES };
/** @internal */
export const DEFAULT_BASE_URL = "https://nxbot.nxcloud.com";
// A request marked `Content-Encoding: gzip` with a plain body is signed
// over that plain body, then compressed: the signature covers the JSON.
const compressMarked = (request) => {
    const body = request.body;
    if (body._tag !== "Uint8Array" || Headers.get(request.headers, "content-encoding")._tag === "None") {
        return Effect.succeed(request);
    }
    if (Gzip.isGzip(body.body))
        return Effect.succeed(request);
    return Gzip.gzip(body.body).pipe(Effect.map((compressed) => HttpClientRequest.bodyUint8Array(request, compressed, body.contentType)), Effect.mapError((error) => new HttpClientError.RequestError({ request, reason: "Encode", cause: error, description: error.message })));
};
/**
 * No redirect is followed: `fetch` (and so `FetchHttpClient`) follows them
 * by default, sending the signed headers to wherever `Location` points.
 * Each request is run with `redirect: "manual"` in `FetchHttpClient.RequestInit`
 * (on top of one the calling fiber provides), so a 3xx comes back as it is
 * and becomes an `HttpStatusError`. The Node transports never follow one.
 */
const noRedirects = (client) => HttpClient.transformResponse(client, (response) => Effect.flatMap(Effect.serviceOption(FetchHttpClient.RequestInit), (init) => Effect.provideService(response, FetchHttpClient.RequestInit, {
    ...Option.getOrUndefined(init),
    redirect: "manual"
})));
/** The `HttpClient` that prefixes the base URL and signs every request. */
const signedClient = (base, signer, options) => {
    const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    return noRedirects(base).pipe(HttpClient.mapRequest((request) => request.pipe(HttpClientRequest.prependUrl(baseUrl), HttpClientRequest.acceptJson)), (client) => (options.transformClient ? options.transformClient(client) : client), HttpClient.mapRequestEffect(signRequest(signer)), HttpClient.mapRequestEffect(compressMarked), HttpClient.transform(Signer.redactSignHeader));
};
/** One request: a fresh signature, the answer read and checked once, within `timeout`. */
const attempt = (transport, endpoint, body, executeOptions, timeout) => Effect.gen(function* () {
    const acceptGzip = executeOptions.acceptGzip ?? endpoint.acceptGzip;
    const gzipRequest = executeOptions.gzipRequest ?? false;
    const request = HttpClientRequest.post(endpoint.path).pipe(HttpClientRequest.bodyText(body, "application/json"), acceptGzip ? HttpClientRequest.setHeader("accept-encoding", "gzip") : identity, gzipRequest ? HttpClientRequest.setHeader("content-encoding", "gzip") : identity);
    const response = yield* transport.httpClient.execute(request).pipe(Effect.mapError((error) => transportError(endpoint.name, error)));
    const requestID = Option.getOrUndefined(Headers.get(response.request.headers, "requestid"));
    yield* Effect.annotateCurrentSpan("callbot.requestID", requestID);
    const answer = yield* readBody(endpoint.name, response, requestID, transport.maxResponseBytes);
    const text = new TextDecoder().decode(answer.bytes);
    if (response.status < 200 || response.status >= 300) {
        return yield* statusError(endpoint.name, response, text, requestID);
    }
    yield* verifyResponse(transport.verifier, endpoint.name, requestID, response, answer);
    return yield* decodeAnswer(endpoint, text, requestID);
}).pipe(Effect.timeoutFail({
    duration: timeout,
    onTimeout: () => new CallbotError.TransportError({
        endpoint: endpoint.name,
        reason: "Timeout",
        description: `no complete answer within ${Duration.format(timeout)}`,
        sent: true
    })
}));
/** @internal */
export const make = (options = {}) => Effect.gen(function* () {
    const signer = yield* Signer.Signer;
    const httpClient = signedClient(yield* HttpClient.HttpClient, signer, options);
    const transport = {
        httpClient,
        verifier: { signer, mode: options.verifyResponses ?? "ifPresent" },
        maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    };
    const defaultTimeout = Duration.decode(options.timeout ?? Duration.seconds(30));
    const layerPolicy = options.retry ?? RetryPolicy.defaultPolicy;
    const retryPolicy = Effect.map(FiberRef.get(RetryPolicy.currentPolicy), Option.getOrElse(() => layerPolicy));
    const execute = (endpoint, request, executeOptions = {}) => Effect.gen(function* () {
        const policy = yield* retryPolicy;
        // Serialised once: every attempt signs and sends these same bytes.
        const body = JSON.stringify(request);
        return yield* RetryPolicy.retry(() => attempt(transport, endpoint, body, executeOptions, policy.timeout ?? defaultTimeout), policy, { endpoint: endpoint.name, idempotent: endpoint.idempotent });
    }).pipe(Effect.withSpan(`CallbotClient.${endpoint.name}`, {
        kind: "client",
        // The caller's own span (Effect.fn) already points at the call site.
        captureStackTrace: false,
        attributes: {
            "callbot.endpoint": endpoint.name,
            "callbot.gzipRequest": executeOptions.gzipRequest ?? false,
            "callbot.acceptGzip": executeOptions.acceptGzip ?? endpoint.acceptGzip
        }
    }));
    return { httpClient, execute, retryPolicy };
});
