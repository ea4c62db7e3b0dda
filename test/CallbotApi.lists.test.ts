/**
 * Paged lists as streams, and the calls the SDK splits (`listOrderDetail`,
 * `stopOrder`), on a recording mock platform.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Either, Stream } from "effect"
import type { MockAnswer, Recorded } from "./fixtures/endpoints.js"
import { defaultAnswer, retCode, withMock } from "./fixtures/endpoints.js"

/** A platform holding `total` tasks / orders / calls, paged as asked. */
const paged = (total: number, failOnPage?: number) => (request: Recorded): MockAnswer => {
  const { page, size } = request.json
  if (page === failOnPage) return retCode(7)
  const from = (page - 1) * size
  const ids = Array.from({ length: Math.max(0, Math.min(size, total - from)) }, (_, i) => `id-${from + i}`)
  const ok = { retCode: 0, retMsg: "ok", responseID: `r-${page}` }
  switch (request.endpoint) {
    case "listTask":
      return {
        body: {
          ...ok,
          taskData: ids.map((id) => ({ userTaskID: id, taskID: `T${id}`, sceneID: "s", taskStatus: 1, createTs: 1, taskStat: null }))
        }
      }
    case "listOrder":
      return { body: { ...ok, orderList: ids.map((orderID) => ({ orderID, userPhone: "86138", callInfoDetail: null })) } }
    case "listCall":
      return { body: { ...ok, callList: ids.map((orderID) => ({ orderID, callInfoDetail: { callID: `c-${orderID}` } })) } }
    default:
      return defaultAnswer(request)
  }
}

const pagesAsked = (recorded: ReadonlyArray<Recorded>) => recorded.map((r) => [r.json.page, r.json.size])

describe("list streams", () => {
  it.effect("listTaskStream walks pages until a short one", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const tasks = yield* Stream.runCollect(api.listTaskStream({ queryConditions: { sceneID: "s" } }, { pageSize: 3 }))
          expect(Chunk.toReadonlyArray(tasks).map((t) => t.userTaskID)).toEqual(
            Array.from({ length: 10 }, (_, i) => `id-${i}`)
          )
          expect(pagesAsked(recorded)).toEqual([[1, 3], [2, 3], [3, 3], [4, 3]])
          expect(recorded[0]!.json).toEqual({ productID: "callbot", page: 1, size: 3, queryConditions: { sceneID: "s" } })
        }),
      { answer: paged(10) }
    ))

  it.effect("a last page that is exactly full costs one more (empty) page", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const orders = yield* Stream.runCollect(api.listOrderStream({ userTaskID: "t" }, { pageSize: 3 }))
          expect(Chunk.size(orders)).toBe(6)
          expect(pagesAsked(recorded)).toEqual([[1, 3], [2, 3], [3, 3]])
        }),
      { answer: paged(6) }
    ))

  it.effect("page size from the layer, default 100", () =>
    Effect.gen(function*() {
      yield* withMock(
        (api, recorded) =>
          Effect.map(Stream.runDrain(api.listCallStream({ userTaskID: "t" })), () => expect(pagesAsked(recorded)).toEqual([[1, 100]])),
        { answer: paged(5) }
      )
      yield* withMock(
        (api, recorded) =>
          Effect.map(Stream.runDrain(api.listCallStream({ userTaskID: "t" })), () =>
            expect(pagesAsked(recorded)).toEqual([[1, 2], [2, 2], [3, 2]])),
        { answer: paged(5), api: { pageSize: 2 } }
      )
    }))

  it.effect("listCallStream asks for gzip on every page", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const calls = yield* Stream.runCollect(api.listCallStream({ userTaskID: "t" }, { pageSize: 2 }))
          expect(Chunk.toReadonlyArray(calls).map((c) => c.callInfoDetail?.callID)).toEqual(["c-id-0", "c-id-1", "c-id-2"])
          expect(recorded.map((r) => r.headers["accept-encoding"])).toEqual(["gzip", "gzip"])
        }),
      { answer: paged(3) }
    ))

  it.effect("a page failing ends the stream with the typed error, after the pages before it", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const seen: Array<string> = []
          const outcome = yield* Effect.either(
            Stream.runForEach(api.listOrderStream({ userTaskID: "t" }, { pageSize: 2 }), (order) =>
              Effect.sync(() => seen.push(order.orderID)))
          )
          expect(Either.isLeft(outcome) && outcome.left._tag).toBe("SystemBusy")
          expect(seen).toEqual(["id-0", "id-1"])
          expect(pagesAsked(recorded)).toEqual([[1, 2], [2, 2]])
        }),
      { answer: paged(10, 2) }
    ))

  it.effect("taking a few items stops asking for pages", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const first = yield* Stream.runCollect(Stream.take(api.listTaskStream({}, { pageSize: 5 }), 7))
          expect(Chunk.size(first)).toBe(7)
          expect(pagesAsked(recorded)).toEqual([[1, 5], [2, 5]])
        }),
      { answer: paged(1000) }
    ))

  it.effect("invalid input fails the stream before any request", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const outcome = yield* Effect.either(Stream.runDrain(api.listOrderStream({ userTaskID: "" })))
        expect(Either.isLeft(outcome) && outcome.left).toMatchObject({ _tag: "InvalidRequest", field: "userTaskID" })
        const badSize = yield* Effect.either(Stream.runDrain(api.listTaskStream({}, { pageSize: -1 })))
        expect(Either.isLeft(badSize) && badSize.left).toMatchObject({ _tag: "InvalidRequest", field: "size" })
        expect(recorded).toHaveLength(0)
      })
    ))
})

