/**
 * Callbacks from the platform — task status (`callbackType` 1), order (2)
 * and call (3) — and a hardened receiver for them.
 *
 * - {@link verify} / {@link verifyWithHeaders} turn `{ headers, body }` into a
 *   typed {@link Callback} or a typed {@link CallbackError}: signature over
 *   the raw bytes (constant time), `createTs` window, then decoding.
 * - {@link httpApp} is an `@effect/platform` HttpApp that any Effect HTTP
 *   server can mount: size cap → verify → window → decode → replay check →
 *   your handler (with a timeout) → a signed `{ retCode, retMsg, responseID }`
 *   acknowledgement. {@link receiver} gives the same pipeline as a
 *   framework-neutral `handle({ headers, body })` for Express, Fastify and
 *   others.
 * - {@link sign} / {@link signRequest} sign callbacks the way the platform
 *   does, to test your own receiver.
 *
 * | outcome | HTTP | `retCode` | handler runs |
 * |---|---|---|---|
 * | handled | 200 | 0 | yes |
 * | already handled (same `requestID`) | 200 | 0 | no |
 * | kind with no handler and no `fallback` | 200 | 0 | no (logged) |
 * | signature header missing | 401 | 6001 | no |
 * | signature wrong, `uuid` of another account | 401 | 6 | no |
 * | `createTs` outside the window (default ±300 s) | 401 | 6 | no |
 * | body larger than `maxBodyBytes` (default 1 MiB) | 413 | 4001 | no |
 * | body not JSON / not a callback / not UTF-8 | 400 | 3 | no |
 * | unknown `callbackType` (no `fallback`), mismatch with `onTypeMismatch: "reject"` | 400 | 4 | no |
 * | handler failed or died | 500 | 5001 | yes |
 * | handler timed out (default 30 s) | 503 | 7 | interrupted |
 * | same `requestID` being handled right now | 503 | 7 | no |
 * | replay store unavailable | 503 | 7 | no |
 *
 * Every answer is signed with the account's secret; the content type of the
 * request is ignored (the signature says whether the body is genuine).
 *
 * @example
 * ```ts
 * import { Callback, Signer } from "effect-callbot"
 * import { HttpRouter, HttpServer } from "@effect/platform"
 * import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
 * import { Effect, Layer, Redacted } from "effect"
 * import { createServer } from "node:http"
 *
 * const app = Callback.httpApp({
 *   task: (task) => Effect.log(`task ${task.taskID} is now ${task.taskStatus}`),
 *   order: (order) => Effect.log(`order ${order.orderID} finished`),
 *   call: (call) => Effect.log(`call ${call.callInfoDetail.callID} of ${call.orderID} ended`)
 * })
 *
 * HttpRouter.empty.pipe(
 *   HttpRouter.post("/callbot", app),
 *   HttpServer.serve(),
 *   Layer.provide(Signer.layer({ uuid: "…", secretKey: Redacted.make("…") })),
 *   Layer.provide(NodeHttpServer.layer(createServer, { port: 3000 })),
 *   Layer.launch,
 *   NodeRuntime.runMain
 * )
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as CallbackBody from "./internal/callbackBody.js"
import * as Models from "./Models.js"
import * as ReplayStore from "./ReplayStore.js"
import * as Signer from "./Signer.js"

// ---------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------

const NumericString = Schema.String.pipe(
  Schema.pattern(/^-?\d{1,15}$/, { message: () => "must be an integer or a string of digits" })
)

/**
 * `callbackType`, which the vendor documents both as a number (`1`) and as a
 * numeric string (`"1"`): both decode to a number (a string must be plain
 * digits). `1` task, `2` order, `3` call.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallbackType = Schema.Union(
  Schema.Int,
  Schema.compose(NumericString, Schema.NumberFromString).pipe(Schema.int())
).annotations({ identifier: "CallbackType", description: "1 task, 2 order, 3 call" })

/**
 * Named `callbackType` values.
 *
 * @since 0.1.0
 * @category constants
 */
export const CallbackTypes = { Task: 1, Order: 2, Call: 3 } as const

/**
 * The three kinds of callback, as the receiver options name them.
 *
 * @since 0.1.0
 * @category models
 */
export const CallbackKind = Schema.Literal("task", "order", "call")

/**
 * @since 0.1.0
 * @category models
 */
export type CallbackKind = typeof CallbackKind.Type

/**
 * The kind a `callbackType` value stands for, if it is a documented one.
 *
 * @since 0.1.0
 * @category utils
 */
export const kindOfType = (callbackType: number): CallbackKind | undefined =>
  callbackType === 1 ? "task" : callbackType === 2 ? "order" : callbackType === 3 ? "call" : undefined

/**
 * The `callbackType` value of a kind.
 *
 * @since 0.1.0
 * @category utils
 */
export const typeOfKind = (kind: CallbackKind): 1 | 2 | 3 =>
  kind === "task" ? CallbackTypes.Task : kind === "order" ? CallbackTypes.Order : CallbackTypes.Call

/**
 * Task status callback (`callbackType` 1), sent to `taskCallbackUrl` when a
 * task changes status. Field names are the vendor's; `createTs` is the task's
 * creation time, not the `createTs` header.
 *
 * @since 0.1.0
 * @category models
 */
export class TaskCallback extends Schema.Class<TaskCallback>("TaskCallback")({
  callbackType: CallbackType,
  userTaskID: Schema.String,
  taskID: Schema.String,
  sceneID: Schema.String,
  taskStatus: Models.TaskStatus,
  createTs: Schema.Number,
  taskStat: Models.TaskStat
}) {
  /** Discriminates the callback kinds. */
  readonly _tag = "TaskCallback" as const
}

// The vendor marks these strings required but they are pass-through or
// display values; a missing or `null` one should not cost the callback.
const lenientString = Schema.optionalWith(Schema.String, { nullable: true, default: () => "" })

const orderFields = {
  callbackType: CallbackType,
  orderID: Schema.String,
  userPhone: lenientString,
  userName: lenientString,
  sceneID: lenientString,
  userTaskID: Schema.String,
  taskID: Schema.String,
  /** Pass-through value given with the order at import. */
  other: lenientString
}

