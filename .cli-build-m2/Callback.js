import * as acks from "./internal/callback/acks.js";
import * as decoding from "./internal/callback/decode.js";
import * as kinds from "./internal/callback/kinds.js";
import * as models from "./internal/callback/models.js";
import * as internalReceiver from "./internal/callback/receiver.js";
import * as signing from "./internal/callback/sign.js";
import * as verification from "./internal/callback/verify.js";
// Schemas -------------------------------------------------------------------
/**
 * `callbackType`, which the vendor documents both as a number (`1`) and as a
 * numeric string (`"1"`): both decode to a number (a string must be plain
 * digits). `1` task, `2` order, `3` call.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallbackType = models.CallbackType;
/**
 * Named `callbackType` values.
 *
 * @since 0.1.0
 * @category constants
 */
export const CallbackTypes = kinds.CallbackTypes;
/**
 * The three kinds of callback, as the receiver options name them.
 *
 * @since 0.1.0
 * @category models
 */
export const CallbackKind = models.CallbackKind;
/**
 * The kind a `callbackType` value stands for, if it is a documented one.
 *
 * @since 0.1.0
 * @category utils
 */
export const kindOfType = kinds.kindOfType;
/**
 * The `callbackType` value of a kind.
 *
 * @since 0.1.0
 * @category utils
 */
export const typeOfKind = kinds.typeOfKind;
/**
 * Task status callback (`callbackType` 1), sent to `taskCallbackUrl` when a
 * task changes status. Field names are the vendor's; `createTs` is the task's
 * creation time, not the `createTs` header.
 *
 * @since 0.1.0
 * @category models
 */
export const TaskCallback = models.TaskCallback;
/**
 * Order callback (`callbackType` 2), sent to `orderCallbackUrl` when an order
 * is complete (all its call rounds). `callInfoDetail` is the order's last
 * call; it is optional here because the vendor does not say whether an order
 * stopped before any dialling is reported with one.
 *
 * @since 0.1.0
 * @category models
 */
export const OrderCallback = models.OrderCallback;
/**
 * Call callback (`callbackType` 3), sent to `callCallbackUrl` after each
 * call ends. `finish` says whether the order is complete with this call.
 *
 * @since 0.1.0
 * @category models
 */
export const CallCallback = models.CallCallback;
/**
 * A callback whose `callbackType` is not one the vendor documents. Only a
 * receiver's `fallback` handler sees these (so a new kind of callback is not
 * lost); `body` is the parsed JSON object.
 *
 * @since 0.1.0
 * @category models
 */
export const UnknownCallback = models.UnknownCallback;
/**
 * The callback union, discriminated by `callbackType` (1 task, 2 order,
 * 3 call), e.g. to keep callbacks in a queue and read them back. A receiver
 * mounted per URL does not need the `callbackType` to agree (see
 * {@link VerifyOptions.expect}).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Callback = kinds.Callback;
/**
 * {@link Callback} parsed from JSON text.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallbackFromJson = kinds.CallbackFromJson;
/**
 * The task callback schema, parsed from the raw JSON text.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TaskCallbackFromJson = models.TaskCallbackFromJson;
/**
 * Is this a task callback?
 *
 * @since 0.1.0
 * @category guards
 */
export const isTaskCallback = models.isTaskCallback;
/**
 * Is this an order callback?
 *
 * @since 0.1.0
 * @category guards
 */
export const isOrderCallback = models.isOrderCallback;
/**
 * Is this a call callback?
 *
 * @since 0.1.0
 * @category guards
 */
export const isCallCallback = models.isCallCallback;
// Errors --------------------------------------------------------------------
// One class per answer the receiver gives (see the table above); each is
// documented where it is declared.
export { CallbackBadSignature, CallbackError, CallbackMalformedBody, CallbackMissingHeader, CallbackOutsideWindow, CallbackTooLarge, CallbackTypeMismatch, CallbackUnknownType } from "./internal/callback/errors.js";
/**
 * Decodes a callback body that has already been verified, choosing the kind
 * by `callbackType` (or by {@link DecodeOptions.expect}).
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = decoding.decode;
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
export const verifyWithHeaders = verification.verifyWithHeaders;
/**
 * Verifies and decodes a callback; see {@link verifyWithHeaders} for the
 * signature headers too.
 *
 * @since 0.1.0
 * @category verification
 */
export const verify = verification.verify;
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
export const sign = signing.sign;
/**
 * A signed `POST` of a callback to `url`, ready for an `HttpClient` — to
 * exercise your deployed receiver end to end.
 *
 * @since 0.1.0
 * @category testing
 */
export const signRequest = signing.signRequest;
/**
 * Maps a refusal to the status and `retCode` the receiver answers with.
 *
 * @since 0.1.0
 * @category models
 */
export const acknowledgementFor = acks.acknowledgementFor;
/**
 * Builds a signed JSON acknowledgement `{ retCode, retMsg, responseID }`,
 * echoing the callback's `requestID` in the response headers.
 *
 * @since 0.1.0
 * @category responses
 */
export const acknowledge = acks.acknowledge;
export function receiver(handlers, options) {
    return internalReceiver.make(handlers, options);
}
export function httpApp(handlers, options) {
    return internalReceiver.make(handlers, options).httpApp;
}
