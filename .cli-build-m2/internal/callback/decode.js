/**
 * Decoding a verified body: JSON object → `callbackType` → the kind (from
 * the body, or the receiver's `expect`) → that kind's schema, with the
 * top-level fields the schema does not know kept aside.
 *
 * @internal
 */
import * as Either from "effect/Either";
import * as ParseResult from "effect/ParseResult";
import * as Schema from "effect/Schema";
import { CallbackMalformedBody, CallbackTypeMismatch, CallbackUnknownType } from "./errors.js";
import { decodeAs, kindOfType, kinds } from "./kinds.js";
import { CallbackType, UnknownCallback } from "./models.js";
const decodeCallbackType = Schema.decodeUnknownEither(CallbackType);
const truncate = (s, max) => (s.length > max ? `${s.slice(0, max)}…` : s);
const formatPath = (path) => path.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`)).join("");
/**
 * A decoding failure as a {@link CallbackMalformedBody}.
 *
 * Issue messages quote the offending value; keep them short (bodies may hold
 * phone numbers) and never let formatting a hostile value take us down.
 *
 * @internal
 */
export const malformed = (error, prefix = []) => Either.match(Either.try(() => ParseResult.ArrayFormatter.formatErrorSync(error)), {
    onLeft: () => new CallbackMalformedBody({ description: "the body does not match the callback schema" }),
    onRight: (issues) => {
        const first = issues[0];
        const lines = issues.slice(0, 5).map((issue) => `${formatPath([...prefix, ...issue.path]) || "(body)"}: ${truncate(issue.message, 160)}`);
        const more = issues.length > 5 ? ` (+${issues.length - 5} more)` : "";
        return new CallbackMalformedBody({
            description: lines.join("; ") + more,
            path: first === undefined ? "" : formatPath([...prefix, ...first.path])
        });
    }
});
const isRecord = (u) => typeof u === "object" && u !== null && !Array.isArray(u);
const parseObject = (text) => Either.try({
    try: () => JSON.parse(text),
    catch: () => new CallbackMalformedBody({ description: "the body is not valid JSON" })
}).pipe(Either.flatMap((json) => isRecord(json)
    ? Either.right(json)
    : Either.left(new CallbackMalformedBody({ description: "the body is not a JSON object" }))));
const extraFields = (json, known) => Object.fromEntries(Object.entries(json).filter(([key]) => !Object.hasOwn(known, key)));
/** @internal */
export const decodeBody = (text, options) => Either.gen(function* () {
    const json = yield* parseObject(text);
    if (!Object.hasOwn(json, "callbackType")) {
        return yield* Either.left(new CallbackMalformedBody({ description: "callbackType: is missing", path: "callbackType" }));
    }
    const callbackType = yield* Either.mapLeft(decodeCallbackType(json.callbackType), (error) => malformed(error, ["callbackType"]));
    const named = kindOfType(callbackType);
    const kind = options.expect ?? named;
    if (kind === undefined) {
        if (options.allowUnknown === true) {
            return {
                callback: new UnknownCallback({ callbackType, body: json }, true),
                extra: {},
                mismatch: false
            };
        }
        return yield* Either.left(new CallbackUnknownType({ callbackType }));
    }
    const mismatch = options.expect !== undefined && named !== options.expect;
    if (mismatch && options.onTypeMismatch !== "accept") {
        return yield* Either.left(new CallbackTypeMismatch({ expected: kind, callbackType }));
    }
    const callback = yield* Either.mapLeft(decodeAs(kind, json), (error) => malformed(error));
    return { callback, extra: extraFields(json, kinds[kind].schema.fields), mismatch };
});
/** @internal */
export const decode = (body, options = {}) => Either.flatMap(decodeBody(body, options), ({ callback }) => callback instanceof UnknownCallback
    ? Either.left(new CallbackUnknownType({ callbackType: callback.callbackType }))
    : Either.right(callback));
