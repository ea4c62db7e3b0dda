/**
 * Verifying one delivery: the signature over the raw bytes (constant time,
 * with the previous signers of a secret rotation), the `requestID` shape,
 * the `createTs` window, then decoding those same bytes.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Callback from "../../Callback.js"
import * as Signer from "../../Signer.js"
import { type DecodeBodyOptions, decodeBody, type DecodedBody } from "./decode.js"
import {
  CallbackBadSignature,
  type CallbackError,
  type DecodeFailure,
  CallbackMalformedBody,
  CallbackMissingHeader,
  CallbackOutsideWindow,
  CallbackUnknownType
} from "./errors.js"
import { safeInput } from "./input.js"
import type { Callback as AnyCallback } from "./kinds.js"
import { UnknownCallback } from "./models.js"

/** What a delivery is: its headers and its raw body. @internal */
export interface Input {
  readonly headers: Signer.HeadersInput
  readonly body: string | Uint8Array
}

const defaultTimestampWindow = Duration.seconds(300)

const fromSignatureError = (error: Signer.SignatureError): CallbackMissingHeader | CallbackBadSignature =>
  error.reason === "MissingHeader"
    ? new CallbackMissingHeader({ header: error.header ?? "" })
    : new CallbackBadSignature(
      error.header === undefined ? { reason: error.reason } : { reason: error.reason, header: error.header }
    )

/**
 * Callbacks carry no `algorithm` header: each signer verifies with the
 * algorithms of `options.algorithms`, by default its own configured one only,
 * so a sender cannot pick a weaker digest with an `algorithm` header.
 */
const verifyWith = (signer: Signer.Signer, input: Input, algorithms: ReadonlyArray<Signer.Algorithm> | undefined) =>
  signer.verify(input, { algorithms: algorithms ?? [signer.algorithm] })

const verifySignature = (
  signer: Signer.Signer,
  options: Callback.VerifyOptions,
  input: Input
): Effect.Effect<Signer.VerifiedHeaders, Signer.SignatureError> => {
  const previous = options.previousSigners ?? []
  const algorithms = options.algorithms
  return previous.length === 0
    ? verifyWith(signer, input, algorithms)
    : Effect.catchIf(
      verifyWith(signer, input, algorithms),
      (error) => error.reason === "Mismatch" || error.reason === "UuidMismatch",
      (error) =>
        Effect.firstSuccessOf(previous.map((other) => verifyWith(other, input, algorithms))).pipe(
          Effect.mapError(() => error)
        )
    )
}

/** The `createTs` window in milliseconds (`Infinity` when off). @internal */
export const windowMillis = (options: Callback.VerifyOptions): number =>
  Duration.toMillis(Duration.decode(options.timestampWindow ?? defaultTimestampWindow))

/** `headers` when their `createTs` is within the window of the clock's now. */
const checkWindow = (
  headers: Signer.VerifiedHeaders,
  window: number
): Effect.Effect<Signer.VerifiedHeaders, CallbackOutsideWindow> =>
  Number.isFinite(window)
    ? Effect.clockWith((clock) => {
      const createTs = headers.createTs
      const skew = clock.unsafeCurrentTimeMillis() - Number(createTs) * 1000
      return Math.abs(skew) <= window ? Effect.succeed(headers) : Effect.fail(
        new CallbackOutsideWindow({
          createTs,
          skewSeconds: Math.trunc(skew / 1000),
          windowSeconds: Math.floor(window / 1000)
        })
      )
    })
    : Effect.succeed(headers)

const requestIDPattern = /^[\x21-\x7e]{1,128}$/

// `ignoreBOM`: a leading byte order mark is kept, so the text is exactly
// what was signed; decoding skips it (see `jsonText`).
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

const bodyText = (body: string | Uint8Array): Either.Either<string, CallbackMalformedBody> =>
  typeof body === "string"
    ? Either.right(body)
    : Either.try({
      try: () => utf8.decode(body),
      catch: () => new CallbackMalformedBody({ description: "the body is not valid UTF-8" })
    })

