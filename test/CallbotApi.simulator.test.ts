/**
 * Every endpoint against the simulator over real HTTP on 127.0.0.1: the SDK
 * builds, signs and sends; the simulator (written independently from the
 * vendor pages) validates, keeps state and answers.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import { Chunk, Effect, Layer, Stream, TestClock } from "effect"
import { CallbotApi, Models } from "../src/index.js"
import * as Simulator from "../src/Simulator.js"
import { batchRequest, callbacks, createAndCall, createTaskRequest, orders, taskCreateSetting } from "./fixtures/endpoints.js"
import { apiOnSimulator, simulatorWithApi, uniqueId } from "./utils.js"

/** Runs `f` and returns what it gave plus the requests the simulator saw meanwhile. */
const watching = <A, E, R>(f: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const sim = yield* Simulator.Simulator
    const last = (yield* sim.requests).at(-1)?.index ?? -1
    const value = yield* f
    const requests = (yield* sim.requests).filter((r) => r.index > last)
    return [value, requests] as const
  })

const simOrders = (userTaskID: string) =>
  Effect.map(Effect.flatMap(Simulator.Simulator, (sim) => sim.orders), (all) => all.filter((o) => o.userTaskID === userTaskID))

const simTask = (userTaskID: string) =>
  Effect.map(Effect.flatMap(Simulator.Simulator, (sim) => sim.tasks), (all) => all.find((t) => t.userTaskID === userTaskID))

