/**
 * The in-memory test kit: `CallbotApi` backed by the simulator's engine
 * without sockets, callbacks delivered in memory (here to the SDK's own
 * receiver), campaigns under TestClock, faults surfacing as client errors.
 *
 * The base URL's host (`callbot.simulator.test`) is in a reserved TLD that
 * never resolves, so a request that touched the network would fail.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer, Ref, Schema, TestClock } from "effect"
import { CallbotApi, Callback, CallbotError, Models, Signer } from "../src/index.js"
import * as Testing from "../src/Testing.js"
import { createAndCallBody, ListCall, orders, post, read } from "./SimulatorSupport.js"

const createAndCallInput = (userTaskID: string, n: number, startupType: 1 | 3 = 3) => ({
  userTaskID,
  sceneID: "scene-1",
  taskCreateSetting: {
    startupType,
    zoneSecond: 28800,
    dialAtWeekDay: "1,2,3,4,5,6,7",
    dialAtUpHour: "9",
    dialAtDownHour: "9",
    maxRingTime: 20,
    maxCall: 2,
    taskName: "in memory",
    taskCallbackUrl: "https://receiver.example/task"
  },
  callInfoList: {
    orderCallbackUrl: "https://receiver.example/order",
    callCallbackUrl: "https://receiver.example/call",
    callList: Array.from({ length: n }, (_, i) => ({
      orderID: `${userTaskID}-o${i}`,
      userPhone: `8613900000${String(i).padStart(3, "0")}`
    }))
  }
})

describe("Testing.layer", () => {
  it.effect("gives CallbotApi backed by the in-memory platform", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Testing.SimulatorState
      expect(sim.baseUrl).toBe(Testing.BASE_URL)
      const pong = yield* api.ping({ data: "in memory" })
      expect(pong.data).toBe("in memory")
      const created = yield* api.createAndCall(createAndCallInput("mem-1", 3, 1))
      expect(created.successCount).toBe(3)
      const [task] = yield* sim.tasks
      expect(task).toMatchObject({ userTaskID: "mem-1", taskID: created.taskID, status: 1 })
      const requests = yield* sim.requests
      expect(requests.map((r) => [r.endpoint, r.signatureValid, r.applied])).toEqual([
        ["ping", true, true],
        ["createAndCall", true, true]
      ])
    }).pipe(Effect.provide(Testing.layer())))

  it.effect("a campaign runs under TestClock and its callbacks reach the SDK's receiver in memory", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<ReadonlyArray<string>>([])
      const receiver = Callback.httpApp({
        task: (callback) => Ref.update(seen, (xs) => [...xs, `task ${callback.taskStatus}`]),
        order: (callback) => Ref.update(seen, (xs) => [...xs, `order ${callback.orderID}`]),
        call: (callback) => Ref.update(seen, (xs) => [...xs, `call ${callback.orderID}`])
      })
      const TestLayer = Testing.layer({
        seed: 5,
        campaign: { answerRate: 1, ringSeconds: 3, talkSeconds: 40 },
        onCallback: Testing.callbackReceiver(receiver)
      }).pipe(Layer.provide(Signer.layer(Testing.testAccount)))

      yield* Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Testing.SimulatorState
        yield* api.createAndCall(createAndCallInput("mem-2", 3))
        yield* TestClock.adjust("10 minutes")
        const [task] = yield* sim.tasks
        expect(task?.status).toBe(3)
        expect(task?.taskStat).toMatchObject({ totalOrderCount: 3, finishOrderCount: 3, totalCall: 3, answerRate: 1 })
        const deliveries = yield* sim.callbacks
        // created (in progress), completed; three calls; three orders — all verified and acknowledged by the receiver.
        expect(deliveries).toHaveLength(8)
        expect(deliveries.every((d) => d.acknowledged)).toBe(true)
        const log = yield* Ref.get(seen)
        expect(log.filter((x) => x.startsWith("task"))).toEqual(["task 2", "task 3"])
        expect(log.filter((x) => x.startsWith("call")).sort()).toEqual(["call mem-2-o0", "call mem-2-o1", "call mem-2-o2"])
        expect(log.filter((x) => x.startsWith("order")).sort()).toEqual(["order mem-2-o0", "order mem-2-o1", "order mem-2-o2"])
      }).pipe(Effect.provide(TestLayer))
    }))

  it.effect("a receiver that refuses a callback sees it again (retries on the Clock)", () =>
    Effect.gen(function*() {
      const receiver = Callback.httpApp(() => Effect.void)
      // The receiver verifies with the wrong secret: every attempt is refused.
      const TestLayer = Testing.layer({ callbackAttempts: 2, onCallback: Testing.callbackReceiver(receiver) }).pipe(
        Layer.provide(Signer.layer({ uuid: Testing.testAccount.uuid, secretKey: Testing.testAccount.secretKey, algorithm: "SHA256" }))
      )
      yield* Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Testing.SimulatorState
        yield* api.createAndCall(createAndCallInput("mem-3", 1, 1))
        yield* TestClock.adjust("1 second")
        const deliveries = yield* sim.awaitCallbacks(2)
        expect(deliveries.map((d) => [d.attempt, d.status, d.acknowledged])).toEqual([[1, 401, false], [2, 401, false]])
      }).pipe(Effect.provide(TestLayer))
    }))

  it.effect("faults surface as the client errors the network would give", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Testing.SimulatorState
      const dropped = yield* Effect.either(api.ping({ data: "x" }))
      expect(Either.isLeft(dropped) && dropped.left._tag).toBe("TransportError")
      yield* sim.setFaults({ rates: { httpStatus: 1 }, httpStatuses: [503] })
      const unavailable = yield* Effect.either(api.ping({ data: "x" }))
      expect(Either.isLeft(unavailable) && unavailable.left._tag).toBe("HttpStatusError")
      yield* sim.setFaults(undefined)
      yield* sim.script(Testing.ScriptedAnswer.RetCode({ retCode: 7 }))
      const busy = yield* Effect.either(api.createAndCall(createAndCallInput("mem-4", 1)))
      expect(Either.isLeft(busy) && busy.left._tag).toBe("SystemBusy")
      expect((yield* sim.requests).map((r) => r.fault)).toEqual(["dropBeforeProcessing", "httpStatus", undefined])
    }).pipe(Effect.provide(Testing.layer({ faults: { rates: { dropBeforeProcessing: 1 } } }))))
})

describe("Testing.layerHttpClient", () => {
  it.effect("serves raw signed requests in memory, gzip included", () =>
    Effect.gen(function*() {
      const sim = yield* Testing.SimulatorState
      const created = yield* post(sim.baseUrl, "createAndCall", createAndCallBody("raw-1", orders("raw-1", 2), {
        setting: { startupType: 3 }
      }))
      expect(created.code).toBe(0)
      expect(created.signed).toBe(true)
      yield* TestClock.adjust("1 hour")
      const calls = yield* post(sim.baseUrl, "listCall", { productID: "callbot", userTaskID: "raw-1", options: {} }, {
        headers: { "accept-encoding": "gzip" }
      })
      expect(calls.headers["content-encoding"]).toBe("gzip")
      expect(calls.signed).toBe(true)
      const list = read(ListCall, calls).callList
      expect(list.length).toBeGreaterThanOrEqual(2)
      Schema.decodeUnknownSync(Schema.Array(Models.CallRecord))(list.map((c) => c.callInfoDetail))
    }).pipe(Effect.provide(Testing.layerHttpClient.pipe(Layer.provideMerge(Testing.layerState())))))

  it.effect("a dropped connection is a transport error with ECONNRESET", () =>
    Effect.gen(function*() {
      const sim = yield* Testing.SimulatorState
      const answer = yield* Effect.either(post(sim.baseUrl, "ping", { data: "x" }))
      expect(Either.isLeft(answer) && answer.left._tag).toBe("RequestError")
      const cause = Either.isLeft(answer) && answer.left._tag === "RequestError" ? answer.left.cause : undefined
      expect(cause).toMatchObject({ code: "ECONNRESET" })
      expect((yield* sim.requests)[0]).toMatchObject({ fault: "dropAfterProcessing", applied: true })
    }).pipe(
      Effect.provide(Testing.layerHttpClient.pipe(
        Layer.provideMerge(Testing.layerState({ faults: { rates: { dropAfterProcessing: 1 } } }))
      ))
    ))
})

describe("a mock CallbotApi (the pattern in docs/testing.md)", () => {
  // Code under test: starts tasks and reports which ones the platform was too busy for.
  const startAll = (ids: ReadonlyArray<string>) =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      return yield* Effect.forEach(ids, (id) =>
        api.startTask(id).pipe(
          Effect.as(`${id}: started`),
          Effect.catchTag("SystemBusy", () => Effect.succeed(`${id}: busy`))
        ))
    })

  const CallbotApiMock = Layer.mock(CallbotApi.CallbotApi, {
    startTask: (userTaskID) =>
      userTaskID === "busy"
        ? Effect.fail(CallbotError.fromRetCode({ retCode: 7, retMsg: "system busy", responseID: "test" }))
        : Effect.succeed({ retCode: 0, retMsg: "success", responseID: "test", taskID: `T-${userTaskID}`, taskStatus: 2 })
  })

  it.effect("replaces the service with a partial implementation", () =>
    Effect.gen(function*() {
      expect(yield* startAll(["a", "busy"])).toEqual(["a: started", "busy: busy"])
    }).pipe(Effect.provide(CallbotApiMock)))
})