/**
 * Order callback (`callbackType` 2), sent to `orderCallbackUrl` when an order
 * is complete (all its call rounds). `callInfoDetail` is the order's last
 * call; it is optional here because the vendor does not say whether an order
 * stopped before any dialling is reported with one.
 *
 * @since 0.1.0
 * @category models
 */
export class OrderCallback extends Schema.Class<OrderCallback>("OrderCallback")({
  ...orderFields,
  finish: Schema.optionalWith(Schema.Boolean, { nullable: true, default: () => true }),
  callInfoDetail: Schema.optionalWith(Models.CallRecord, { nullable: true })
}) {
  /** Discriminates the callback kinds. */
  readonly _tag = "OrderCallback" as const
}

/**
 * Call callback (`callbackType` 3), sent to `callCallbackUrl` after each
 * call ends. `finish` says whether the order is complete with this call.
 *
 * @since 0.1.0
 * @category models
 */
export class CallCallback extends Schema.Class<CallCallback>("CallCallback")({
  ...orderFields,
  finish: Schema.Boolean,
  callInfoDetail: Models.CallRecord
}) {
  /** Discriminates the callback kinds. */
  readonly _tag = "CallCallback" as const
}

/**
 * A callback whose `callbackType` is not one the vendor documents. Only a
 * receiver's `fallback` handler sees these (so a new kind of callback is not
 * lost); `body` is the parsed JSON object.
 *
 * @since 0.1.0
 * @category models
 */
export class UnknownCallback extends Schema.Class<UnknownCallback>("UnknownCallback")({
  callbackType: Schema.Int,
  body: Schema.Record({ key: Schema.String, value: Schema.Unknown })
}) {
  /** Discriminates the callback kinds. */
  readonly _tag = "UnknownCallback" as const
}

/**
 * Any documented callback.
 *
 * @since 0.1.0
 * @category models
 */
export type Callback = TaskCallback | OrderCallback | CallCallback

const withType = (type: number) => (callback: { readonly callbackType: number }) => callback.callbackType === type

/**
 * The callback union, discriminated by `callbackType` (1 task, 2 order,
 * 3 call), e.g. to keep callbacks in a queue and read them back. A receiver
 * mounted per URL does not need the `callbackType` to agree (see
 * {@link VerifyOptions.expect}).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Callback = Schema.Union(
  TaskCallback.pipe(Schema.filter(withType(1))),
  OrderCallback.pipe(Schema.filter(withType(2))),
  CallCallback.pipe(Schema.filter(withType(3)))
).annotations({ identifier: "Callback" })

/**
 * {@link Callback} parsed from JSON text.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallbackFromJson = Schema.parseJson(Callback)

/**
 * The task callback schema, parsed from the raw JSON text.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TaskCallbackFromJson = Schema.parseJson(TaskCallback)

/**
 * Is this a task callback?
 *
 * @since 0.1.0
 * @category guards
 */
export const isTaskCallback = (u: unknown): u is TaskCallback => u instanceof TaskCallback

/**
 * Is this an order callback?
 *
 * @since 0.1.0
 * @category guards
 */
export const isOrderCallback = (u: unknown): u is OrderCallback => u instanceof OrderCallback

/**
 * Is this a call callback?
 *
 * @since 0.1.0
 * @category guards
 */
export const isCallCallback = (u: unknown): u is CallCallback => u instanceof CallCallback

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/**
 * A signature header is missing (answered 401, `retCode` 6001).
 *
 * @since 0.1.0
 * @category errors
 */
export class CallbackMissingHeader extends Schema.TaggedError<CallbackMissingHeader>()("CallbackMissingHeader", {
  header: Schema.String
}) {
  override get message() {
    return `callback rejected: header "${this.header}" is missing`
  }
}

/**
 * The signature is wrong, malformed, or for another account (answered 401,
 * `retCode` 6). Never carries the secret, the expected signature or the body.
 *
 * @since 0.1.0
 * @category errors
 */
export class CallbackBadSignature extends Schema.TaggedError<CallbackBadSignature>()("CallbackBadSignature", {
  reason: Schema.Literal("InvalidHeader", "UuidMismatch", "Mismatch"),
  header: Schema.optional(Schema.String)
}) {
  override get message() {
    return `callback rejected: bad signature (${this.reason}${this.header === undefined ? "" : `: ${this.header}`})`
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

/**
 * The body is larger than the receiver's cap (answered 413, `retCode` 4001).
 *
 * @since 0.1.0
 * @category errors
 */
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

/**
 * The body is signed correctly but is not a callback we can read (answered
 * 400, `retCode` 3). `path` names the first field at fault (`""` for the
 * body itself); `description` lists the problems.
 *
 * @since 0.1.0
 * @category errors
 */
export class CallbackMalformedBody extends Schema.TaggedError<CallbackMalformedBody>()("CallbackMalformedBody", {
  description: Schema.String,
  path: Schema.optionalWith(Schema.String, { default: () => "" })
}) {
  override get message() {
    return `callback rejected: malformed body: ${this.description}`
  }
}

/**
 * The `callbackType` is not 1, 2 or 3 and the receiver has no `fallback`
 * handler (answered 400, `retCode` 4).
 *
 * @since 0.1.0
 * @category errors
 */
export class CallbackUnknownType extends Schema.TaggedError<CallbackUnknownType>()("CallbackUnknownType", {
  callbackType: Schema.Number
}) {
  override get message() {
    return `callback rejected: unknown callbackType ${this.callbackType}`
  }
}

/**
 * A receiver mounted for one kind got a body whose `callbackType` names
 * another, and was told to reject that (`onTypeMismatch: "reject"`; answered
 * 400, `retCode` 4).
 *
 * @since 0.1.0
 * @category errors
 */
export class CallbackTypeMismatch extends Schema.TaggedError<CallbackTypeMismatch>()("CallbackTypeMismatch", {
  expected: CallbackKind,
  callbackType: Schema.Number
}) {
  override get message() {
    return `callback rejected: expected a ${this.expected} callback, got callbackType ${this.callbackType}`
  }
}

/**
 * Why a callback was refused.
 *
 * @since 0.1.0
 * @category errors
 */
export type CallbackError =
  | CallbackMissingHeader
  | CallbackBadSignature
  | CallbackOutsideWindow
  | CallbackTooLarge
  | CallbackMalformedBody
  | CallbackUnknownType
  | CallbackTypeMismatch

/**
 * A schema of every {@link CallbackError}, to send them across a wire.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallbackError = Schema.Union(
  CallbackMissingHeader,
  CallbackBadSignature,
  CallbackOutsideWindow,
  CallbackTooLarge,
  CallbackMalformedBody,
  CallbackUnknownType,
  CallbackTypeMismatch
)

// ---------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------

/**
 * How to read a body, beyond its signature.
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodeOptions {
  /**
   * The kind this receiver is mounted for (one URL per kind). The body is
   * decoded as that kind whatever its `callbackType` says — the vendor's own
   * order and call examples carry `callbackType` 1 — unless
   * {@link onTypeMismatch} is `"reject"`. Without it, `callbackType` decides.
   */
  readonly expect?: CallbackKind | undefined
  /**
   * With {@link expect}: what to do when `callbackType` names another kind.
   * `"accept"` (default) trusts the URL and logs at debug level; `"reject"`
   * answers 400 ({@link CallbackTypeMismatch}).
   */
  readonly onTypeMismatch?: "accept" | "reject" | undefined
}

/**
 * A decoded body: the callback, and the top-level fields the schema does not
 * know — kept aside rather than dropped, so a field the vendor adds is still
 * reachable (the raw body is kept too).
 *
 * @since 0.1.0
 * @category models
 */
export interface Decoded<A = Callback> {
  readonly callback: A
  readonly extra: Readonly<Record<string, unknown>>
}

const kindSchemas = {
  task: TaskCallback,
  order: OrderCallback,
  call: CallCallback
} as const

const decoders = {
  task: Schema.decodeUnknownEither(TaskCallback, { errors: "all", onExcessProperty: "ignore" }),
  order: Schema.decodeUnknownEither(OrderCallback, { errors: "all", onExcessProperty: "ignore" }),
  call: Schema.decodeUnknownEither(CallCallback, { errors: "all", onExcessProperty: "ignore" })
} as const

const decodeCallbackType = Schema.decodeUnknownEither(CallbackType)

const truncate = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max)}…` : s)

const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`)).join("")

