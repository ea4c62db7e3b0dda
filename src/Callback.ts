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
 * | body not JSON / not a callback / not UTF-8; not bytes or text at all | 400 | 3 | no |
 * | body not all there within `readTimeout` (default 10 s) | 408 or closed | 7 | no |
 * | no room in the `maxBufferedBytes` budget (default 64 MiB) | 503 | 7 | no |
 * | unknown `callbackType` (no `fallback`), or one contradicting `expect` | 400 | 4 | no |
 * | handler still running at `handlerTimeout` (default 30 s) | 503 | 7 | yes, to its end |
 * | handler failed or died | 500 | 5001 | yes |
 * | same `requestID` being handled right now | 503 | 7 | no |
 * | replay store unavailable | 503 | 7 | no |
 *
 * Answers to verified deliveries are signed with the account's secret;
 * refusals of unverified ones (401, 413, 408, an unread 503) are not. The
 * content type of the request is ignored (the signature says whether the
 * body is genuine).
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
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import type * as Http from "node:http"
import * as acks from "./internal/callback/acks.js"
import * as decoding from "./internal/callback/decode.js"
import type {
  CallbackError,
  CallbackMalformedBody,
  CallbackTypeMismatch,
  CallbackUnknownType
} from "./internal/callback/errors.js"
import * as kinds from "./internal/callback/kinds.js"
import * as models from "./internal/callback/models.js"
import * as internalNodeHandler from "./internal/callback/nodeHandler.js"
import * as internalReceiver from "./internal/callback/receiver.js"
import * as signing from "./internal/callback/sign.js"
import * as verification from "./internal/callback/verify.js"
import type * as ReplayStore from "./ReplayStore.js"
import type * as Signer from "./Signer.js"

// Schemas -------------------------------------------------------------------

/**
 * `callbackType`, which the vendor documents both as a number (`1`) and as a
 * numeric string (`"1"`): both decode to a number (a string must be plain
 * digits). `1` task, `2` order, `3` call.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallbackType: typeof models.CallbackType = models.CallbackType

/**
 * Named `callbackType` values.
 *
 * @since 0.1.0
 * @category constants
 */
export const CallbackTypes: { readonly Task: 1; readonly Order: 2; readonly Call: 3 } = kinds.CallbackTypes

/**
 * The three kinds of callback, as the receiver options name them.
 *
 * @since 0.1.0
 * @category models
 */
export const CallbackKind: typeof models.CallbackKind = models.CallbackKind

/** @since 0.1.0 @category models */
export type CallbackKind = typeof CallbackKind.Type

/**
 * The kind a `callbackType` value stands for, if it is a documented one.
 *
 * @since 0.1.0
 * @category utils
 */
export const kindOfType: (callbackType: number) => CallbackKind | undefined = kinds.kindOfType

/**
 * The `callbackType` value of a kind.
 *
 * @since 0.1.0
 * @category utils
 */
export const typeOfKind: (kind: CallbackKind) => 1 | 2 | 3 = kinds.typeOfKind

/**
 * Task status callback (`callbackType` 1), sent to `taskCallbackUrl` when a
 * task changes status. Field names are the vendor's; `createTs` is the task's
 * creation time, not the `createTs` header.
 *
 * @since 0.1.0
 * @category models
 */
export const TaskCallback: typeof models.TaskCallback = models.TaskCallback

/** @since 0.1.0 @category models */
export type TaskCallback = models.TaskCallback

/**
 * Order callback (`callbackType` 2), sent to `orderCallbackUrl` when an order
 * is complete (all its call rounds). `callInfoDetail` is the order's last
 * call; it is optional here because the vendor does not say whether an order
 * stopped before any dialling is reported with one.
 *
 * @since 0.1.0
 * @category models
 */
export const OrderCallback: typeof models.OrderCallback = models.OrderCallback

/** @since 0.1.0 @category models */
export type OrderCallback = models.OrderCallback

/**
 * Call callback (`callbackType` 3), sent to `callCallbackUrl` after each
 * call ends. `finish` says whether the order is complete with this call.
 *
 * @since 0.1.0
 * @category models
 */
