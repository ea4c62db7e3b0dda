/**
 * Chunked order imports (`createAndCall`, `addBatchCall`, `importBatchCall`)
 * on a recording mock platform: how a list is split into requests, the
 * 4001 halving, concurrency, the per-request failure policy, `Stream`
 * inputs, and a property: every order is accounted for exactly once.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Fiber, Logger, Ref, Stream, TestClock } from "effect"
import { CallbotError, Models } from "../src/index.js"
import type { MockAnswer, Recorded } from "./fixtures/endpoints.js"
import { batchRequest, callbacks, createAndCall, defaultAnswer, orders, retCode, sentOrderIDs, withMock } from "./fixtures/endpoints.js"
import { uniqueId } from "./utils.js"

const sizes = (recorded: ReadonlyArray<Recorded>) => recorded.map((r) => [r.endpoint, sentOrderIDs(r).length])

/** Answers 4001 to any callList longer than `cap`. */
const capAt = (cap: number) => (request: Recorded): MockAnswer =>
  sentOrderIDs(request).length > cap ? retCode(4001, "too many elements") : defaultAnswer(request)

describe("createAndCall in chunks", () => {
  it.effect("one chunk: a single createAndCall, as before", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const result = yield* api.createAndCall(createAndCall(orders(500)))
        expect(sizes(recorded)).toEqual([["createAndCall", 500]])
        expect(result).toMatchObject({ taskID: "T-1", totalCount: 500, successCount: 500, errList: [], failures: [], requests: 1 })
      })
    ))

  it.effect("more orders than a chunk: the task is created with the first, the rest go with addBatchCall", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const list = orders(1200)
        const request = createAndCall(list)
        const result = yield* api.createAndCall(request)
        expect(sizes(recorded)).toEqual([["createAndCall", 500], ["addBatchCall", 500], ["addBatchCall", 200]])
        expect(recorded.flatMap(sentOrderIDs)).toEqual(list.map((o) => o.orderID))
        const follow = recorded[1]!.json
        expect(Object.keys(follow)).toEqual(["productID", "userTaskID", "callInfoList"])
        expect(follow).toMatchObject({ productID: "callbot", userTaskID: request.userTaskID })
        expect(Object.keys(follow.callInfoList)).toEqual(["orderCallbackUrl", "callCallbackUrl", "callList"])
        expect(result).toMatchObject({ taskID: "T-1", totalCount: 1200, successCount: 1200, requests: 3, retMsg: "success" })
      })
    ))

  it.effect("chunkSize per call overrides the layer's", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          yield* api.createAndCall(createAndCall(orders(25)), { chunkSize: 10 })
          expect(sizes(recorded)).toEqual([["createAndCall", 10], ["addBatchCall", 10], ["addBatchCall", 5]])
        }),
      { api: { chunkSize: 7 } }
    ))

  it.effect("chunkSize from the layer", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          yield* api.createAndCall(createAndCall(orders(15)))
          expect(sizes(recorded)).toEqual([["createAndCall", 7], ["addBatchCall", 7], ["addBatchCall", 1]])
        }),
      { api: { chunkSize: 7 } }
    ))

  it.effect("invalid options are an InvalidRequest naming them, nothing sent", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const e1 = yield* Effect.flip(api.createAndCall(createAndCall(orders(2)), { chunkSize: 0 }))
        expect(e1).toMatchObject({ _tag: "InvalidRequest", field: "options.chunkSize" })
        const e2 = yield* Effect.flip(api.addBatchCall(batchRequest("t", orders(2)), { concurrency: 1.5 }))
        expect(e2).toMatchObject({ _tag: "InvalidRequest", field: "options.concurrency" })
        expect(recorded).toHaveLength(0)
      })
    ))

  it.effect("client rejections keep their index in the whole list and do not count toward chunks", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const list = orders(30).map((o, i) => (i === 3 || i === 27 ? { ...o, userPhone: "+86 bad" } : o))
        const result = yield* api.createAndCall(createAndCall(list), { chunkSize: 10 })
        expect(sizes(recorded)).toEqual([["createAndCall", 10], ["addBatchCall", 10], ["addBatchCall", 8]])
        expect(result.totalCount).toBe(30)
        expect(result.successCount).toBe(28)
        expect(result.errList.map((e) => [e.orderID, e.rejectedBy])).toEqual([
          [list[3]!.orderID, "client"],
          [list[27]!.orderID, "client"]
        ])
        expect(result.errList[1]!.errMsg).toMatch(/^callList\[27\]\.userPhone: /)
      })
    ))

  it.effect("an orderID repeated across chunks of an array is rejected by the client", () =>
    withMock((api) =>
      Effect.gen(function*() {
        const list = orders(12)
        const result = yield* api.createAndCall(createAndCall([...list, { ...list[0]!, userPhone: "8613700000000" }]), {
          chunkSize: 5
        })
        expect(result.errList).toHaveLength(1)
        expect(result.errList[0]).toMatchObject({ orderID: list[0]!.orderID, rejectedBy: "client" })
        expect(result.errList[0]!.errMsg).toContain("callList[12].orderID")
      })
    ))

  it.effect("server rejections are mapped back to orderIDs chunk by chunk", () =>
    withMock(
      (api) =>
        Effect.gen(function*() {
          const list = orders(20)
          const result = yield* api.createAndCall(createAndCall(list), { chunkSize: 8 })
          expect(result.successCount).toBe(18)
          expect(result.errList.map((e) => [e.orderID, e.rejectedBy, e.errMsg])).toEqual([
            [list[5]!.orderID, "server", "blacklisted"],
            [list[17]!.orderID, "server", "blacklisted"]
          ])
        }),
      {
        answer: (request) => {
          const base = defaultAnswer(request)
          const rejected: Array<{ phone: string; errMsg: string }> = (request.json.callInfoList?.callList ?? [])
            .filter((o: { userPhone: string }) => o.userPhone.endsWith("05") || o.userPhone.endsWith("17"))
            .map((o: { userPhone: string }) => ({ phone: o.userPhone, errMsg: "blacklisted" }))
          const body = base.body as Record<string, unknown>
          const count = sentOrderIDs(request).length
          return { body: { ...body, successCount: count - rejected.length, errList: rejected } }
        }
      }
    ))
})