// Issue messages quote the offending value; keep them short (bodies may hold
// phone numbers) and never let formatting a hostile value take us down.
const malformed = (error: ParseResult.ParseError, prefix: ReadonlyArray<PropertyKey> = []): CallbackMalformedBody =>
  Either.match(
    Either.try(() => ParseResult.ArrayFormatter.formatErrorSync(error)),
    {
      onLeft: () => new CallbackMalformedBody({ description: "the body does not match the callback schema" }),
      onRight: (issues) => {
        const first = issues[0]
        const lines = issues.slice(0, 5).map((issue) =>
          `${formatPath([...prefix, ...issue.path]) || "(body)"}: ${truncate(issue.message, 160)}`
        )
        const more = issues.length > 5 ? ` (+${issues.length - 5} more)` : ""
        return new CallbackMalformedBody({
          description: lines.join("; ") + more,
          path: first === undefined ? "" : formatPath([...prefix, ...first.path])
        })
      }
    }
  )

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const parseObject = (text: string): Either.Either<Record<string, unknown>, CallbackMalformedBody> =>
  Either.try({
    try: (): unknown => JSON.parse(text),
    catch: () => new CallbackMalformedBody({ description: "the body is not valid JSON" })
  }).pipe(
    Either.flatMap((json) =>
      isRecord(json)
        ? Either.right(json)
        : Either.left(new CallbackMalformedBody({ description: "the body is not a JSON object" }))
    )
  )

const extraFields = (json: Record<string, unknown>, known: Readonly<Record<string, unknown>>) =>
  Object.fromEntries(Object.entries(json).filter(([key]) => !Object.hasOwn(known, key)))

type DecodeFailure = CallbackMalformedBody | CallbackUnknownType | CallbackTypeMismatch

const decodeInternal = (
  text: string,
  options: DecodeOptions & { readonly allowUnknown?: boolean }
): Either.Either<Decoded<Callback | UnknownCallback> & { readonly mismatch: boolean }, DecodeFailure> =>
  Either.gen(function*() {
    const json = yield* parseObject(text)
    if (!Object.hasOwn(json, "callbackType")) {
      return yield* Either.left(
        new CallbackMalformedBody({ description: "callbackType: is missing", path: "callbackType" })
      )
    }
    const callbackType = yield* Either.mapLeft(
      decodeCallbackType(json.callbackType),
      (error) => malformed(error, ["callbackType"])
    )
    const named = kindOfType(callbackType)
    const kind = options.expect ?? named
    if (kind === undefined) {
      if (options.allowUnknown === true) {
        return {
          callback: new UnknownCallback({ callbackType, body: json }, true),
          extra: {},
          mismatch: false
        }
      }
      return yield* Either.left(new CallbackUnknownType({ callbackType }))
    }
    const mismatch = options.expect !== undefined && named !== options.expect
    if (mismatch && options.onTypeMismatch === "reject") {
      return yield* Either.left(new CallbackTypeMismatch({ expected: kind, callbackType }))
    }
    const decoded: Either.Either<Callback, ParseResult.ParseError> = kind === "task"
      ? decoders.task(json)
      : kind === "order"
      ? decoders.order(json)
      : decoders.call(json)
    const callback = yield* Either.mapLeft(decoded, (error) => malformed(error))
    return { callback, extra: extraFields(json, kindSchemas[kind].fields), mismatch }
  })

const utf8 = new TextDecoder("utf-8", { fatal: true })

const bodyText = (body: string | Uint8Array): Either.Either<string, CallbackMalformedBody> =>
  typeof body === "string"
    ? Either.right(body)
    : Either.try({
      try: () => utf8.decode(body),
      catch: () => new CallbackMalformedBody({ description: "the body is not valid UTF-8" })
    })

/**
 * Decodes a callback body that has already been verified, choosing the kind
 * by `callbackType` (or by {@link DecodeOptions.expect}).
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (body: string, options: DecodeOptions = {}): Either.Either<Callback, DecodeFailure> =>
  Either.flatMap(decodeInternal(body, options), ({ callback }) =>
    callback instanceof UnknownCallback
      ? Either.left(new CallbackUnknownType({ callbackType: callback.callbackType }))
      : Either.right(callback))

// ---------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------

/**
 * How to verify a callback.
 *
 * @since 0.1.0
 * @category models
 */
