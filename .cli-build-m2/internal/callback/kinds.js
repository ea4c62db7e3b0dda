import * as Schema from "effect/Schema";
import { CallCallback, CallbackKind, OrderCallback, TaskCallback } from "./models.js";
// Extra top-level fields are kept aside by the decoder (see `decode.ts`),
// not rejected.
const decodeOptions = { errors: "all", onExcessProperty: "ignore" };
const row = (callbackType, tag, schema) => {
    // Kept as `S` (the class itself), so that what is derived from it — the
    // `Callback` union — has the types the face documents.
    const self = schema;
    return {
        callbackType,
        tag,
        schema: self,
        /** Decodes a parsed JSON object as this kind. */
        decode: Schema.decodeUnknownEither(schema, decodeOptions),
        /** Encodes a callback of this kind back to its JSON object. */
        encode: Schema.encodeUnknownEither(schema)
    };
};
/**
 * The table. `_tag` must be the one the schema's class declares (checked by
 * the compiler).
 *
 * @internal
 */
export const kinds = {
    task: row(1, "TaskCallback", TaskCallback),
    order: row(2, "OrderCallback", OrderCallback),
    call: row(3, "CallCallback", CallCallback)
};
/** @internal */
export const CallbackTypes = {
    Task: kinds.task.callbackType,
    Order: kinds.order.callbackType,
    Call: kinds.call.callbackType
};
const kindByType = new Map(CallbackKind.literals.map((kind) => [kinds[kind].callbackType, kind]));
const kindByTag = new Map(CallbackKind.literals.map((kind) => [kinds[kind].tag, kind]));
/** @internal */
export const kindOfType = (callbackType) => kindByType.get(callbackType);
/** @internal */
export const typeOfKind = (kind) => kinds[kind].callbackType;
export function kindOf(callback) {
    return kindByTag.get(callback._tag) ?? "unknown";
}
const withType = (type) => (callback) => callback.callbackType === type;
/** @internal */
export const Callback = Schema.Union(kinds.task.schema.pipe(Schema.filter(withType(kinds.task.callbackType))), kinds.order.schema.pipe(Schema.filter(withType(kinds.order.callbackType))), kinds.call.schema.pipe(Schema.filter(withType(kinds.call.callbackType)))).annotations({ identifier: "Callback" });
/** @internal */
export const CallbackFromJson = Schema.parseJson(Callback);
/**
 * Decodes a parsed JSON object as kind `kind`.
 *
 * @internal
 */
export const decodeAs = (kind, json) => kinds[kind].decode(json);