layer(simulatorWithApi({ deliverCallbacks: false }))("every endpoint against the simulator", (it) => {
  it.effect("ping echoes data with the platform's clock", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const [answer, requests] = yield* watching(api.ping({ data: "are you there" }))
      expect(answer).toMatchObject({ code: 0, data: "are you there" })
      expect(answer.timestamp).toBeGreaterThanOrEqual(0)
      expect(answer.reqId).toMatch(/^[0-9a-f]{32}$/)
      expect(requests.map((r) => [r.endpoint, r.signatureValid, r.retCode])).toEqual([["ping", true, 0]])
    }))

  it.effect("task lifecycle: createTask → addBatchCall → start → pause → updateTask → finish", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const request = createTaskRequest({
        funcFlag: { smsEnable: true, smsFuncFlag: [{ smsID: "sms-9", intentID: ["1001"] }] },
        orderCallbackUrl: callbacks.orderCallbackUrl
      })
      const created = yield* api.createTask(request)
      const task = yield* simTask(request.userTaskID)
      expect(task).toMatchObject({ createdBy: "createTask", taskID: created.taskID, status: 1 })
      expect(task?.taskCallbackUrl).toBe(taskCreateSetting.taskCallbackUrl)
      expect(task?.orderCallbackUrl).toBe(callbacks.orderCallbackUrl)
      expect(task?.funcFlag).toMatchObject({ smsFuncFlag: [{ smsId: "sms-9", intentId: ["1001"] }] })

      const added = yield* api.addBatchCall(batchRequest(request.userTaskID, orders(5)))
      expect(added).toMatchObject({ totalCount: 5, successCount: 5, errList: [] })
      expect(yield* simOrders(request.userTaskID)).toHaveLength(5)

      expect(yield* api.startTask(request.userTaskID)).toMatchObject({ taskID: created.taskID, taskStatus: 2 })
      expect(yield* api.pauseTask(request.userTaskID)).toMatchObject({ taskStatus: 5 })
      yield* api.updateTask({
        userTaskID: request.userTaskID,
        sceneID: request.sceneID,
        taskCreateSetting: { ...taskCreateSetting, maxCall: 7, taskName: "renamed" },
        funcFlag: { phoneEncrypt: true }
      })
      const updated = yield* simTask(request.userTaskID)
      expect(updated?.taskCreateSetting).toMatchObject({ maxCall: 7, taskName: "renamed" })
      expect(updated?.funcFlag).toMatchObject({ phoneEncrypt: true })
      expect(yield* api.finishTask(request.userTaskID, { delCall: 1 })).toMatchObject({ taskStatus: 4 })
      // delCall 1: what was not dialled yet is deleted; calls already placed stay.
      const left = yield* simOrders(request.userTaskID)
      expect(left.length).toBeLessThan(5)
      expect(left.every((o) => o.attempts > 0)).toBe(true)
    }))

  it.effect("the platform's refusals come back typed: starting an ended task, adding to an unknown task", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const request = createTaskRequest()
      yield* api.createTask(request)
      yield* api.finishTask(request.userTaskID)
      expect(yield* Effect.flip(api.startTask(request.userTaskID))).toMatchObject({ _tag: "GeneralError", endpoint: "mgrTaskStatus" })
      expect(yield* Effect.flip(api.addBatchCall(batchRequest(uniqueId("none"), orders(1))))).toMatchObject({
        _tag: "InvalidParameterValue",
        endpoint: "addBatchCall"
      })
    }))

  it.effect("listTask and listTaskStream find every task of a scene, page by page", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sceneID = uniqueId("scene")
      const ids: Array<string> = []
      for (let i = 0; i < 7; i++) {
        const request = createTaskRequest({ sceneID })
        ids.push(request.userTaskID)
        yield* api.createTask(request)
      }
      const page = yield* api.listTask({ queryConditions: { sceneID }, size: 5 })
      expect(page.taskData.map((t) => t.userTaskID)).toEqual(ids.slice(0, 5))
      expect(page.taskData[0]).toMatchObject({ sceneID, taskStatus: 1 })
      expect(page.taskData[0]?.taskStat).toMatchObject({ totalOrderCount: 0 })
      const [all, requests] = yield* watching(
        Stream.runCollect(api.listTaskStream({ queryConditions: { sceneID } }, { pageSize: 3 }))
      )
      expect(Chunk.toReadonlyArray(all).map((t) => t.userTaskID)).toEqual(ids)
      expect(requests.map((r) => JSON.parse(r.body).page)).toEqual([1, 2, 3])
    }))

  it.effect("listOrder and listOrderStream: every order of a task with its (absent) last call", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const list = orders(25)
      const request = createAndCall(list)
      yield* api.createAndCall(request)
      const first = yield* api.listOrder({ userTaskID: request.userTaskID, size: 10 })
      expect(first.orderList).toHaveLength(10)
      expect(first.orderList[0]).toMatchObject({ orderID: list[0]!.orderID, userPhone: list[0]!.userPhone, finish: false })
      expect(first.orderList[0]?.callInfoDetail).toBeUndefined()
      const [all, requests] = yield* watching(
        Stream.runCollect(api.listOrderStream({ userTaskID: request.userTaskID, options: { finish: 0 } }, { pageSize: 10 }))
      )
      expect(Chunk.toReadonlyArray(all).map((o) => o.orderID)).toEqual(list.map((o) => o.orderID))
      expect(requests).toHaveLength(3)
    }))

  it.effect("stopOrder stops undialled orders and reports unknown ones", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const list = orders(4)
      const request = createAndCall(list)
      yield* api.createAndCall(request)
      const result = yield* api.stopOrder({
        userTaskID: request.userTaskID,
        orderIDs: [list[0]!.orderID, list[2]!.orderID, "no-such-order"]
      })
      expect(result).toMatchObject({ totalCount: 3, successCount: 2, failures: [] })
      expect(result.errList.map((e) => e.orderID)).toEqual(["no-such-order"])
      const states = (yield* simOrders(request.userTaskID)).map((o) => o.state)
      expect(states).toEqual(["stopped", "pending", "stopped", "pending"])
    }))

  it.effect("stopOrder with 1,100 IDs goes out in three requests", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const list = orders(1100)
      const request = createAndCall(list)
      yield* api.createAndCall(request, { chunkSize: 1100 })
      const [result, requests] = yield* watching(
        api.stopOrder({ userTaskID: request.userTaskID, orderIDs: list.map((o) => o.orderID) })
      )
      expect(requests.map((r) => JSON.parse(r.body).orderIDs.length)).toEqual([500, 500, 100])
      expect(result).toMatchObject({ totalCount: 1100, successCount: 1100, errList: [] })
    }))

  it.effect("listOrderDetail with 600 IDs: two requests, one answer in input order", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const list = orders(600)
      const request = createAndCall(list)
      yield* api.createAndCall(request, { chunkSize: 600 })
      const wanted = [...list].reverse().map((o) => o.orderID)
      const [answer, requests] = yield* watching(api.listOrderDetail({ userTaskID: request.userTaskID, orderList: wanted }))
      expect(requests.map((r) => [r.endpoint, JSON.parse(r.body).orderList.length])).toEqual([
        ["listOrderDetail", 500],
        ["listOrderDetail", 100]
      ])
      expect(answer.orderDetailList.map((d) => d.orderID)).toEqual(wanted)
      expect(answer.orderDetailList[0]).toMatchObject({ userTaskID: request.userTaskID, callInfoDetailList: [] })
    }))

  it.effect("importBatchCall starts a new batch; exportBatchCall returns it, gzip-compressed on the wire", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const request = createTaskRequest()
      yield* api.createTask(request)
      const firstBatch = yield* api.importBatchCall(batchRequest(request.userTaskID, orders(5)))
      expect(firstBatch).toMatchObject({ totalCount: 5, successCount: 5, requests: 1 })
      expect(firstBatch.batchID).toMatch(/B1$/)
      const second = orders(3)
      const secondBatch = yield* api.importBatchCall(batchRequest(request.userTaskID, second))
      expect(secondBatch.batchID).toMatch(/B2$/)
      // The undialled numbers of the previous batch are gone.
      expect((yield* simOrders(request.userTaskID)).map((o) => o.orderID)).toEqual(second.map((o) => o.orderID))

      const [exported, requests] = yield* watching(api.exportBatchCall({ userTaskID: request.userTaskID }))
      expect(exported).toMatchObject({ batchID: secondBatch.batchID, totalCount: 3 })
      expect(exported.callList.map((c) => c.orderID)).toEqual(second.map((o) => o.orderID))
      expect(requests[0]?.headers["accept-encoding"]).toBe("gzip")
    }))

  it.effect("importBatchCall with gzip: the simulator inflates the body and the signature holds", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const request = createTaskRequest()
      yield* api.createTask(request)
      const [result, requests] = yield* watching(
        api.importBatchCall(batchRequest(request.userTaskID, orders(50)), { gzip: true })
      )
      expect(result.successCount).toBe(50)
      expect(requests.map((r) => [r.endpoint, r.headers["content-encoding"], r.signatureValid])).toEqual([
        ["importBatchCall", "gzip", true]
      ])
    }))

  it.effect("importBatchCall with overflow \"addBatchCall\": one import, then addBatchCall", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const request = createTaskRequest()
      yield* api.createTask(request)
      const [result, requests] = yield* watching(
        api.importBatchCall(batchRequest(request.userTaskID, orders(10)), { chunkSize: 4, overflow: "addBatchCall" })
      )
      expect(requests.map((r) => r.endpoint)).toEqual(["importBatchCall", "addBatchCall", "addBatchCall"])
      expect(result).toMatchObject({ totalCount: 10, successCount: 10 })
      expect(yield* simOrders(request.userTaskID)).toHaveLength(10)
    }))

  it.effect("createAndCall with 1,200 orders: createAndCall then addBatchCall, every order stored once", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const list = orders(1200)
      const request = createAndCall(list)
      const [result, requests] = yield* watching(api.createAndCall(request))
      expect(requests.map((r) => [r.endpoint, r.retCode])).toEqual([["createAndCall", 0], ["addBatchCall", 0], ["addBatchCall", 0]])
      expect(result).toMatchObject({ totalCount: 1200, successCount: 1200, errList: [], requests: 3 })
      expect((yield* simOrders(request.userTaskID)).map((o) => o.orderID)).toEqual(list.map((o) => o.orderID))
    }))

  it.effect("an orderID already used is refused by the platform and mapped back", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const first = createAndCall(orders(3))
      yield* api.createAndCall(first)
      const request = createTaskRequest()
      yield* api.createTask(request)
      const reused = first.callInfoList.callList[1]!
      const result = yield* api.addBatchCall(batchRequest(request.userTaskID, [...orders(2), reused]))
      expect(result).toMatchObject({ totalCount: 3, successCount: 2 })
      expect(result.errList).toHaveLength(1)
      expect(result.errList[0]).toMatchObject({ orderID: reused.orderID, phone: reused.userPhone, rejectedBy: "server" })
      expect(result.errList[0]?.errMsg).toContain("already exists")
      expect(yield* simOrders(request.userTaskID)).toHaveLength(2)
    }))
})

