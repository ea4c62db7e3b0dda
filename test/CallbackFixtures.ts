/**
 * Fixtures shared by the callback tests: a test account, one callback of
 * each kind, and helpers to sign and post them.
 */
import { HttpServerRequest } from "@effect/platform"
import { Redacted } from "effect"
import { Callback, Signer } from "../src/index.js"

/** The secret of the test account: must never appear in an error or a log. */
export const SECRET = "cb-test-secret-DO-NOT-LEAK-7f3a"

export const account: Signer.Options = {
  uuid: "cb-test-uuid",
  secretKey: Redacted.make(SECRET)
}

export const signer = Signer.make(account)
export const SignerLive = Signer.layer(account)

/** A second account, e.g. the previous secret during a rotation. */
export const oldAccount: Signer.Options = {
  uuid: "cb-test-uuid",
  secretKey: Redacted.make("cb-old-secret-ALSO-SECRET-91c2")
}

/** A realistic "now" for `TestClock`: 2024-11-14T22:13:20Z. */
export const NOW_SECONDS = 1_731_622_400
export const NOW_MILLIS = NOW_SECONDS * 1000

export const taskStat = {
  answerOrderCount: 1,
  finishOrderCount: 2,
  totalOrderCount: 3,
  finishRate: 0.67,
  totalAnswerCall: 1,
  totalCall: 4,
  answerRate: 0.25
}

export const taskCallback = new Callback.TaskCallback({
  callbackType: 1,
  userTaskID: "user-task-1",
  taskID: "T100",
  sceneID: "scene-1",
  taskStatus: 3,
  createTs: 1_731_600_000,
  taskStat
})

export const callRecord = {
  callID: "C-1",
  callingNumber: "10086",
  lineAddress: "10.0.0.1",
  callStatus: 1,
  callStartTs: 1_731_622_000,
  callAnswerTs: 1_731_622_005,
  callEndTs: 1_731_622_065,
  callDuration: 60,
  callAudioUrl: "https://example.invalid/rec/C-1.wav",
  hangupCause: "NORMAL_CLEARING",
  termSipCode: "200",
  intents: [{ intentID: "i-1", intentTag: "A", intentName: "interested", intentLevel: 1 }],
  sms: [],
  params: [{ name: "name", value: "李雷" }]
}

/** The raw wire body of an order callback, as the simulator sends it (string `callbackType`). */
export const orderBody = {
  callbackType: "2",
  orderID: "order-1",
  userPhone: "8613800000001",
  userName: "李雷",
  sceneID: "scene-1",
  userTaskID: "user-task-1",
  taskID: "T100",
  finish: true,
  other: "crm-42",
  callInfoDetail: callRecord
}

/** The raw wire body of a call callback. */
export const callBody = { ...orderBody, callbackType: 3, finish: false }

/** Signs `body` (string as given, objects with `JSON.stringify`) with the test account. */
export const signBody = (
  body: string | object,
  options: { readonly createTs?: number; readonly requestID?: string; readonly with?: Signer.Signer } = {}
): { readonly body: string; readonly headers: Record<string, string> } => {
  const text = typeof body === "string" ? body : JSON.stringify(body)
  const signed = (options.with ?? signer).signWith(text, {
    requestID: options.requestID ?? Signer.makeRequestID(),
    createTs: String(options.createTs ?? NOW_SECONDS)
  })
  return {
    body: text,
    headers: { requestID: signed.requestID, uuid: signed.uuid, createTs: signed.createTs, sign: signed.sign }
  }
}

/** An in-process request for an HttpApp (no sockets). */
export const webRequest = (
  body: string | Uint8Array,
  headers: Record<string, string>,
  url = "http://receiver.test/callbot"
): HttpServerRequest.HttpServerRequest =>
  HttpServerRequest.fromWeb(
    new Request(url, { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body), headers })
  )
