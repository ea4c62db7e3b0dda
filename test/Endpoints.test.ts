/**
 * The endpoint definitions as schemas: paths, envelopes, what a request
 * decodes to (the exact wire value) and how leniently answers decode.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { Endpoints } from "../src/index.js"
import { taskCreateSetting } from "./fixtures/endpoints.js"

const all = [
  Endpoints.ping,
  Endpoints.createTask,
  Endpoints.addBatchCall,
  Endpoints.createAndCall,
  Endpoints.mgrTaskStatus,
  Endpoints.updateTask,
  Endpoints.listCall,
  Endpoints.listTask,
  Endpoints.listOrder,
  Endpoints.stopOrder,
  Endpoints.listOrderDetail,
  Endpoints.exportBatchCall,
  Endpoints.importBatchCall
]

const decode = <A, I>(schema: Schema.Schema<A, I>, u: unknown) =>
  Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "preserve" })(u)

describe("the endpoint table", () => {
  it("covers the 13 documented v3 paths", () => {
    expect(all.map((e) => e.path)).toEqual([
      "/callcentre/api/v3/ping",
      "/callcentre/api/v3/createTask",
      "/callcentre/api/v3/addBatchCall",
      "/callcentre/api/v3/createAndCall",
      "/callcentre/api/v3/mgrTaskStatus",
      "/callcentre/api/v3/updateTask",
      "/callcentre/api/v3/listCall",
      "/callcentre/api/v3/listTask",
      "/callcentre/api/v3/listOrder",
      "/callcentre/api/v3/stopOrder",
      "/callcentre/api/v3/listOrderDetail",
      "/callcentre/api/v3/exportBatchCall",
      "/callcentre/api/v3/importBatchCall"
    ])
  })

  it("only ping has the code/msg/reqId envelope", () => {
    expect(all.filter((e) => e.envelope === "code").map((e) => e.name)).toEqual(["ping"])
  })

  it("only listCall and exportBatchCall ask for gzip answers (the vendor lists Accept-Encoding there)", () => {
    expect(all.filter((e) => e.acceptGzip).map((e) => e.name)).toEqual(["listCall", "exportBatchCall"])
  })
})

describe("createTask's request schema", () => {
  const base = { userTaskID: "t-1", sceneID: "s-1", taskCreateSetting }

  it("decodes the createAndCall spelling to createTask's wire", () => {
    const wire = Schema.decodeUnknownSync(Endpoints.CreateTaskRequest)({
      ...base,
      funcFlag: { smsEnable: true, smsFuncFlag: [{ smsID: "a", intentID: ["1"], intentName: ["x"] }] }
    })
    expect(wire.funcFlag.smsFuncFlag).toEqual([{ smsId: "a", intentId: ["1"], intentName: ["x"] }])
    expect(wire.taskCallbackUrl).toBe(taskCreateSetting.taskCallbackUrl)
    expect(wire.taskCreateSetting).not.toHaveProperty("taskCallbackUrl")
    expect(wire.productID).toBe("callbot")
  })

  it.prop(
    "keeps every SMS rule, in order, under the createTask spelling, and encodes back",
    [fc.array(fc.record({ smsID: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ""), intentID: fc.array(fc.string()), intentName: fc.array(fc.string()) }), { maxLength: 6 })],
    ([rules]) => {
      const input = { ...base, funcFlag: { smsEnable: rules.length > 0, smsFuncFlag: rules } }
      const wire = Schema.decodeUnknownSync(Endpoints.CreateTaskRequest)(input)
      expect(wire.funcFlag.smsFuncFlag).toEqual(rules.map((r) => ({ smsId: r.smsID, intentId: r.intentID, intentName: r.intentName })))
      const back = Schema.encodeSync(Endpoints.CreateTaskRequest)(wire)
      expect(back.funcFlag?.smsFuncFlag).toEqual(rules)
    }
  )

  it("names the field at fault", () => {
    const result = decode(Endpoints.CreateTaskRequest, { ...base, taskCreateSetting: { ...taskCreateSetting, startupType: 9 } })
    expect(Either.isLeft(result)).toBe(true)
  })
})

describe("request defaults", () => {
  it("lists: page 1, size 100, empty filters", () => {
    expect(Schema.decodeUnknownSync(Endpoints.ListTaskRequest)({})).toEqual({
      productID: "callbot",
      page: 1,
      size: 100,
      queryConditions: {}
    })
    expect(Schema.decodeUnknownSync(Endpoints.ListCallRequest)({ userTaskID: "t" })).toEqual({
      productID: "callbot",
      userTaskID: "t",
      options: {},
      page: 1,
      size: 100
    })
  })

  it("a range filter is enabled when given", () => {
    const wire = Schema.decodeUnknownSync(Endpoints.ListOrderRequest)({ userTaskID: "t", options: { turnTime: { gt: 2, lt: 9 } } })
    expect(wire.options.turnTime).toEqual({ gt: 2, lt: 9, enable: true })
    const off = Schema.decodeUnknownSync(Endpoints.ListOrderRequest)({ userTaskID: "t", options: { turnTime: { enable: false } } })
    expect(off.options.turnTime).toEqual({ enable: false })
  })

  it("ping sends data \"ping\" and nothing else", () => {
    expect(Schema.decodeUnknownSync(Endpoints.PingRequest)({})).toEqual({ data: "ping" })
  })

  it("listOrderDetail takes at most 500 IDs per request, at least one", () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `o${i}`)
    expect(Either.isRight(decode(Endpoints.ListOrderDetailRequest, { userTaskID: "t", orderList: ids(500) }))).toBe(true)
    expect(Either.isLeft(decode(Endpoints.ListOrderDetailRequest, { userTaskID: "t", orderList: ids(501) }))).toBe(true)
    expect(Either.isLeft(decode(Endpoints.ListOrderDetailRequest, { userTaskID: "t", orderList: [] }))).toBe(true)
  })

  it("mgrTaskStatus: taskOperate 1-3, delCall 0/1", () => {
    expect(Either.isRight(decode(Endpoints.MgrTaskStatusRequest, { userTaskID: "t", taskOperate: 3, delCall: 1 }))).toBe(true)
    expect(Either.isLeft(decode(Endpoints.MgrTaskStatusRequest, { userTaskID: "t", taskOperate: 0 }))).toBe(true)
    expect(Either.isLeft(decode(Endpoints.MgrTaskStatusRequest, { userTaskID: "t", taskOperate: 1, delCall: 2 }))).toBe(true)
  })
})

describe("answers decode leniently where the vendor is silent", () => {
  const envelope = { retCode: 0, retMsg: "ok", responseID: "r" }

  it("a null list reads as []", () => {
    const cases: ReadonlyArray<readonly [Schema.Schema.AnyNoContext, string]> = [
      [Endpoints.ListTaskResponse, "taskData"],
      [Endpoints.ListCallResponse, "callList"],
      [Endpoints.ListOrderResponse, "orderList"],
      [Endpoints.ListOrderDetailResponse, "orderDetailList"],
      [Endpoints.AddBatchCallResponse, "errList"],
      [Endpoints.StopOrderResponse, "errList"]
    ]
    for (const [schema, key] of cases) {
      const decoded = decode(schema, { ...envelope, totalCount: 0, successCount: 0, [key]: null })
      expect(Either.isRight(decoded) && Reflect.get(decoded.right, key)).toEqual([])
    }
  })

  it("undocumented answers need no more than the envelope", () => {
    expect(Either.isRight(decode(Endpoints.CreateTaskResponse, envelope))).toBe(true)
    expect(Either.isRight(decode(Endpoints.AddBatchCallResponse, envelope))).toBe(true)
    expect(Either.isRight(decode(Endpoints.ImportBatchCallResponse, envelope))).toBe(true)
    expect(Either.isRight(decode(Endpoints.UpdateTaskResponse, envelope))).toBe(true)
  })

  it("answers documented by example require their fields", () => {
    expect(Either.isLeft(decode(Endpoints.MgrTaskStatusResponse, envelope))).toBe(true)
    expect(Either.isLeft(decode(Endpoints.ExportBatchCallResponse, envelope))).toBe(true)
    expect(Either.isLeft(decode(Endpoints.StopOrderResponse, envelope))).toBe(true)
    expect(Either.isLeft(decode(Endpoints.CreateAndCallResponse, envelope))).toBe(true)
  })

  it("unknown fields are kept, at every level", () => {
    const decoded = decode(Endpoints.ListTaskResponse, {
      ...envelope,
      total: 12,
      taskData: [{ userTaskID: "u", taskID: "t", taskStatus: 9, createTs: 1, sceneID: "s", taskStat: null, newField: "x" }]
    })
    expect(Either.isRight(decoded)).toBe(true)
    if (Either.isRight(decoded)) {
      expect(Reflect.get(decoded.right, "total")).toBe(12)
      expect(Reflect.get(decoded.right.taskData[0]!, "newField")).toBe("x")
      // An undocumented task status still decodes (open enum).
      expect(decoded.right.taskData[0]!.taskStatus).toBe(9)
    }
  })
})
