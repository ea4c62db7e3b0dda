/**
 * What a framework hands the receiver, made safe: headers as a `Headers`
 * record of strings, and the body as the exact bytes or a well-formed
 * string — or a typed refusal. Express, Fastify, Koa and others hand over
 * whatever their middleware left (`req.body` may be a parsed object,
 * `undefined`, an `ArrayBuffer`; a header may be a number or an array), and
 * `handle` must answer every one of them instead of dying.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers";
import * as Either from "effect/Either";
import { CallbackMalformedBody } from "./errors.js";
const notBytes = new CallbackMalformedBody({
    description: "the body is not raw bytes or text (was it parsed by a body parser such as express.json()? " +
        "give the receiver the raw body, e.g. with express.raw({ type: \"*/*\" }))"
});
const lossy = new CallbackMalformedBody({
    description: "the body text holds a lone UTF-16 surrogate, so it has no exact UTF-8 bytes to verify " +
        "(pass the raw bytes instead of a decoded string)"
});
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isObject = (u) => typeof u === "object" && u !== null;
/** `ArrayBuffer` across realms (an `instanceof` check is not enough there). */
const isArrayBuffer = (u) => u instanceof ArrayBuffer || Object.prototype.toString.call(u) === "[object ArrayBuffer]";
/**
 * The body as bytes or exact text; anything else is refused (400).
 *
 * @internal
 */
export const safeBody = (body) => {
    if (body instanceof Uint8Array)
        return Either.right(body);
    if (typeof body === "string") {
        // Two different texts with a lone surrogate and with U+FFFD encode to the
        // same UTF-8, hence verify with the same signature: refuse the lossy one.
        return loneSurrogate.test(body) ? Either.left(lossy) : Either.right(body);
    }
    if (isArrayBuffer(body))
        return Either.right(new Uint8Array(body));
    if (ArrayBuffer.isView(body))
        return Either.right(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    return Either.left(notBytes);
};
const headerValue = (value) => {
    if (typeof value === "string")
        return value;
    if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean")
        return String(value);
    if (Array.isArray(value)) {
        const parts = value.flatMap((part) => {
            const text = headerValue(part);
            return text === undefined ? [] : [text];
        });
        return parts.length === 0 ? undefined : parts.join(", ");
    }
    return undefined;
};
const fromRecord = (record) => {
    const out = {};
    for (const [name, value] of Object.entries(record)) {
        const text = headerValue(value);
        if (text !== undefined)
            out[name.toLowerCase()] = text;
    }
    return Headers.unsafeFromRecord(out);
};
const fromEntries = (entries) => {
    const out = {};
    for (const entry of entries) {
        if (!Array.isArray(entry) || typeof entry[0] !== "string")
            continue;
        const text = headerValue(entry[1]);
        if (text !== undefined)
            out[entry[0].toLowerCase()] = text;
    }
    return Headers.unsafeFromRecord(out);
};
const isIterable = (u) => typeof Reflect.get(u, Symbol.iterator) === "function";
/**
 * Headers of any shape as string headers: `Headers` as they are; Fetch
 * `Headers`, `Map`s and entry lists by their entries; records (Node's
 * `IncomingHttpHeaders`) by their fields, numbers stringified and arrays
 * joined. Values of other types are dropped (a signature header that is
 * dropped is then reported missing), and headers that cannot be read at all
 * count as none.
 *
 * @internal
 */
export const safeHeaders = (headers) => {
    if (Headers.isHeaders(headers))
        return headers;
    if (!isObject(headers))
        return Headers.empty;
    return Either.getOrElse(Either.try(() => isIterable(headers) ? fromEntries(headers) : fromRecord(headers)), () => Headers.empty);
};
/**
 * One delivery as the receiver can verify it, from whatever was handed over.
 *
 * @internal
 */
export const safeInput = (input) => {
    if (!isObject(input))
        return Either.left(notBytes);
    // Reading a field of a hostile object (a getter, a Proxy) may throw.
    const fields = Either.try(() => ({ headers: Reflect.get(input, "headers"), body: Reflect.get(input, "body") }));
    if (Either.isLeft(fields))
        return Either.left(notBytes);
    const body = safeBody(fields.right.body);
    if (Either.isLeft(body))
        return Either.left(body.left);
    return Either.right({ headers: safeHeaders(fields.right.headers), body: body.right });
};
