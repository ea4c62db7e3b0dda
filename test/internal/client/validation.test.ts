/**
 * `CallbotClient.validate` takes a shortcut (decode dropping unknown keys,
 * and only when some were dropped decode again keeping them); it must give
 * exactly what a decode with `onExcessProperty: "preserve"` gives.
 */
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Effect, Either, FastCheck as fc, Schema } from "effect"
import { CallbotClient, Endpoints } from "../../../src/index.js"
import { createAndCallRequest } from "../../utils.js"

/** A small deterministic generator: the same seed sprinkles the same keys. */
const lcg = (seed: number) => {
  let state = seed >>> 0
  return (n: number) => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state % n
  }
}

/** Adds unknown keys at random places of a JSON-like value. */
const sprinkle = (value: unknown, next: (n: number) => number): unknown => {
  if (Array.isArray(value)) return value.map((v) => sprinkle(v, next))
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = sprinkle(v, next)
    if (next(2) === 0) out[`vendor${next(100)}`] = next(2) === 0 ? { nested: [1, { deep: true }] } : "extra"
    return out
  }
  return value
}

const outcome = <A, E>(e: Either.Either<A, E>) => (Either.isRight(e) ? { ok: e.right } : { failed: true })

const agrees = <A, I>(name: string, schema: Schema.Schema<A, I>, validInputs: ReadonlyArray<unknown>) =>
  it.effect(name, () =>
    Effect.gen(function*() {
      const reference = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "preserve" })
      // Half valid inputs, half anything of the right shape (mostly invalid);
      // three in four get unknown keys sprinkled in.
      const samples = fc.sample(
        fc.tuple(fc.oneof(fc.constantFrom(...validInputs), Arbitrary.make(Schema.encodedSchema(schema))), fc.integer()),
        300
      )
      let withExtraKeys = 0
      let decoded = 0
      for (const [value, seed] of samples) {
        const input = seed % 4 === 0 ? value : sprinkle(value, lcg(seed))
        if (input !== value) withExtraKeys++
        const actual = yield* Effect.either(CallbotClient.validate(name, schema, input))
        expect(outcome(actual)).toEqual(outcome(reference(input)))
        if (Either.isRight(actual)) decoded++
      }
      expect(withExtraKeys).toBeGreaterThan(100)
      expect(decoded).toBeGreaterThan(50)
    }))

const request = createAndCallRequest(3)
const { callList: _orders, ...callbacks } = request.callInfoList
const withParams = {
  ...request,
  funcFlag: { wholeTTS: true, smsEnable: true, smsFuncFlag: [{ smsID: "s1", intentID: ["1001"] }] },
  taskCreateSetting: { ...request.taskCreateSetting, manualCallSetting: { agentGroup: "g", dispatchType: 1 } }
}
const callRecord = {
  callID: "c1",
  callStatus: 1,
  intents: [{ intentID: "1001", intentTag: "A", intentName: "Interested", intentLevel: 1 }],
  sms: [{ smsSendTs: 1, sysMessageID: "m", smsContent: "hi" }],
  params: [{ name: "n", value: null }]
}

describe("CallbotClient.validate keeps unknown keys exactly like onExcessProperty: preserve", () => {
  agrees("createAndCall header", Endpoints.CreateAndCallHeader, [
    { ...request, callInfoList: callbacks },
    { ...withParams, callInfoList: callbacks }
  ])
  agrees("createTask request", Endpoints.createTask.request, [
    {
      userTaskID: "t1",
      sceneID: "s1",
      taskCreateSetting: request.taskCreateSetting,
      funcFlag: { smsEnable: true, smsFuncFlag: [{ smsID: "s1", intentID: ["1001"] }] },
      orderCallbackUrl: callbacks.orderCallbackUrl
    }
  ])
  agrees("listOrder request", Endpoints.listOrder.request, [
    { userTaskID: "t1", options: { finish: 1, callDuration: { gt: 1, lt: 60, enable: true } }, page: 2, size: 50 }
  ])
  agrees("createAndCall response", Endpoints.createAndCall.response, [
    { retCode: 0, retMsg: "ok", responseID: "r", taskID: "T1", totalCount: 2, successCount: 1, errList: [{ phone: "1", errMsg: "x" }] }
  ])
  agrees("listOrderDetail response", Endpoints.listOrderDetail.response, [
    {
      retCode: 0,
      retMsg: "ok",
      responseID: "r",
      orderDetailList: [{ orderID: "o1", userPhone: "8613800000000", finish: true, callInfoDetailList: [callRecord] }]
    }
  ])
})