export interface VerifyOptions extends DecodeOptions {
  /**
   * How far the `createTs` header may be from this server's clock, either
   * way. Default 300 seconds; `Duration.infinity` turns the check off (then
   * only the replay store stands between you and a replayed callback). The
   * clock is Effect's `Clock`.
   */
  readonly timestampWindow?: Duration.DurationInput | undefined
  /**
   * Signers tried, in order, when the current {@link Signer.Signer} rejects
   * the signature — for a secret rotation: keep the old account settings here
   * until the platform signs with the new secret.
   */
  readonly previousSigners?: ReadonlyArray<Signer.Signer> | undefined
}

/**
 * A verified callback with the signature headers it came with.
 *
 * @since 0.1.0
 * @category models
 */
export interface Verified<A = Callback> extends Decoded<A> {
  readonly headers: Signer.VerifiedHeaders
  /** The raw body text, exactly as signed. */
  readonly body: string
}

const fromSignatureError = (error: Signer.SignatureError): CallbackMissingHeader | CallbackBadSignature =>
  error.reason === "MissingHeader"
    ? new CallbackMissingHeader({ header: error.header ?? "" })
    : new CallbackBadSignature(
      error.header === undefined ? { reason: error.reason } : { reason: error.reason, header: error.header }
    )

const verifySignature = (
  signer: Signer.Signer,
  previous: ReadonlyArray<Signer.Signer>,
  input: { readonly headers: Signer.HeadersInput; readonly body: string | Uint8Array }
): Effect.Effect<Signer.VerifiedHeaders, Signer.SignatureError> =>
  previous.length === 0
    ? signer.verify(input)
    : Effect.catchIf(
      signer.verify(input),
      (error) => error.reason === "Mismatch" || error.reason === "UuidMismatch",
      (error) =>
        Effect.firstSuccessOf(previous.map((other) => other.verify(input))).pipe(
          Effect.mapError(() => error)
        )
    )

const windowMillis = (options: VerifyOptions): number =>
  Duration.toMillis(Duration.decode(options.timestampWindow ?? defaultTimestampWindow))

const checkWindow = (createTs: string, window: number): Effect.Effect<void, CallbackOutsideWindow> =>
  Number.isFinite(window)
    ? Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const skew = now - Number(createTs) * 1000
      return Math.abs(skew) <= window ? Effect.void : Effect.fail(
        new CallbackOutsideWindow({
          createTs,
          skewSeconds: Math.trunc(skew / 1000),
          windowSeconds: Math.floor(window / 1000)
        })
      )
    })
    : Effect.void

const requestIDPattern = /^[\x21-\x7e]{1,128}$/

const verifyInternal = (
  input: { readonly headers: Signer.HeadersInput; readonly body: string | Uint8Array },
  options: VerifyOptions & { readonly allowUnknown?: boolean }
): Effect.Effect<
  Verified<Callback | UnknownCallback> & { readonly mismatch: boolean },
  CallbackError,
  Signer.Signer
> =>
  Effect.gen(function*() {
    const signer = yield* Signer.Signer
    const headers = yield* Effect.mapError(
      verifySignature(signer, options.previousSigners ?? [], input),
      fromSignatureError
    )
    // The platform's requestIDs are short tokens (32 hex characters in its
    // examples). Anything else — control characters, non-ASCII, 200+
    // characters — is refused even when signed: it is the only free-form
    // field after the body in the signed string, so keeping it plain keeps
    // the string unambiguous, and it becomes a store key.
    if (!requestIDPattern.test(headers.requestID)) {
      return yield* new CallbackBadSignature({ reason: "InvalidHeader", header: "requestID" })
    }
    yield* checkWindow(headers.createTs, windowMillis(options))
    const body = yield* bodyText(input.body)
    const decoded = yield* decodeInternal(body, options)
    return { ...decoded, headers, body }
  })

/**
 * Verifies the signature over the raw body (in constant time), checks the
 * `createTs` window, then decodes. Needs the account's {@link Signer.Signer}
 * (callbacks carry no `algorithm` header: the configured algorithm is used).
 * Pass the body exactly as received — a `Buffer`/`Uint8Array` or the string
 * of those bytes — never a re-serialised object.
 *
 * This checks one delivery; replay protection needs state across deliveries
 * — use {@link receiver} or {@link httpApp} for that.
 *
 * @example
 * ```ts
 * import { Callback } from "effect-callbot"
 * import { Effect } from "effect"
 *
 * // e.g. inside an Express handler with express.raw({ type: "*\/*" })
 * const program = Callback.verifyWithHeaders({ headers: req.headers, body: req.body }).pipe(
 *   Effect.map(({ callback }) => callback)
 * )
 * ```
 *
 * @since 0.1.0
 * @category verification
 */
export const verifyWithHeaders: (
  input: { readonly headers: Signer.HeadersInput; readonly body: string | Uint8Array },
  options?: VerifyOptions
) => Effect.Effect<Verified, CallbackError, Signer.Signer> = Effect.fn("Callback.verify")(function*(
  input: { readonly headers: Signer.HeadersInput; readonly body: string | Uint8Array },
  options: VerifyOptions = {}
) {
  const verified = yield* verifyInternal(input, options)
  const { callback } = verified
  if (callback instanceof UnknownCallback) {
    return yield* new CallbackUnknownType({ callbackType: callback.callbackType })
  }
  return { callback, extra: verified.extra, headers: verified.headers, body: verified.body } satisfies Verified
})

/**
 * Verifies and decodes a callback; see {@link verifyWithHeaders} for the
 * signature headers too.
 *
 * @since 0.1.0
 * @category verification
 */
export const verify = (
  input: { readonly headers: Signer.HeadersInput; readonly body: string | Uint8Array },
  options?: VerifyOptions
): Effect.Effect<Callback, CallbackError, Signer.Signer> =>
  Effect.map(verifyWithHeaders(input, options), (verified) => verified.callback)

// ---------------------------------------------------------------------------
// Signing (test kit)
// ---------------------------------------------------------------------------

