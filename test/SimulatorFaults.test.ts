/**
 * Fault mode over real HTTP: the same seed and request sequence give the same
 * faults; each kind of fault is observable by a client and recorded; a 5001
 * burst records whether it was applied; duplicate creations are counted.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Fiber, Schema, TestClock } from "effect"
import * as Simulator from "../src/Simulator.js"
import { callInfoList, createAndCallBody, ImportAnswer, orders, post, read } from "./SimulatorSupport.js"

const decodeUserTaskID = Schema.decodeUnknownSync(Schema.parseJson(Schema.Struct({ userTaskID: Schema.String })))

const withSimulator = <A, E, R>(
  options: Simulator.Options,
  f: (sim: Simulator.Simulator) => Effect.Effect<A, E, R>
) =>
  Simulator.make({ deliverCallbacks: false, ...options }).pipe(
    Effect.flatMap(f),
    Effect.scoped,
    Effect.provide(NodeHttpClient.layerUndici)
  )

/** A fixed request sequence: pings and task creations, each answer summarised (transport errors included). */
const sequence = (sim: Simulator.Simulator, n: number) =>
  Effect.forEach(Array.from({ length: n }, (_, i) => i), (i) =>
    Effect.map(
      Effect.either(
        i % 3 === 0
          ? post(sim.baseUrl, "createAndCall", createAndCallBody(`seq-${i}`, orders(`seq-${i}`, 1)))
          : post(sim.baseUrl, "ping", { data: String(i) })
      ),
      (answer) => (Either.isLeft(answer) ? "transport error" : `${answer.right.status}/${answer.right.code}/${answer.right.signed}`)
    ))

const everyKind = {
  dropBeforeProcessing: 0.08,
  dropAfterProcessing: 0.08,
  httpStatus: 0.08,
  retCodeBurst: 0.08,
  truncatedBody: 0.08,
  badSignature: 0.08
} as const