describe("TooManyElements (4001): halve and retry", () => {
  it.effect("the first request is halved until it fits; the rest follow at the learnt size", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const list = orders(500)
          const result = yield* api.createAndCall(createAndCall(list), { concurrency: 1 })
          expect(sizes(recorded)).toEqual([
            ["createAndCall", 500],
            ["createAndCall", 250],
            ["createAndCall", 125],
            ["createAndCall", 63],
            ["addBatchCall", 63],
            ["addBatchCall", 63],
            ["addBatchCall", 63],
            ["addBatchCall", 63],
            ["addBatchCall", 63],
            ["addBatchCall", 63],
            ["addBatchCall", 59]
          ])
          const accepted = recorded.filter((r) => sentOrderIDs(r).length <= 100).flatMap(sentOrderIDs)
          expect(accepted).toEqual(list.map((o) => o.orderID))
          expect(result).toMatchObject({ totalCount: 500, successCount: 500, errList: [], failures: [], requests: 8 })
        }),
      { answer: capAt(100) }
    ))

  it.effect("later chunks are halved too, and remember the size", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const result = yield* api.addBatchCall(batchRequest("t", orders(30)), { chunkSize: 10, concurrency: 1 })
          expect(sizes(recorded)).toEqual([
            ["addBatchCall", 10],
            ["addBatchCall", 5],
            ["addBatchCall", 5],
            ["addBatchCall", 5],
            ["addBatchCall", 5],
            ["addBatchCall", 5],
            ["addBatchCall", 5]
          ])
          expect(result).toMatchObject({ totalCount: 30, successCount: 30, requests: 6 })
        }),
      { answer: capAt(6) }
    ))

  it.effect("down to one order: a single order still refused fails like any request", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(api.addBatchCall(batchRequest("t", orders(4)), { concurrency: 1 }))
          expect(error._tag).toBe("TooManyElements")
          // 4 → 2 → 1, then every remaining single order is tried once.
          expect(sizes(recorded).map(([, n]) => n)).toEqual([4, 2, 1, 1, 1, 1])
        }),
      { answer: () => retCode(4001) }
    ))

  it.effect("a createAndCall of one order refused with 4001 fails with TooManyElements", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(api.createAndCall(createAndCall(orders(1))))
          expect(error).toBeInstanceOf(CallbotError.TooManyElements)
          expect(recorded).toHaveLength(1)
        }),
      { answer: () => retCode(4001) }
    ))
})

