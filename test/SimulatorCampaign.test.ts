/**
 * The simulated platform over virtual time: the task status machine, a whole
 * campaign under TestClock with its callbacks and statistics, scheduled
 * start, taskKeep, batch import, dial windows, update delay, callback retries
 * and reproducibility. Requests are raw signed HTTP; callbacks go to an
 * in-process handler so that TestClock alone drives everything.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Schema, TestClock } from "effect"
import * as Models from "../src/Models.js"
import * as Signer from "../src/Signer.js"
import * as Simulator from "../src/Simulator.js"
import {
  CallCallbackBody,
  callInfoList,
  createAndCallBody,
  createTaskBody,
  ExportAnswer,
  ImportAnswer,
  ListCall,
  ListOrder,
  ListOrderDetail,
  ListTask,
  OrderCallbackBody,
  orders,
  post,
  read,
  StopAnswer,
  TaskCallbackBody
} from "./SimulatorSupport.js"

const ack = JSON.stringify({ retCode: 0, retMsg: "success", responseID: "r" })

/** A simulator whose callbacks land in `received` (acknowledged unless `reply` says otherwise). */
const startSimulator = (
  options: Simulator.Options = {},
  reply: (callback: Simulator.OutgoingCallback) => Simulator.CallbackReply = () => ({ status: 200, body: ack })
) =>
  Effect.gen(function*() {
    const received: Array<Simulator.OutgoingCallback> = []
    const sim = yield* Simulator.make({
      ...options,
      callbackHandler: (callback) =>
        Effect.sync(() => {
          received.push(callback)
          return reply(callback)
        })
    })
    const call = (endpoint: string, body: Record<string, unknown>) => post(sim.baseUrl, endpoint, body)
    const op = (userTaskID: string, taskOperate: number, extra: Record<string, unknown> = {}) =>
      call("mgrTaskStatus", { productID: "callbot", userTaskID, taskOperate, ...extra })
    const task = (userTaskID: string) =>
      Effect.flatMap(sim.tasks, (tasks) => {
        const found = tasks.find((t) => t.userTaskID === userTaskID)
        return found === undefined ? Effect.dieMessage(`no task ${userTaskID}`) : Effect.succeed(found)
      })
    return { sim, received, call, op, task }
  })

const ofKind = (received: ReadonlyArray<Simulator.OutgoingCallback>, kind: Simulator.OutgoingCallback["kind"]) =>
  received.filter((c) => c.kind === kind)

const taskStatuses = (received: ReadonlyArray<Simulator.OutgoingCallback>, userTaskID: string) =>
  ofKind(received, "task")
    .map((c) => Schema.decodeUnknownSync(TaskCallbackBody)(c.body))
    .filter((c) => c.userTaskID === userTaskID)
    .map((c) => c.taskStatus)

const FixedCalls = { answerRate: 1, ringSeconds: 5, talkSeconds: 30 } as const

