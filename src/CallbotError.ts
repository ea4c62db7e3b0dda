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
import * as Schema from "effect/Schema"

const apiFields = {
  /** What the platform said. */
  retMsg: Schema.String,
  /** The platform's trace ID for this response: quote it to vendor support. */
  responseID: Schema.String,
  /** The `requestID` header the request was sent with. */
  requestID: Schema.optional(Schema.String),
  /** The endpoint that answered, e.g. `createAndCall`. */
  endpoint: Schema.optional(Schema.String)
}

const describeApiError = (e: {
  readonly retCode: number
  readonly retMsg: string
  readonly responseID: string
  readonly endpoint?: string | undefined
}): string =>
  `${e.endpoint === undefined ? "" : `${e.endpoint}: `}retCode ${e.retCode}` +
  `${e.retMsg === "" ? "" : ` (${e.retMsg})`}, responseID ${e.responseID === "" ? "-" : e.responseID}`

/**
 * `retCode` 1 — generic error (通用错误).
 *
 * @since 0.1.0
 * @category errors
 */
export class GeneralError extends Schema.TaggedError<GeneralError>()("GeneralError", {
  retCode: Schema.Literal(1),
  ...apiFields
}) {
  override get message() {
    return describeApiError(this)
  }
}

/**
 * `retCode` 2 — a required parameter is missing (参数丢失).
 *
 * @since 0.1.0
 * @category errors
 */
export class MissingParameter extends Schema.TaggedError<MissingParameter>()("MissingParameter", {
  retCode: Schema.Literal(2),
  ...apiFields
}) {
  override get message() {
    return describeApiError(this)
  }
}

/**
 * `retCode` 3 — a parameter has the wrong format (参数格式错误).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidParameterFormat extends Schema.TaggedError<InvalidParameterFormat>()("InvalidParameterFormat", {
  retCode: Schema.Literal(3),
  ...apiFields
}) {
  override get message() {
    return describeApiError(this)
  }
}

/**
 * `retCode` 4 — a parameter has an invalid value (参数值错误).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidParameterValue extends Schema.TaggedError<InvalidParameterValue>()("InvalidParameterValue", {
  retCode: Schema.Literal(4),
  ...apiFields
}) {
  override get message() {
    return describeApiError(this)
  }
}

/**
 * `retCode` 4001 — an array has too many elements (参数内容容量错误). The cap is
 * not documented; send smaller chunks.
 *
 * @since 0.1.0
 * @category errors
 */
export class TooManyElements extends Schema.TaggedError<TooManyElements>()("TooManyElements", {
  retCode: Schema.Literal(4001),
  ...apiFields
}) {
  override get message() {
    return describeApiError(this)
  }
}

/**
 * `retCode` 5 — the server is under maintenance (服务器维护). Transient.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerMaintenance extends Schema.TaggedError<ServerMaintenance>()("ServerMaintenance", {
  retCode: Schema.Literal(5),
  ...apiFields
}) {
  override get message() {
    return describeApiError(this)
  }
}

/**
 * `retCode` 5001 — internal server error (服务器内部错误). The request may or
 * may not have taken effect.
 *
 * @since 0.1.0
 * @category errors
 */
export class InternalServerError extends Schema.TaggedError<InternalServerError>()("InternalServerError", {
  retCode: Schema.Literal(5001),
  ...apiFields
}) {
  override get message() {
    return describeApiError(this)
  }
}

/**
 * `retCode` 6 — the signature is wrong (签名不正确): check the secret key,
 * the algorithm setting and the clock.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidSignature extends Schema.TaggedError<InvalidSignature>()("InvalidSignature", {
  retCode: Schema.Literal(6),
  ...apiFields
}) {
  override get message() {
    return describeApiError(this)
  }
}

/**
 * `retCode` 6001 — the signature headers are missing (签名错误丢失).
 *
 * @since 0.1.0
 * @category errors
 */