describe("per-request failure policy", () => {
  it.effect("after the task exists, a failed addBatchCall is reported order by order, the others go on", () =>
    withMock(
      (api) =>
        Effect.gen(function*() {
          const list = orders(30)
          const result = yield* api.createAndCall(createAndCall(list), { chunkSize: 10, concurrency: 1 })
          expect(result.taskID).toBe("T-1")
          expect(result.successCount).toBe(20)
          expect(result.totalCount).toBe(30)
          expect(result.requests).toBe(2)
          expect(result.errList.map((e) => e.orderID)).toEqual(list.slice(10, 20).map((o) => o.orderID))
          expect(result.errList.every((e) => e.rejectedBy === "request")).toBe(true)
          expect(result.errList[0]!.errMsg).toMatch(/^addBatchCall request failed: SystemBusy: /)
          expect(result.failures).toHaveLength(1)
          expect(result.failures[0]).toMatchObject({ endpoint: "addBatchCall", orders: 10, maybeImported: false })
          expect(result.failures[0]!.error).toBeInstanceOf(CallbotError.SystemBusy)
        }),
      { answer: (request, index) => (index === 1 ? retCode(7) : defaultAnswer(request)) }
    ))

  it.effect("an ambiguous failure (5001) says the orders may have been imported", () =>
    withMock(
      (api) =>
        Effect.gen(function*() {
          const result = yield* api.createAndCall(createAndCall(orders(20)), { chunkSize: 10, concurrency: 1 })
          expect(result.failures[0]).toMatchObject({ maybeImported: true })
          expect(result.errList[0]!.errMsg).toContain("may have imported it")
        }),
      { answer: (request, index) => (index === 1 ? retCode(5001) : defaultAnswer(request)) }
    ))

  it.effect("the first createAndCall failing fails the call: no task, nothing else sent", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(api.createAndCall(createAndCall(orders(30)), { chunkSize: 10 }))
          expect(error).toBeInstanceOf(CallbotError.InvalidParameterValue)
          expect(recorded).toHaveLength(1)
        }),
      { answer: () => retCode(4) }
    ))

  it.effect("addBatchCall: every request failing fails the call with the first error", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(api.addBatchCall(batchRequest("t", orders(25)), { chunkSize: 10, concurrency: 1 }))
          expect(error).toMatchObject({ _tag: "MissingSignature", retCode: 6001 })
          expect(recorded).toHaveLength(3)
        }),
      { answer: () => retCode(6001) }
    ))

  it.effect("addBatchCall: some requests failing is a result listing their orders", () =>
    withMock(
      (api) =>
        Effect.gen(function*() {
          const result = yield* api.addBatchCall(batchRequest("t", orders(25)), { chunkSize: 10, concurrency: 1 })
          expect(result).toMatchObject({ totalCount: 25, successCount: 15, requests: 2 })
          expect(result.errList).toHaveLength(10)
          expect(result.failures.map((f) => f.orders)).toEqual([10])
        }),
      { answer: (request, index) => (index === 0 ? { status: 503, body: "busy" } : defaultAnswer(request)) }
    ))
})

