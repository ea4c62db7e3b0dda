/**
 * `resume: true` over real HTTP against the simulator: what a resumed
 * import sends, looks up and reports; the hint without it; validation and
 * `dedupe: "phone"` rejections; the fault mode; the simulator's count of
 * orders sent again.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Either, Layer, Stream } from "effect"
import { CallbotApi, CallbotError, RetryPolicy } from "../src/index.js"
import type * as Endpoints from "../src/Endpoints.js"
import * as Simulator from "../src/Simulator.js"
import { apiOnSimulator, createAndCallRequest, simulatorWithApi } from "./utils.js"

/** The orderIDs each import request of the simulator's log carried, from index `from` on. */
const sentSince = (from: number) =>
  Effect.flatMap(Simulator.Simulator, (sim) =>
    Effect.map(sim.requests, (requests) =>
      requests.filter((r) =>
        r.index >= from && (r.endpoint === "createAndCall" || r.endpoint === "addBatchCall")
      ).flatMap((r): Array<string> => JSON.parse(r.body).callInfoList.callList.map((o: { orderID: string }) => o.orderID))
    ))

const endpointsSince = (from: number) =>
  Effect.flatMap(Simulator.Simulator, (sim) =>
    Effect.map(sim.requests, (requests) => requests.filter((r) => r.index >= from).map((r) => r.endpoint)))

const nextIndex = Effect.flatMap(Simulator.Simulator, (sim) => Effect.map(sim.requests, (r) => (r.at(-1)?.index ?? -1) + 1))

const heldIDs = (userTaskID: string) =>
  Effect.flatMap(Simulator.Simulator, (sim) =>
    Effect.map(sim.orders, (orders) => orders.filter((o) => o.userTaskID === userTaskID).map((o) => o.orderID)))

/** The first `n` orders of a request: what a run killed after `n` would have left. */
const prefix = (request: Endpoints.CreateAndCallInput, n: number): Endpoints.CreateAndCallInput => ({
  ...request,
  callInfoList: { ...request.callInfoList, callList: request.callInfoList.callList.slice(0, n) }
})

const addBatch = (request: Endpoints.CreateAndCallInput): Endpoints.AddBatchCallInput => ({
  userTaskID: request.userTaskID,
  callInfoList: request.callInfoList
})