describe("task status machine", () => {
  it.scoped("allows start/pause/finish only from the right states; repeats are no-ops", () =>
    Effect.gen(function*() {
      const { call, op, received, task } = yield* startSimulator({ campaign: FixedCalls })
      let n = 0
      /** A task in the given status (1 pending, 2 in progress, 3 completed, 4 ended, 5 paused). */
      const reach = (status: number) =>
        Effect.gen(function*() {
          const userTaskID = `sm-${status}-${n++}`
          const count = status === 3 ? 1 : 2
          expect((yield* call("createAndCall", createAndCallBody(userTaskID, orders(userTaskID, count)))).code).toBe(0)
          if (status !== 1) expect((yield* op(userTaskID, status === 4 ? 3 : 1)).code).toBe(0)
          if (status === 5) expect((yield* op(userTaskID, 2)).code).toBe(0)
          if (status === 3) yield* TestClock.adjust("1 minute")
          expect((yield* task(userTaskID)).status).toBe(status)
          return userTaskID
        })
      // [from, operation, expected retCode, status after]
      const table: ReadonlyArray<readonly [number, number, number, number]> = [
        [1, 1, 0, 2],
        [1, 2, 1, 1],
        [1, 3, 0, 4],
        [2, 1, 0, 2],
        [2, 2, 0, 5],
        [2, 3, 0, 4],
        [5, 1, 0, 2],
        [5, 2, 0, 5],
        [5, 3, 0, 4],
        [3, 1, 1, 3],
        [3, 2, 1, 3],
        [3, 3, 1, 3],
        [4, 1, 1, 4],
        [4, 2, 1, 4],
        [4, 3, 0, 4]
      ]
      for (const [from, operation, code, to] of table) {
        const userTaskID = yield* reach(from)
        const callbacksBefore = taskStatuses(received, userTaskID).length
        const answer = yield* op(userTaskID, operation)
        const label = `${from} --${operation}--> ${to}`
        expect(answer.code, label).toBe(code)
        expect((yield* task(userTaskID)).status, label).toBe(to)
        if (code === 0) expect(answer.json.taskStatus, label).toBe(to)
        // A task callback for every change of status, none for a refusal or a repeat.
        const callbacksAfter = taskStatuses(received, userTaskID).length
        expect(callbacksAfter - callbacksBefore, label).toBe(from === to ? 0 : 1)
      }
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("updateTask only on pending or paused tasks; completed and ended tasks take no orders", () =>
    Effect.gen(function*() {
      const { call, op } = yield* startSimulator({ campaign: FixedCalls })
      const update = (userTaskID: string) =>
        call("updateTask", { productID: "callbot", userTaskID, taskCreateSetting: { maxCall: 4 } })
      const add = (userTaskID: string) =>
        call("addBatchCall", { productID: "callbot", userTaskID, callInfoList: callInfoList(orders(`${userTaskID}-x`, 1)) })

      yield* call("createAndCall", createAndCallBody("u1", orders("u1", 1)))
      expect((yield* update("u1")).code).toBe(0) // pending
      yield* op("u1", 1)
      expect((yield* update("u1")).code).toBe(1) // in progress
      yield* op("u1", 2)
      expect((yield* update("u1")).code).toBe(0) // paused
      yield* op("u1", 1)
      yield* TestClock.adjust("1 minute")
      expect((yield* update("u1")).code).toBe(1) // completed
      expect((yield* add("u1")).code).toBe(1)

      yield* call("createAndCall", createAndCallBody("u2", orders("u2", 1)))
      yield* op("u2", 3)
      expect((yield* update("u2")).code).toBe(1) // ended
      expect((yield* add("u2")).code).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("startupType 3 starts at once, 2 at startupAt, 1 waits for a start", () =>
    Effect.gen(function*() {
      const { call, task } = yield* startSimulator({ campaign: FixedCalls })
      yield* call("createAndCall", createAndCallBody("now", orders("now", 1), { setting: { startupType: 3 } }))
      yield* call("createAndCall", createAndCallBody("later", orders("later", 1), { setting: { startupType: 2, startupAt: 600 } }))
      yield* call("createAndCall", createAndCallBody("manual", orders("manual", 1)))
      expect((yield* task("now")).status).toBe(2)
      expect((yield* task("later")).status).toBe(1)
      yield* TestClock.adjust("599 seconds")
      expect((yield* task("later")).status).toBe(1)
      yield* TestClock.adjust("1 second")
      expect((yield* task("later")).statusHistory).toEqual([{ status: 1, at: 0 }, { status: 2, at: 600_000 }])
      yield* TestClock.adjust("1 hour")
      expect((yield* task("later")).status).toBe(3)
      expect((yield* task("manual")).status).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

describe("a campaign under TestClock", () => {
  it.scoped("create, update, start, pause, update, resume, stop orders, complete — callbacks and taskStat add up", () =>
    Effect.gen(function*() {
      const { call, op, received, sim, task } = yield* startSimulator({
        seed: 7,
        campaign: { answerRate: 0.5, failureRate: 0.1, ringSeconds: [2, 5], talkSeconds: [20, 40], redialDelaySeconds: 60 }
      })
      const userTaskID = "campaign"
      const base = { productID: "callbot", userTaskID }
      expect(
        (yield* call("createTask", createTaskBody(userTaskID, {
          funcFlag: {
            taskKeep: false,
            roundRedial: true,
            wholeTTS: false,
            smsEnable: true,
            smsFuncFlag: [{ smsId: "sms-interested", intentId: ["1001"], intentName: [] }]
          }
        }))).code
      ).toBe(0)
      const added = read(ImportAnswer, yield* call("addBatchCall", { ...base, callInfoList: callInfoList(orders("c", 16)) }))
      expect(added.successCount).toBe(16)
      // createTask has no maxCall: set three robots before starting.
      expect((yield* call("updateTask", { ...base, taskCreateSetting: { maxCall: 3 } })).code).toBe(0)
      expect((yield* op(userTaskID, 1)).code).toBe(0)

      yield* TestClock.adjust("60 seconds")
      expect((yield* op(userTaskID, 2)).code).toBe(0)
      const pausedAt = 60
      yield* TestClock.adjust("10 minutes")
      const whilePaused = yield* task(userTaskID)
      expect(whilePaused.activeCalls).toBe(0)
      const callsAtPause = (yield* sim.orders).flatMap((o) => o.calls)
      expect(callsAtPause.every((c) => c.callStartTs <= pausedAt)).toBe(true)

      expect((yield* call("updateTask", { ...base, taskCreateSetting: { maxCall: 2 } })).code).toBe(0)
      // Stop two orders that were never dialled, and try one that was.
      const undialled = (yield* sim.orders).filter((o) => o.userTaskID === userTaskID && o.attempts === 0)
      const dialled = (yield* sim.orders).find((o) => o.userTaskID === userTaskID && o.attempts > 0)
      expect(undialled.length).toBeGreaterThanOrEqual(2)
      const toStop = undialled.slice(-2).map((o) => o.orderID)
      const stop = read(StopAnswer, yield* call("stopOrder", { ...base, orderIDs: [...toStop, dialled?.orderID] }))
      expect(stop.successCount).toBe(2)
      expect(stop.errList.map((e) => e.orderID)).toEqual([dialled?.orderID])
      expect((yield* op(userTaskID, 1)).code).toBe(0)

      yield* TestClock.adjust("2 hours")
      const done = yield* task(userTaskID)
      expect(done.status).toBe(3)
      expect(done.statusHistory.map((h) => h.status)).toEqual([1, 2, 5, 2, 3])
      expect(taskStatuses(received, userTaskID)).toEqual([1, 2, 5, 2, 3])

      // Lists agree with each other and with taskStat.
      const calls = read(ListCall, yield* call("listCall", { ...base, options: {}, page: 1, size: 1000 })).callList
      const details = read(
        ListOrderDetail,
        yield* call("listOrderDetail", { ...base, orderList: orders("c", 16).map((o) => o.orderID) })
      ).orderDetailList
      const stat = read(ListTask, yield* call("listTask", { productID: "callbot", page: 1, size: 10, queryConditions: { userTaskID: [userTaskID] } }))
        .taskData[0]?.taskStat
      const answeredCalls = calls.filter((c) => c.callInfoDetail.callStatus === 1).length
      const answeredOrders = details.filter((o) => o.callInfoDetailList.some((c) => c.callStatus === 1)).length
      expect(stat).toEqual({
        answerOrderCount: answeredOrders,
        finishOrderCount: 16,
        totalOrderCount: 16,
        finishRate: 1,
        totalAnswerCall: answeredCalls,
        totalCall: calls.length,
        answerRate: Math.round((answeredCalls / calls.length) * 100) / 100
      })
      expect(details.every((o) => o.finish)).toBe(true)
      // The final task callback carries the same statistics.
      const lastTask = ofKind(received, "task").map((c) => Schema.decodeUnknownSync(TaskCallbackBody)(c.body)).at(-1)
      expect(lastTask?.taskStat).toEqual(stat)

      // roundRedial: an order not answered at first is dialled exactly once more; stopped orders never.
      for (const detail of details) {
        const statuses = detail.callInfoDetailList.map((c) => c.callStatus)
        if (toStop.includes(detail.orderID)) expect(statuses).toEqual([])
        else if (statuses[0] === 1) expect(statuses).toHaveLength(1)
        else expect(statuses).toHaveLength(2)
      }
      expect(answeredCalls).toBeGreaterThan(0)
      expect(calls.length).toBeGreaterThan(answeredCalls)

      // One call callback per call, one order callback per order finished by dialling.
      const callCallbacks = ofKind(received, "call").map((c) => Schema.decodeUnknownSync(CallCallbackBody)(c.body))
      expect(callCallbacks.map((c) => c.callInfoDetail.callID).sort()).toEqual(
        calls.map((c) => c.callInfoDetail.callID).sort()
      )
      const orderCallbacks = ofKind(received, "order").map((c) => Schema.decodeUnknownSync(OrderCallbackBody)(c.body))
      expect(orderCallbacks.map((c) => c.orderID).sort()).toEqual(
        details.filter((o) => !toStop.includes(o.orderID)).map((o) => o.orderID).sort()
      )
      expect(orderCallbacks.every((c) => c.finish)).toBe(true)
      // A call callback says finish=false exactly when a redial follows.
      expect(callCallbacks.filter((c) => !c.finish).length).toBe(calls.length - orderCallbacks.length)

      // Call records: the SDK's model decodes them; SMS only for the rule's intent; durations add up.
      for (const { callInfoDetail: c } of calls) {
        Schema.decodeUnknownSync(Models.CallRecord)(c)
        const interested = c.intents.some((i) => i.intentID === "1001")
        expect(c.sms.length).toBe(interested ? 1 : 0)
        if (c.callStatus === 1) {
          expect(c.callEndTs - c.callAnswerTs).toBe(c.callDuration)
          expect(c.intents).toHaveLength(1)
        } else {
          expect([c.callAnswerTs, c.callDuration, c.intents.length]).toEqual([0, 0, 0])
        }
      }
      // Never more than maxCall (3, then 2) calls at once.
      const intervals = calls.map((c) => [c.callInfoDetail.callStartTs, c.callInfoDetail.callEndTs] as const)
      const overlap = (t: number) => intervals.filter(([s, e]) => s <= t && t < e).length
      expect(Math.max(...intervals.map(([s]) => overlap(s)))).toBeLessThanOrEqual(3)
      expect(Math.max(...intervals.filter(([s]) => s > pausedAt).map(([s]) => overlap(s)))).toBeLessThanOrEqual(2)

      // Every callback is signed with the account's secret and carries no algorithm header.
      const signer = Signer.make(Simulator.testAccount)
      for (const callback of received) {
        expect(callback.headers["algorithm"]).toBeUndefined()
        yield* signer.verify({ headers: callback.headers, body: callback.body })
      }
      const deliveries = yield* sim.callbacks
      expect(deliveries).toHaveLength(received.length)
      expect(deliveries.every((d) => d.acknowledged && d.attempt === 1)).toBe(true)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("finishing with delCall deletes undialled orders and stops dialling", () =>
    Effect.gen(function*() {
      const { call, op, sim, task } = yield* startSimulator({ campaign: FixedCalls })
      yield* call("createAndCall", createAndCallBody("fin", orders("fin", 5), { setting: { maxCall: 1, startupType: 3 } }))
      yield* TestClock.adjust("40 seconds") // o0 done at 35 s, o1 dialling since 35 s
      const finished = yield* op("fin", 3, { delCall: 1 })
      expect(finished.json).toMatchObject({ retCode: 0, taskStatus: 4 })
      yield* TestClock.adjust("1 hour")
      expect((yield* task("fin")).status).toBe(4)
      // o1's call in progress ended normally; o2..o4 were never dialled and are gone.
      expect((yield* sim.orders).filter((o) => o.userTaskID === "fin").map((o) => [o.orderID, o.attempts, o.finish]))
        .toEqual([["fin-o0", 1, true], ["fin-o1", 1, true]])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("with taskKeep a task with nothing left to dial stays in progress and dials what is added later", () =>
    Effect.gen(function*() {
      const { call, task } = yield* startSimulator({ campaign: FixedCalls })
      yield* call(
        "createAndCall",
        createAndCallBody("keep", orders("keep", 1), { setting: { startupType: 3 }, flags: { taskKeep: true } })
      )
      yield* TestClock.adjust("1 hour")
      expect((yield* task("keep")).status).toBe(2)
      yield* call("addBatchCall", { productID: "callbot", userTaskID: "keep", callInfoList: callInfoList(orders("keep2", 2)) })
      yield* TestClock.adjust("1 hour")
      const kept = yield* task("keep")
      expect(kept.status).toBe(2)
      expect(kept.taskStat).toMatchObject({ totalOrderCount: 3, finishOrderCount: 3, totalCall: 3 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("an updateTask takes effect after updateTaskDelaySeconds", () =>
    Effect.gen(function*() {
      const { call, task } = yield* startSimulator({ updateTaskDelaySeconds: 300 })
      yield* call("createAndCall", createAndCallBody("delay", []))
      yield* call("updateTask", { productID: "callbot", userTaskID: "delay", taskCreateSetting: { maxCall: 7 } })
      const waiting = yield* task("delay")
      expect(waiting.taskCreateSetting.maxCall).toBe(2)
      expect(waiting.pendingUpdateAt).toBe(300_000)
      yield* TestClock.adjust("300 seconds")
      const applied = yield* task("delay")
      expect(applied.taskCreateSetting.maxCall).toBe(7)
      expect(applied.pendingUpdateAt).toBeUndefined()
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

describe("list filters", () => {
  it.scoped("listCall and listOrder filter exactly like the same predicate over the full lists", () =>
    Effect.gen(function*() {
      const { call } = yield* startSimulator({
        seed: 3,
        deliverCallbacks: false,
        campaign: { answerRate: 0.6, failureRate: 0.1, talkSeconds: [5, 120] }
      })
      const base = { productID: "callbot", userTaskID: "filters" }
      yield* call(
        "createAndCall",
        createAndCallBody("filters", orders("f", 30), { setting: { startupType: 3, maxCall: 5 }, flags: { roundRedial: true } })
      )
      yield* TestClock.adjust("5 minutes") // part of the campaign: some orders are unfinished
      const all = read(ListCall, yield* call("listCall", { ...base, options: {}, size: 1000 })).callList
      const allOrders = read(ListOrder, yield* call("listOrder", { ...base, options: {}, size: 1000 })).orderList
      expect(allOrders.some((o) => !o.finish)).toBe(true)
      expect(allOrders.some((o) => o.finish)).toBe(true)
      type Detail = (typeof all)[number]["callInfoDetail"]
      const middle = all[Math.floor(all.length / 2)]?.callInfoDetail.callStartTs ?? 0
      const filters: ReadonlyArray<readonly [string, Record<string, unknown>, (c: Detail) => boolean]> = [
        ["callStatus", { callStatus: [2, 3] }, (c) => c.callStatus === 2 || c.callStatus === 3],
        ["intentID", { intentID: ["1001", "1003"] }, (c) => c.intents.some((i) => i.intentID === "1001" || i.intentID === "1003")],
        ["intentName", { intentName: ["Wrong number"] }, (c) => c.intents.some((i) => i.intentName === "Wrong number")],
        ["intentTag", { intentTag: ["B"] }, (c) => c.intents.some((i) => i.intentTag === "B")],
        ["intentLevel", { intentLevel: [1, 2] }, (c) => c.intents.some((i) => i.intentLevel <= 2)],
        ["callDuration", { callDuration: { gt: 30, lt: 90, enable: true } }, (c) => c.callDuration > 30 && c.callDuration < 90],
        ["callDuration off", { callDuration: { gt: 30, lt: 90, enable: false } }, () => true],
        ["combined", { callStatus: [1], intentLevel: [3, 4] }, (c) => c.callStatus === 1 && c.intents.some((i) => i.intentLevel >= 3)]
      ]
      for (const [label, options, predicate] of filters) {
        const calls = read(ListCall, yield* call("listCall", { ...base, options, size: 1000 })).callList
        expect(calls.map((c) => c.callInfoDetail.callID), label).toEqual(
          all.filter((c) => predicate(c.callInfoDetail)).map((c) => c.callInfoDetail.callID)
        )
        const listed = read(ListOrder, yield* call("listOrder", { ...base, options, size: 1000 })).orderList
        // An order not dialled yet passes only when no filter is in force.
        const inForce = label !== "callDuration off"
        expect(listed.map((o) => o.orderID), label).toEqual(
          allOrders.filter((o) => o.callInfoDetail === null ? !inForce : predicate(o.callInfoDetail)).map((o) => o.orderID)
        )
      }
      const byTime = read(ListCall, yield* call("listCall", { ...base, options: { startTs: middle }, size: 1000 })).callList
      expect(byTime.map((c) => c.callInfoDetail.callID)).toEqual(
        all.filter((c) => c.callInfoDetail.callStartTs >= middle).map((c) => c.callInfoDetail.callID)
      )
      const some = all.slice(0, 3).map((c) => c.callInfoDetail.callID)
      const byId = read(ListCall, yield* call("listCall", { ...base, options: { callID: some } })).callList
      expect(byId.map((c) => c.callInfoDetail.callID)).toEqual(some)
      const unfinished = read(ListOrder, yield* call("listOrder", { ...base, options: { finish: 0 }, size: 1000 })).orderList
      expect(unfinished.map((o) => o.orderID)).toEqual(allOrders.filter((o) => !o.finish).map((o) => o.orderID))
      // Pages of 7 put together are the whole list.
      const pages = []
      for (let page = 1; page <= Math.ceil(all.length / 7) + 1; page++) {
        pages.push(...read(ListCall, yield* call("listCall", { ...base, options: {}, page, size: 7 })).callList)
      }
      expect(pages).toEqual(all)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

describe("batch import", () => {
  it.scoped("each import is a new batch; undialled orders of the previous batch go; 1001 while importing", () =>
    Effect.gen(function*() {
      const { call, sim } = yield* startSimulator({ importSeconds: 30, campaign: FixedCalls })
      const base = { productID: "callbot", userTaskID: "batch" }
      yield* call("createAndCall", createAndCallBody("batch", [], { setting: { maxCall: 1, startupType: 3 } }))
      const first = yield* call("importBatchCall", { ...base, callInfoList: callInfoList(orders("b1", 3)) })
      expect(first.code).toBe(0)
      expect(read(ImportAnswer, first).successCount).toBe(3)
      // In progress for 30 s: both batch endpoints answer 1001, and nothing is dialled yet.
      expect((yield* call("exportBatchCall", base)).code).toBe(1001)
      expect((yield* call("importBatchCall", { ...base, callInfoList: callInfoList(orders("bx", 1)) })).code).toBe(1001)
      yield* TestClock.adjust("29 seconds")
      expect((yield* call("exportBatchCall", base)).code).toBe(1001)
      expect((yield* sim.orders).every((o) => o.attempts === 0)).toBe(true)
      yield* TestClock.adjust("1 second")
      const exported = read(ExportAnswer, yield* call("exportBatchCall", base))
      expect(exported.batchID).toBe(first.json.batchID)
      expect(exported.callList.map((c) => c.orderID)).toEqual(["b1-o0", "b1-o1", "b1-o2"])

      // 30 s + 35 s: b1-o0 done, b1-o1 dialling, b1-o2 not dialled.
      yield* TestClock.adjust("36 seconds")
      const second = yield* call("importBatchCall", { ...base, callInfoList: callInfoList(orders("b2", 2)) })
      expect(second.code).toBe(0)
      expect(second.json.batchID).not.toBe(first.json.batchID)
      expect((yield* sim.orders).map((o) => [o.orderID, o.batchID === first.json.batchID ? 1 : 2])).toEqual([
        ["b1-o0", 1],
        ["b1-o1", 1],
        ["b2-o0", 2],
        ["b2-o1", 2]
      ])
      yield* TestClock.adjust("30 seconds")
      const latest = read(ExportAnswer, yield* call("exportBatchCall", base))
      expect(latest.batchID).toBe(second.json.batchID)
      expect(latest.callList.map((c) => c.orderID)).toEqual(["b2-o0", "b2-o1"])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

describe("dial windows (option dialWindows)", () => {
  it.scoped("dials only on the listed weekdays and half hours, in the task's time zone", () =>
    Effect.gen(function*() {
      const { call, sim } = yield* startSimulator({ dialWindows: true, campaign: FixedCalls })
      // Mondays 09:00–09:30 at UTC+8. The epoch is Thursday 08:00 at UTC+8.
      yield* call(
        "createAndCall",
        createAndCallBody("win", orders("win", 1), {
          setting: { startupType: 3, zoneSecond: 28800, dialAtWeekDay: "1", dialAtUpHour: "9", dialAtDownHour: "" }
        })
      )
      const mondayNine = (4 * 24 + 1) * 3600 // Thursday 08:00 + 4 days + 1 hour
      yield* TestClock.adjust(`${mondayNine - 1} seconds`)
      expect((yield* sim.orders)[0]?.attempts).toBe(0)
      yield* TestClock.adjust("1 minute")
      const [dialled] = yield* sim.orders
      expect(dialled?.calls[0]?.callStartTs).toBe(mondayNine)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

describe("callback delivery", () => {
  it.scoped("retries a callback that is not acknowledged, up to callbackAttempts", () =>
    Effect.gen(function*() {
      const { call, sim } = yield* startSimulator({ callbackAttempts: 3, callbackRetryDelayMillis: 1000 }, (callback) =>
        callback.userTaskID === "flaky" && callback.attempt === 1
          ? { status: 500, body: "" }
          : callback.userTaskID === "down"
          ? { status: 200, body: JSON.stringify({ retCode: 1 }) }
          : { status: 200, body: ack })
      yield* call("createAndCall", createAndCallBody("flaky", []))
      yield* call("createAndCall", createAndCallBody("down", []))
      yield* TestClock.adjust("10 seconds")
      const deliveries = yield* sim.awaitCallbacks(5)
      const of = (id: string) => deliveries.filter((d) => d.userTaskID === id).map((d) => [d.attempt, d.status, d.acknowledged])
      expect(of("flaky")).toEqual([[1, 500, false], [2, 200, true]])
      expect(of("down")).toEqual([[1, 200, false], [2, 200, false], [3, 200, false]])
      expect(new Set(deliveries.map((d) => d.requestID)).size).toBe(5)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

describe("reproducibility", () => {
  const runCampaign = (seed: number, timerResolutionMillis = 0) =>
    Effect.gen(function*() {
      const { call, sim } = yield* startSimulator({ seed, deliverCallbacks: false, timerResolutionMillis })
      const t0 = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      yield* call(
        "createAndCall",
        createAndCallBody("repro", orders("r", 20), { setting: { startupType: 3, maxCall: 4 }, flags: { roundRedial: true } })
      )
      yield* TestClock.adjust("3 hours")
      return (yield* sim.orders).map((o) =>
        o.calls.map((c) => [c.callStatus, c.callStartTs - t0, c.callDuration, c.intents.map((i) => i.intentID)])
      )
    }).pipe(Effect.scoped)

  it.effect("the same seed gives the same calls; another seed others", () =>
    Effect.gen(function*() {
      const a = yield* runCampaign(11)
      const b = yield* runCampaign(11)
      const c = yield* runCampaign(12)
      expect(a).toEqual(b)
      expect(a).not.toEqual(c)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("a coarse timer (timerResolutionMillis) changes no timestamp or outcome", () =>
    Effect.gen(function*() {
      expect(yield* runCampaign(11, 60_000)).toEqual(yield* runCampaign(11))
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
