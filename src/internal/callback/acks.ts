/**
 * The receiver's answers: the status and `retCode` of each outcome, and the
 * signed `{ retCode, retMsg, responseID }` body that carries them.
 *
 * @internal
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
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

const signedAnswer = (
  acknowledgement: Callback.Acknowledgement,
  requestID: string | undefined
): Effect.Effect<Omit<Callback.Reply, "outcome">, never, Signer.Signer> =>
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
 * The signed refusal of a delivery (no `requestID` to echo: it was not
 * verified).
 *
 * @internal
 */
export const reject = (error: CallbackError): Effect.Effect<Callback.Reply, never, Signer.Signer> =>
  makeReply(acknowledgementFor(error), { _tag: "Rejected", error })

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
  headers: { "content-type": "application/json; charset=utf-8", connection: "close" },
  body: JSON.stringify({
    retCode: acknowledgement.retCode,
    retMsg: acknowledgement.retMsg,
    responseID: Signer.makeRequestID()
  }),
  outcome
})
