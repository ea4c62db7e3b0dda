/**
 * The simulator over real HTTP, driven with raw signed requests (not the
 * SDK's CallbotApi): signatures, validation of every endpoint, and every
 * endpoint's answer.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it, layer } from "@effect/vitest"
import { Clock, Effect, Layer, Redacted, Schema, TestClock } from "effect"
import * as Models from "../src/Models.js"
import * as Simulator from "../src/Simulator.js"
import {
  callInfoList,
  createAndCallBody,
  createTaskBody,
  ExportAnswer,
  fresh,
  ImportAnswer,
  ListCall,
  ListOrder,
  ListOrderDetail,
  ListTask,
  order,
  orders,
  post,
  read,
  simPost,
  StopAnswer
} from "./SimulatorSupport.js"

const sha256Account: Simulator.Account = {
  uuid: "sim-sha256-uuid",
  secretKey: Redacted.make("sim-sha256-secret"),
  algorithm: "SHA256"
}

const SimulatorLive = Layer.merge(
  Simulator.layer({
    accounts: [Simulator.testAccount, sha256Account],
    deliverCallbacks: false,
    maxCallListLength: 5,
    maxStopOrderIDs: 5,
    maxPageSize: 50,
    campaign: { answerRate: 1, ringSeconds: 5, talkSeconds: 30 }
  }),
  NodeHttpClient.layerUndici
)

/** Creates a manual-start task with `n` orders and returns its userTaskID. */
const newTask = (n = 3, overrides: Parameters<typeof createAndCallBody>[2] = {}) =>
  Effect.gen(function*() {
    const userTaskID = fresh("task")
    const answer = yield* simPost("createAndCall", createAndCallBody(userTaskID, orders(userTaskID, n), overrides))
    expect(answer.code).toBe(0)
    return userTaskID
  })