layer(simulatorWithApi({ deliverCallbacks: false, maxCallListLength: 100 }))("a platform capping callList at 100", (it) => {
  it.effect("4001 halves the request until it fits, and every order goes in once", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const list = orders(300)
      const request = createAndCall(list)
      const [result, requests] = yield* watching(api.createAndCall(request, { concurrency: 1 }))
      expect(requests.map((r) => [r.endpoint, JSON.parse(r.body).callInfoList.callList.length, r.retCode])).toEqual([
        ["createAndCall", 300, 4001],
        ["createAndCall", 150, 4001],
        ["createAndCall", 75, 0],
        ["addBatchCall", 75, 0],
        ["addBatchCall", 75, 0],
        ["addBatchCall", 75, 0]
      ])
      expect(result).toMatchObject({ totalCount: 300, successCount: 300, errList: [], requests: 4 })
      expect((yield* simOrders(request.userTaskID)).map((o) => o.orderID)).toEqual(list.map((o) => o.orderID))
    }))
})

layer(simulatorWithApi({ deliverCallbacks: false }))("a 100,000-order Stream", (it) => {
  it.effect("goes out in ceil(100000 / chunkSize) requests, with every order imported", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const n = 100_000
      const chunkSize = CallbotApi.DEFAULT_CHUNK_SIZE
      const userTaskID = uniqueId("big")
      // Generated lazily: the list never exists as an array on this side.
      const callList = Stream.range(0, n - 1).pipe(
        Stream.map((i): Models.CallOrderInput => ({ orderID: `${userTaskID}-${i}`, userPhone: `86150${String(i).padStart(8, "0")}` }))
      )
      const [result, requests] = yield* watching(
        api.createAndCall({ ...createAndCall([], userTaskID), callInfoList: { ...callbacks, callList } })
      )
      expect(requests).toHaveLength(Math.ceil(n / chunkSize))
      expect(requests.filter((r) => r.endpoint === "createAndCall")).toHaveLength(1)
      expect(requests.every((r) => r.retCode === 0 && r.signatureValid)).toBe(true)
      expect(result).toMatchObject({ totalCount: n, successCount: n, errList: [], failures: [], requests: n / chunkSize })
      expect(yield* simOrders(userTaskID)).toHaveLength(n)
    }), { timeout: 60_000 })
})

