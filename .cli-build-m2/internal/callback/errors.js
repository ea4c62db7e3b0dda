/**
 * Why a callback was refused: one error class per answer the receiver gives
 * (see the table on the face, `Callback.ts`).
 *
 * @internal
 */
import * as Schema from "effect/Schema";
import { CallbackKind } from "./models.js";
/**
 * A signature header is missing (answered 401, `retCode` 6001).
 *
 * @since 0.1.0
 * @category errors
 */
export class CallbackMissingHeader extends Schema.TaggedError()("CallbackMissingHeader", {
    header: Schema.String
}) {
    get message() {
        return `callback rejected: header "${this.header}" is missing`;
    }
}
/**
 * The signature is wrong, malformed, or for another account (answered 401,
 * `retCode` 6). Never carries the secret, the expected signature or the body.
 *
 * @since 0.1.0
 * @category errors
 */
export class CallbackBadSignature extends Schema.TaggedError()("CallbackBadSignature", {
    reason: Schema.Literal("InvalidHeader", "UuidMismatch", "Mismatch"),
    header: Schema.optional(Schema.String)
}) {
    get message() {
        return `callback rejected: bad signature (${this.reason}${this.header === undefined ? "" : `: ${this.header}`})`;
    }
}
/**
 * The `createTs` header is too far from this server's clock (answered 401,
 * `retCode` 6): an old delivery being replayed, or a clock that is off.
 * `skewSeconds` is `now - createTs` (positive: in the past).
 *
 * @since 0.1.0
 * @category errors
 */
export class CallbackOutsideWindow extends Schema.TaggedError()("CallbackOutsideWindow", {
    createTs: Schema.String,
    skewSeconds: Schema.Number,
    windowSeconds: Schema.Number
}) {
    get message() {
        const direction = this.skewSeconds >= 0 ? "in the past" : "in the future";
        return `callback rejected: createTs is ${Math.abs(this.skewSeconds)} s ${direction} (accepted: ±${this.windowSeconds} s)`;
    }
}
/**
 * The body is larger than the receiver's cap (answered 413, `retCode` 4001).
 *
 * @since 0.1.0
 * @category errors
 */
export class CallbackTooLarge extends Schema.TaggedError()("CallbackTooLarge", {
    maxBodyBytes: Schema.Number,
    /** The declared or measured size, when known. */
    size: Schema.optional(Schema.Number)
}) {
    get message() {
        return `callback rejected: body larger than ${this.maxBodyBytes} bytes${this.size === undefined ? "" : ` (${this.size})`}`;
    }
}
/**
 * The body is signed correctly but is not a callback we can read (answered
 * 400, `retCode` 3). `path` names the first field at fault (`""` for the
 * body itself); `description` lists the problems.
 *
 * @since 0.1.0
 * @category errors
 */
export class CallbackMalformedBody extends Schema.TaggedError()("CallbackMalformedBody", {
    description: Schema.String,
    path: Schema.optionalWith(Schema.String, { default: () => "" })
}) {
    get message() {
        return `callback rejected: malformed body: ${this.description}`;
    }
}
/**
 * The `callbackType` is not 1, 2 or 3 and the receiver has no `fallback`
 * handler (answered 400, `retCode` 4).
 *
 * @since 0.1.0
 * @category errors
 */
export class CallbackUnknownType extends Schema.TaggedError()("CallbackUnknownType", {
    callbackType: Schema.Number
}) {
    get message() {
        return `callback rejected: unknown callbackType ${this.callbackType}`;
    }
}
/**
 * A receiver mounted for one kind got a body whose `callbackType` names
 * another (refused unless `onTypeMismatch: "accept"`; answered 400,
 * `retCode` 4).
 *
 * @since 0.1.0
 * @category errors
 */
export class CallbackTypeMismatch extends Schema.TaggedError()("CallbackTypeMismatch", {
    expected: CallbackKind,
    callbackType: Schema.Number
}) {
    get message() {
        return `callback rejected: expected a ${this.expected} callback, got callbackType ${this.callbackType}`;
    }
}
/**
 * A schema of every {@link CallbackError}, to send them across a wire.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallbackError = Schema.Union(CallbackMissingHeader, CallbackBadSignature, CallbackOutsideWindow, CallbackTooLarge, CallbackMalformedBody, CallbackUnknownType, CallbackTypeMismatch);