export const CallCallback: typeof models.CallCallback = models.CallCallback

/** @since 0.1.0 @category models */
export type CallCallback = models.CallCallback

/**
 * A callback whose `callbackType` is not one the vendor documents. Only a
 * receiver's `fallback` handler sees these (so a new kind of callback is not
 * lost); `body` is the parsed JSON object.
 *
 * @since 0.1.0
 * @category models
 */
export const UnknownCallback: typeof models.UnknownCallback = models.UnknownCallback

/** @since 0.1.0 @category models */
export type UnknownCallback = models.UnknownCallback

/**
 * Any documented callback.
 *
 * @since 0.1.0
 * @category models
 */
export type Callback = TaskCallback | OrderCallback | CallCallback

/**
 * The callback union, discriminated by `callbackType` (1 task, 2 order,
 * 3 call), e.g. to keep callbacks in a queue and read them back. A receiver
 * mounted per URL does not need the `callbackType` to agree (see
 * {@link VerifyOptions.expect}).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Callback: typeof kinds.Callback = kinds.Callback

/**
 * {@link Callback} parsed from JSON text.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallbackFromJson: typeof kinds.CallbackFromJson = kinds.CallbackFromJson

/**
 * The task callback schema, parsed from the raw JSON text.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TaskCallbackFromJson: typeof models.TaskCallbackFromJson = models.TaskCallbackFromJson

/**
 * Is this a task callback?
 *
 * @since 0.1.0
 * @category guards
 */
export const isTaskCallback: (u: unknown) => u is TaskCallback = models.isTaskCallback

/**
 * Is this an order callback?
 *
 * @since 0.1.0
 * @category guards
 */
export const isOrderCallback: (u: unknown) => u is OrderCallback = models.isOrderCallback

/**
 * Is this a call callback?
 *
 * @since 0.1.0
 * @category guards
 */
export const isCallCallback: (u: unknown) => u is CallCallback = models.isCallCallback

// Errors --------------------------------------------------------------------
// One class per refusal (see the table above), documented where declared.

export {
  CallbackBadSignature,
  CallbackError,
  CallbackMalformedBody,
  CallbackMissingHeader,
  CallbackOutsideWindow,
  CallbackTooLarge,
  CallbackTypeMismatch,
  CallbackUnknownType
} from "./internal/callback/errors.js"

// Decoding ------------------------------------------------------------------

/**
 * How to read a body, beyond its signature.
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodeOptions {
  /**
   * The kind this receiver is mounted for (one URL per kind). A body whose
   * `callbackType` names another kind is refused (see {@link onTypeMismatch}).
   * Without it, `callbackType` decides.
   */
  readonly expect?: CallbackKind | undefined
  /**
   * With {@link expect}: what to do when `callbackType` names another kind.
   * `"reject"` (default since 0.2.0) answers 400 ({@link CallbackTypeMismatch}),
   * so a genuine call callback replayed to the order URL never reaches the
   * order handler. `"accept"` trusts the URL, decodes the body as the
   * expected kind and logs at debug level — for an account whose callbacks
   * carry a placeholder `callbackType` (the vendor's own order and call
   * examples show `1`).
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

/**
 * Decodes a callback body that has already been verified, choosing the kind
 * by `callbackType` (or by {@link DecodeOptions.expect}).
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode: (
  body: string,
  options?: DecodeOptions
) => Either.Either<Callback, CallbackMalformedBody | CallbackUnknownType | CallbackTypeMismatch> = decoding.decode

// Verification --------------------------------------------------------------

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
  /**
   * The digests a callback may be signed with. Default: the configured
   * algorithm of the {@link Signer.Signer} (of each previous signer, for
   * those). Callbacks carry no `algorithm` header; one naming an algorithm
   * not listed is refused as a bad signature (401, reason `InvalidHeader`) —
   * never a downgrade. List both during a switch-over in the portal, e.g.
   * `["SHA256", "MD5"]`; without a header, the length of `sign` picks.
   *
   * @since 0.2.0
   */
  readonly algorithms?: ReadonlyArray<Signer.Algorithm> | undefined
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
) => Effect.Effect<Verified, CallbackError, Signer.Signer> = verification.verifyWithHeaders

