/**
 * How transport failures and refused answers become `CallbotError`s: what
 * the cause says, whether the request left, what `Retry-After` asks.
 */
import * as Headers from "@effect/platform/Headers";
import * as Option from "effect/Option";
import * as CallbotError from "../../CallbotError.js";
/** At most 1 KiB of a body, for error messages. */
export const snippet = (text) => (text.length > 1024 ? `${text.slice(0, 1024)}…` : text);
/** Connection errors raised before any byte of the request left. */
const notSentCodes = new Set([
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "UND_ERR_CONNECT_TIMEOUT"
]);
const errorCode = (u, depth = 0) => {
    if (depth > 5 || typeof u !== "object" || u === null)
        return undefined;
    const code = "code" in u && typeof u.code === "string" ? u.code : undefined;
    if (code !== undefined)
        return code;
    return "cause" in u ? errorCode(u.cause, depth + 1) : undefined;
};
/** The error code and message of a cause, for a description. */
export const describeCause = (u) => {
    const code = errorCode(u);
    const message = u instanceof Error ? u.message : typeof u === "string" ? u : "";
    return [code, message].filter((s) => s !== undefined && s !== "").join(": ") || "transport failure";
};
/** `Retry-After` in seconds (delta-seconds or an HTTP date), if present and readable. */
export const parseRetryAfter = (headers) => Option.match(Headers.get(headers, "retry-after"), {
    onNone: () => undefined,
    onSome: (value) => {
        if (/^\d+$/.test(value.trim()))
            return Number(value.trim());
        const date = Date.parse(value);
        return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
    }
});
/** A failure of the `HttpClient`, with whether the request may have reached the platform. */
export const transportError = (endpoint, error) => {
    if (error._tag === "RequestError") {
        const code = errorCode(error.cause);
        const reason = error.reason === "Transport" ? "Transport" : error.reason;
        return new CallbotError.TransportError({
            endpoint,
            reason,
            description: error.description ?? describeCause(error.cause),
            sent: error.reason === "Transport" ? !(code !== undefined && notSentCodes.has(code)) : false
        });
    }
    return new CallbotError.TransportError({
        endpoint,
        reason: "Transport",
        description: error.description ?? describeCause(error.cause),
        sent: true
    });
};