export class MissingSignature extends Schema.TaggedError<MissingSignature>()("MissingSignature", {
  retCode: Schema.Literal(6001),
  ...apiFields
}) {
  override get message() {
    return describeApiError(this)
  }
}

/**
 * `retCode` 6002 — the account (`uuid`) does not exist (账号不存在).
 *
 * @since 0.1.0
 * @category errors
 */
export class AccountNotFound extends Schema.TaggedError<AccountNotFound>()("AccountNotFound", {
  retCode: Schema.Literal(6002),
  ...apiFields
}) {
  override get message() {
    return describeApiError(this)
  }
}

/**
 * `retCode` 6003 — the account lacks permission (用户没有权限).
 *
 * @since 0.1.0
 * @category errors
 */
export class PermissionDenied extends Schema.TaggedError<PermissionDenied>()("PermissionDenied", {
  retCode: Schema.Literal(6003),
  ...apiFields
}) {
  override get message() {
    return describeApiError(this)
  }
}

/**
 * `retCode` 7 — the system is busy (系统正忙). Transient.
 *
 * @since 0.1.0
 * @category errors
 */
export class SystemBusy extends Schema.TaggedError<SystemBusy>()("SystemBusy", {
  retCode: Schema.Literal(7),
  ...apiFields
}) {
  override get message() {
    return describeApiError(this)
  }
}

/**
 * `retCode` 1001 — a batch import is in progress; import and export are not
 * possible until it ends (批次导入进行中). Transient.
 *
 * @since 0.1.0
 * @category errors
 */
export class BatchImportInProgress extends Schema.TaggedError<BatchImportInProgress>()("BatchImportInProgress", {
  retCode: Schema.Literal(1001),
  ...apiFields
}) {
  override get message() {
    return describeApiError(this)
  }
}

/**
 * A non-zero `retCode` the vendor has not documented.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownRetCode extends Schema.TaggedError<UnknownRetCode>()("UnknownRetCode", {
  retCode: Schema.Number,
  ...apiFields
}) {
  override get message() {
    return describeApiError(this)
  }
}

/**
 * The platform answered with a non-zero `retCode`.
 *
 * @since 0.1.0
 * @category errors
 */
export type ApiError =
  | GeneralError
  | MissingParameter
  | InvalidParameterFormat
  | InvalidParameterValue
  | TooManyElements
  | ServerMaintenance
  | InternalServerError
  | InvalidSignature
  | MissingSignature
  | AccountNotFound
  | PermissionDenied
  | SystemBusy
  | BatchImportInProgress
  | UnknownRetCode

/**
 * The documented non-zero `retCode` values.
 *
 * @since 0.1.0
 * @category models
 */
export const RetCode = Schema.Literal(1, 2, 3, 4, 4001, 5, 5001, 6, 6001, 6002, 6003, 7, 1001)

/**
 * @since 0.1.0
 * @category models
 */
export type RetCode = typeof RetCode.Type

/**
 * Builds the error for a non-zero `retCode`: the documented class, or
 * {@link UnknownRetCode}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromRetCode = (fields: {
  readonly retCode: number
  readonly retMsg: string
  readonly responseID: string
  readonly requestID?: string | undefined
  readonly endpoint?: string | undefined
}): ApiError => {
  const common = {
    retMsg: fields.retMsg,
    responseID: fields.responseID,
    ...(fields.requestID === undefined ? {} : { requestID: fields.requestID }),
    ...(fields.endpoint === undefined ? {} : { endpoint: fields.endpoint })
  }
  switch (fields.retCode) {
    case 1:
      return new GeneralError({ ...common, retCode: 1 })
    case 2:
      return new MissingParameter({ ...common, retCode: 2 })
    case 3:
      return new InvalidParameterFormat({ ...common, retCode: 3 })
    case 4:
      return new InvalidParameterValue({ ...common, retCode: 4 })
    case 4001:
      return new TooManyElements({ ...common, retCode: 4001 })
    case 5:
      return new ServerMaintenance({ ...common, retCode: 5 })
    case 5001:
      return new InternalServerError({ ...common, retCode: 5001 })
    case 6:
      return new InvalidSignature({ ...common, retCode: 6 })
    case 6001:
      return new MissingSignature({ ...common, retCode: 6001 })
    case 6002:
      return new AccountNotFound({ ...common, retCode: 6002 })
    case 6003:
      return new PermissionDenied({ ...common, retCode: 6003 })
    case 7:
      return new SystemBusy({ ...common, retCode: 7 })
    case 1001:
      return new BatchImportInProgress({ ...common, retCode: 1001 })
    default:
      return new UnknownRetCode({ ...common, retCode: fields.retCode })
  }
}

/**
 * One problem found while validating a request.
 *
 * @since 0.1.0
 * @category models
 */