describe("fault mode", () => {
  it.effect("is reproducible: the same seed and requests give the same faults, another seed others", () =>
    Effect.gen(function*() {
      const run = (seed: number) =>
        withSimulator({ faults: { seed, rates: everyKind } }, (sim) =>
          Effect.gen(function*() {
            const answers = yield* sequence(sim, 60)
            const requests = yield* sim.requests
            return {
              answers,
              faults: requests.map((r) => [r.index, r.fault, r.status, r.retCode, r.applied]),
              stats: yield* sim.faultStats,
              tasks: (yield* sim.tasks).map((t) => t.userTaskID)
            }
          }))
      const a = yield* run(2024)
      const b = yield* run(2024)
      const c = yield* run(2025)
      expect(a).toEqual(b)
      expect(a.faults).not.toEqual(c.faults)
      // Every kind appears in 60 requests at 8 % each, and the counters match the records.
      for (const kind of ["dropBeforeProcessing", "dropAfterProcessing", "httpStatus", "retCodeBurst", "truncatedBody", "badSignature"] as const) {
        expect(a.stats[kind], kind).toBe(a.faults.filter((f) => f[1] === kind).length)
        expect(a.stats[kind], kind).toBeGreaterThan(0)
      }
      expect(a.stats.considered).toBe(60)
      // The client saw what was recorded: a dropped connection is a transport error.
      const dropped = a.faults.filter((f) => f[1] === "dropBeforeProcessing" || f[1] === "dropAfterProcessing").length
      expect(a.answers.filter((x) => x === "transport error").length).toBe(dropped)
    }))

  it.effect("dropBeforeProcessing: the connection closes and nothing is applied", () =>
    withSimulator({ faults: { rates: { dropBeforeProcessing: 1 } } }, (sim) =>
      Effect.gen(function*() {
        const answer = yield* Effect.either(post(sim.baseUrl, "createAndCall", createAndCallBody("drop-1", orders("d1", 1))))
        expect(Either.isLeft(answer) && answer.left._tag).toBe("RequestError")
        expect(yield* sim.tasks).toEqual([])
        const [request] = yield* sim.requests
        expect(request).toMatchObject({ fault: "dropBeforeProcessing", status: 0, applied: false })
      })))

  it.effect("dropAfterProcessing: the connection closes after the work is done", () =>
    withSimulator({ faults: { rates: { dropAfterProcessing: 1 } } }, (sim) =>
      Effect.gen(function*() {
        const answer = yield* Effect.either(post(sim.baseUrl, "createAndCall", createAndCallBody("drop-2", orders("d2", 2))))
        expect(Either.isLeft(answer)).toBe(true)
        expect((yield* sim.tasks).map((t) => t.userTaskID)).toEqual(["drop-2"])
        expect((yield* sim.orders)).toHaveLength(2)
        const [request] = yield* sim.requests
        expect(request).toMatchObject({ fault: "dropAfterProcessing", status: 0, applied: true, retCode: 0 })
      })))

  it.effect("httpStatus: 5xx or 429, with Retry-After on 429 and 503, not applied", () =>
    Effect.gen(function*() {
      for (const status of [429, 503, 500, 502]) {
        yield* withSimulator(
          { faults: { rates: { httpStatus: 1 }, httpStatuses: [status], retryAfterSeconds: 7 } },
          (sim) =>
            Effect.gen(function*() {
              const answer = yield* post(sim.baseUrl, "createAndCall", createAndCallBody("st", orders("st", 1)))
              expect(answer.status).toBe(status)
              expect(answer.headers["retry-after"]).toBe(status === 429 || status === 503 ? "7" : undefined)
              expect(yield* sim.tasks).toEqual([])
            })
        )
      }
    }))

  it.effect("retCodeBurst: 5 and 7 are not applied; a 5001 records whether it was", () =>
    Effect.gen(function*() {
      yield* withSimulator({ faults: { rates: { retCodeBurst: 1 }, retCodes: [5, 7] } }, (sim) =>
        Effect.gen(function*() {
          for (let i = 0; i < 6; i++) {
            const answer = yield* post(sim.baseUrl, "createAndCall", createAndCallBody(`busy-${i}`, orders(`busy-${i}`, 1)))
            expect([5, 7]).toContain(answer.code)
            expect(answer.signed).toBe(true)
          }
          expect(yield* sim.tasks).toEqual([])
          expect((yield* sim.faultStats).retCodeBurst).toBe(6)
        }))
      yield* withSimulator(
        { faults: { seed: 3, rates: { retCodeBurst: 1 }, retCodes: [5001], internalErrorAppliedRate: 0.5 } },
        (sim) =>
          Effect.gen(function*() {
            for (let i = 0; i < 20; i++) {
              const answer = yield* post(sim.baseUrl, "createAndCall", createAndCallBody(`ie-${i}`, orders(`ie-${i}`, 1)))
              expect(answer.code).toBe(5001)
            }
            const requests = yield* sim.requests
            const applied = requests.filter((r) => r.applied).map((r) => decodeUserTaskID(r.body).userTaskID)
            expect((yield* sim.tasks).map((t) => t.userTaskID)).toEqual(applied)
            // Seed 3 gives both outcomes among 20 requests.
            expect(applied.length).toBeGreaterThan(0)
            expect(applied.length).toBeLessThan(20)
          })
      )
    }))

  it.effect("truncatedBody: half the body arrives; it neither parses nor verifies", () =>
    withSimulator({ faults: { rates: { truncatedBody: 1 } } }, (sim) =>
      Effect.gen(function*() {
        const answer = yield* post(sim.baseUrl, "ping", { data: "a fairly long pass-through value" })
        expect(answer.status).toBe(200)
        expect(answer.json).toEqual({})
        expect(answer.signed).toBe(false)
        expect(answer.text.startsWith("{\"data\":\"a fairly")).toBe(true)
        const [request] = yield* sim.requests
        expect(request).toMatchObject({ fault: "truncatedBody", applied: true })
      })))

  it.effect("badSignature: the work is done but the answer's signature does not verify", () =>
    withSimulator({ faults: { rates: { badSignature: 1 } } }, (sim) =>
      Effect.gen(function*() {
        const answer = yield* post(sim.baseUrl, "createAndCall", createAndCallBody("bad-sig", orders("bs", 1)))
        expect(answer.code).toBe(0)
        expect(answer.signed).toBe(false)
        expect((yield* sim.tasks).map((t) => t.userTaskID)).toEqual(["bad-sig"])
      })))

  it.effect("latency: the answer is delayed on the Clock", () =>
    withSimulator({ faults: { rates: { latency: 1 }, latencyMillis: 5000 } }, (sim) =>
      Effect.gen(function*() {
        const fiber = yield* Effect.fork(post(sim.baseUrl, "ping", { data: "slow" }))
        yield* TestClock.adjust("5 seconds")
        const answer = yield* Fiber.join(fiber)
        expect(answer.code).toBe(0)
        const [request] = yield* sim.requests
        expect(request).toMatchObject({ fault: "latency", latencyMillis: 5000, applied: true })
        expect((yield* sim.faultStats).latency).toBe(1)
      })))

  it.effect("can be switched on at run time and limited to some endpoints", () =>
    withSimulator({}, (sim) =>
      Effect.gen(function*() {
        expect((yield* post(sim.baseUrl, "ping", { data: "x" })).code).toBe(0)
        yield* sim.setFaults({ rates: { retCodeBurst: 1 }, retCodes: [7], endpoints: ["createAndCall"] })
        expect((yield* post(sim.baseUrl, "ping", { data: "x" })).code).toBe(0)
        expect((yield* post(sim.baseUrl, "createAndCall", createAndCallBody("x", []))).code).toBe(7)
        yield* sim.setFaults(undefined)
        expect((yield* post(sim.baseUrl, "createAndCall", createAndCallBody("x", []))).code).toBe(0)
        expect((yield* sim.requests).map((r) => r.fault)).toEqual([undefined, undefined, "retCodeBurst", undefined])
      })))
})

