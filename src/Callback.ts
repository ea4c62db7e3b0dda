/**
 * Callbacks from the platform (task status; order and call callbacks share
 * the same machinery): verify the signature over the raw body, then decode.
 *
 * - {@link verify} turns `{ headers, body }` into a typed callback or a typed
 *   error (missing header, bad signature, malformed body).
 * - {@link httpApp} is an `@effect/platform` HttpApp that any Effect HTTP
 *   server can mount: verify → decode → your handler → a signed
 *   `{ retCode: 0 }` acknowledgement. A bad signature is answered 401 and
 *   never reaches the handler; a malformed body 400; a handler failure 500
 *   with a non-zero `retCode`, so the platform delivers it again.
 *
 * @example
 * ```ts
 * import { Callback, Signer } from "effect-callbot"
 * import { HttpRouter, HttpServer } from "@effect/platform"
 * import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
 * import { Effect, Layer, Redacted } from "effect"
 * import { createServer } from "node:http"
 *
 * const app = Callback.httpApp((callback) =>
 *   Effect.log(`task ${callback.taskID} is now ${callback.taskStatus}`)
 * )
 *
 * HttpRouter.empty.pipe(
 *   HttpRouter.post("/callbot/task", app),
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
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Models from "./Models.js"
import * as Signer from "./Signer.js"

/**
 * `callbackType`, which the vendor's examples send both as a number (`1`) and
 * as a numeric string (`"1"`): both decode to a number. `1` task, `2` order,
 * `3` call.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallbackType = Schema.Union(
  Schema.Int,
  Schema.NumberFromString.pipe(Schema.int())
).annotations({ identifier: "CallbackType", description: "1 task, 2 order, 3 call" })

/**
 * Named `callbackType` values.
 *
 * @since 0.1.0
 * @category constants
 */
export const CallbackTypes = { Task: 1, Order: 2, Call: 3 } as const

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

/**
 * Any callback.
 *
 * @since 0.1.0
 * @category models
 */
export type Callback = TaskCallback

/**
 * The callback schema, parsed from the raw JSON text.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TaskCallbackFromJson = Schema.parseJson(TaskCallback)

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
 * `retCode` 6).
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
 * The body is signed correctly but is not a callback we can read (answered
 * 400, `retCode` 3).
 *
 * @since 0.1.0
 * @category errors
 */
export class CallbackMalformedBody extends Schema.TaggedError<CallbackMalformedBody>()("CallbackMalformedBody", {
  description: Schema.String
}) {
  override get message() {
    return `callback rejected: malformed body: ${this.description}`
  }
}

/**
 * Why a callback was refused.
 *
 * @since 0.1.0
 * @category errors
 */
export type CallbackError = CallbackMissingHeader | CallbackBadSignature | CallbackMalformedBody

/**
 * A verified callback with the signature headers it came with.
 *
 * @since 0.1.0
 * @category models
 */
export interface Verified<A = Callback> {
  readonly callback: A
  readonly headers: Signer.VerifiedHeaders
}

const fromSignatureError = (error: Signer.SignatureError): CallbackMissingHeader | CallbackBadSignature =>
  error.reason === "MissingHeader"
    ? new CallbackMissingHeader({ header: error.header ?? "" })
    : new CallbackBadSignature({ reason: error.reason, header: error.header })

const decodeTask = Schema.decodeUnknownEither(TaskCallbackFromJson, { errors: "all" })

/**
 * Decodes a callback body that has already been verified.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (body: string): Either.Either<Callback, CallbackMalformedBody> =>
  Either.mapLeft(
    decodeTask(body),
    (error) => new CallbackMalformedBody({ description: ParseResult.TreeFormatter.formatErrorSync(error) })
  )

const bodyText = (body: string | Uint8Array): string => typeof body === "string" ? body : new TextDecoder().decode(body)

/**
 * Verifies the signature over the raw body and the headers, then decodes.
 * Needs the account's {@link Signer.Signer} (callbacks carry no `algorithm`
 * header: the configured algorithm is used).
 *
 * @example
 * ```ts
 * import { Callback } from "effect-callbot"
 * import { Effect } from "effect"
 *
 * // e.g. inside an Express handler with express.text({ type: "*\/*" })
 * const program = Callback.verifyWithHeaders({ headers: req.headers, body: req.body }).pipe(
 *   Effect.map(({ callback }) => callback)
 * )
 * ```
 *
 * @since 0.1.0
 * @category verification
 */
