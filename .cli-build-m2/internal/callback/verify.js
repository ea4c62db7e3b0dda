/**
 * Verifying one delivery: the signature over the raw bytes (constant time,
 * with the previous signers of a secret rotation), the `requestID` shape,
 * the `createTs` window, then decoding those same bytes.
 *
 * @internal
 */
import * as Clock from "effect/Clock";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Either from "effect/Either";
import * as Signer from "../../Signer.js";
import { decodeBody } from "./decode.js";
import { CallbackBadSignature, CallbackMalformedBody, CallbackMissingHeader, CallbackOutsideWindow, CallbackUnknownType } from "./errors.js";
import { safeInput } from "./input.js";
import { UnknownCallback } from "./models.js";
const defaultTimestampWindow = Duration.seconds(300);
const fromSignatureError = (error) => error.reason === "MissingHeader"
    ? new CallbackMissingHeader({ header: error.header ?? "" })
    : new CallbackBadSignature(error.header === undefined ? { reason: error.reason } : { reason: error.reason, header: error.header });
/**
 * Callbacks carry no `algorithm` header: each signer verifies with the
 * algorithms of `options.algorithms`, by default its own configured one only,
 * so a sender cannot pick a weaker digest with an `algorithm` header.
 */
const verifyWith = (signer, input, algorithms) => signer.verify(input, { algorithms: algorithms ?? [signer.algorithm] });
const verifySignature = (signer, options, input) => {
    const previous = options.previousSigners ?? [];
    const algorithms = options.algorithms;
    return previous.length === 0
        ? verifyWith(signer, input, algorithms)
        : Effect.catchIf(verifyWith(signer, input, algorithms), (error) => error.reason === "Mismatch" || error.reason === "UuidMismatch", (error) => Effect.firstSuccessOf(previous.map((other) => verifyWith(other, input, algorithms))).pipe(Effect.mapError(() => error)));
};
/** The `createTs` window in milliseconds (`Infinity` when off). @internal */
export const windowMillis = (options) => Duration.toMillis(Duration.decode(options.timestampWindow ?? defaultTimestampWindow));
const checkWindow = (createTs, window) => Number.isFinite(window)
    ? Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const skew = now - Number(createTs) * 1000;
        return Math.abs(skew) <= window ? Effect.void : Effect.fail(new CallbackOutsideWindow({
            createTs,
            skewSeconds: Math.trunc(skew / 1000),
            windowSeconds: Math.floor(window / 1000)
        }));
    })
    : Effect.void;
const requestIDPattern = /^[\x21-\x7e]{1,128}$/;
// `ignoreBOM`: a leading byte order mark is kept, so the text is exactly
// what was signed; decoding skips it (see `jsonText`).
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const bodyText = (body) => typeof body === "string"
    ? Either.right(body)
    : Either.try({
        try: () => utf8.decode(body),
        catch: () => new CallbackMalformedBody({ description: "the body is not valid UTF-8" })
    });
/** The JSON text of a body: without its byte order mark, if it has one. */
const jsonText = (text) => text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
/**
 * The signature, the `requestID` shape and the `createTs` window: after
 * this, the delivery is the platform's (or a replay of it, which the replay
 * store catches).
 *
 * @internal
 */
export const verifySigned = (input, options) => Effect.gen(function* () {
    const signer = yield* Signer.Signer;
    const headers = yield* Effect.mapError(verifySignature(signer, options, input), fromSignatureError);
    // The platform's requestIDs are short tokens (32 hex characters in its
    // examples). Anything else — control characters, non-ASCII, 200+
    // characters — is refused even when signed: it is the only free-form
    // field after the body in the signed string, so keeping it plain keeps
    // the string unambiguous, and it becomes a store key.
    if (!requestIDPattern.test(headers.requestID)) {
        return yield* new CallbackBadSignature({ reason: "InvalidHeader", header: "requestID" });
    }
    yield* checkWindow(headers.createTs, windowMillis(options));
    return headers;
});
/** Decodes the body of a delivery {@link verifySigned} accepted. @internal */
export const decodeVerified = (input, headers, options) => Either.flatMap(bodyText(input.body), (body) => Either.map(decodeBody(jsonText(body), options), (decoded) => ({ ...decoded, headers, body })));
/** @internal */
export const verifyBody = (input, options) => Effect.flatMap(verifySigned(input, options), (headers) => decodeVerified(input, headers, options));
/** @internal */
export const verifyWithHeaders = Effect.fn("Callback.verify")(function* (input, options = {}) {
    const verified = yield* verifyBody(yield* safeInput(input), options);
    const { callback } = verified;
    if (callback instanceof UnknownCallback) {
        return yield* new CallbackUnknownType({ callbackType: callback.callbackType });
    }
    return { callback, extra: verified.extra, headers: verified.headers, body: verified.body };
});
/** @internal */
export const verify = (input, options) => Effect.map(verifyWithHeaders(input, options), (verified) => verified.callback);