describe("duplicate creations", () => {
  it.effect("with duplicateOrderIDs \"accept\" a re-sent request creates everything again, and creations count it", () =>
    withSimulator({ duplicateOrderIDs: "accept" }, (sim) =>
      Effect.gen(function*() {
        const body = createAndCallBody("dup", orders("dup", 2))
        const first = yield* post(sim.baseUrl, "createAndCall", body)
        const second = yield* post(sim.baseUrl, "createAndCall", body)
        expect(first.json.taskID).not.toBe(second.json.taskID)
        const again = read(
          ImportAnswer,
          yield* post(sim.baseUrl, "addBatchCall", { productID: "callbot", userTaskID: "dup", callInfoList: callInfoList(orders("dup", 1)) })
        )
        expect(again.successCount).toBe(1)
        const creations = yield* sim.creations
        expect(creations.tasks.get("dup")).toBe(2)
        expect(creations.orders.get("dup-o0")).toBe(3)
        expect(creations.orders.get("dup-o1")).toBe(2)
        expect((yield* sim.orders).filter((o) => o.orderID === "dup-o0").map((o) => o.duplicate)).toEqual([1, 2, 3])
      })))

  it.effect("by default a re-sent userTaskID or orderID is refused, and created once", () =>
    withSimulator({}, (sim) =>
      Effect.gen(function*() {
        const body = createAndCallBody("once", orders("once", 2))
        expect((yield* post(sim.baseUrl, "createAndCall", body)).code).toBe(0)
        expect((yield* post(sim.baseUrl, "createAndCall", body)).code).toBe(4)
        const again = read(
          ImportAnswer,
          yield* post(sim.baseUrl, "addBatchCall", { productID: "callbot", userTaskID: "once", callInfoList: callInfoList(orders("once", 2)) })
        )
        expect(again).toMatchObject({ totalCount: 2, successCount: 0 })
        const creations = yield* sim.creations
        expect(creations.tasks.get("once")).toBe(1)
        expect([...creations.orders.values()]).toEqual([1, 1])
        const requests = yield* sim.requests
        expect(requests.map((r) => r.applied)).toEqual([true, false, true])
      })))
})