/**
 * A signed callback: the exact body and the headers to post with it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Signed {
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
}

/**
 * Overrides for {@link sign}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignOptions {
  /** Default: a fresh one. */
  readonly requestID?: string | undefined
  /** Unix seconds. Default: now, from `Clock`. */
  readonly createTs?: string | number | undefined
}

const encodeCallback = (
  callback: Callback | UnknownCallback
): Either.Either<unknown, ParseResult.ParseError> => {
  switch (callback._tag) {
    case "TaskCallback":
      return Schema.encodeEither(TaskCallback)(callback)
    case "OrderCallback":
      return Schema.encodeEither(OrderCallback)(callback)
    case "CallCallback":
      return Schema.encodeEither(CallCallback)(callback)
    case "UnknownCallback":
      return Either.right({ ...callback.body, callbackType: callback.callbackType })
  }
}

/**
 * Signs a callback the way the platform does, for tests of your own
 * receiver: returns the exact body and the headers to post with it (no
 * `algorithm` header, like the platform's callbacks). A string is signed as
 * given, so malformed or hand-written bodies can be tested too.
 *
 * @example
 * ```ts
 * import { Callback } from "effect-callbot"
 * import { Effect } from "effect"
 *
 * const signed = Callback.sign(
 *   new Callback.TaskCallback({
 *     callbackType: 1, userTaskID: "t-1", taskID: "p-1", sceneID: "s-1", taskStatus: 3, createTs: 1700000000,
 *     taskStat: {
 *       answerOrderCount: 1, finishOrderCount: 1, totalOrderCount: 1, finishRate: 1,
 *       totalAnswerCall: 1, totalCall: 1, answerRate: 1
 *     }
 *   })
 * )
 * // Effect<{ body, headers }, CallbackMalformedBody, Signer>
 * ```
 *
 * @since 0.1.0
 * @category testing
 */
export const sign = (
  callback: Callback | UnknownCallback | string,
  options: SignOptions = {}
): Effect.Effect<Signed, CallbackMalformedBody, Signer.Signer> =>
  Effect.gen(function*() {
    const signer = yield* Signer.Signer
    const body = typeof callback === "string"
      ? callback
      : JSON.stringify(yield* Either.mapLeft(encodeCallback(callback), (error) => malformed(error)))
    const createTs = options.createTs !== undefined
      ? String(options.createTs)
      : String(Math.floor((yield* Clock.currentTimeMillis) / 1000))
    const signed = signer.signWith(body, { requestID: options.requestID ?? Signer.makeRequestID(), createTs })
    return {
      body,
      headers: { "content-type": "application/json", ...Signer.toHeaders(signed, { algorithm: false }) }
    }
  })

/**
 * A signed `POST` of a callback to `url`, ready for an `HttpClient` — to
 * exercise your deployed receiver end to end.
 *
 * @since 0.1.0
 * @category testing
 */
export const signRequest = (
  url: string | URL,
  callback: Callback | UnknownCallback | string,
  options: SignOptions = {}
): Effect.Effect<HttpClientRequest.HttpClientRequest, CallbackMalformedBody, Signer.Signer> =>
  Effect.map(sign(callback, options), (signed) =>
    HttpClientRequest.post(url).pipe(
      HttpClientRequest.bodyText(signed.body, "application/json"),
      HttpClientRequest.setHeaders(signed.headers)
    ))

// ---------------------------------------------------------------------------
// Acknowledgements
// ---------------------------------------------------------------------------

/**
 * What the receiver answers, and with which HTTP status.
 *
 * @since 0.1.0
 * @category models
 */
export interface Acknowledgement {
  readonly status: number
  readonly retCode: number
  readonly retMsg: string
}

const ack = (status: number, retCode: number, retMsg: string): Acknowledgement => ({ status, retCode, retMsg })

/**
 * Maps a refusal to the status and `retCode` the receiver answers with.
 *
 * @since 0.1.0
 * @category models
 */
export const acknowledgementFor = (error: CallbackError): Acknowledgement => {
  switch (error._tag) {
    case "CallbackMissingHeader":
      return ack(401, 6001, `missing signature header ${error.header}`)
    case "CallbackBadSignature":
      return ack(401, 6, "invalid signature")
    case "CallbackOutsideWindow":
      return ack(401, 6, "createTs outside the accepted window")
    case "CallbackTooLarge":
      return ack(413, 4001, "callback body too large")
    case "CallbackMalformedBody":
      return ack(400, 3, "malformed callback body")
    case "CallbackUnknownType":
      return ack(400, 4, "unknown callbackType")
    case "CallbackTypeMismatch":
      return ack(400, 4, "callbackType does not match this receiver")
  }
}

/**
 * A receiver's answer, framework-neutral: write `status`, `headers` and
 * `body` to your HTTP response as they are.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** What happened, for logs and metrics. */
  readonly outcome: Outcome
}

/**
 * What a receiver did with one delivery.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome =
  | { readonly _tag: "Handled"; readonly kind: CallbackKind | "unknown" }
  | { readonly _tag: "Duplicate" }
  | { readonly _tag: "InFlight" }
  | { readonly _tag: "Unhandled"; readonly kind: CallbackKind | "unknown" }
  | { readonly _tag: "Rejected"; readonly error: CallbackError }
  | { readonly _tag: "HandlerFailed" }
  | { readonly _tag: "HandlerTimedOut" }
  | { readonly _tag: "StoreUnavailable"; readonly error: ReplayStore.ReplayStoreError }

const signedAnswer = (
  acknowledgement: Acknowledgement,
  requestID: string | undefined
): Effect.Effect<Omit<Reply, "outcome">, never, Signer.Signer> =>
  Effect.gen(function*() {
    const signer = yield* Signer.Signer
    const now = yield* Clock.currentTimeMillis
    const body = JSON.stringify({
      retCode: acknowledgement.retCode,
      retMsg: acknowledgement.retMsg,
      responseID: Signer.makeRequestID()
    })
    const signed = signer.signWith(body, {
      requestID: requestID ?? Signer.makeRequestID(),
      createTs: String(Math.floor(now / 1000))
    })
    const headers: Record<string, string> = {
      "content-type": "application/json; charset=utf-8",
      ...Signer.toHeaders(signed)
    }
    // Do not keep reading (or keep alive) a connection whose body we refused.
    if (acknowledgement.status === 413) headers.connection = "close"
    return { status: acknowledgement.status, headers, body }
  })

const makeReply = (
  acknowledgement: Acknowledgement,
  outcome: Outcome,
  requestID?: string
): Effect.Effect<Reply, never, Signer.Signer> =>
  Effect.map(signedAnswer(acknowledgement, requestID), (answer) => ({ ...answer, outcome }))

const toResponse = (reply: Omit<Reply, "outcome">): HttpServerResponse.HttpServerResponse => {
  const { "content-type": contentType, ...headers } = reply.headers
  return HttpServerResponse.text(reply.body, { status: reply.status, contentType, headers })
}

/**
 * Builds a signed JSON acknowledgement `{ retCode, retMsg, responseID }`,
 * echoing the callback's `requestID` in the response headers.
 *
 * @since 0.1.0
 * @category responses
 */
