/**
 * The platform's answers: the `retCode` envelope (and `ping`'s own
 * envelope), and their encoding as an HTTP response, signed (or, when a test
 * asks, mis-signed or unsigned) and compressed on request.
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse";
import * as Clock from "effect/Clock";
import * as Effect from "effect/Effect";
import { gzipSync } from "node:zlib";
import * as Signer from "../../Signer.js";
/** The usual envelope: `{ retCode, retMsg, responseID, ...extra }`. */
export const retAnswer = (retCode, retMsg, extra = {}) => ({
    status: 200,
    retCode,
    body: JSON.stringify({ retCode, retMsg, responseID: Signer.makeRequestID(), ...extra }),
    signing: "normal"
});
/** `ping`'s envelope: `{ data, timestamp, code, msg, reqId }`. */
export const pingAnswer = (nowMs, code, msg, data) => ({
    status: 200,
    retCode: code,
    body: JSON.stringify({
        data: typeof data === "string" ? data : "",
        timestamp: Math.floor(nowMs / 1000),
        code,
        msg,
        reqId: Signer.makeRequestID()
    }),
    signing: "normal"
});
/** An error answer in the endpoint's envelope. */
export const errorAnswer = (endpoint, nowMs, code, msg) => endpoint === "ping" ? pingAnswer(nowMs, code, msg, "") : retAnswer(code, msg);
/** The endpoints whose answers are compressed when the client accepts gzip. */
export const gzipEndpoints = new Set(["listCall", "exportBatchCall"]);
/** Messages of the `retCode`s a fault burst answers. */
export const retCodeMessages = {
    1: "generic error",
    5: "server under maintenance",
    7: "system busy",
    5001: "internal server error"
};
/** The `algorithm` header as a known algorithm (`undefined` when absent or unknown). */
export const requestAlgorithm = (headers) => {
    const value = headers["algorithm"]?.trim().toUpperCase();
    return value === "SHA256" ? "SHA256" : value === "MD5" ? "MD5" : undefined;
};
const nowSeconds = Effect.map(Clock.currentTimeMillis, (ms) => Math.floor(ms / 1000));
/**
 * Signs an answer for `requestID` with the account's key (unless it is for no
 * known account or unsigned), then compresses and truncates it as asked.
 */
export const encode = (account, requestID, algorithm, answer, transfer) => Effect.gen(function* () {
    const headers = { ...answer.headers };
    if (account !== undefined && answer.signing !== "none") {
        const signer = Signer.make({ ...account, algorithm: algorithm ?? account.algorithm });
        const createTs = String(yield* nowSeconds);
        const signed = signer.signWith(answer.body, {
            requestID: answer.signing === "wrongRequestID" ? Signer.makeRequestID() : requestID,
            createTs
        });
        // The `requestID` header echoes the request's even when the signature covers another one.
        Object.assign(headers, Signer.toHeaders({
            ...signed,
            requestID,
            sign: answer.signing === "tampered" ? signed.sign.replace(/^./, (c) => (c === "A" ? "B" : "A")) : signed.sign
        }));
    }
    // The signature covers the uncompressed body (docs/vendor-gaps.md).
    let bytes = new TextEncoder().encode(answer.body);
    if (transfer.gzip) {
        bytes = new Uint8Array(gzipSync(bytes));
        headers["content-encoding"] = "gzip";
    }
    if (transfer.truncate)
        bytes = bytes.slice(0, Math.floor(bytes.length / 2));
    return HttpServerResponse.uint8Array(bytes, {
        status: answer.status,
        contentType: answer.contentType ?? "application/json; charset=utf-8",
        headers
    });
});
