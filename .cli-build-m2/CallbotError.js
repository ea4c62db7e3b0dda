/**
 * Every way a Callbot call can fail, as `Schema.TaggedError` classes.
 *
 * - One class per documented `retCode` (the platform answered, and said no),
 *   plus {@link UnknownRetCode} for codes the vendor has not documented.
 * - {@link InvalidRequest}: the request failed validation and was not sent.
 * - {@link TransportError}: no response arrived.
 * - {@link HttpStatusError}: a response arrived with a non-2xx status.
 * - {@link MalformedResponse}: the body is not the documented JSON.
 * - {@link ResponseSignatureError}: the response signature is wrong, missing
 *   (with `verifyResponses: "always"`) or answers another request.
 *
 * Errors carry `responseID` / `requestID` for support tickets, never the
 * secret. Handle them by tag:
 *
 * @example
 * ```ts
 * import { CallbotApi } from "effect-callbot"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const api = yield* CallbotApi.CallbotApi
 *   return yield* api.createAndCall(request)
 * }).pipe(
 *   Effect.catchTags({
 *     SystemBusy: (e) => Effect.logWarning(`busy, responseID ${e.responseID}`),
 *     InvalidRequest: (e) => Effect.logError(`${e.field}: ${e.description}`)
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema";
import { apiFields, codesOf, describeApiError, RetCodeError } from "./internal/errors/retCodeError.js";
/**
 * `retCode` 1 — generic error (通用错误).
 *
 * @since 0.1.0
 * @category errors
 */
export class GeneralError extends RetCodeError()("GeneralError", 1) {
}
/**
 * `retCode` 2 — a required parameter is missing (参数丢失).
 *
 * @since 0.1.0
 * @category errors
 */
export class MissingParameter extends RetCodeError()("MissingParameter", 2) {
}
/**
 * `retCode` 3 — a parameter has the wrong format (参数格式错误).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidParameterFormat extends RetCodeError()("InvalidParameterFormat", 3) {
}
/**
 * `retCode` 4 — a parameter has an invalid value (参数值错误).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidParameterValue extends RetCodeError()("InvalidParameterValue", 4) {
}
/**
 * `retCode` 4001 — an array has too many elements (参数内容容量错误). The cap is
 * not documented; send smaller chunks.
 *
 * @since 0.1.0
 * @category errors
 */
export class TooManyElements extends RetCodeError()("TooManyElements", 4001) {
}
/**
 * `retCode` 5 — the server is under maintenance (服务器维护). Transient.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerMaintenance extends RetCodeError()("ServerMaintenance", 5) {
}
/**
 * `retCode` 5001 — internal server error (服务器内部错误). The request may or
 * may not have taken effect.
 *
 * @since 0.1.0
 * @category errors
 */
export class InternalServerError extends RetCodeError()("InternalServerError", 5001) {
}
/**
 * `retCode` 6 — the signature is wrong (签名不正确): check the secret key,
 * the algorithm setting and the clock.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidSignature extends RetCodeError()("InvalidSignature", 6) {
}
/**
 * `retCode` 6001 — the signature headers are missing (签名错误丢失).
 *
 * @since 0.1.0
 * @category errors
 */
export class MissingSignature extends RetCodeError()("MissingSignature", 6001) {
}
/**
 * `retCode` 6002 — the account (`uuid`) does not exist (账号不存在).
 *
 * @since 0.1.0
 * @category errors
 */
export class AccountNotFound extends RetCodeError()("AccountNotFound", 6002) {
}
/**
 * `retCode` 6003 — the account lacks permission (用户没有权限).
 *
 * @since 0.1.0
 * @category errors
 */
export class PermissionDenied extends RetCodeError()("PermissionDenied", 6003) {
}
/**
 * `retCode` 7 — the system is busy (系统正忙). Transient.
 *
 * @since 0.1.0
 * @category errors
 */
export class SystemBusy extends RetCodeError()("SystemBusy", 7) {
}
/**
 * `retCode` 1001 — a batch import is in progress; import and export are not
 * possible until it ends (批次导入进行中). Transient.
 *
 * @since 0.1.0
 * @category errors
 */
export class BatchImportInProgress extends RetCodeError()("BatchImportInProgress", 1001) {
}
/**
 * A non-zero `retCode` the vendor has not documented.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownRetCode extends Schema.TaggedError()("UnknownRetCode", {
    retCode: Schema.Number,
    ...apiFields
}) {
    get message() {
        return describeApiError(this);
    }
}
/**
 * The documented retCode classes, in the vendor's order: the one table from
 * which {@link RetCode}, {@link fromRetCode}, {@link ApiError} and the
 * {@link CallbotError} schema are derived.
 *
 * @since 0.2.0
 * @category errors
 */
export const retCodeErrors = [
    GeneralError,
    MissingParameter,
    InvalidParameterFormat,
    InvalidParameterValue,
    TooManyElements,
    ServerMaintenance,
    InternalServerError,
    InvalidSignature,
    MissingSignature,
    AccountNotFound,
    PermissionDenied,
    SystemBusy,
    BatchImportInProgress
];
/**
 * The documented non-zero `retCode` values.
 *
 * @since 0.1.0
 * @category models
 */