describe("resume", () => {
  layer(simulatorWithApi({ deliverCallbacks: false }, { retry: RetryPolicy.none }))("over HTTP", (it) => {
    it.effect("resume of a finished import sends no order: one listTask, one listOrderDetail per 500 orders", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const request = createAndCallRequest(1200)
        yield* api.createAndCall(request)
        const from = yield* nextIndex
        const result = yield* api.createAndCall(request, { resume: true })
        expect(yield* sentSince(from)).toEqual([])
        expect(yield* endpointsSince(from)).toEqual(["listTask", "listOrderDetail", "listOrderDetail", "listOrderDetail"])
        expect(result).toMatchObject({ totalCount: 1200, successCount: 1200, alreadyImported: 1200, requests: 0 })
        expect(result.errList).toEqual([])
        expect(result.taskID).not.toBe("")
        const sim = yield* Simulator.Simulator
        const creations = yield* sim.creations
        expect(creations.tasks.get(request.userTaskID)).toBe(1)
        expect([...creations.resent.values()]).toEqual([])
      }))

    it.effect("resume of a task that was never created creates it and looks no order up", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const request = createAndCallRequest(30)
        const from = yield* nextIndex
        const result = yield* api.createAndCall(request, { resume: true, chunkSize: 10 })
        expect(yield* endpointsSince(from)).toEqual(["listTask", "createAndCall", "addBatchCall", "addBatchCall"])
        expect(result).toMatchObject({ totalCount: 30, successCount: 30, alreadyImported: 0 })
        expect((yield* heldIDs(request.userTaskID)).length).toBe(30)
      }))

    it.effect("resume of a half-done createAndCall sends exactly the orders the platform does not hold, with addBatchCall", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const request = createAndCallRequest(50)
        yield* api.createAndCall(prefix(request, 23))
        const from = yield* nextIndex
        const result = yield* api.createAndCall(request, { resume: true, chunkSize: 10, concurrency: 2 })
        const ids = request.callInfoList.callList.map((o) => o.orderID)
        expect([...(yield* sentSince(from))].sort()).toEqual(ids.slice(23).sort())
        expect((yield* endpointsSince(from)).filter((e) => e === "createAndCall")).toEqual([])
        expect(result).toMatchObject({ totalCount: 50, successCount: 50, alreadyImported: 23, errList: [] })
        expect([...(yield* heldIDs(request.userTaskID))].sort()).toEqual([...ids].sort())
      }))

    it.effect("addBatchCall with resume sends only the orders the task does not hold (a Stream)", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const request = createAndCallRequest(40)
        const list = request.callInfoList.callList
        yield* api.createAndCall(prefix(request, 1))
        yield* api.addBatchCall(addBatch({ ...request, callInfoList: { ...request.callInfoList, callList: list.slice(20, 30) } }))
        const from = yield* nextIndex
        const result = yield* api.addBatchCall(
          { ...addBatch(request), callInfoList: { ...request.callInfoList, callList: Stream.fromIterable(list) } },
          { resume: true, chunkSize: 8 }
        )
        const expected = [...list.slice(1, 20), ...list.slice(30)].map((o) => o.orderID)
        expect([...(yield* sentSince(from))].sort()).toEqual([...expected].sort())
        expect(result).toMatchObject({ totalCount: 40, successCount: 40, alreadyImported: 11, errList: [] })
      }))

    it.effect("without resume, a createAndCall whose userTaskID exists fails and says that { resume: true } continues", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const request = createAndCallRequest(5)
        yield* api.createAndCall(prefix(request, 2))
        const error = yield* Effect.flip(api.createAndCall(request))
        expect(error).toBeInstanceOf(CallbotError.InvalidParameterValue)
        expect(error.message).toContain("{ resume: true }")
        expect(error.message).toContain("already exists")
      }))

    it.effect("a createAndCall refused with 4 for another reason gets no resume hint", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode: 4, retMsg: "bad maxRingTime" }), {
          endpoint: "createAndCall"
        })
        const error = yield* Effect.flip(api.createAndCall(createAndCallRequest(2)))
        expect(error).toBeInstanceOf(CallbotError.InvalidParameterValue)
        expect(error.message).not.toContain("resume")
      }))

    it.effect("an order rejected by validation in the first run is rejected again the same way on resume", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const base = createAndCallRequest(6)
        const list = base.callInfoList.callList.map((o, i) => (i === 2 ? { ...o, userPhone: "12ab" } : o))
        const request = { ...base, callInfoList: { ...base.callInfoList, callList: list } }
        const first = yield* api.createAndCall(request)
        const from = yield* nextIndex
        const again = yield* api.createAndCall(request, { resume: true })
        expect(first.errList).toHaveLength(1)
        expect(again.errList).toEqual(first.errList)
        expect(again).toMatchObject({ totalCount: 6, successCount: 5, alreadyImported: 5 })
        expect(yield* sentSince(from)).toEqual([])
      }))

    it.effect("a chunk whose lookup fails for good is reported failed, maybe imported, and none of it is sent", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        const request = createAndCallRequest(30)
        yield* api.createAndCall(prefix(request, 1))
        yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode: 7, retMsg: "busy" }), { endpoint: "listOrderDetail" })
        const from = yield* nextIndex
        const result = yield* api.createAndCall(request, { resume: true, chunkSize: 10, concurrency: 1 })
        const ids = request.callInfoList.callList.map((o) => o.orderID)
        expect(yield* sentSince(from)).toEqual(ids.slice(10))
        expect(result).toMatchObject({ totalCount: 30, successCount: 20, alreadyImported: 0 })
        expect(result.failures).toHaveLength(1)
        expect(result.failures[0]).toMatchObject({ endpoint: "listOrderDetail", orders: 10, maybeImported: true })
        expect(result.errList.map((e) => [e.orderID, e.rejectedBy, e.maybeImported])).toEqual(
          ids.slice(0, 10).map((id) => [id, "request", true])
        )
      }))

    it.effect("dedupe: \"phone\" rejects a second order with a phone already in the list, across chunks of a Stream", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const base = createAndCallRequest(12)
        const list = base.callInfoList.callList.map((o, i) => (i === 9 ? { ...o, userPhone: base.callInfoList.callList[1]!.userPhone } : o))
        const streamed = { ...base, callInfoList: { ...base.callInfoList, callList: Stream.fromIterable(list) } }
        const result = yield* api.createAndCall(streamed, { dedupe: "phone", chunkSize: 4 })
        expect(result).toMatchObject({ totalCount: 12, successCount: 11 })
        expect(result.errList).toHaveLength(1)
        expect(result.errList[0]).toMatchObject({ orderID: list[9]!.orderID, rejectedBy: "client" })
        expect(result.errList[0]!.errMsg).toContain("duplicate phone")
        expect(yield* heldIDs(base.userTaskID)).not.toContain(list[9]!.orderID)
      }))

    it.effect("without dedupe two orders with the same phone are both sent (orderIDs stay the key)", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const base = createAndCallRequest(3)
        const list = base.callInfoList.callList.map((o) => ({ ...o, userPhone: base.callInfoList.callList[0]!.userPhone }))
        const result = yield* api.createAndCall({ ...base, callInfoList: { ...base.callInfoList, callList: list } })
        expect(result).toMatchObject({ totalCount: 3, successCount: 3, errList: [] })
      }))

    it.effect("importBatchCall refuses resume before anything is sent", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const request = createAndCallRequest(2)
        const from = yield* nextIndex
        // A JavaScript caller (or a cast) can pass it: the type leaves it out.
        const untyped: { readonly resume: boolean; readonly chunkSize: number } = { resume: true, chunkSize: 10 }
        const error = yield* Effect.flip(api.importBatchCall(addBatch(request), untyped))
        expect(error).toMatchObject({ _tag: "InvalidRequest", field: "options.resume" })
        expect(yield* endpointsSince(from)).toEqual([])
      }))

    it.effect("the simulator counts each attempt to send an orderID it already holds", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        const request = createAndCallRequest(4)
        yield* api.createAndCall(request)
        const again = yield* api.addBatchCall(addBatch(request))
        expect(again.successCount).toBe(0)
        const creations = yield* sim.creations
        for (const order of request.callInfoList.callList) {
          expect(creations.resent.get(order.orderID)).toBe(1)
          expect(creations.orders.get(order.orderID)).toBe(1)
        }
      }))
  })

  layer(
    apiOnSimulator({
      retry: RetryPolicy.make({ maxAttempts: 3, baseDelay: "1 millis", maxDelay: "2 millis" })
    }).pipe(Layer.provideMerge(Simulator.layer({ deliverCallbacks: false }))),
    { excludeTestServices: true }
  )("with retries", (it) => {
    it.effect("a lookup answered 5001 is retried like every read and its chunk is then sent", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        const request = createAndCallRequest(20)
        yield* api.createAndCall(prefix(request, 5))
        yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode: 5001, retMsg: "oops" }), {
          endpoint: "listOrderDetail",
          times: 2
        })
        const result = yield* api.createAndCall(request, { resume: true, chunkSize: 10, concurrency: 1 })
        expect(result).toMatchObject({ totalCount: 20, successCount: 20, alreadyImported: 5, errList: [], failures: [] })
      }))
  })
})