export const acknowledge = (
  acknowledgement: Acknowledgement,
  requestID?: string
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, Signer.Signer> =>
  Effect.map(signedAnswer(acknowledgement, requestID), toResponse)

// ---------------------------------------------------------------------------
// Receiver
// ---------------------------------------------------------------------------

/**
 * What a handler gets besides the callback: the verified signature headers
 * (`requestID`, `uuid`, `createTs`, `algorithm`), the top-level body fields
 * the schema does not know, and the raw body.
 *
 * @since 0.1.0
 * @category models
 */
export interface Delivery extends Signer.VerifiedHeaders {
  readonly extra: Readonly<Record<string, unknown>>
  readonly body: string
}

/**
 * A callback handler: any Effect. Its failure (or defect, or a timeout)
 * makes the receiver answer 5xx with a non-zero `retCode` so the platform
 * delivers the callback again. Make it idempotent by business key (see
 * {@link httpApp}).
 *
 * @since 0.1.0
 * @category models
 */
export type Handler<A, E = never, R = never> = (callback: A, delivery: Delivery) => Effect.Effect<unknown, E, R>

/**
 * One handler per kind. A kind with no handler goes to `fallback`; with no
 * `fallback` either, it is acknowledged (200) and logged as a warning. Only
 * `fallback` receives callbacks with an unknown `callbackType`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Handlers<E = never, R = never> {
  readonly task?: Handler<TaskCallback, E, R> | undefined
  readonly order?: Handler<OrderCallback, E, R> | undefined
  readonly call?: Handler<CallCallback, E, R> | undefined
  readonly fallback?: Handler<Callback | UnknownCallback, E, R> | undefined
}

type ContextOf<F> = F extends (...args: never) => Effect.Effect<infer _A, infer _E, infer R> ? R : never

/**
 * The services a set of handlers needs.
 *
 * @since 0.1.0
 * @category models
 */
export type HandlersContext<H> = { [K in keyof H]-?: ContextOf<NonNullable<H[K]>> }[keyof H]

/**
 * Receiver settings. Every field is optional; the defaults suit a receiver
 * on the public internet.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReceiverOptions extends VerifyOptions {
  /**
   * Where seen `requestID`s are kept. Default: the
   * {@link ReplayStore.ReplayStore} in context if there is one, otherwise a
   * private in-memory store created with the receiver. `"none"` turns replay
   * protection off.
   */
  readonly replayStore?: ReplayStore.ReplayStore | "none" | undefined
  /**
   * How long a handled `requestID` is remembered. Never less than what the
   * timestamp window needs (a delivery is remembered until its `createTs`
   * leaves the window). Default: twice the window, or 24 hours when the
   * window is off.
   */
  readonly replayTtl?: Duration.DurationInput | undefined
  /** Larger bodies are answered 413 without being buffered. Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined
  /**
   * A handler still running after this is interrupted and the delivery
   * answered 503 (`retCode` 7), so the platform retries. Default 30 seconds;
   * `Duration.infinity` turns it off.
   */
  readonly handlerTimeout?: Duration.DurationInput | undefined
}

/**
 * A receiver: the whole pipeline as a framework-neutral `handle` and as an
 * `@effect/platform` HttpApp. Both share one replay store.
 *
 * @since 0.1.0
 * @category models
 */
export interface Receiver<R> {
  /**
   * Processes one delivery from its headers and raw body (a `Buffer` /
   * `Uint8Array`, or the exact text). Never fails: every outcome is a
   * {@link Reply}.
   */
  readonly handle: (input: {
    readonly headers: Signer.HeadersInput
    readonly body: string | Uint8Array
  }) => Effect.Effect<Reply, never, Signer.Signer | R>
  /** The same pipeline, reading the body from the request (once, capped). */
  readonly httpApp: HttpApp.Default<never, Signer.Signer | R | HttpServerRequest.HttpServerRequest>
}

const defaultTimestampWindow = Duration.seconds(300)
const defaultHandlerTimeout = Duration.seconds(30)
const defaultMaxBodyBytes = 1024 * 1024

const encoder = new TextEncoder()
const byteLength = (body: string | Uint8Array): number =>
  typeof body === "string" ? encoder.encode(body).length : body.length

const kindOfCallback = (callback: Callback | UnknownCallback): CallbackKind | "unknown" => {
  switch (callback._tag) {
    case "TaskCallback":
      return "task"
    case "OrderCallback":
      return "order"
    case "CallCallback":
      return "call"
    case "UnknownCallback":
      return "unknown"
  }
}

type Run = (delivery: Delivery) => Effect.Effect<unknown, unknown, unknown>

const pickHandler = (
  handlers: Handler<Callback, unknown, unknown> | Handlers<unknown, unknown>,
  callback: Callback | UnknownCallback
): Run | undefined => {
  if (typeof handlers === "function") {
    return callback instanceof UnknownCallback ? undefined : (delivery) => handlers(callback, delivery)
  }
  switch (callback._tag) {
    case "TaskCallback": {
      const h = handlers.task
      if (h !== undefined) return (delivery) => h(callback, delivery)
      break
    }
    case "OrderCallback": {
      const h = handlers.order
      if (h !== undefined) return (delivery) => h(callback, delivery)
      break
    }
    case "CallCallback": {
      const h = handlers.call
      if (h !== undefined) return (delivery) => h(callback, delivery)
      break
    }
    case "UnknownCallback":
      break
  }
  const fallback = handlers.fallback
  return fallback === undefined ? undefined : (delivery) => fallback(callback, delivery)
}

