/**
 * Raw signed requests to the simulator (over HTTP or in memory) and request
 * bodies built by hand, so that the simulator is exercised without the SDK's
 * `CallbotApi`.
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Effect, Either, Option, Schema } from "effect"
import { gunzipSync, gzipSync } from "node:zlib"
import * as Signer from "../src/Signer.js"
import * as Simulator from "../src/Simulator.js"

export interface RawOptions {
  readonly account?: Simulator.Account
  /** Exact body text to sign and send (instead of `JSON.stringify(body)`). */
  readonly raw?: string
  /** Sign this text but send `raw`/the body (a body that does not match its signature). */
  readonly signOver?: string
  /** Signature headers to leave out. */
  readonly omit?: ReadonlyArray<"requestID" | "uuid" | "createTs" | "sign">
  /** Extra or replacing headers, applied after signing. */
  readonly headers?: Record<string, string>
  /** Sign as of this time (seconds) instead of the Clock's. */
  readonly createTs?: string
  /** Send the body gzip-compressed with `Content-Encoding: gzip` (signed uncompressed). */
  readonly gzip?: boolean
}

export interface RawAnswer {
  readonly status: number
  readonly headers: Headers.Headers
  readonly text: string
  /** The body as a JSON object (`{}` when it is not one). */
  readonly json: Record<string, unknown>
  /** `retCode`, or `code` for ping. */
  readonly code: number | undefined
  /** The response signature verifies over the body and answers our requestID. */
  readonly signed: boolean
}

const asRecord = (u: unknown): Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u) ? Object.fromEntries(Object.entries(u)) : {}

/** POSTs a signed body to `/callcentre/api/v3/<endpoint>`. */
export const post = (baseUrl: string, endpoint: string, body: unknown, options: RawOptions = {}) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const account = options.account ?? Simulator.testAccount
    const signer = Signer.make(account)
    const text = options.raw ?? JSON.stringify(body)
    const signed = options.createTs === undefined
      ? yield* signer.sign(options.signOver ?? text)
      : signer.signWith(options.signOver ?? text, { requestID: Signer.makeRequestID(), createTs: options.createTs })
    const headers: Record<string, string> = {
      requestID: signed.requestID,
      uuid: signed.uuid,
      createTs: signed.createTs,
      sign: signed.sign,
      algorithm: signed.algorithm
    }
    for (const name of options.omit ?? []) delete headers[name]
    const response = yield* client.execute(
      HttpClientRequest.post(`${baseUrl}/callcentre/api/v3/${endpoint}`).pipe(
        options.gzip === true
          ? HttpClientRequest.bodyUint8Array(new Uint8Array(gzipSync(text)), "application/json")
          : HttpClientRequest.bodyText(text, "application/json"),
        HttpClientRequest.setHeaders({
          ...headers,
          ...(options.gzip === true ? { "content-encoding": "gzip" } : {}),
          ...options.headers
        })
      )
    )
    const bytes = new Uint8Array(yield* response.arrayBuffer)
    const plain = Option.contains(Headers.get(response.headers, "content-encoding"), "gzip")
      ? new Uint8Array(gunzipSync(bytes))
      : bytes
    const responseText = new TextDecoder().decode(plain)
    const json = asRecord(Either.getOrUndefined(Either.try((): unknown => JSON.parse(responseText))))
    const verified = yield* Effect.either(signer.verify({ headers: response.headers, body: plain }))
    const code = typeof json.retCode === "number" ? json.retCode : typeof json.code === "number" ? json.code : undefined
    return {
      status: response.status,
      headers: response.headers,
      text: responseText,
      json,
      code,
      signed: Either.isRight(verified) && verified.right.requestID === signed.requestID
    } satisfies RawAnswer
  })

/** Posts to the running simulator. */
export const simPost = (endpoint: string, body: unknown, options: RawOptions = {}) =>
  Effect.flatMap(Simulator.Simulator, (sim) => post(sim.baseUrl, endpoint, body, options))

let seq = 0
/** A fresh ID. */
export const fresh = (prefix: string): string => `${prefix}-${(seq++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`

export const TASK_URL = "http://127.0.0.1:9/task"
export const ORDER_URL = "http://127.0.0.1:9/order"
export const CALL_URL = "http://127.0.0.1:9/call"

/** One order as the vendor's table wants it (every field present). */
export const order = (orderID: string, i: number, extra: Record<string, unknown> = {}) => ({
  orderID,
  userPhone: `86138${String(i).padStart(8, "0")}`,
  other: `other-${i}`,
  userName: `user ${i}`,
  customerName: "",
  params: [],
  ...extra
})

export const orders = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => order(`${prefix}-o${i}`, i))

export const callInfoList = (callList: ReadonlyArray<unknown>) => ({
  orderCallbackUrl: ORDER_URL,
  callCallbackUrl: CALL_URL,
  callList
})

export const taskCreateSetting = (extra: Record<string, unknown> = {}) => ({
  strategyName: "默认策略",
  startupType: 1,
  startupAt: 0,
  zoneSecond: 28800,
  dialAtWeekDay: "1,2,3,4,5,6,7",
  dialAtUpHour: "9,10,11",
  dialAtDownHour: "9,10,11",
  maxRingTime: 30,
  routeID: "",
  maxCall: 2,
  taskName: "sim test",
  taskCallbackUrl: TASK_URL,
  ...extra
})