describe("importBatchCall in chunks", () => {
  it.effect("refuses more orders than one request by default, before sending anything", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(api.importBatchCall(batchRequest("t", orders(11)), { chunkSize: 10 }))
        expect(error).toMatchObject({ _tag: "InvalidRequest", endpoint: "importBatchCall", field: "callInfoList.callList" })
        expect(error.message).toContain("new batch")
        expect(recorded).toHaveLength(0)
      })
    ))

  it.effect("refuses a Stream that turns out longer than one request, before sending anything", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const request = { userTaskID: "t", callInfoList: { orderCallbackUrl: "http://a.test/o", callCallbackUrl: "http://a.test/c", callList: Stream.fromIterable(orders(11)) } }
        const error = yield* Effect.flip(api.importBatchCall(request, { chunkSize: 10 }))
        expect(error._tag).toBe("InvalidRequest")
        expect(recorded).toHaveLength(0)
      })
    ))

  it.effect("by default a 4001 answer is the error (no second import)", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(api.importBatchCall(batchRequest("t", orders(10))))
          expect(error._tag).toBe("TooManyElements")
          expect(recorded).toHaveLength(1)
        }),
      { answer: capAt(5) }
    ))

  it.effect("overflow: \"addBatchCall\": first chunk imported, the rest added with addBatchCall", () =>
    withMock(
      (api, recorded) =>
        Effect.gen(function*() {
          const result = yield* api.importBatchCall(batchRequest("t", orders(23)), {
            chunkSize: 10,
            overflow: "addBatchCall",
            concurrency: 1
          })
          expect(sizes(recorded)).toEqual([
            ["importBatchCall", 10],
            ["importBatchCall", 5],
            ["addBatchCall", 5],
            ["addBatchCall", 5],
            ["addBatchCall", 5],
            ["addBatchCall", 3]
          ])
          expect(result).toMatchObject({ batchID: "B-1", totalCount: 23, successCount: 23, requests: 5 })
        }),
      { answer: capAt(5) }
    ))

  it.effect("one request: the batch it started", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const result = yield* api.importBatchCall(batchRequest("t", orders(10)), { chunkSize: 10 })
        expect(sizes(recorded)).toEqual([["importBatchCall", 10]])
        expect(result).toMatchObject({ batchID: "B-1", totalCount: 10, successCount: 10 })
      })
    ))
})