const hasFallback = (handlers: Handler<Callback, unknown, unknown> | Handlers<unknown, unknown>): boolean =>
  typeof handlers !== "function" && handlers.fallback !== undefined

/**
 * Builds a {@link Receiver}: one handler for every callback, or one per kind
 * (`{ task, order, call, fallback }`), plus {@link ReceiverOptions}.
 *
 * The pipeline, in order: body cap → signature (constant time, over the raw
 * bytes; `previousSigners` during a secret rotation) → `createTs` window →
 * decoding → replay store claim → handler (with timeout) → mark done (or
 * release on failure) → signed acknowledgement. See the module
 * documentation for every answer.
 *
 * Replay protection: a handler that succeeded never runs again for the same
 * `uuid` + `requestID`; one that failed or timed out may run again on
 * redelivery; a duplicate arriving while the first is still being handled is
 * answered 503 (so the platform retries) without running the handler. The
 * platform may also redeliver the same callback under a **new** `requestID`,
 * which no store can recognise: handlers must be idempotent by business key
 * (`callInfoDetail.callID`; `orderID`; `taskID` + `taskStatus`).
 *
 * @example
 * ```ts
 * import { Callback } from "effect-callbot"
 * import { Effect } from "effect"
 *
 * // e.g. with Express and express.raw({ type: "*\/*", limit: "1mb" })
 * const receiver = Callback.receiver({ call: (call) => Effect.log(call.orderID) })
 * // app.post("/callbot/call", async (req, res) => {
 * //   const reply = await runtime.runPromise(receiver.handle({ headers: req.headers, body: req.body }))
 * //   res.status(reply.status).set(reply.headers).send(reply.body)
 * // })
 * ```
 *
 * @since 0.1.0
 * @category receiver
 */
export function receiver<E = never, R = never>(
  handler: Handler<Callback, E, R>,
  options?: ReceiverOptions
): Receiver<R>
export function receiver<const H extends Handlers<unknown, unknown>>(
  handlers: H,
  options?: ReceiverOptions
): Receiver<HandlersContext<H>>
export function receiver(
  handlers: Handler<Callback, unknown, unknown> | Handlers<unknown, unknown>,
  options?: ReceiverOptions
): Receiver<unknown> {
  return makeReceiver(handlers, options)
}

