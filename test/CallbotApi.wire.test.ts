/**
 * What every endpoint puts on the wire, checked on a recording mock
 * `HttpClient`: exact JSON bodies, headers, gzip in both directions, the
 * `ping` envelope, validation before sending, and the answers' decoding.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { gunzipSync } from "node:zlib"
import { Signer } from "../src/index.js"
import { callbacks, createTaskRequest, mockAccount, orders, retCode, taskCreateSetting, withMock } from "./fixtures/endpoints.js"

describe("ping", () => {
  it.effect("sends {\"data\":\"ping\"} without productID and decodes the ping envelope", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const answer = yield* api.ping()
        expect(recorded).toHaveLength(1)
        expect(recorded[0]!.url.pathname).toBe("/callcentre/api/v3/ping")
        expect(recorded[0]!.body).toBe("{\"data\":\"ping\"}")
        expect(answer).toMatchObject({ code: 0, msg: "ok", reqId: "req-1", data: "ping", timestamp: 1_700_000_000 })
      })
    ))

  it.effect("echoes the given data", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const answer = yield* api.ping({ data: "hello 世界" })
        expect(recorded[0]!.json).toEqual({ data: "hello 世界" })
        expect(answer.data).toBe("hello 世界")
      })
    ))

  it.effect("a non-zero code maps through the retCode table, msg and reqId included", () =>
    withMock(
      (api) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(api.ping())
          expect(error).toMatchObject({ _tag: "SystemBusy", retCode: 7, retMsg: "busy", responseID: "req-7", endpoint: "ping" })
        }),
      { answer: () => ({ body: { data: "", timestamp: 1, code: 7, msg: "busy", reqId: "req-7" } }) }
    ))

  it.effect("an answer without code is a MalformedResponse", () =>
    withMock(
      (api) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(api.ping())
          expect(error._tag).toBe("MalformedResponse")
        }),
      { answer: () => ({ body: { retCode: 0, retMsg: "ok", responseID: "r" } }) }
    ))
})

describe("createTask", () => {
  it.effect("maps the createAndCall spelling to createTask's wire (smsId/intentId, top-level callback URLs)", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const request = createTaskRequest({
          funcFlag: {
            smsEnable: true,
            smsFuncFlag: [{ smsID: "sms-1", intentID: ["1001"], intentName: ["Interested"] }]
          },
          orderCallbackUrl: "http://127.0.0.1:9/order",
          account: "acct-1"
        })
        const answer = yield* api.createTask(request)
        expect(answer.taskID).toBe("T-created")
        const { taskCallbackUrl, ...setting } = taskCreateSetting
        expect(recorded[0]!.json).toEqual({
          productID: "callbot",
          userTaskID: request.userTaskID,
          sceneID: "scene-1",
          account: "acct-1",
          taskCreateSetting: { ...setting, strategyName: "默认策略", startupAt: 0, routeID: "" },
          funcFlag: {
            taskKeep: false,
            roundRedial: false,
            wholeTTS: false,
            smsEnable: true,
            smsFuncFlag: [{ smsId: "sms-1", intentId: ["1001"], intentName: ["Interested"] }],
            phoneEncrypt: false
          },
          other: "",
          taskCallbackUrl,
          orderCallbackUrl: "http://127.0.0.1:9/order"
        })
      })
    ))

  it.effect("takes taskCallbackUrl at the top level too, and leaves out maxCall/taskName when not given", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const { maxCall: _m, taskName: _n, taskCallbackUrl, ...setting } = taskCreateSetting
        yield* api.createTask(createTaskRequest({ taskCreateSetting: setting, taskCallbackUrl }))
        const sent = recorded[0]!.json
        expect(sent.taskCallbackUrl).toBe(taskCallbackUrl)
        expect(sent.taskCreateSetting).not.toHaveProperty("maxCall")
        expect(sent.taskCreateSetting).not.toHaveProperty("taskName")
        expect(sent.taskCreateSetting).not.toHaveProperty("taskCallbackUrl")
        expect(sent).not.toHaveProperty("orderCallbackUrl")
        expect(sent).not.toHaveProperty("account")
      })
    ))

  it.effect("without any taskCallbackUrl: InvalidRequest naming it, nothing sent", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const { taskCallbackUrl: _, ...setting } = taskCreateSetting
        const error = yield* Effect.flip(api.createTask(createTaskRequest({ taskCreateSetting: setting })))
        expect(error).toMatchObject({ _tag: "InvalidRequest", endpoint: "createTask", field: "taskCallbackUrl" })
        expect(recorded).toHaveLength(0)
      })
    ))

  it.effect("two different taskCallbackUrls are refused", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(api.createTask(createTaskRequest({ taskCallbackUrl: "http://127.0.0.1:9/other" })))
        expect(error).toMatchObject({ _tag: "InvalidRequest", field: "taskCallbackUrl" })
        expect(recorded).toHaveLength(0)
      })
    ))

  it.effect("an answer without taskID still succeeds (the shape is not documented); unknown fields are kept", () =>
    withMock(
      (api) =>
        Effect.gen(function*() {
          const answer = yield* api.createTask(createTaskRequest())
          expect(answer.taskID).toBeUndefined()
          expect(Reflect.get(answer, "taskId")).toBe("T-other-spelling")
        }),
      { answer: () => ({ body: { retCode: 0, retMsg: "ok", responseID: "r", taskId: "T-other-spelling" } }) }
    ))
})

describe("mgrTaskStatus and its shorthands", () => {
  it.effect("start, pause (with delCall) and finish send taskOperate 1, 2, 3", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const started = yield* api.startTask("t-1")
        yield* api.pauseTask("t-1", { delCall: 1 })
        yield* api.finishTask("t-1")
        yield* api.mgrTaskStatus({ userTaskID: "t-1", taskOperate: 2, delCall: 0 })
        expect(recorded.map((r) => r.body)).toEqual([
          "{\"productID\":\"callbot\",\"userTaskID\":\"t-1\",\"taskOperate\":1}",
          "{\"productID\":\"callbot\",\"userTaskID\":\"t-1\",\"taskOperate\":2,\"delCall\":1}",
          "{\"productID\":\"callbot\",\"userTaskID\":\"t-1\",\"taskOperate\":3}",
          "{\"productID\":\"callbot\",\"userTaskID\":\"t-1\",\"taskOperate\":2,\"delCall\":0}"
        ])
        expect(started).toMatchObject({ taskID: "T-1", taskStatus: 2 })
      })
    ))

  it.effect("an unknown operation or a blank userTaskID is refused before sending", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const bad: unknown = { userTaskID: "t-1", taskOperate: 4 }
        const e1 = yield* Effect.flip(api.mgrTaskStatus(bad as Parameters<typeof api.mgrTaskStatus>[0]))
        expect(e1).toMatchObject({ _tag: "InvalidRequest", field: "taskOperate" })
        const e2 = yield* Effect.flip(api.startTask(" "))
        expect(e2).toMatchObject({ _tag: "InvalidRequest", field: "userTaskID" })
        expect(recorded).toHaveLength(0)
      })
    ))
})

describe("updateTask", () => {
  it.effect("sends taskCreateSetting and funcFlag whole", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        yield* api.updateTask({ userTaskID: "t-1", sceneID: "s", taskCreateSetting, funcFlag: { phoneEncrypt: true } })
        const sent = recorded[0]!.json
        expect(Object.keys(sent)).toEqual(["productID", "userTaskID", "sceneID", "taskCreateSetting", "funcFlag"])
        expect(sent.taskCreateSetting).toMatchObject({ ...taskCreateSetting, strategyName: "默认策略" })
        expect(sent.funcFlag).toEqual({
          taskKeep: false,
          roundRedial: false,
          wholeTTS: false,
          smsEnable: false,
          smsFuncFlag: [],
          phoneEncrypt: true
        })
      })
    ))

  it.effect("funcFlag is required: a default would silently switch SMS and encryption off", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const bad: unknown = { userTaskID: "t-1", sceneID: "s", taskCreateSetting }
        const error = yield* Effect.flip(api.updateTask(bad as Parameters<typeof api.updateTask>[0]))
        expect(error).toMatchObject({ _tag: "InvalidRequest", endpoint: "updateTask", field: "funcFlag" })
        expect(recorded).toHaveLength(0)
      })
    ))
})

describe("single-page lists", () => {
  it.effect("listTask fills page 1, size 100 and an empty queryConditions", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const answer = yield* api.listTask()
        expect(recorded[0]!.body).toBe("{\"productID\":\"callbot\",\"page\":1,\"size\":100,\"queryConditions\":{}}")
        expect(answer.taskData).toEqual([])
      })
    ))

  it.effect("listOrder sends the filters as given and reads a null orderList as []", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const answer = yield* api.listOrder({
            userTaskID: "t-1",
            options: { orderID: ["a"], finish: 1, callDuration: { gt: 10 } },
            page: 2,
            size: 5
          })
          expect(recorded[0]!.json).toEqual({
            productID: "callbot",
            userTaskID: "t-1",
            options: { orderID: ["a"], finish: 1, callDuration: { gt: 10, enable: true } },
            page: 2,
            size: 5
          })
          expect(answer.orderList).toEqual([])
        }),
      { answer: () => ({ body: { retCode: 0, retMsg: "ok", responseID: "r", orderList: null } }) }
    ))

  it.effect("page 0 and size 0 are refused before sending", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        expect(yield* Effect.flip(api.listTask({ page: 0 }))).toMatchObject({ _tag: "InvalidRequest", field: "page" })
        expect(yield* Effect.flip(api.listCall({ userTaskID: "t", size: 0 }))).toMatchObject({
          _tag: "InvalidRequest",
          field: "size"
        })
        expect(recorded).toHaveLength(0)
      })
    ))

  it.effect("listOrder decodes an order not dialled yet (callInfoDetail null) and a dialled one", () =>
    withMock(
      (api) =>
        Effect.gen(function*() {
          const answer = yield* api.listOrder({ userTaskID: "t-1" })
          expect(answer.orderList[0]).toMatchObject({ orderID: "a" })
          expect(answer.orderList[0]!.callInfoDetail).toBeUndefined()
          expect(answer.orderList[1]!.callInfoDetail).toMatchObject({ callID: "c1", callStatus: 1, intents: [] })
        }),
      {
        answer: () => ({
          body: {
            retCode: 0,
            retMsg: "ok",
            responseID: "r",
            orderList: [
              { orderID: "a", userPhone: "1", callInfoDetail: null },
              { orderID: "b", userPhone: "2", finish: true, callInfoDetail: { callID: "c1", callStatus: 1, intents: [] } }
            ]
          }
        })
      }
    ))
})

describe("gzip", () => {
  it.effect("listCall asks for gzip and decompresses the answer", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const answer = yield* api.listCall({ userTaskID: "t-1" })
          expect(recorded[0]!.headers["accept-encoding"]).toBe("gzip")
          expect(answer.callList.map((c) => c.orderID)).toEqual(["o-1"])
        }),
      {
        answer: () => ({
          body: { retCode: 0, retMsg: "ok", responseID: "r", callList: [{ orderID: "o-1", callInfoDetail: { callID: "c" } }] }
        })
      }
    ))

  it.effect("exportBatchCall: a signed gzip answer is verified over the decompressed body", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const answer = yield* api.exportBatchCall({ userTaskID: "t-1" })
          expect(recorded[0]!.headers["accept-encoding"]).toBe("gzip")
          expect(answer).toMatchObject({ batchID: "B-9", totalCount: 1 })
          expect(answer.callList[0]).toMatchObject({ orderID: "o-1", callStatus: 2 })
        }),
      {
        answer: () => ({
          sign: true,
          body: {
            retCode: 0,
            retMsg: "ok",
            responseID: "r",
            totalCount: 1,
            batchID: "B-9",
            callList: [{ orderID: "o-1", userPhone: "8613800000000", other: "", callID: "c", callStatus: 2, callStartTs: 1, intents: null }]
          }
        })
      }
    ))

  it.effect("a gzip answer signed over the compressed bytes is accepted too (the vendor does not say which)", () =>
    withMock(
      (api) => Effect.map(api.exportBatchCall({ userTaskID: "t-1" }), (answer) => expect(answer.batchID).toBe("B-1")),
      {
        answer: () => ({ sign: true, signCompressed: true, body: { retCode: 0, retMsg: "ok", responseID: "r", totalCount: 0, batchID: "B-1", callList: [] } })
      }
    ))

  it.effect("a tampered signature on a gzip answer is still rejected", () =>
    withMock(
      (api) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(api.exportBatchCall({ userTaskID: "t-1" }))
          expect(error).toMatchObject({ _tag: "ResponseSignatureError", reason: "Mismatch" })
        }),
      {
        answer: () => ({
          sign: true,
          headers: { sign: "0".repeat(32) },
          body: { retCode: 0, retMsg: "ok", responseID: "r", totalCount: 0, batchID: "B-1", callList: [] }
        })
      }
    ))

  it.effect("a corrupt gzip answer is a MalformedResponse", () =>
    withMock(
      (api) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(api.exportBatchCall({ userTaskID: "t-1" }))
          expect(error).toMatchObject({ _tag: "MalformedResponse" })
        }),
      { answer: () => ({ gzip: false, body: "\u001f\u008bnot really gzip" }) }
    ))

  it.effect("acceptGzip: false on the layer sends no Accept-Encoding", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          yield* api.listCall({ userTaskID: "t-1" })
          yield* api.exportBatchCall({ userTaskID: "t-1" })
          expect(recorded.map((r) => r.headers["accept-encoding"])).toEqual([undefined, undefined])
        }),
      { api: { acceptGzip: false } }
    ))

  it.effect("endpoints without documented gzip do not ask for it", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        yield* api.listOrder({ userTaskID: "t-1" })
        yield* api.listTask()
        expect(recorded.map((r) => r.headers["accept-encoding"])).toEqual([undefined, undefined])
      })
    ))

  it.effect("importBatchCall with gzip: compressed body, signature over the uncompressed JSON", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const result = yield* api.importBatchCall(
          { userTaskID: "t-1", callInfoList: { ...callbacks, callList: orders(3) } },
          { gzip: true }
        )
        expect(result).toMatchObject({ successCount: 3, batchID: "B-1" })
        const sent = recorded[0]!
        expect(sent.headers["content-encoding"]).toBe("gzip")
        expect([sent.wire[0], sent.wire[1]]).toEqual([0x1f, 0x8b])
        const json = new TextDecoder().decode(gunzipSync(sent.wire))
        expect(json).toBe(sent.body)
        expect(
          Signer.signature({
            ...mockAccount,
            body: json,
            createTs: sent.headers["createts"] ?? "",
            requestID: sent.headers["requestid"] ?? "",
            algorithm: "MD5"
          })
        ).toBe(sent.headers["sign"])
      })
    ))

  it.effect("importBatchCall is sent uncompressed by default", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        yield* api.importBatchCall({ userTaskID: "t-1", callInfoList: { ...callbacks, callList: orders(2) } })
        expect(recorded[0]!.headers["content-encoding"]).toBeUndefined()
        expect(recorded[0]!.json.callInfoList.callList).toHaveLength(2)
      })
    ))

  it.effect("gzipImport: true on the layer compresses importBatchCall only", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          yield* api.importBatchCall(
            { userTaskID: "t-1", callInfoList: { ...callbacks, callList: orders(3) } },
            { chunkSize: 2, overflow: "addBatchCall" }
          )
          expect(recorded.map((r) => [r.endpoint, r.headers["content-encoding"]])).toEqual([
            ["importBatchCall", "gzip"],
            ["addBatchCall", undefined]
          ])
        }),
      { api: { gzipImport: true } }
    ))
})

describe("answers", () => {
  it.effect("a retCode on any endpoint is its typed error", () =>
    withMock(
      (api) =>
        Effect.gen(function*() {
          expect(yield* Effect.flip(api.listTask())).toMatchObject({ _tag: "PermissionDenied", endpoint: "listTask" })
          expect(yield* Effect.flip(api.exportBatchCall({ userTaskID: "t" }))).toMatchObject({
            _tag: "BatchImportInProgress",
            endpoint: "exportBatchCall"
          })
          expect(yield* Effect.flip(api.startTask("t"))).toMatchObject({ _tag: "InvalidParameterValue", endpoint: "mgrTaskStatus" })
        }),
      {
        answer: (r) =>
          retCode(r.endpoint === "listTask" ? 6003 : r.endpoint === "exportBatchCall" ? 1001 : 4)
      }
    ))

  it.effect("mgrTaskStatus without taskStatus is a MalformedResponse naming it (documented by example)", () =>
    withMock(
      (api) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(api.startTask("t"))
          expect(error._tag).toBe("MalformedResponse")
          if (error._tag === "MalformedResponse") expect(error.description).toContain("taskStatus")
        }),
      { answer: () => ({ body: { retCode: 0, retMsg: "ok", responseID: "r", taskID: "T" } }) }
    ))
})
