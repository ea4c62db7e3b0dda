/**
 * Why a callback was refused: one error class per answer the receiver gives
 * (see the table on the face, `Callback.ts`).
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import { CallbackKind } from "./models.js"

/** @internal */
export class CallbackMissingHeader extends Schema.TaggedError<CallbackMissingHeader>()("CallbackMissingHeader", {
  header: Schema.String
}) {
  override get message() {
    return `callback rejected: header "${this.header}" is missing`
  }
}

/** @internal */
export class CallbackBadSignature extends Schema.TaggedError<CallbackBadSignature>()("CallbackBadSignature", {
  reason: Schema.Literal("InvalidHeader", "UuidMismatch", "Mismatch"),
  header: Schema.optional(Schema.String)
}) {
  override get message() {
    return `callback rejected: bad signature (${this.reason}${this.header === undefined ? "" : `: ${this.header}`})`
  }
}

/** @internal */
export class CallbackOutsideWindow extends Schema.TaggedError<CallbackOutsideWindow>()("CallbackOutsideWindow", {
  createTs: Schema.String,
  skewSeconds: Schema.Number,
  windowSeconds: Schema.Number
}) {
  override get message() {
    const direction = this.skewSeconds >= 0 ? "in the past" : "in the future"
    return `callback rejected: createTs is ${
      Math.abs(this.skewSeconds)
    } s ${direction} (accepted: ±${this.windowSeconds} s)`
  }
}

/** @internal */
export class CallbackTooLarge extends Schema.TaggedError<CallbackTooLarge>()("CallbackTooLarge", {
  maxBodyBytes: Schema.Number,
  /** The declared or measured size, when known. */
  size: Schema.optional(Schema.Number)
}) {
  override get message() {
    return `callback rejected: body larger than ${this.maxBodyBytes} bytes${
      this.size === undefined ? "" : ` (${this.size})`
    }`
  }
}

/** @internal */
export class CallbackMalformedBody extends Schema.TaggedError<CallbackMalformedBody>()("CallbackMalformedBody", {
  description: Schema.String,
  path: Schema.optionalWith(Schema.String, { default: () => "" })
}) {
  override get message() {
    return `callback rejected: malformed body: ${this.description}`
  }
}

/** @internal */
export class CallbackUnknownType extends Schema.TaggedError<CallbackUnknownType>()("CallbackUnknownType", {
  callbackType: Schema.Number
}) {
  override get message() {
    return `callback rejected: unknown callbackType ${this.callbackType}`
  }
}

/** @internal */
export class CallbackTypeMismatch extends Schema.TaggedError<CallbackTypeMismatch>()("CallbackTypeMismatch", {
  expected: CallbackKind,
  callbackType: Schema.Number
}) {
  override get message() {
    return `callback rejected: expected a ${this.expected} callback, got callbackType ${this.callbackType}`
  }
}

/** @internal */
export type CallbackError =
  | CallbackMissingHeader
  | CallbackBadSignature
  | CallbackOutsideWindow
  | CallbackTooLarge
  | CallbackMalformedBody
  | CallbackUnknownType
  | CallbackTypeMismatch

/** @internal */
export const CallbackError = Schema.Union(
  CallbackMissingHeader,
  CallbackBadSignature,
  CallbackOutsideWindow,
  CallbackTooLarge,
  CallbackMalformedBody,
  CallbackUnknownType,
  CallbackTypeMismatch
)

/** What decoding a verified body can fail with. @internal */
export type DecodeFailure = CallbackMalformedBody | CallbackUnknownType | CallbackTypeMismatch