describe("Stream inputs", () => {
  it.effect("orders from a Stream go out in chunks; the stream is read as it goes", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const pulled = yield* Ref.make(0)
        const list = orders(25)
        const callList = Stream.fromIterable(list).pipe(Stream.rechunk(3), Stream.tap(() => Ref.update(pulled, (n) => n + 1)))
        const result = yield* api.addBatchCall(
          { userTaskID: "t", callInfoList: { orderCallbackUrl: "http://a.test/o", callCallbackUrl: "http://a.test/c", callList } },
          { chunkSize: 10 }
        )
        expect(sizes(recorded)).toEqual([["addBatchCall", 10], ["addBatchCall", 10], ["addBatchCall", 5]])
        expect(recorded.flatMap(sentOrderIDs)).toEqual(list.map((o) => o.orderID))
        expect(yield* Ref.get(pulled)).toBe(25)
        expect(result).toMatchObject({ totalCount: 25, successCount: 25 })
      })
    ))

  it.effect("the stream's own error fails the call, typed", () =>
    withMock((api) =>
      Effect.gen(function*() {
        class SourceFailed {
          readonly _tag = "SourceFailed"
        }
        const callList = Stream.concat(Stream.fromIterable(orders(12)), Stream.fail(new SourceFailed()))
        const error = yield* Effect.flip(
          api.createAndCall({ ...createAndCall([]), callInfoList: { orderCallbackUrl: "http://a.test/o", callCallbackUrl: "http://a.test/c", callList } }, { chunkSize: 5 })
        )
        expect(error).toBeInstanceOf(SourceFailed)
      })
    ))

  it.effect("an empty stream is an InvalidRequest naming callList", () =>
    withMock((api, recorded) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(
          api.addBatchCall({ userTaskID: "t", callInfoList: { orderCallbackUrl: "http://a.test/o", callCallbackUrl: "http://a.test/c", callList: Stream.empty } })
        )
        expect(error).toMatchObject({ _tag: "InvalidRequest", field: "callInfoList.callList" })
        expect(recorded).toHaveLength(0)
      })
    ))

  it.effect("bad orders in a stream are reported with their position in the stream", () =>
    withMock((api) =>
      Effect.gen(function*() {
        const list: Array<unknown> = orders(8)
        list[6] = { orderID: "x", userPhone: "12" }
        const callList = Stream.fromIterable(list).pipe(Stream.map((o) => o as Models.CallOrderInput))
        const result = yield* api.addBatchCall(
          { userTaskID: "t", callInfoList: { orderCallbackUrl: "http://a.test/o", callCallbackUrl: "http://a.test/c", callList } },
          { chunkSize: 3 }
        )
        expect(result.successCount).toBe(7)
        expect(result.errList[0]!.errMsg).toMatch(/^callList\[6\]\.userPhone/)
      })
    ))

  it.effect("a long Stream is read as the requests go out, never collected first", () =>
    Effect.gen(function*() {
      const n = 20_000
      const pulled = yield* Ref.make(0)
      let sent = 0
      let maxAhead = 0
      const answer = (request: Recorded) =>
        Effect.map(Ref.get(pulled), (p) => {
          maxAhead = Math.max(maxAhead, p - sent)
          sent += sentOrderIDs(request).length
          return defaultAnswer(request)
        })
      const prefix = uniqueId("lazy")
      const callList = Stream.range(0, n - 1).pipe(
        Stream.tap(() => Ref.update(pulled, (x) => x + 1)),
        Stream.map((i): Models.CallOrderInput => ({ orderID: `${prefix}-${i}`, userPhone: `86150${String(i).padStart(8, "0")}` }))
      )
      const result = yield* withMock(
        (api) => api.addBatchCall({ userTaskID: "t", callInfoList: { ...callbacks, callList } }, { chunkSize: 100, concurrency: 2 }),
        { answer }
      )
      expect(result).toMatchObject({ totalCount: n, successCount: n, requests: n / 100 })
      // What was read but not yet sent stays within a few chunks (the
      // concurrent requests and their buffer), not the length of the list.
      expect(maxAhead).toBeLessThanOrEqual(20 * 100)
    }))

  it.effect("chunks run concurrently, at most `concurrency` at once", () =>
    Effect.gen(function*() {
      const inFlight = yield* Ref.make(0)
      const peak = yield* Ref.make(0)
      const answer = (request: Recorded) =>
        Effect.gen(function*() {
          const now = yield* Ref.updateAndGet(inFlight, (n) => n + 1)
          yield* Ref.update(peak, (p) => Math.max(p, now))
          yield* Effect.sleep("1 second")
          yield* Ref.update(inFlight, (n) => n - 1)
          return defaultAnswer(request)
        })
      const fiber = yield* Effect.fork(
        withMock((api) => api.addBatchCall(batchRequest("t", orders(100)), { chunkSize: 10, concurrency: 3 }), { answer })
      )
      for (let i = 0; i < 10; i++) yield* TestClock.adjust("1 second")
      const result = yield* Fiber.join(fiber)
      expect(result).toMatchObject({ successCount: 100, requests: 10 })
      expect(yield* Ref.get(peak)).toBe(3)
    }))
})