export const verifyWithHeaders = Effect.fn("Callback.verify")(function*(input: {
  readonly headers: Signer.HeadersInput
  readonly body: string | Uint8Array
}) {
  const signer = yield* Signer.Signer
  const headers = yield* Effect.mapError(signer.verify(input), fromSignatureError)
  const callback = yield* decode(bodyText(input.body))
  return { callback, headers } satisfies Verified
})

/**
 * Verifies and decodes a callback; see {@link verifyWithHeaders} for the
 * signature headers too.
 *
 * @since 0.1.0
 * @category verification
 */
export const verify = (input: {
  readonly headers: Signer.HeadersInput
  readonly body: string | Uint8Array
}): Effect.Effect<Callback, CallbackError, Signer.Signer> =>
  Effect.map(verifyWithHeaders(input), (verified) => verified.callback)

/**
 * Signs a callback the way the platform does, for tests of your own receiver:
 * returns the exact body and the headers to post with it.
 *
 * @since 0.1.0
 * @category testing
 */
export const sign = (
  callback: Callback | string
): Effect.Effect<{ readonly body: string; readonly headers: Record<string, string> }, never, Signer.Signer> =>
  Effect.gen(function*() {
    const signer = yield* Signer.Signer
    const body = typeof callback === "string" ? callback : JSON.stringify(Schema.encodeSync(TaskCallback)(callback))
    const signed = yield* signer.sign(body)
    // Callbacks carry no `algorithm` header (vendor callback pages).
    return {
      body,
      headers: {
        "content-type": "application/json",
        requestID: signed.requestID,
        uuid: signed.uuid,
        createTs: signed.createTs,
        sign: signed.sign
      }
    }
  })

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
    case "CallbackMalformedBody":
      return ack(400, 3, "malformed callback body")
  }
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
    return HttpServerResponse.text(body, {
      status: acknowledgement.status,
      contentType: "application/json; charset=utf-8",
      headers: {
        requestID: signed.requestID,
        uuid: signed.uuid,
        createTs: signed.createTs,
        sign: signed.sign,
        algorithm: signed.algorithm
      }
    })
  })

/**
 * A callback handler: any Effect; its failure (or defect) makes the receiver
 * answer 500 so the platform delivers the callback again.
 *
 * @since 0.1.0
 * @category models
 */
export type Handler<E, R> = (callback: Callback, headers: Signer.VerifiedHeaders) => Effect.Effect<unknown, E, R>

/**
 * The callback receiver as an `@effect/platform` HttpApp. Mount it on the
 * path you gave as `taskCallbackUrl` with any Effect HTTP server.
 *
 * | outcome | HTTP | body `retCode` |
 * |---|---|---|
 * | handled | 200 | 0 |
 * | signature header missing | 401 | 6001 |
 * | signature wrong | 401 | 6 |
 * | body unreadable or not a callback | 400 | 3 |
 * | handler failed or died | 500 | 5001 |
 *
 * Every answer is signed with the account's secret. The raw body is read
 * once and the signature is checked over exactly those bytes.
 *
 * @since 0.1.0
 * @category receiver
 */
export const httpApp = <E, R>(
  handler: Handler<E, R>
): HttpApp.Default<never, Signer.Signer | R | HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const bodyOrError = yield* Effect.either(request.text)
    if (Either.isLeft(bodyOrError)) {
      yield* Effect.logWarning("callback rejected: the body could not be read")
      return yield* acknowledge(ack(400, 3, "unreadable body"))
    }
    const verified = yield* Effect.either(verifyWithHeaders({ headers: request.headers, body: bodyOrError.right }))
    if (Either.isLeft(verified)) {
      yield* Effect.logWarning(verified.left.message)
      return yield* acknowledge(acknowledgementFor(verified.left))
    }
    const { callback, headers } = verified.right
    const outcome = yield* Effect.exit(
      Effect.suspend(() => handler(callback, headers)).pipe(
        Effect.withSpan("Callback.handler", { attributes: { "callbot.requestID": headers.requestID } })
      )
    )
    if (outcome._tag === "Failure") {
      if (Cause.isInterruptedOnly(outcome.cause)) return yield* Effect.interrupt
      yield* Effect.logError("callback handler failed; answering 500 so the platform retries", outcome.cause)
      return yield* acknowledge(ack(500, 5001, "callback handler failed"), headers.requestID)
    }
    return yield* acknowledge(ack(200, 0, "success"), headers.requestID)
  }).pipe(Effect.withSpan("Callback.httpApp"))