/**
 * Verifies and decodes a callback; see {@link verifyWithHeaders} for the
 * signature headers too.
 *
 * @since 0.1.0
 * @category verification
 */
export const verify: (
  input: { readonly headers: Signer.HeadersInput; readonly body: string | Uint8Array },
  options?: VerifyOptions
) => Effect.Effect<Callback, CallbackError, Signer.Signer> = verification.verify

// Signing (test kit) --------------------------------------------------------

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
export const sign: (
  callback: Callback | UnknownCallback | string,
  options?: SignOptions
) => Effect.Effect<Signed, CallbackMalformedBody, Signer.Signer> = signing.sign

/**
 * A signed `POST` of a callback to `url`, ready for an `HttpClient` — to
 * exercise your deployed receiver end to end.
 *
 * @since 0.1.0
 * @category testing
 */
export const signRequest: (
  url: string | URL,
  callback: Callback | UnknownCallback | string,
  options?: SignOptions
) => Effect.Effect<HttpClientRequest.HttpClientRequest, CallbackMalformedBody, Signer.Signer> = signing.signRequest

// Acknowledgements ----------------------------------------------------------

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

/**
 * Maps a refusal to the status and `retCode` the receiver answers with.
 *
 * @since 0.1.0
 * @category models
 */
export const acknowledgementFor: (error: CallbackError) => Acknowledgement = acks.acknowledgementFor

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
  /** The body did not arrive within `readTimeout` (answered 408, unsigned). @since 0.2.0 */
  | { readonly _tag: "ReadTimedOut" }
  /** No room in the `maxBufferedBytes` budget (answered 503, unsigned; the platform retries). @since 0.2.0 */
  | { readonly _tag: "Overloaded" }

/**
 * Builds a signed JSON acknowledgement `{ retCode, retMsg, responseID }`,
 * echoing the callback's `requestID` in the response headers.
 *
 * @since 0.1.0
 * @category responses
 */
export const acknowledge: (
  acknowledgement: Acknowledgement,
  requestID?: string
) => Effect.Effect<HttpServerResponse.HttpServerResponse, never, Signer.Signer> = acks.acknowledge

// Receiver ------------------------------------------------------------------

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
   * {@link ReplayStore.ReplayStore} in context if there is one, otherwise the
   * account's process-wide in-memory store (one per `uuid`, shared by every
   * such receiver: a delivery handled at one URL is a duplicate at the
   * others). `ReplayStore.unsafeMakeMemory()` gives a receiver a private
   * one. `"none"` turns replay protection off (handlers still run to their
   * end; a redelivery runs them again).
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
   * How long `httpApp` waits for the whole body to arrive, from the start of
   * the request; a sender still sending after this is answered 408 and the
   * connection closed. Default 10 seconds; `Duration.infinity` turns it off.
   * (`handle` gets a body its framework has read already: set the
   * framework's own deadline there.)
   *
   * @since 0.2.0
   */
  readonly readTimeout?: Duration.DurationInput | undefined
  /**
   * A bound on the callback body bytes `httpApp` holds at once across every
   * delivery in flight; a delivery that does not fit is answered 503
   * (`retCode` 7, so the platform retries) without being read. Default: one
   * budget of 64 MiB shared by every receiver in the process that does not
   * set its own; a number gives this receiver a budget of its own.
   *
   * @since 0.2.0
   */
  readonly maxBufferedBytes?: number | undefined
  /**
   * The answer deadline: a handler still running after this is answered 503
   * (`retCode` 7) so the platform retries, and **keeps running** — a handler
   * is never interrupted, by this or by the client going away. Redeliveries
   * meanwhile get 503; its late success makes them duplicates (200), its
   * late failure releases the delivery. Default 30 seconds;
   * `Duration.infinity`: the answer waits for the handler.
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
   * Processes one delivery from its headers and raw body: a `Buffer` /
   * `Uint8Array`, an `ArrayBuffer`, or the exact text. Never fails and never
   * dies: every input ends in a {@link Reply}, including what a framework
   * may hand over by mistake — a body already parsed as JSON (an object),
   * `undefined`, a text with a lone UTF-16 surrogate (no exact bytes to
   * verify) are answered 400 (`retCode` 3, unsigned) without running
   * anything; header values that are numbers or arrays are read as text.
   * The signature is checked over the bytes, never a lossy re-encoding.
   */
  readonly handle: (input: {
    readonly headers: Signer.HeadersInput
    readonly body: string | Uint8Array | ArrayBuffer
  }) => Effect.Effect<Reply, never, Signer.Signer | R>
  /** The same pipeline, reading the body from the request (once, capped). */
  readonly httpApp: HttpApp.Default<never, Signer.Signer | R | HttpServerRequest.HttpServerRequest>
}