describe("warnings", () => {
  it.effect("script params without wholeTTS, and a repeated SMS intent, are each warned about once", () =>
    Effect.gen(function*() {
      const logs: Array<string> = []
      const capture = Logger.make(({ logLevel, message }) => {
        if (logLevel._tag === "Warning") logs.push(String(message))
      })
      const list = orders(30).map((o) => ({ ...o, params: [{ name: "amount", value: "10" }] }))
      yield* withMock((api) =>
        api.createAndCall(
          {
            ...createAndCall(list),
            funcFlag: {
              smsEnable: true,
              smsFuncFlag: [{ smsID: "a", intentID: ["1001"] }, { smsID: "b", intentID: ["1001", "1002"] }]
            }
          },
          { chunkSize: 10 }
        )
      ).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, capture)))
      expect(logs).toHaveLength(2)
      expect(logs[0]).toContain("smsFuncFlag repeats intentID 1001")
      expect(logs[1]).toContain("wholeTTS is false")
    }))
})

describe("property: every order is accounted for exactly once", () => {
  const scenario = fc.record({
    n: fc.integer({ min: 1, max: 120 }),
    chunkSize: fc.integer({ min: 1, max: 40 }),
    concurrency: fc.integer({ min: 1, max: 4 }),
    cap: fc.integer({ min: 1, max: 50 }),
    rejectEvery: fc.integer({ min: 2, max: 9 }),
    failRequest: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
    invalidEvery: fc.option(fc.integer({ min: 3, max: 11 }), { nil: undefined }),
    asStream: fc.boolean()
  })

  it.effect.prop("import results add up (createAndCall)", [scenario], ([s]) =>
    Effect.gen(function*() {
      const accepted: Array<string> = []
      let answered = 0
      const answer = (request: Recorded, index: number): MockAnswer => {
        const sent: Array<{ orderID: string; userPhone: string }> = request.json.callInfoList.callList
        if (sent.length > s.cap) return retCode(4001)
        if (index > 0 && index === s.failRequest) return retCode(7)
        answered++
        const rejected = sent.filter((_, i) => i % s.rejectEvery === 0)
        for (const o of sent) if (!rejected.includes(o)) accepted.push(o.orderID)
        return {
          body: {
            retCode: 0,
            retMsg: "ok",
            responseID: "r",
            taskID: "T",
            totalCount: sent.length,
            successCount: sent.length - rejected.length,
            errList: rejected.map((o) => ({ phone: o.userPhone, errMsg: "no" }))
          }
        }
      }
      const list: Array<Models.CallOrderInput> = orders(s.n).map((o, i) =>
        s.invalidEvery !== undefined && i % s.invalidEvery === 1 ? { ...o, userPhone: "bad" } : o
      )
      const request = createAndCall(list)
      const run = s.asStream
        ? withMock(
          (api) =>
            api.createAndCall(
              { ...request, callInfoList: { ...request.callInfoList, callList: Stream.fromIterable(list) } },
              { chunkSize: s.chunkSize, concurrency: s.concurrency }
            ),
          { answer }
        )
        : withMock((api) => api.createAndCall(request, { chunkSize: s.chunkSize, concurrency: s.concurrency }), { answer })
      const outcome = yield* Effect.either(run)
      if (outcome._tag === "Left") {
        // Only when nothing was imported: every order invalid, or the creating request failed.
        expect(accepted).toEqual([])
        if (outcome.left._tag === "InvalidRequest") {
          expect(list.every((o) => o.userPhone === "bad")).toBe(true)
        } else {
          expect(outcome.left._tag).toBe("SystemBusy")
        }
        return
      }
      const result = outcome.right
      expect(result.totalCount).toBe(s.n)
      expect(result.successCount).toBe(accepted.length)
      expect(result.successCount + result.errList.length).toBe(s.n)
      const reported = result.errList.map((e) => e.orderID)
      const all = [...accepted, ...reported].sort()
      expect(all).toEqual(list.map((o) => o.orderID).sort())
      expect(result.taskID).toBe("T")
      expect(new Set(all).size).toBe(s.n)
      expect(result.requests).toBe(answered)
      // Every order of a failed request is listed, and only those.
      expect(result.failures.reduce((n, f) => n + f.orders, 0)).toBe(result.errList.filter((e) => e.rejectedBy === "request").length)
      expect(result.failures.length).toBeLessThanOrEqual(1)
    }), { fastCheck: { numRuns: 60 } })
})