export const funcFlag = (extra: Record<string, unknown> = {}) => ({
  taskKeep: false,
  roundRedial: false,
  wholeTTS: false,
  smsEnable: false,
  smsFuncFlag: [],
  phoneEncrypt: false,
  ...extra
})

/** A complete `createAndCall` body. */
export const createAndCallBody = (
  userTaskID: string,
  callList: ReadonlyArray<unknown>,
  overrides: { setting?: Record<string, unknown>; flags?: Record<string, unknown> } = {}
) => ({
  productID: "callbot",
  userTaskID,
  sceneID: "scene-1",
  taskCreateSetting: taskCreateSetting(overrides.setting),
  funcFlag: funcFlag(overrides.flags),
  callInfoList: callInfoList(callList)
})

/** A `createTask` body in the vendor's createTask spelling. */
export const createTaskBody = (userTaskID: string, extra: Record<string, unknown> = {}) => ({
  account: "",
  productID: "callbot",
  userTaskID,
  sceneID: "scene-1",
  taskCreateSetting: {
    strategyName: "默认策略",
    startupType: 1,
    startupAt: 0,
    zoneSecond: 28800,
    dialAtWeekDay: "1,2,3,4,5",
    "dialAtUpHour ": "9,10",
    dialAtDownHour: "9,10",
    maxRingTime: 30,
    routeID: ""
  },
  funcFlag: {
    taskKeep: false,
    roundRedial: false,
    wholeTTS: false,
    smsFuncFlag: [{ smsId: "sms-1", intentId: ["1001"], intentName: [] }],
    smsEnable: false
  },
  other: "",
  taskCallbackUrl: TASK_URL,
  orderCallbackUrl: ORDER_URL,
  ...extra
})

// ---- typed readers of answers (local schemas: what the simulator promises) ----

const TaskStat = Schema.Struct({
  answerOrderCount: Schema.Number,
  finishOrderCount: Schema.Number,
  totalOrderCount: Schema.Number,
  finishRate: Schema.Number,
  totalAnswerCall: Schema.Number,
  totalCall: Schema.Number,
  answerRate: Schema.Number
})

const Intent = Schema.Struct({
  intentID: Schema.String,
  intentTag: Schema.String,
  intentName: Schema.String,
  intentLevel: Schema.Number
})

export const CallInfo = Schema.Struct({
  callID: Schema.String,
  callStatus: Schema.Number,
  callStartTs: Schema.Number,
  callAnswerTs: Schema.Number,
  callEndTs: Schema.Number,
  callDuration: Schema.Number,
  intents: Schema.Array(Intent),
  sms: Schema.Array(Schema.Struct({ smsSendTs: Schema.Number, sysMessageID: Schema.String, smsContent: Schema.String }))
})

const OrderEntry = Schema.Struct({
  orderID: Schema.String,
  userPhone: Schema.String,
  userName: Schema.String,
  other: Schema.String,
  sceneID: Schema.String,
  userTaskID: Schema.String,
  taskID: Schema.String,
  finish: Schema.Boolean
})

export const TaskEntry = Schema.Struct({
  userTaskID: Schema.String,
  taskID: Schema.String,
  sceneID: Schema.String,
  taskStatus: Schema.Number,
  createTs: Schema.Number,
  taskStat: TaskStat
})

export const ListTask = Schema.Struct({ taskData: Schema.Array(TaskEntry) })
export const ListCall = Schema.Struct({
  callList: Schema.Array(Schema.Struct({ ...OrderEntry.fields, callInfoDetail: CallInfo }))
})
export const ListOrder = Schema.Struct({
  orderList: Schema.Array(Schema.Struct({ ...OrderEntry.fields, callInfoDetail: Schema.NullOr(CallInfo) }))
})
export const ListOrderDetail = Schema.Struct({
  orderDetailList: Schema.Array(Schema.Struct({ ...OrderEntry.fields, callInfoDetailList: Schema.Array(CallInfo) }))
})
export const ImportAnswer = Schema.Struct({
  totalCount: Schema.Number,
  successCount: Schema.Number,
  errList: Schema.Array(Schema.Struct({ phone: Schema.String, errMsg: Schema.String }))
})
export const StopAnswer = Schema.Struct({
  totalCount: Schema.Number,
  successCount: Schema.Number,
  errList: Schema.Array(Schema.Struct({ orderID: Schema.String, errMsg: Schema.String }))
})
export const ExportAnswer = Schema.Struct({
  totalCount: Schema.Number,
  batchID: Schema.String,
  callList: Schema.Array(Schema.Struct({
    orderID: Schema.String,
    userPhone: Schema.String,
    other: Schema.String,
    callID: Schema.String,
    callStatus: Schema.Number,
    callStartTs: Schema.Number,
    intents: Schema.Array(Intent)
  }))
})
export const TaskCallbackBody = Schema.parseJson(Schema.Struct({
  callbackType: Schema.Literal(1),
  ...TaskEntry.fields
}))
export const OrderCallbackBody = Schema.parseJson(Schema.Struct({
  callbackType: Schema.Literal("2"),
  ...OrderEntry.fields,
  callInfoDetail: CallInfo
}))
export const CallCallbackBody = Schema.parseJson(Schema.Struct({
  callbackType: Schema.Literal(3),
  ...OrderEntry.fields,
  callInfoDetail: CallInfo
}))

/** Decodes an answer's JSON with a local schema (throws with the parse error, failing the test). */
export const read = <A, I>(schema: Schema.Schema<A, I>, answer: RawAnswer): A => Schema.decodeUnknownSync(schema)(answer.json)