export const RetCode = Schema.Literal(...codesOf(retCodeErrors));
const byRetCode = new Map(retCodeErrors.map((error) => [error.retCode, (fields) => error.fromFields(fields)]));
/**
 * Builds the error for a non-zero `retCode`: the documented class, or
 * {@link UnknownRetCode}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromRetCode = (fields) => {
    const common = {
        retMsg: fields.retMsg,
        responseID: fields.responseID,
        ...(fields.requestID === undefined ? {} : { requestID: fields.requestID }),
        ...(fields.endpoint === undefined ? {} : { endpoint: fields.endpoint })
    };
    const make = byRetCode.get(fields.retCode);
    return make === undefined ? new UnknownRetCode({ ...common, retCode: fields.retCode }) : make(common);
};
/**
 * One problem found while validating a request.
 *
 * @since 0.1.0
 * @category models
 */
export class ValidationIssue extends Schema.Class("ValidationIssue")({
    /** Dotted path of the field, e.g. `taskCreateSetting.startupType`. */
    field: Schema.String,
    description: Schema.String
}) {
}
/**
 * The request failed validation before anything was sent. `field` names the
 * first field at fault; `issues` lists every one.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Schema.TaggedError()("InvalidRequest", {
    endpoint: Schema.String,
    field: Schema.String,
    description: Schema.String,
    issues: Schema.Array(ValidationIssue)
}) {
    get message() {
        const more = this.issues.length > 1 ? ` (+${this.issues.length - 1} more)` : "";
        return `${this.endpoint}: invalid request: ${this.field === "" ? "" : `${this.field}: `}${this.description}${more}`;
    }
}
/**
 * No response arrived: connection refused or reset, DNS failure, timeout, an
 * invalid URL. `sent` says whether the request may have reached the platform
 * (`false` only when it certainly did not).
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError()("TransportError", {
    endpoint: Schema.String,
    reason: Schema.Literal("Transport", "Timeout", "InvalidUrl", "Encode"),
    description: Schema.String,
    requestID: Schema.optional(Schema.String),
    sent: Schema.Boolean
}) {
    get message() {
        return `${this.endpoint}: ${this.reason}: ${this.description}`;
    }
}
/**
 * A response arrived with a status outside 2xx. `body` holds the first KiB.
 * A redirect (3xx) is one too: it is never followed, and `location` names
 * where it pointed.
 *
 * @since 0.1.0
 * @category errors
 */
export class HttpStatusError extends Schema.TaggedError()("HttpStatusError", {
    endpoint: Schema.String,
    status: Schema.Number,
    body: Schema.String,
    requestID: Schema.optional(Schema.String),
    /** Seconds, from a `Retry-After` header, when one was sent. */
    retryAfter: Schema.optional(Schema.Number),
    /**
     * The `Location` header of a redirect (3xx), when one was sent. The client
     * never follows a redirect: the answer is this error, not retried.
     *
     * @since 0.2.0
     */
    location: Schema.optional(Schema.String)
}) {
    get message() {
        const location = this.location === undefined ? "" : ` (redirect to ${this.location}, not followed)`;
        return `${this.endpoint}: HTTP ${this.status}${location}`;
    }
}
/**
 * The response body is not the documented JSON, or is larger than the
 * client accepts (`maxResponseBytes` set). `body` holds the first KiB.
 *
 * @since 0.1.0
 * @category errors
 */
export class MalformedResponse extends Schema.TaggedError()("MalformedResponse", {
    endpoint: Schema.String,
    description: Schema.String,
    body: Schema.String,
    requestID: Schema.optional(Schema.String),
    /**
     * Set when the answer was refused for its size: the cap in force (the
     * client's `maxResponseBytes`), passed by the bytes received or by the
     * bytes a gzip body inflates to. `body` is then empty.
     *
     * @since 0.2.0
     */
    maxResponseBytes: Schema.optional(Schema.Number)
}) {
    get message() {
        return `${this.endpoint}: malformed response: ${this.description}`;
    }
}
/**
 * The response signature does not hold: headers missing (only an error with
 * `verifyResponses: "always"`), malformed, not matching the body, or signed
 * for a different `requestID` than the one sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class ResponseSignatureError extends Schema.TaggedError()("ResponseSignatureError", {
    endpoint: Schema.String,
    reason: Schema.Literal("MissingHeader", "InvalidHeader", "UuidMismatch", "Mismatch", "RequestIDMismatch"),
    header: Schema.optional(Schema.String),
    requestID: Schema.optional(Schema.String)
}) {
    get message() {
        const header = this.header === undefined ? "" : ` (${this.header})`;
        return `${this.endpoint}: response signature rejected: ${this.reason}${header}`;
    }
}
/**
 * A schema for every {@link CallbotError}, to send errors across a wire (RPC,
 * workflow journals) and decode them back into their classes.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallbotError = Schema.Union(...retCodeErrors, UnknownRetCode, InvalidRequest, TransportError, HttpStatusError, MalformedResponse, ResponseSignatureError);