describe("listOrderDetail: any number of order IDs", () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `o-${i}`)

  it.effect("splits into requests of at most 500 and merges the answers in input order", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const wanted = ids(1234)
          const answer = yield* api.listOrderDetail({ userTaskID: "t", orderList: wanted })
          expect(recorded.map((r) => r.json.orderList.length)).toEqual([500, 500, 234])
          expect(recorded.flatMap((r) => r.json.orderList)).toEqual(wanted)
          expect(answer.orderDetailList.map((d) => d.orderID)).toEqual(wanted)
          expect(answer.orderDetailList[0]!.callInfoDetailList).toEqual([])
          expect(answer.responseID).toBe("resp-1")
        }),
      { api: { concurrency: 3 } }
    ))

  it.effect("500 IDs are one request", () =>
    withMock((api, recorded) =>
      Effect.map(api.listOrderDetail({ userTaskID: "t", orderList: ids(500) }), () => expect(recorded).toHaveLength(1))
    ))

  it.effect("an empty list or a blank ID is refused before sending", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        expect(yield* Effect.flip(api.listOrderDetail({ userTaskID: "t", orderList: [] }))).toMatchObject({
          _tag: "InvalidRequest",
          field: "orderList"
        })
        expect(yield* Effect.flip(api.listOrderDetail({ userTaskID: "t", orderList: ["a", " "] }))).toMatchObject({
          _tag: "InvalidRequest",
          field: "orderList[1]"
        })
        expect(recorded).toHaveLength(0)
      })
    ))

  it.effect("read-only: any request failing fails the call", () =>
    withMock(
      (api) =>
        Effect.map(Effect.flip(api.listOrderDetail({ userTaskID: "t", orderList: ids(1001) })), (error) =>
          expect(error._tag).toBe("ServerMaintenance")),
      { answer: (request, index) => (index === 1 ? retCode(5) : defaultAnswer(request)) }
    ))
})

describe("stopOrder: any number of order IDs", () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `o-${i}`)

  it.effect("splits into requests of at most 500 and sums the counters", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const result = yield* api.stopOrder({ userTaskID: "t", orderIDs: ids(1100), delCall: 1 })
          expect(recorded.map((r) => [r.json.orderIDs.length, r.json.delCall])).toEqual([[500, 1], [500, 1], [100, 1]])
          expect(result).toMatchObject({ totalCount: 1100, successCount: 1097, failures: [] })
          expect(result.errList).toEqual([
            { orderID: "o-0", errMsg: "already dialled" },
            { orderID: "o-500", errMsg: "already dialled" },
            { orderID: "o-1000", errMsg: "already dialled" }
          ])
        }),
      {
        answer: (request) => {
          const orderIDs: Array<string> = request.json.orderIDs
          return {
            body: {
              retCode: 0,
              retMsg: "ok",
              responseID: "r",
              totalCount: orderIDs.length,
              successCount: orderIDs.length - 1,
              errList: [{ orderID: orderIDs[0], errMsg: "already dialled" }]
            }
          }
        }
      }
    ))

  it.effect("a failed request: its order IDs are listed with the reason, the others stopped", () =>
    withMock(
      (api) =>
        Effect.gen(function*() {
          const result = yield* api.stopOrder({ userTaskID: "t", orderIDs: ids(1100) }, { concurrency: 1 })
          expect(result.successCount).toBe(600)
          expect(result.errList).toHaveLength(500)
          expect(result.errList[0]).toEqual({
            orderID: "o-500",
            errMsg: "stopOrder request failed: HttpStatusError: stopOrder: HTTP 404"
          })
          expect(result.failures).toHaveLength(1)
          expect(result.failures[0]).toMatchObject({ endpoint: "stopOrder", orders: 500, maybeImported: false })
        }),
      { answer: (request, index) => (index === 1 ? { status: 404, body: "nope" } : defaultAnswer(request)) }
    ))

  it.effect("every request failing fails the call with the first error", () =>
    withMock(
      (api) => Effect.map(Effect.flip(api.stopOrder({ userTaskID: "t", orderIDs: ids(3) })), (e) => expect(e._tag).toBe("AccountNotFound")),
      { answer: () => retCode(6002) }
    ))
})