/** The JSON text of a body: without its byte order mark, if it has one. */
const jsonText = (text: string): string => text.charCodeAt(0) === 0xfeff ? text.slice(1) : text

/** A verified delivery, as the receiver needs it. @internal */
export interface VerifiedBody extends DecodedBody {
  readonly headers: Signer.VerifiedHeaders
  /** The raw body text, exactly as signed. */
  readonly body: string
}

/**
 * The failures of {@link verifySigned}: the delivery is not proven to come
 * from the platform, so its answer is not signed.
 *
 * @internal
 */
export type UnverifiedFailure = CallbackMissingHeader | CallbackBadSignature | CallbackOutsideWindow

/**
 * The signature, the `requestID` shape and the `createTs` window: after
 * this, the delivery is the platform's (or a replay of it, which the replay
 * store catches).
 *
 * @internal
 */
export const verifySigned = (
  input: Input,
  options: Callback.VerifyOptions
): Effect.Effect<Signer.VerifiedHeaders, UnverifiedFailure, Signer.Signer> =>
  Effect.flatMap(
    Signer.Signer,
    (signer) =>
      Effect.flatMap(Effect.mapError(verifySignature(signer, options, input), fromSignatureError), (
        headers
      ): Effect.Effect<Signer.VerifiedHeaders, UnverifiedFailure> =>
        // The platform's requestIDs are short tokens (32 hex characters in
        // its examples). Anything else — control characters, non-ASCII, 200+
        // characters — is refused even when signed: it is the only free-form
        // field after the body in the signed string, so keeping it plain
        // keeps the string unambiguous, and it becomes a store key.
        requestIDPattern.test(headers.requestID)
          ? checkWindow(headers, windowMillis(options))
          : Effect.fail(new CallbackBadSignature({ reason: "InvalidHeader", header: "requestID" })))
  )

/** Decodes the body of a delivery {@link verifySigned} accepted. @internal */
export const decodeVerified = (
  input: Input,
  headers: Signer.VerifiedHeaders,
  options: DecodeBodyOptions
): Either.Either<VerifiedBody, DecodeFailure> =>
  Either.flatMap(bodyText(input.body), (body) =>
    Either.map(decodeBody(jsonText(body), options), (decoded) => ({
      callback: decoded.callback,
      extra: decoded.extra,
      mismatch: decoded.mismatch,
      headers,
      body
    })))

/** @internal */
export const verifyBody = (
  input: Input,
  options: Callback.VerifyOptions & DecodeBodyOptions
): Effect.Effect<VerifiedBody, CallbackError, Signer.Signer> =>
  Effect.flatMap(verifySigned(input, options), (headers) => decodeVerified(input, headers, options))

/**
 * One span per verification, as a leaf: nothing inside it starts a span or
 * logs, so it is not made the parent in the fiber's context (that context
 * update cost more than the checks themselves), and no stack is captured
 * (`Effect.fn` would: about 16 µs of a ~30 µs verification, measured).
 *
 * @internal
 */
export const verifyWithHeaders = (
  input: Input,
  options: Callback.VerifyOptions = {}
): Effect.Effect<Callback.Verified, CallbackError, Signer.Signer> =>
  Effect.useSpan("Callback.verify", { captureStackTrace: false }, () => verifyNow(input, options))

const verifyNow = (
  input: Input,
  options: Callback.VerifyOptions
): Effect.Effect<Callback.Verified, CallbackError, Signer.Signer> => {
  const safe = safeInput(input)
  if (Either.isLeft(safe)) return Effect.fail(safe.left)
  return Effect.flatMap(verifyBody(safe.right, options), (verified) => {
    const { callback } = verified
    return callback instanceof UnknownCallback
      ? Effect.fail(new CallbackUnknownType({ callbackType: callback.callbackType }))
      : Effect.succeed(
        { callback, extra: verified.extra, headers: verified.headers, body: verified.body } satisfies Callback.Verified
      )
  })
}

/** @internal */
export const verify = (
  input: Input,
  options?: Callback.VerifyOptions
): Effect.Effect<AnyCallback, CallbackError, Signer.Signer> =>
  Effect.map(verifyWithHeaders(input, options), (verified) => verified.callback)