layer(SimulatorLive)("Simulator over HTTP", (it) => {
  describe("signatures", () => {
    it.effect("answers 6001 when any signature header is missing, and applies nothing", () =>
      Effect.gen(function*() {
        for (const header of ["requestID", "uuid", "createTs", "sign"] as const) {
          const userTaskID = fresh("unsigned")
          const answer = yield* simPost("createAndCall", createAndCallBody(userTaskID, orders(userTaskID, 1)), {
            omit: [header]
          })
          expect(answer.status).toBe(200)
          expect(answer.code, header).toBe(6001)
          const sim = yield* Simulator.Simulator
          expect((yield* sim.tasks).some((t) => t.userTaskID === userTaskID)).toBe(false)
        }
      }))

    it.effect("answers 6002 for an unknown account", () =>
      Effect.gen(function*() {
        const answer = yield* simPost("ping", { data: "x" }, {
          account: { uuid: "nobody", secretKey: Redacted.make("whatever") }
        })
        expect(answer.code).toBe(6002)
        expect(answer.json.msg).toBe("account does not exist")
      }))

    it.effect("answers 6 when the body does not match the signature or the algorithm is unknown", () =>
      Effect.gen(function*() {
        const tampered = yield* simPost("ping", { data: "x" }, { signOver: "{\"data\":\"y\"}" })
        expect(tampered.code).toBe(6)
        const algorithm = yield* simPost("ping", { data: "x" }, { headers: { algorithm: "SHA-1" } })
        expect(algorithm.code).toBe(6)
        const wrongSecret = yield* simPost("ping", { data: "x" }, {
          account: { uuid: Simulator.testAccount.uuid, secretKey: Redacted.make("not-the-secret") }
        })
        expect(wrongSecret.code).toBe(6)
        const sim = yield* Simulator.Simulator
        const last = (yield* sim.requests).slice(-3)
        expect(last.map((r) => [r.signatureValid, r.applied])).toEqual([[false, false], [false, false], [false, false]])
      }))

    it.effect("accepts SHA256 signatures and signs its answer with the request's algorithm", () =>
      Effect.gen(function*() {
        const answer = yield* simPost("ping", { data: "sha" }, { account: sha256Account })
        expect(answer.code).toBe(0)
        expect(answer.signed).toBe(true)
        expect(answer.headers["algorithm"]).toBe("SHA256")
        expect(answer.headers["sign"]).toMatch(/^[0-9A-F]{64}$/)
      }))

    it.effect("answers 404 for unknown paths and methods", () =>
      Effect.gen(function*() {
        const answer = yield* simPost("noSuchEndpoint", {})
        expect(answer.status).toBe(404)
      }))
  })

  describe("validation: 2 missing, 3 format, 4 value, 4001 too many", () => {
    it.effect("rejects bad bodies of every endpoint with the vendor's codes and changes nothing", () =>
      Effect.gen(function*() {
        const userTaskID = yield* newTask(2)
        const base = { productID: "callbot", userTaskID }
        const six = orders("six", 6)
        const setting = createAndCallBody("x", []).taskCreateSetting
        const cases: ReadonlyArray<readonly [string, unknown, number, string]> = [
          ["ping", {}, 2, "ping without data"],
          ["ping", { data: 1 }, 3, "ping data not a string"],
          ["createTask", { ...createTaskBody(fresh("ct")), userTaskID: undefined }, 2, "createTask without userTaskID"],
          ["createTask", { ...createTaskBody(fresh("ct")), taskCreateSetting: "x" }, 3, "createTask settings not an object"],
          ["createTask", createTaskBody(fresh("ct"), { productID: "other" }), 4, "productID not callbot"],
          [
            "createTask",
            { ...createTaskBody(fresh("ct")), funcFlag: { smsFuncFlag: [{ intentId: [] }] } },
            2,
            "createTask sms rule without smsId"
          ],
          [
            "createAndCall",
            { ...createAndCallBody(fresh("cc"), []), taskCreateSetting: { ...setting, maxCall: undefined } },
            2,
            "createAndCall without maxCall"
          ],
          [
            "createAndCall",
            { ...createAndCallBody(fresh("cc"), []), taskCreateSetting: { ...setting, maxCall: "2" } },
            3,
            "maxCall as a string"
          ],
          [
            "createAndCall",
            createAndCallBody(fresh("cc"), [], { setting: { dialAtWeekDay: "1,8" } }),
            4,
            "weekday 8"
          ],
          [
            "createAndCall",
            createAndCallBody(fresh("cc"), [], { setting: { taskCallbackUrl: "string" } }),
            4,
            "callback URL not a URL"
          ],
          ["createAndCall", createAndCallBody(fresh("cc"), [], { setting: { startupType: 2 } }), 4, "scheduled without startupAt"],
          ["createAndCall", createAndCallBody(fresh("cc"), [], { setting: { maxCall: 0 } }), 4, "maxCall 0"],
          ["createAndCall", createAndCallBody(fresh("cc"), [], { flags: { taskKeep: "no" } }), 3, "taskKeep not a boolean"],
          ["createAndCall", createAndCallBody(fresh("cc"), six), 4001, "six orders over a cap of five"],
          ["createAndCall", createAndCallBody(userTaskID, []), 4, "userTaskID already exists"],
          ["addBatchCall", base, 2, "addBatchCall without callInfoList"],
          ["addBatchCall", { ...base, callInfoList: { ...callInfoList([]), callList: {} } }, 3, "callList not an array"],
          ["addBatchCall", { ...base, userTaskID: "no-such-task", callInfoList: callInfoList([]) }, 4, "unknown task"],
          ["addBatchCall", { ...base, callInfoList: callInfoList(six) }, 4001, "too many orders"],
          ["mgrTaskStatus", base, 2, "no taskOperate"],
          ["mgrTaskStatus", { ...base, taskOperate: "1" }, 3, "taskOperate as a string"],
          ["mgrTaskStatus", { ...base, taskOperate: 4 }, 4, "taskOperate 4"],
          ["mgrTaskStatus", { ...base, taskOperate: 1, delCall: 2 }, 4, "delCall 2"],
          ["updateTask", { productID: "callbot" }, 2, "updateTask without userTaskID"],
          ["updateTask", { ...base, taskCreateSetting: 5 }, 3, "settings not an object"],
          ["updateTask", { ...base, taskCreateSetting: { maxCall: 0 } }, 4, "maxCall 0"],
          ["listTask", { productID: "callbot", size: 10, queryConditions: {} }, 2, "listTask without page"],
          ["listTask", { productID: "callbot", page: 1, size: "x", queryConditions: {} }, 3, "size not an integer"],
          ["listTask", { productID: "callbot", page: 1, size: 0, queryConditions: {} }, 4, "size 0"],
          ["listTask", { productID: "callbot", page: 1, size: 51, queryConditions: {} }, 4, "size over the cap"],
          ["listTask", { productID: "callbot", page: 1, size: 10 }, 2, "no queryConditions"],
          [
            "listTask",
            { productID: "callbot", page: 1, size: 10, queryConditions: { taskStatus: "x" } },
            3,
            "taskStatus not an array"
          ],
          ["listCall", { ...base, page: 1, size: 10 }, 2, "listCall without options"],
          ["listCall", { ...base, options: { callID: "x" } }, 3, "callID not an array"],
          ["listCall", { ...base, options: {}, page: 0, size: 10 }, 4, "page 0"],
          ["listOrder", { ...base }, 2, "listOrder without options"],
          ["listOrder", { ...base, options: { orderID: [1] } }, 3, "orderID not strings"],
          ["listOrder", { ...base, options: { finish: 2 } }, 4, "finish 2"],
          ["stopOrder", base, 2, "stopOrder without orderIDs"],
          ["stopOrder", { ...base, orderIDs: "x" }, 3, "orderIDs not an array"],
          ["stopOrder", { ...base, orderIDs: [], delCall: 5 }, 4, "delCall 5"],
          ["stopOrder", { ...base, orderIDs: ["1", "2", "3", "4", "5", "6"] }, 4001, "six IDs over a cap of five"],
          ["listOrderDetail", base, 2, "no orderList"],
          ["listOrderDetail", { ...base, orderList: [1] }, 3, "orderList not strings"],
          ["listOrderDetail", { ...base, userTaskID: "no-such-task", orderList: [] }, 4, "unknown task"],
          [
            "listOrderDetail",
            { ...base, orderList: Array.from({ length: 501 }, (_, i) => `o${i}`) },
            4001,
            "501 order IDs"
          ],
          ["exportBatchCall", { productID: "callbot" }, 2, "exportBatchCall without userTaskID"],
          ["exportBatchCall", { productID: "callbot", userTaskID: 5 }, 3, "userTaskID a number"],
          ["exportBatchCall", { productID: "callbot", userTaskID: "no-such-task" }, 4, "unknown task"],
          [
            "importBatchCall",
            { ...base, callInfoList: { orderCallbackUrl: "http://127.0.0.1:9/o", callList: [] } },
            2,
            "no callCallbackUrl"
          ],
          [
            "importBatchCall",
            { ...base, callInfoList: { ...callInfoList([]), callCallbackUrl: "ftp://x" } },
            4,
            "callback URL not http(s)"
          ],
          ["importBatchCall", { ...base, callInfoList: "x" }, 3, "callInfoList not an object"],
          ["importBatchCall", { ...base, callInfoList: callInfoList(six) }, 4001, "too many orders"]
        ]
        const sim = yield* Simulator.Simulator
        const before = (yield* sim.tasks).length
        for (const [endpoint, body, code, label] of cases) {
          const answer = yield* simPost(endpoint, body)
          expect(answer.code, label).toBe(code)
          expect(answer.signed, label).toBe(true)
          expect(typeof (answer.json.retMsg ?? answer.json.msg), label).toBe("string")
          const last = (yield* sim.requests).at(-1)
          expect(last?.applied, label).toBe(false)
        }
        expect((yield* sim.tasks).length).toBe(before)
        const orderIDs = (yield* sim.orders).filter((o) => o.userTaskID === userTaskID).map((o) => o.orderID)
        expect(orderIDs).toHaveLength(2)
      }))

    it.effect("answers 3 to a body that is not a JSON object", () =>
      Effect.gen(function*() {
        expect((yield* simPost("listTask", null, { raw: "{not json" })).code).toBe(3)
        expect((yield* simPost("listTask", null, { raw: "[1,2]" })).code).toBe(3)
      }))

    it.effect("reports orders it cannot import in errList, imports the rest", () =>
      Effect.gen(function*() {
        const userTaskID = fresh("errlist")
        const callList = [
          order(`${userTaskID}-a`, 1),
          order(`${userTaskID}-b`, 2, { userPhone: "+86 138 0000" }),
          order(`${userTaskID}-a`, 3),
          { orderID: `${userTaskID}-c`, userPhone: "8613800000004" },
          order(`${userTaskID}-d`, 5, { params: [{ name: "x", value: 1 }] })
        ]
        const answer = yield* simPost("createAndCall", createAndCallBody(userTaskID, callList))
        expect(answer.code).toBe(0)
        const result = read(ImportAnswer, answer)
        expect(result.totalCount).toBe(5)
        expect(result.successCount).toBe(1)
        expect(result.errList.map((e) => e.phone)).toEqual([
          "+86 138 0000",
          "8613800000003",
          "8613800000004",
          "8613800000005"
        ])
        expect(result.errList[1]?.errMsg).toContain("already exists")
        expect(result.errList[2]?.errMsg).toContain("missing parameter: other")
        expect(result.errList[3]?.errMsg).toContain("params[0].value")
      }))
  })

  describe("every endpoint's happy path", () => {
    it.effect("ping echoes data in its own envelope", () =>
      Effect.gen(function*() {
        const answer = yield* simPost("ping", { data: "hello" })
        expect(answer.json).toMatchObject({ data: "hello", code: 0, msg: "success" })
        expect(typeof answer.json.reqId).toBe("string")
        expect(typeof answer.json.timestamp).toBe("number")
        expect(answer.json.retCode).toBeUndefined()
        expect(answer.signed).toBe(true)
      }))

    it.effect("createTask accepts the vendor's createTask spelling and creates a pending task", () =>
      Effect.gen(function*() {
        const userTaskID = fresh("ct")
        const answer = yield* simPost("createTask", createTaskBody(userTaskID))
        expect(answer.code).toBe(0)
        expect(typeof answer.json.taskID).toBe("string")
        const sim = yield* Simulator.Simulator
        const task = (yield* sim.tasks).find((t) => t.userTaskID === userTaskID)
        expect(task).toMatchObject({
          taskID: answer.json.taskID,
          status: 1,
          createdBy: "createTask",
          taskCallbackUrl: "http://127.0.0.1:9/task",
          orderCallbackUrl: "http://127.0.0.1:9/order"
        })
        // The vendor's createTask example uses startupType 0: read as a manual start.
        const zero = yield* simPost("createTask", {
          ...createTaskBody(fresh("ct0")),
          taskCreateSetting: { startupType: 0 }
        })
        expect(zero.code).toBe(0)
      }))

    it.effect("addBatchCall adds orders to a task created with createTask", () =>
      Effect.gen(function*() {
        const userTaskID = fresh("abc")
        yield* simPost("createTask", createTaskBody(userTaskID))
        const answer = yield* simPost("addBatchCall", {
          productID: "callbot",
          userTaskID,
          callInfoList: callInfoList([...orders(userTaskID, 3), order(`${userTaskID}-o0`, 9)])
        })
        expect(answer.code).toBe(0)
        expect(read(ImportAnswer, answer)).toMatchObject({ totalCount: 4, successCount: 3 })
        const sim = yield* Simulator.Simulator
        const mine = (yield* sim.orders).filter((o) => o.userTaskID === userTaskID)
        expect(mine.map((o) => [o.orderID, o.state, o.callCallbackUrl])).toEqual(
          [0, 1, 2].map((i) => [`${userTaskID}-o${i}`, "pending", "http://127.0.0.1:9/call"])
        )
      }))

    it.effect("createAndCall, mgrTaskStatus, updateTask, listTask, listCall, listOrder, listOrderDetail, stopOrder", () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const userTaskID = yield* newTask(4, { setting: { maxCall: 1, taskName: "Spring campaign" } })
        const task = (yield* sim.tasks).find((t) => t.userTaskID === userTaskID)
        expect(task?.status).toBe(1)

        const started = yield* simPost("mgrTaskStatus", { productID: "callbot", userTaskID, taskOperate: 1 })
        expect(started.json).toMatchObject({ retCode: 0, taskID: task?.taskID, taskStatus: 2 })
        // One robot (maxCall 1): one call at a time, 35 s each (5 ring + 30 talk).
        yield* TestClock.adjust("36 seconds")

        const base = { productID: "callbot", userTaskID }
        const calls = read(ListCall, yield* simPost("listCall", { ...base, options: {}, page: 1, size: 10 }))
        expect(calls.callList).toHaveLength(1)
        const first = calls.callList[0]
        expect(first).toMatchObject({ orderID: `${userTaskID}-o0`, finish: true, userTaskID, taskID: task?.taskID })
        expect(Schema.decodeUnknownSync(Models.CallRecord)(first?.callInfoDetail).callStatus).toBe(1)

        const listOrders = read(ListOrder, yield* simPost("listOrder", { ...base, options: {}, page: 1, size: 10 }))
        expect(listOrders.orderList.map((o) => [o.orderID, o.finish, o.callInfoDetail?.callStatus ?? null])).toEqual([
          [`${userTaskID}-o0`, true, 1],
          [`${userTaskID}-o1`, false, null],
          [`${userTaskID}-o2`, false, null],
          [`${userTaskID}-o3`, false, null]
        ])
        const finished = read(ListOrder, yield* simPost("listOrder", { ...base, options: { finish: 1 } }))
        expect(finished.orderList.map((o) => o.orderID)).toEqual([`${userTaskID}-o0`])
        const byId = read(ListOrder, yield* simPost("listOrder", { ...base, options: { orderID: [`${userTaskID}-o2`] } }))
        expect(byId.orderList.map((o) => o.orderID)).toEqual([`${userTaskID}-o2`])

        const detail = read(
          ListOrderDetail,
          yield* simPost("listOrderDetail", { ...base, orderList: [`${userTaskID}-o0`, `${userTaskID}-o1`, "unknown"] })
        )
        expect(detail.orderDetailList.map((o) => [o.orderID, o.callInfoDetailList.length])).toEqual([
          [`${userTaskID}-o0`, 1],
          [`${userTaskID}-o1`, 0]
        ])

        // o1 is being dialled now; o3 is not dialled yet.
        const stop = read(
          StopAnswer,
          yield* simPost("stopOrder", { ...base, orderIDs: [`${userTaskID}-o3`, `${userTaskID}-o0`, "nope"] })
        )
        expect(stop.totalCount).toBe(3)
        expect(stop.successCount).toBe(1)
        expect(stop.errList.map((e) => e.orderID)).toEqual([`${userTaskID}-o0`, "nope"])

        const paused = yield* simPost("mgrTaskStatus", { ...base, taskOperate: 2 })
        expect(paused.json.taskStatus).toBe(5)
        const updated = yield* simPost("updateTask", {
          ...base,
          sceneID: "scene-1",
          taskCreateSetting: { maxCall: 3, taskName: "Spring campaign (2)" },
          funcFlag: { roundRedial: true }
        })
        expect(updated.code).toBe(0)
        const after = (yield* sim.tasks).find((t) => t.userTaskID === userTaskID)
        expect(after?.taskCreateSetting).toMatchObject({ maxCall: 3, taskName: "Spring campaign (2)", zoneSecond: 28800 })
        expect(after?.funcFlag).toMatchObject({ roundRedial: true, taskKeep: false })

        const tasks = read(
          ListTask,
          yield* simPost("listTask", {
            productID: "callbot",
            page: 1,
            size: 10,
            queryConditions: { taskName: ["campaign (2)"], taskStatus: [5], sceneID: "scene-1" }
          })
        )
        expect(tasks.taskData.map((t) => t.userTaskID)).toEqual([userTaskID])
        const stat = tasks.taskData[0]?.taskStat
        expect(stat).toEqual({
          answerOrderCount: 1,
          finishOrderCount: 2,
          totalOrderCount: 4,
          finishRate: 0.5,
          totalAnswerCall: 1,
          totalCall: 1,
          answerRate: 1
        })
      }))

    it.effect("listTask pages through tasks, oldest first", () =>
      Effect.gen(function*() {
        const ids = [yield* newTask(0), yield* newTask(0), yield* newTask(0)]
        const page = (n: number) =>
          Effect.map(
            simPost("listTask", { productID: "callbot", page: n, size: 2, queryConditions: { userTaskID: ids } }),
            (answer) => read(ListTask, answer).taskData.map((t) => t.userTaskID)
          )
        expect([...(yield* page(1)), ...(yield* page(2))]).toEqual(ids)
        expect(yield* page(3)).toEqual([])
      }))

    it.effect("reads a gzip-compressed request body (signed uncompressed)", () =>
      Effect.gen(function*() {
        const userTaskID = yield* newTask(0)
        const body = { productID: "callbot", userTaskID, callInfoList: callInfoList(orders(`${userTaskID}-gz`, 2)) }
        const answer = yield* simPost("importBatchCall", body, { gzip: true })
        expect(answer.code).toBe(0)
        expect(read(ImportAnswer, answer).successCount).toBe(2)
        const sim = yield* Simulator.Simulator
        expect((yield* sim.requests).at(-1)?.body).toBe(JSON.stringify(body))
        const garbage = yield* simPost("ping", { data: "x" }, { headers: { "content-encoding": "gzip" } })
        expect(garbage.code).toBe(3)
      }))

    it.effect("importBatchCall creates a batch and exportBatchCall returns it (gzip when asked)", () =>
      Effect.gen(function*() {
        const userTaskID = yield* newTask(1)
        const base = { productID: "callbot", userTaskID }
        const imported = yield* simPost("importBatchCall", { ...base, callInfoList: callInfoList(orders(`${userTaskID}-b1`, 2)) })
        expect(imported.code).toBe(0)
        expect(read(ImportAnswer, imported)).toMatchObject({ totalCount: 2, successCount: 2 })
        const batchID = imported.json.batchID
        expect(typeof batchID).toBe("string")
        const exported = yield* simPost("exportBatchCall", base, { headers: { "accept-encoding": "gzip" } })
        expect(exported.headers["content-encoding"]).toBe("gzip")
        expect(exported.signed).toBe(true)
        const batch = read(ExportAnswer, exported)
        expect(batch.batchID).toBe(batchID)
        expect(batch.totalCount).toBe(2)
        expect(batch.callList.map((c) => [c.orderID, c.callID, c.callStatus])).toEqual([
          [`${userTaskID}-b1-o0`, "", 0],
          [`${userTaskID}-b1-o1`, "", 0]
        ])
      }))
  })
})

describe("Simulator options", () => {
  it.scoped("rejects a createTs outside maxClockSkewSeconds with 6", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.make({ maxClockSkewSeconds: 60, deliverCallbacks: false })
      const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      const late = yield* post(sim.baseUrl, "ping", { data: "x" }, { createTs: String(now + 3600) })
      expect(late.code).toBe(6)
      const onTime = yield* post(sim.baseUrl, "ping", { data: "x" }, { createTs: String(now + 30) })
      expect(onTime.code).toBe(0)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
