/**
 * Validation of callers' input with the endpoints' schemas, and the
 * formatting of what is at fault; used by the client (answers) and the API
 * (requests, orders).
 */
import * as Effect from "effect/Effect";
import * as Either from "effect/Either";
import * as ParseResult from "effect/ParseResult";
import * as Schema from "effect/Schema";
import * as CallbotError from "../../CallbotError.js";
/** @internal */
export const formatIssues = (error) => ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => new CallbotError.ValidationIssue({
    field: issue.path.reduce((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`), ""),
    description: issue.message
}));
/** @internal */
export const invalidRequest = (endpoint, error, prefix = "") => {
    const issues = formatIssues(error).map((issue) => prefix === "" ? issue : new CallbotError.ValidationIssue({ ...issue, field: `${prefix}${issue.field === "" ? "" : issue.field.startsWith("[") ? issue.field : `.${issue.field}`}` }));
    const first = issues[0];
    return new CallbotError.InvalidRequest({
        endpoint,
        field: first?.field ?? prefix,
        description: first?.description ?? "invalid",
        issues
    });
};
/** @internal */
export const validate = (endpointName, schema, input) => Effect.suspend(() => Either.mapLeft(decodePreserving(schema)(input), (error) => invalidRequest(endpointName, error)));
/**
 * Whether `input` has a key, at any depth, that `output` (the same value
 * decoded with unknown keys dropped) lacks. Keys whose value is `undefined`
 * do not count; where the decoded value is not an object (a transformation),
 * there is nothing to keep.
 */
const hasDroppedKeys = (input, output, depth) => {
    if (depth > 64)
        return true;
    if (typeof input !== "object" || input === null || typeof output !== "object" || output === null)
        return false;
    if (Array.isArray(input)) {
        if (!Array.isArray(output))
            return false;
        for (let i = 0; i < input.length; i++) {
            if (hasDroppedKeys(input[i], output[i], depth + 1))
                return true;
        }
        return false;
    }
    for (const key of Object.keys(input)) {
        const value = Reflect.get(input, key);
        if (value === undefined)
            continue;
        if (!(key in output))
            return true;
        if (hasDroppedKeys(value, Reflect.get(output, key), depth + 1))
            return true;
    }
    return false;
};
/**
 * Decodes like `Schema.decodeUnknownEither(schema, { errors: "all",
 * onExcessProperty: "preserve" })` — unknown fields are kept, so nothing the
 * caller or the platform sent is silently dropped — at the cost of the
 * default decode when there are none (about half of "preserve"'s).
 */
export const decodePreserving = (schema) => {
    // Parsers are memoised per schema AST by effect/Schema: building these is cheap.
    const ignoring = Schema.decodeUnknownEither(schema, { errors: "all" });
    const preserving = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "preserve" });
    return (input) => {
        const decoded = ignoring(input);
        return Either.isRight(decoded) && hasDroppedKeys(input, decoded.right, 0) ? preserving(input) : decoded;
    };
};