/**
 * Builds a {@link Receiver}: one handler for every callback, or one per kind
 * (`{ task, order, call, fallback }`), plus {@link ReceiverOptions}.
 *
 * The pipeline, in order: body cap → signature (constant time, over the raw
 * bytes; `previousSigners` during a secret rotation) → `createTs` window →
 * decoding → replay store claim → handler (run to its end; the answer waits
 * up to `handlerTimeout`) → mark done (or release on failure) → signed
 * acknowledgement. See the module documentation for every answer.
 *
 * Replay protection: a handler that succeeded (even after its answer) never
 * runs again for the same `uuid` + `requestID`; one that failed may run
 * again on redelivery; a duplicate arriving while the first is still being
 * handled is answered 503 (so the platform retries) without running it. The
 * platform may also redeliver the same callback under a **new** `requestID`,
 * which no store can recognise: handlers must be idempotent by business key
 * (`callInfoDetail.callID`; `orderID`; `taskID` + `taskStatus`).
 *
 * @example
 * ```ts
 * import { Callback } from "effect-callbot"
 * import { Effect } from "effect"
 *
 * const receiver = Callback.receiver({ call: (call) => Effect.log(call.orderID) })
 *
 * // With Express: the raw body for EVERY content type (a request without a
 * // Content-Type, or express.json() in front, would leave req.body parsed or
 * // empty — handle then answers 400, but never sees the bytes it must verify).
 * // app.post("/callbot/call", express.raw({ type: () => true, limit: "1mb" }), async (req, res) => {
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
  return internalReceiver.make(handlers, options)
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
  return internalReceiver.make(handlers, options).httpApp
}

/**
 * The receiver as a Node.js `(req, res)` listener, built once from the
 * current runtime: the pipeline and answers of {@link httpApp} (size cap,
 * read deadline, buffered-bytes budget, replay store, window, spans) with no
 * Effect HTTP server. A `req.body` already read (`express.raw()`) is taken
 * as the body. Node.js only; Express and Fastify: docs/callbacks.md.
 *
 * @example
 * ```ts
 * import { Callback } from "effect-callbot"
 * import { Effect } from "effect"
 * import { createServer } from "node:http"
 *
 * const serve = Effect.map(Callback.nodeHandler({ task: () => Effect.void }), (l) => createServer(l).listen(8080))
 * ```
 *
 * @since 0.2.0
 * @category receiver
 */
export function nodeHandler<E = never, R = never>(
  handler: Handler<Callback, E, R>,
  options?: ReceiverOptions
): Effect.Effect<(req: Http.IncomingMessage, res: Http.ServerResponse) => void, never, Signer.Signer | R>
export function nodeHandler<const H extends Handlers<unknown, unknown>>(
  handlers: H,
  options?: ReceiverOptions
): Effect.Effect<(req: Http.IncomingMessage, res: Http.ServerResponse) => void, never, Signer.Signer | HandlersContext<H>>
export function nodeHandler(
  handlers: Handler<Callback, unknown, unknown> | Handlers<unknown, unknown>,
  options?: ReceiverOptions
): Effect.Effect<(req: Http.IncomingMessage, res: Http.ServerResponse) => void, never, unknown> {
  return internalNodeHandler.make(handlers, options)
}
