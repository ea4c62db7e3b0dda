/**
 * Inputs shared by the SDK side and the hand-written baseline: the account,
 * `createAndCall` bodies with every field spelled out (so the SDK fills no
 * default and both sides send the same JSON), task callbacks, and the
 * baseline's bare `node:crypto` signature.
 */
import * as Redacted from "effect/Redacted"
import { createHash, randomUUID, timingSafeEqual } from "node:crypto"
import type * as Endpoints from "../../src/Endpoints.js"

// The account of the simulator process (bench/simulator-process.ts passes it
// explicitly). Defined here rather than imported from the simulator so that
// the SDK-side processes do not load the simulator and its server stack,
// which would inflate the RSS they measure.
export const account = { uuid: "bench-uuid", secretKey: Redacted.make("bench-secret-key") } as const
export const uuid: string = account.uuid
export const secret: string = Redacted.value(account.secretKey)

export const CREATE_AND_CALL_PATH = "/callcentre/api/v3/createAndCall"

/** Bare MD5 signature, the way a hand-written client would compute it. */
export const rawSign = (body: string | Buffer, createTs: string, requestID: string): string => {
  const text = typeof body === "string" ? body : body.toString("utf8")
  return createHash("md5")
    .update(`${secret}&body=${text}&createTs=${createTs}&requestID=${requestID}&uuid=${uuid}`)
    .digest("hex")
    .toUpperCase()
}

/** Constant-time comparison of two upper-case hex digests. */
export const rawEqual = (expected: string, actual: string): boolean => {
  const a = Buffer.from(expected)
  const b = Buffer.from(actual.toUpperCase())
  return a.length === b.length && timingSafeEqual(a, b)
}

export const rawRequestID = (): string => randomUUID().replaceAll("-", "")

export type Order = {
  orderID: string
  userPhone: string
  other: string
  userName: string
  customerName: string
  params: Array<never>
}

export const order = (taskID: string, i: number): Order => ({
  orderID: `${taskID}-o${i}`,
  userPhone: `86138${String(i % 100_000_000).padStart(8, "0")}`,
  other: "",
  userName: "Ada",
  customerName: "",
  params: []
})

/** Task fields, every default spelled out (the wire shape the SDK sends). */
export const taskHeader = (userTaskID: string) => ({
  productID: "callbot" as const,
  userTaskID,
  sceneID: "scene-bench",
  taskCreateSetting: {
    strategyName: "默认策略",
    startupType: 1 as const,
    startupAt: 0,
    zoneSecond: 28800,
    dialAtWeekDay: "1,2,3,4,5",
    dialAtUpHour: "9,10,11",
    dialAtDownHour: "9,10,11",
    maxRingTime: 30,
    routeID: "",
    maxCall: 1,
    taskName: "bench task",
    taskCallbackUrl: "http://127.0.0.1:9/task"
  },
  funcFlag: {
    taskKeep: false,
    roundRedial: false,
    wholeTTS: false,
    smsEnable: false,
    smsFuncFlag: [],
    phoneEncrypt: false
  },
  callInfoList: {
    orderCallbackUrl: "http://127.0.0.1:9/order",
    callCallbackUrl: "http://127.0.0.1:9/call",
    callList: [] as Array<Order>
  }
})

/** A `createAndCall` body with `n` orders; accepted as SDK input and sent as-is by the baseline. */
export const createAndCallInput = (userTaskID: string, n: number) => {
  const header = taskHeader(userTaskID)
  const callList = Array.from({ length: n }, (_, i) => order(userTaskID, i))
  return { ...header, callInfoList: { ...header.callInfoList, callList } } satisfies Endpoints.CreateAndCallInput
}

export type CreateAndCallInput = ReturnType<typeof createAndCallInput>

/** A task status callback body, as the platform sends it (unique per `i`). */
export const taskCallbackBody = (run: string, i: number): string =>
  JSON.stringify({
    callbackType: 1,
    userTaskID: `cb-${run}-${i}`,
    taskID: `T${1_700_000_000 + i}`,
    sceneID: "scene-bench",
    taskStatus: 2,
    createTs: 1_700_000_000,
    taskStat: {
      answerOrderCount: 12,
      finishOrderCount: 40,
      totalOrderCount: 100,
      finishRate: 0.4,
      totalAnswerCall: 12,
      totalCall: 40,
      answerRate: 0.3
    }
  })

/** Signed callback headers (no `algorithm` header, like the platform). */
export const callbackHeaders = (body: string): Record<string, string> => {
  const requestID = rawRequestID()
  const createTs = String(Math.floor(Date.now() / 1000))
  return {
    "content-type": "application/json",
    requestID,
    uuid,
    createTs,
    sign: rawSign(body, createTs, requestID)
  }
}

/** Signed request headers for `body`, the way a hand-written client builds them. */
export const signedHeaders = (body: string) => {
  const requestID = rawRequestID()
  const createTs = String(Math.floor(Date.now() / 1000))
  return {
    requestID,
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      requestID,
      uuid,
      createTs,
      sign: rawSign(body, createTs, requestID),
      algorithm: "MD5"
    }
  }
}
