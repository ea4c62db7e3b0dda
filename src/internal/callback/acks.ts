/**
 * The receiver's answers: the status and `retCode` of each outcome, and the
 * `{ retCode, retMsg, responseID }` body that carries them — signed for a
 * delivery whose signature and window were verified, unsigned otherwise (a
 * signed answer to a text a forger partly chose would hand them a
 * secret-prefix digest to extend).
 *
 * @internal
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import type * as Callback from "../../Callback.js"
import * as Signer from "../../Signer.js"
import type { CallbackError } from "./errors.js"

/** @internal */
export const ack = (status: number, retCode: number, retMsg: string): Callback.Acknowledgement => ({
  status,
  retCode,
  retMsg
})

/** @internal */
export const acknowledgementFor = (error: CallbackError): Callback.Acknowledgement => {
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

const answerBody = (acknowledgement: Callback.Acknowledgement): string =>
  JSON.stringify({
    retCode: acknowledgement.retCode,
    retMsg: acknowledgement.retMsg,
    responseID: Signer.makeRequestID()
  })

const answerHeaders = (
  acknowledgement: Callback.Acknowledgement,
  extra: Readonly<Record<string, string>> = {}
): Record<string, string> => {
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", ...extra }
  // Do not keep reading (or keep alive) a connection whose body we refused.
  if (acknowledgement.status === 413) headers.connection = "close"
  return headers
}

const signedAnswer = (
  acknowledgement: Callback.Acknowledgement,
  requestID: string | undefined
): Effect.Effect<Omit<Callback.Reply, "outcome">, never, Signer.Signer> =>
  Effect.clockWith((clock) =>
    Effect.map(Signer.Signer, (signer) => {
      const body = answerBody(acknowledgement)
      const signed = signer.signWith(body, {
        requestID: requestID ?? Signer.makeRequestID(),
        createTs: String(Math.floor(clock.unsafeCurrentTimeMillis() / 1000))
      })
      return { status: acknowledgement.status, headers: answerHeaders(acknowledgement, Signer.toHeaders(signed)), body }
    })
  )

/**
 * The signed answer to one delivery, with what happened to it.
 *
 * @internal
 */
export const makeReply = (
  acknowledgement: Callback.Acknowledgement,
  outcome: Callback.Outcome,
  requestID?: string
): Effect.Effect<Callback.Reply, never, Signer.Signer> =>
  Effect.map(signedAnswer(acknowledgement, requestID), (answer) => ({ ...answer, outcome }))

/**
 * The refusal of a delivery that was not verified (missing or bad
 * signature, outside the window, too large, unreadable): unsigned, with no
 * signature headers and no `requestID` echo.
 *
 * @internal
 */
export const reject = (error: CallbackError): Effect.Effect<Callback.Reply> =>
  Effect.sync(() => {
    const acknowledgement = acknowledgementFor(error)
    return {
      status: acknowledgement.status,
      headers: answerHeaders(acknowledgement),
      body: answerBody(acknowledgement),
      outcome: { _tag: "Rejected", error }
    }
  })

/**
 * The signed refusal of a delivery whose signature and window were verified
 * but whose body cannot be taken (malformed, unknown or contradicting
 * `callbackType`): the sender proved the secret, so the answer is signed and
 * echoes its `requestID`.
 *
 * @internal
 */
export const rejectVerified = (
  error: CallbackError,
  requestID: string
): Effect.Effect<Callback.Reply, never, Signer.Signer> =>
  makeReply(acknowledgementFor(error), { _tag: "Rejected", error }, requestID)

/** A framework-neutral answer as an `HttpServerResponse`. @internal */
export const toResponse = (reply: Omit<Callback.Reply, "outcome">): HttpServerResponse.HttpServerResponse => {
  const { "content-type": contentType, ...headers } = reply.headers
  return HttpServerResponse.text(reply.body, { status: reply.status, contentType, headers })
}

/** @internal */
export const acknowledge = (
  acknowledgement: Callback.Acknowledgement,
  requestID?: string
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, Signer.Signer> =>
  Effect.map(signedAnswer(acknowledgement, requestID), toResponse)

/**
 * An answer that is not signed, for a delivery whose body was not even read
 * in full (too slow, or no room to buffer it): nothing about it is verified,
 * and the connection is closed rather than read further.
 *
 * @internal
 */
export const unsignedReply = (
  acknowledgement: Callback.Acknowledgement,
  outcome: Callback.Outcome
): Callback.Reply => ({
  status: acknowledgement.status,
  headers: answerHeaders(acknowledgement, { connection: "close" }),
  body: answerBody(acknowledgement),
  outcome
})