describe("calls over virtual time", () => {
  // The simulator runs on the test's clock: a campaign is played with TestClock.adjust.
  const stack = apiOnSimulator().pipe(Layer.provideMerge(Simulator.layer({ deliverCallbacks: false, seed: 7 })))

  it.effect("listCall, listCallStream and listOrderDetail show the calls a campaign made", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const list = orders(6)
      const request = createAndCall(list)
      yield* api.createAndCall({
        ...request,
        taskCreateSetting: { ...taskCreateSetting, startupType: Models.StartupTypes.Immediate, maxCall: 6 }
      })
      yield* TestClock.adjust("2 hours")
      const page = yield* api.listCall({ userTaskID: request.userTaskID })
      expect(page.callList.length).toBeGreaterThanOrEqual(6)
      const first = page.callList[0]!
      expect(first.callInfoDetail?.callID).toEqual(expect.any(String))
      expect(first.callInfoDetail?.callStatus).toEqual(expect.any(Number))
      const [calls, requests] = yield* watching(
        Stream.runCollect(api.listCallStream({ userTaskID: request.userTaskID }, { pageSize: 4 }))
      )
      expect(Chunk.toReadonlyArray(calls).map((c) => c.callInfoDetail?.callID)).toEqual(
        page.callList.map((c) => c.callInfoDetail?.callID)
      )
      expect(requests.every((r) => r.headers["accept-encoding"] === "gzip")).toBe(true)
      const detail = yield* api.listOrderDetail({ userTaskID: request.userTaskID, orderList: list.map((o) => o.orderID) })
      expect(detail.orderDetailList.every((d) => d.callInfoDetailList.length >= 1)).toBe(true)
      expect(detail.orderDetailList.flatMap((d) => d.callInfoDetailList).length).toBe(page.callList.length)
      const finished = yield* api.listOrder({ userTaskID: request.userTaskID, options: { finish: 1 } })
      expect(finished.orderList.map((o) => o.orderID).sort()).toEqual(list.map((o) => o.orderID).sort())
      expect(finished.orderList.every((o) => o.callInfoDetail !== undefined)).toBe(true)
    }).pipe(Effect.provide(stack)))

  it.effect("a signed response is verified for every endpoint (verifyResponses: always)", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const request = createTaskRequest()
      yield* api.ping()
      yield* api.createTask(request)
      yield* api.importBatchCall(batchRequest(request.userTaskID, orders(2)))
      yield* api.exportBatchCall({ userTaskID: request.userTaskID })
      yield* api.listCall({ userTaskID: request.userTaskID })
      yield* api.listOrder({ userTaskID: request.userTaskID })
      yield* api.listTask()
      const sim = yield* Simulator.Simulator
      const requests = yield* sim.requests
      expect(requests).toHaveLength(7)
      expect(requests.every((r) => r.signatureValid && r.retCode === 0)).toBe(true)
    }).pipe(
      Effect.provide(
        apiOnSimulator({ verifyResponses: "always" }).pipe(Layer.provideMerge(Simulator.layer({ deliverCallbacks: false })))
      )
    ))
})