describe("resume under faults", () => {
  // 20 % of requests get one of the exclusive kinds (evenly), and latency comes on top of some.
  const exclusive = Simulator.faultKinds.filter((kind) => kind !== "latency")
  const rates = { ...Object.fromEntries(exclusive.map((kind) => [kind, 0.2 / exclusive.length])), latency: 0.1 }
  layer(
    apiOnSimulator({
      retry: RetryPolicy.make({ maxAttempts: 10, baseDelay: "2 millis", maxDelay: "20 millis", deadline: "30 seconds" }),
      timeout: "5 seconds"
    }).pipe(Layer.provideMerge(Simulator.layer({ deliverCallbacks: false, duplicateOrderIDs: "accept" }))),
    { excludeTestServices: true }
  )("20 % faults", (it) => {
    it.effect("resume under 20 % faults of every kind: each order held exactly once, none sent twice", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        const tasks = Array.from({ length: 6 }, () => createAndCallRequest(500))
        // The crashed runs: each left a prefix of its list (without faults, so each task exists).
        yield* Effect.forEach(tasks, (request, i) => api.createAndCall(prefix(request, 60 * (i + 1))), { concurrency: 3 })
        yield* sim.setFaults({ seed: 20261201, rates, latencyMillis: [1, 20], retryAfterSeconds: 0, maxBurst: 3 })
        const results = yield* Effect.forEach(
          tasks,
          (request) => Effect.either(api.createAndCall(request, { resume: true, chunkSize: 25, concurrency: 4 })),
          { concurrency: 3 }
        )
        const stats = yield* sim.faultStats
        yield* sim.setFaults(undefined)
        const creations = yield* sim.creations
        const ids = tasks.flatMap((t) => t.callInfoList.callList.map((o) => o.orderID))
        const notOnce = ids.filter((id) => creations.orders.get(id) !== 1)
        const resent = ids.reduce((n, id) => n + (creations.resent.get(id) ?? 0), 0)
        yield* Effect.logInfo(`resume under faults: ${JSON.stringify({ stats, resent, notOnce: notOnce.length })}`)
        expect(results.every(Either.isRight)).toBe(true)
        for (const [i, outcome] of results.entries()) {
          expect(Either.getOrThrow(outcome)).toMatchObject({ totalCount: 500, successCount: 500, alreadyImported: 60 * (i + 1) })
        }
        expect(notOnce).toEqual([])
        expect(resent).toBe(0)
        for (const kind of Simulator.faultKinds) expect([kind, stats[kind]]).not.toEqual([kind, 0])
      }), { timeout: 120_000 })
  })
})