export class ValidationIssue extends Schema.Class<ValidationIssue>("ValidationIssue")({
  /** Dotted path of the field, e.g. `taskCreateSetting.startupType`. */
  field: Schema.String,
  description: Schema.String
}) {}

/**
 * The request failed validation before anything was sent. `field` names the
 * first field at fault; `issues` lists every one.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  endpoint: Schema.String,
  field: Schema.String,
  description: Schema.String,
  issues: Schema.Array(ValidationIssue)
}) {
  override get message() {
    const more = this.issues.length > 1 ? ` (+${this.issues.length - 1} more)` : ""
    return `${this.endpoint}: invalid request: ${this.field === "" ? "" : `${this.field}: `}${this.description}${more}`
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
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  endpoint: Schema.String,
  reason: Schema.Literal("Transport", "Timeout", "InvalidUrl", "Encode"),
  description: Schema.String,
  requestID: Schema.optional(Schema.String),
  sent: Schema.Boolean
}) {
  override get message() {
    return `${this.endpoint}: ${this.reason}: ${this.description}`
  }
}

/**
 * A response arrived with a status outside 2xx. `body` holds the first KiB.
 *
 * @since 0.1.0
 * @category errors
 */
export class HttpStatusError extends Schema.TaggedError<HttpStatusError>()("HttpStatusError", {
  endpoint: Schema.String,
  status: Schema.Number,
  body: Schema.String,
  requestID: Schema.optional(Schema.String),
  /** Seconds, from a `Retry-After` header, when one was sent. */
  retryAfter: Schema.optional(Schema.Number)
}) {
  override get message() {
    return `${this.endpoint}: HTTP ${this.status}`
  }
}

/**
 * The response body is not the documented JSON. `body` holds the first KiB.
 *
 * @since 0.1.0
 * @category errors
 */
export class MalformedResponse extends Schema.TaggedError<MalformedResponse>()("MalformedResponse", {
  endpoint: Schema.String,
  description: Schema.String,
  body: Schema.String,
  requestID: Schema.optional(Schema.String)
}) {
  override get message() {
    return `${this.endpoint}: malformed response: ${this.description}`
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
export class ResponseSignatureError extends Schema.TaggedError<ResponseSignatureError>()("ResponseSignatureError", {
  endpoint: Schema.String,
  reason: Schema.Literal("MissingHeader", "InvalidHeader", "UuidMismatch", "Mismatch", "RequestIDMismatch"),
  header: Schema.optional(Schema.String),
  requestID: Schema.optional(Schema.String)
}) {
  override get message() {
    const header = this.header === undefined ? "" : ` (${this.header})`
    return `${this.endpoint}: response signature rejected: ${this.reason}${header}`
  }
}

/**
 * Every error a Callbot API call can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type CallbotError =
  | ApiError
  | InvalidRequest
  | TransportError
  | HttpStatusError
  | MalformedResponse
  | ResponseSignatureError

/**
 * A schema for every {@link CallbotError}, to send errors across a wire (RPC,
 * workflow journals) and decode them back into their classes.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallbotError = Schema.Union(
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
  BatchImportInProgress,
  UnknownRetCode,
  InvalidRequest,
  TransportError,
  HttpStatusError,
  MalformedResponse,
  ResponseSignatureError
)
