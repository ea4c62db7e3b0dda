/**
 * One answer of the platform: its body read once (decompressed when it is
 * gzip), its status checked, its signature verified over those bytes, then
 * the `retCode` envelope and the endpoint's response schema decoded from the
 * same text.
 */
import * as Headers from "@effect/platform/Headers";
import * as Effect from "effect/Effect";
import * as Either from "effect/Either";
import * as Option from "effect/Option";
import * as ParseResult from "effect/ParseResult";
import * as Schema from "effect/Schema";
import * as CallbotError from "../../CallbotError.js";
import * as Endpoints from "../../Endpoints.js";
import { describeCause, parseRetryAfter, snippet } from "./failures.js";
import { gunzipCapped, readCapped, TooLarge } from "./body.js";
import * as Gzip from "./gzip.js";
import { decodePreserving, formatIssues } from "./validation.js";
const tooLarge = (endpoint, requestID, cap) => (error) => new CallbotError.MalformedResponse({
    endpoint,
    description: `the answer ${error.inflated ? "inflates to" : "is"} more than ${cap} bytes ` +
        `(${error.bytes} ${error.inflated ? "inflated" : "received"} when refused; the client's maxResponseBytes)`,
    body: "",
    requestID,
    maxResponseBytes: cap
});
/**
 * Reads the whole body once, at most `cap` bytes, and inflates a gzip body
 * under the same cap (streamed: a bomb is stopped, not inflated).
 */
export const readBody = (endpoint, response, requestID, cap) => readCapped(response, cap).pipe(Effect.catchTags({
    ResponseError: (error) => Effect.fail(new CallbotError.TransportError({
        endpoint,
        reason: "Transport",
        description: `reading the response body failed: ${describeCause(error.cause)}`,
        requestID,
        sent: true
    })),
    TooLarge: (error) => Effect.fail(tooLarge(endpoint, requestID, cap)(error))
}), Effect.flatMap((received) => {
    // Decided by the magic bytes rather than `Content-Encoding`: a client
    // that already decompressed (fetch does) leaves the header in place.
    if (!Gzip.isGzip(received))
        return Effect.succeed({ received, bytes: received });
    return gunzipCapped(received, cap).pipe(Effect.map((bytes) => ({ received, bytes })), Effect.mapError((error) => error instanceof TooLarge
        ? tooLarge(endpoint, requestID, cap)(error)
        : new CallbotError.MalformedResponse({ endpoint, description: error.message, body: "", requestID })));
}));
/** A status outside 2xx, as an error that keeps the body and `Retry-After`. */
export const statusError = (endpoint, response, text, requestID) => new CallbotError.HttpStatusError({
    endpoint,
    status: response.status,
    body: snippet(text),
    requestID,
    retryAfter: parseRetryAfter(response.headers),
    location: Option.getOrUndefined(Headers.get(response.headers, "location"))
});
/** Checks the answer's signature (per the verify mode) and that it answers `requestID`. */
export const verifyResponse = (verifier, endpoint, requestID, response, body) => {
    if (verifier.mode === "never")
        return Effect.void;
    if (verifier.mode === "ifPresent" && Option.isNone(Headers.get(response.headers, "sign")))
        return Effect.void;
    const verifyOver = (bytes) => verifier.signer.verify({ headers: response.headers, body: bytes });
    // Which bytes the platform signs when it compresses is not documented:
    // the decompressed body first (our choice), then the bytes received.
    const verified = body.bytes === body.received
        ? verifyOver(body.bytes)
        : verifyOver(body.bytes).pipe(Effect.catchIf((error) => error.reason === "Mismatch", (error) => verifyOver(body.received).pipe(Effect.mapError(() => error))));
    return verified.pipe(Effect.mapError((error) => new CallbotError.ResponseSignatureError({ endpoint, reason: error.reason, header: error.header, requestID })), Effect.flatMap((verified) => verified.requestID === requestID
        ? Effect.void
        : Effect.fail(new CallbotError.ResponseSignatureError({ endpoint, reason: "RequestIDMismatch", requestID }))));
};
const decodeEnvelope = Schema.decodeUnknownEither(Endpoints.Envelope);
const decodePingEnvelope = Schema.decodeUnknownEither(Endpoints.PingEnvelope);
/** Decodes a verified 2xx answer: JSON, the envelope, its `retCode`, then the endpoint's response. */
export const decodeAnswer = (endpoint, text, requestID) => {
    const malformed = (description) => new CallbotError.MalformedResponse({ endpoint: endpoint.name, description, body: snippet(text), requestID });
    const json = Either.try({ try: () => JSON.parse(text), catch: () => malformed("the body is not JSON") });
    if (Either.isLeft(json))
        return Effect.fail(json.left);
    const envelope = endpoint.envelope === "code"
        ? Either.map(decodePingEnvelope(json.right), (e) => ({ retCode: e.code, retMsg: e.msg, responseID: e.reqId }))
        : decodeEnvelope(json.right);
    if (Either.isLeft(envelope)) {
        return Effect.fail(malformed(`no ${endpoint.envelope} envelope: ${ParseResult.TreeFormatter.formatErrorSync(envelope.left)}`));
    }
    const { responseID, retCode } = envelope.right;
    const annotated = Effect.annotateCurrentSpan({ "callbot.retCode": retCode, "callbot.responseID": responseID });
    if (retCode !== 0) {
        return Effect.zipRight(annotated, Effect.fail(CallbotError.fromRetCode({ ...envelope.right, requestID, endpoint: endpoint.name })));
    }
    // Unknown fields are kept, so a field under a name we did not expect
    // is still reachable on the decoded value.
    const decoded = Either.mapLeft(decodePreserving(endpoint.response)(json.right), (error) => malformed(formatIssues(error).map((i) => `${i.field}: ${i.description}`).join("; ")));
    return Effect.zipRight(annotated, decoded);
};