const makeReceiver = (
  handlers: Handler<Callback, unknown, unknown> | Handlers<unknown, unknown>,
  options: ReceiverOptions = {}
): Receiver<unknown> => {
  const window = windowMillis(options)
  const maxBodyBytes = Math.max(0, Math.floor(options.maxBodyBytes ?? defaultMaxBodyBytes))
  const handlerTimeout = Duration.decode(options.handlerTimeout ?? defaultHandlerTimeout)
  const replayTtlMillis = Math.max(
    Number.isFinite(window) ? window : 0,
    Duration.toMillis(
      Duration.decode(
        options.replayTtl ?? (Number.isFinite(window) ? Duration.millis(window * 2) : Duration.hours(24))
      )
    )
  )
  // A crashed instance must not block redeliveries for long.
  const inFlightTtl = Duration.isFinite(handlerTimeout)
    ? Duration.sum(handlerTimeout, Duration.seconds(30))
    : Duration.millis(replayTtlMillis)
  const allowUnknown = hasFallback(handlers)
  let privateStore: ReplayStore.ReplayStore | undefined

  const resolveStore: Effect.Effect<ReplayStore.ReplayStore | undefined> = options.replayStore === "none"
    ? Effect.succeed(undefined)
    : options.replayStore !== undefined
    ? Effect.succeed(options.replayStore)
    : Effect.map(
      Effect.serviceOption(ReplayStore.ReplayStore),
      Option.getOrElse(() => (privateStore ??= ReplayStore.unsafeMakeMemory()))
    )

  const runHandler = (run: Run, delivery: Delivery, kind: CallbackKind | "unknown") => {
    const attempt = Effect.exit(Effect.suspend(() => run(delivery))).pipe(
      // No stack capture: the span is per delivery and the stack is ours, not the caller's.
      Effect.withSpan("Callback.handler", {
        attributes: { "callbot.requestID": delivery.requestID, "callbot.kind": kind },
        captureStackTrace: false
      })
    )
    return Duration.isFinite(handlerTimeout) ? Effect.timeoutOption(attempt, handlerTimeout) : Effect.asSome(attempt)
  }

  const doneTtl = (createTs: string) =>
    Effect.map(Clock.currentTimeMillis, (now) =>
      Duration.millis(
        Number.isFinite(window)
          ? Math.max(replayTtlMillis, Number(createTs) * 1000 + window - now)
          : replayTtlMillis
      ))

  const receive = Effect.fnUntraced(function*(input: {
    readonly headers: Signer.HeadersInput
    readonly body: string | Uint8Array
  }) {
    const size = byteLength(input.body)
    if (size > maxBodyBytes) {
      const error = new CallbackTooLarge({ maxBodyBytes, size })
      yield* Effect.logWarning(error.message)
      return yield* makeReply(acknowledgementFor(error), { _tag: "Rejected", error })
    }
    const verified = yield* Effect.either(verifyInternal(input, { ...options, allowUnknown }))
    if (Either.isLeft(verified)) {
      const error = verified.left
      yield* Effect.logWarning(error.message)
      return yield* makeReply(acknowledgementFor(error), { _tag: "Rejected", error })
    }
    const { body, callback, extra, headers, mismatch } = verified.right
    const requestID = headers.requestID
    const kind = kindOfCallback(callback)
    yield* Effect.annotateCurrentSpan({ "callbot.requestID": requestID, "callbot.kind": kind })
    if (mismatch) {
      yield* Effect.logDebug(
        `callbackType ${callback.callbackType} delivered to the ${options.expect} receiver; decoded as ${options.expect}`
      )
    }
    const run = pickHandler(handlers, callback)
    if (run === undefined) {
      yield* Effect.logWarning(`no handler for ${kind} callbacks; acknowledged without processing`)
      return yield* makeReply(ack(200, 0, "success"), { _tag: "Unhandled", kind }, requestID)
    }
    const delivery: Delivery = { ...headers, extra, body }
    const store = yield* resolveStore

    const finish = (outcome: Option.Option<Exit.Exit<unknown, unknown>>) =>
      Effect.gen(function*() {
        if (Option.isNone(outcome)) {
          yield* Effect.logError("callback handler timed out; answering 503 so the platform retries")
          return yield* makeReply(ack(503, 7, "callback handler timed out"), { _tag: "HandlerTimedOut" }, requestID)
        }
        if (outcome.value._tag === "Failure") {
          yield* Effect.logError("callback handler failed; answering 500 so the platform retries", outcome.value.cause)
          return yield* makeReply(ack(500, 5001, "callback handler failed"), { _tag: "HandlerFailed" }, requestID)
        }
        return yield* makeReply(ack(200, 0, "success"), { _tag: "Handled", kind }, requestID)
      })

    // A handler that interrupts itself counts as failed (500). When the
    // request itself is interrupted (client gone), no answer is sent anyway.
    if (store === undefined) return yield* finish(yield* runHandler(run, delivery, kind))

    const key = `${headers.uuid}/${requestID}`
    return yield* Effect.uninterruptibleMask((restore) =>
      Effect.gen(function*() {
        const claim = yield* Effect.either(restore(store.claim(key, inFlightTtl)))
        if (Either.isLeft(claim)) {
          yield* Effect.logError("callback replay store unavailable; answering 503", claim.left)
          return yield* makeReply(ack(503, 7, "replay store unavailable"), {
            _tag: "StoreUnavailable",
            error: claim.left
          }, requestID)
        }
        switch (claim.right._tag) {
          case "Done": {
            yield* Effect.logInfo("callback already handled (same requestID); acknowledged without running the handler")
            return yield* makeReply(ack(200, 0, "success"), { _tag: "Duplicate" }, requestID)
          }
          case "InFlight": {
            yield* Effect.logWarning("callback with this requestID is being handled; answering 503")
            return yield* makeReply(ack(503, 7, "callback is being handled"), { _tag: "InFlight" }, requestID)
          }
          case "Claimed":
            break
        }
        const token = claim.right.token
        const outcome = yield* Effect.exit(restore(runHandler(run, delivery, kind)))
        const succeeded = outcome._tag === "Success" && Option.isSome(outcome.value) &&
          outcome.value.value._tag === "Success"
        if (succeeded) {
          const ttl = yield* doneTtl(headers.createTs)
          yield* store.complete(key, token, ttl).pipe(
            Effect.catchAll((error) =>
              Effect.logError("callback handled, but the replay store could not record it", error)
            )
          )
        } else {
          yield* store.release(key, token).pipe(
            Effect.catchAll((error) => Effect.logError("replay store: could not release a failed delivery", error))
          )
        }
        // Only an interruption of this request can fail `restore(...)`.
        if (outcome._tag === "Failure") return yield* Effect.failCause(outcome.cause)
        return yield* finish(outcome.value)
      })
    )
  })

  // Traced as "Callback.receive"; no call-site stack (one span per delivery).
  const handle: Receiver<unknown>["handle"] = (input) =>
    Effect.withSpan(receive(input), "Callback.receive", {
      attributes: { "callbot.receiver": options.expect ?? "any" },
      captureStackTrace: false
    })

  const httpApp: Receiver<unknown>["httpApp"] = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const read = yield* CallbackBody.readBody(request, maxBodyBytes)
    switch (read._tag) {
      case "TooLarge": {
        const error = new CallbackTooLarge({ maxBodyBytes, size: read.contentLength })
        yield* Effect.logWarning(error.message)
        return toResponse(yield* makeReply(acknowledgementFor(error), { _tag: "Rejected", error }))
      }
      case "Unreadable": {
        yield* Effect.logWarning("callback rejected: the body could not be read")
        const error = new CallbackMalformedBody({ description: "the body could not be read" })
        return toResponse(yield* makeReply(acknowledgementFor(error), { _tag: "Rejected", error }))
      }
      case "Body":
        return toResponse(yield* handle({ headers: request.headers, body: read.bytes }))
    }
  }).pipe(Effect.withSpan("Callback.httpApp", { captureStackTrace: false }))

  return { handle, httpApp }
}

/**
 * The callback receiver as an `@effect/platform` HttpApp (see
 * {@link receiver} for the pipeline and its guarantees). Mount it on the
 * path(s) you gave as `taskCallbackUrl`, `orderCallbackUrl` and
 * `callCallbackUrl` with any Effect HTTP server — one app for all three
 * (dispatch by `callbackType`), or one per URL with `expect`.
 *
 * @example
 * ```ts
 * import { Callback } from "effect-callbot"
 * import { HttpRouter } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const router = HttpRouter.empty.pipe(
 *   HttpRouter.post("/callbot/task", Callback.httpApp({ task: (t) => Effect.log(t.taskStatus) }, { expect: "task" })),
 *   HttpRouter.post("/callbot/order", Callback.httpApp({ order: (o) => Effect.log(o.orderID) }, { expect: "order" })),
 *   HttpRouter.post("/callbot/call", Callback.httpApp({ call: (c) => Effect.log(c.callInfoDetail.callID) }, { expect: "call" }))
 * )
 * ```
 *
 * @since 0.1.0
 * @category receiver
 */
export function httpApp<E = never, R = never>(
  handler: Handler<Callback, E, R>,
  options?: ReceiverOptions
): HttpApp.Default<never, Signer.Signer | R | HttpServerRequest.HttpServerRequest>
export function httpApp<const H extends Handlers<unknown, unknown>>(
  handlers: H,
  options?: ReceiverOptions
): HttpApp.Default<never, Signer.Signer | HandlersContext<H> | HttpServerRequest.HttpServerRequest>
export function httpApp(
  handlers: Handler<Callback, unknown, unknown> | Handlers<unknown, unknown>,
  options?: ReceiverOptions
): HttpApp.Default<never, unknown> {
  return makeReceiver(handlers, options).httpApp
}
