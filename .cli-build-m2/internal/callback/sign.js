/**
 * Signing callbacks the way the platform does, to test a receiver.
 *
 * @internal
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest";
import * as Clock from "effect/Clock";
import * as Effect from "effect/Effect";
import * as Either from "effect/Either";
import * as Signer from "../../Signer.js";
import { malformed } from "./decode.js";
import { kindOf, kinds } from "./kinds.js";
const encodeCallback = (callback) => {
    return callback._tag === "UnknownCallback"
        ? Either.right({ ...callback.body, callbackType: callback.callbackType })
        : kinds[kindOf(callback)].encode(callback);
};
/** @internal */
export const sign = (callback, options = {}) => Effect.gen(function* () {
    const signer = yield* Signer.Signer;
    const body = typeof callback === "string"
        ? callback
        : JSON.stringify(yield* Either.mapLeft(encodeCallback(callback), (error) => malformed(error)));
    const createTs = options.createTs !== undefined
        ? String(options.createTs)
        : String(Math.floor((yield* Clock.currentTimeMillis) / 1000));
    const signed = signer.signWith(body, { requestID: options.requestID ?? Signer.makeRequestID(), createTs });
    return {
        body,
        headers: { "content-type": "application/json", ...Signer.toHeaders(signed, { algorithm: false }) }
    };
});
/** @internal */
export const signRequest = (url, callback, options = {}) => Effect.map(sign(callback, options), (signed) => HttpClientRequest.post(url).pipe(HttpClientRequest.bodyText(signed.body, "application/json"), HttpClientRequest.setHeaders(signed.headers)));
