/**
 * A whole campaign through the SDK, under TestClock: create, start, pause,
 * update, resume, stop some orders, finish — with every callback delivered
 * (in memory) to the SDK's own receiver, verified and decoded, and checked
 * against what the platform's lists say afterwards.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Layer, Ref, Stream, TestClock } from "effect"
import { Callback, CallbotApi, Models, Signer } from "../src/index.js"
import * as Testing from "../src/Testing.js"

const ORDERS = 40
const userTaskID = "campaign-1"

const setting = {
  startupType: Models.StartupTypes.Manual,
  zoneSecond: 28800,
  dialAtWeekDay: [1, 2, 3, 4, 5, 6, 7],
  dialAtUpHour: [9],
  dialAtDownHour: [9],
  maxRingTime: 20,
  maxCall: 2,
  taskName: "whole campaign",
  taskCallbackUrl: "https://receiver.example/task"
} as const

interface Received {
  readonly task: Array<Callback.TaskCallback>
  readonly order: Array<Callback.OrderCallback>
  readonly call: Array<Callback.CallCallback>
}

describe("a whole campaign under TestClock", () => {
  it.effect("create, start, pause, update, resume, stop some orders, finish: the callbacks match the lists", () =>
    Effect.gen(function*() {
      const received = yield* Ref.make<Received>({ task: [], order: [], call: [] })
      const receiver = Callback.httpApp({
        task: (cb) => Ref.update(received, (r) => ({ ...r, task: [...r.task, cb] })),
        order: (cb) => Ref.update(received, (r) => ({ ...r, order: [...r.order, cb] })),
        call: (cb) => Ref.update(received, (r) => ({ ...r, call: [...r.call, cb] }))
      })
      const Platform = Testing.layer({
        seed: 11,
        campaign: { answerRate: 0.6, ringSeconds: [2, 6], talkSeconds: [20, 60], redialDelaySeconds: 30 },
        onCallback: Testing.callbackReceiver(receiver)
      }).pipe(Layer.provide(Signer.layer(Testing.testAccount)))

      yield* Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const taskStatuses = Effect.map(Ref.get(received), (r) => r.task.map((t) => t.taskStatus))

        // create: manual start, so the task waits
        const created = yield* api.createAndCall({
          userTaskID,
          sceneID: "scene-1",
          taskCreateSetting: setting,
          funcFlag: { roundRedial: true },
          callInfoList: {
            orderCallbackUrl: "https://receiver.example/order",
            callCallbackUrl: "https://receiver.example/call",
            callList: Array.from({ length: ORDERS }, (_, i) => ({
              orderID: `${userTaskID}-o${i}`,
              userPhone: `86139${String(i).padStart(8, "0")}`
            }))
          }
        })
        expect(created.successCount).toBe(ORDERS)
        yield* TestClock.adjust("1 minute")
        expect((yield* api.listCall({ userTaskID })).callList).toEqual([])

        // start, let it dial a while
        expect((yield* api.startTask(userTaskID)).taskStatus).toBe(Models.TaskStatuses.InProgress)
        yield* TestClock.adjust("3 minutes")
        const callsBeforePause = (yield* Ref.get(received)).call.length
        expect(callsBeforePause).toBeGreaterThan(0)

        // pause: calls in progress end, no new dials
        expect((yield* api.pauseTask(userTaskID)).taskStatus).toBe(Models.TaskStatuses.Paused)
        yield* TestClock.adjust("5 minutes")
        const callsWhilePaused = (yield* Ref.get(received)).call.length
        yield* TestClock.adjust("30 minutes")
        expect((yield* Ref.get(received)).call.length).toBe(callsWhilePaused)

        // update while paused: more robots
        yield* api.updateTask({
          userTaskID,
          sceneID: "scene-1",
          taskCreateSetting: { ...setting, maxCall: 4 },
          funcFlag: { roundRedial: true }
        })

        // stop three orders that were never dialled
        const undialled = yield* api.listOrderStream({ userTaskID }).pipe(
          Stream.filter((o) => o.finish !== true && o.callInfoDetail === undefined),
          Stream.map((o) => o.orderID),
          Stream.take(3),
          Stream.runCollect,
          Effect.map(Chunk.toReadonlyArray)
        )
        expect(undialled).toHaveLength(3)
        const stopped = yield* api.stopOrder({ userTaskID, orderIDs: undialled })
        expect(stopped).toMatchObject({ totalCount: 3, successCount: 3, errList: [] })

        // resume, then finish the task after a while
        expect((yield* api.startTask(userTaskID)).taskStatus).toBe(Models.TaskStatuses.InProgress)
        yield* TestClock.adjust("2 minutes")
        expect((yield* api.finishTask(userTaskID)).taskStatus).toBe(Models.TaskStatuses.Ended)
        yield* TestClock.adjust("10 minutes") // calls in progress end, their callbacks arrive

        // --- what the receiver got vs what the platform lists ---------------
        const got = yield* Ref.get(received)
        expect(yield* taskStatuses).toEqual([1, 2, 5, 2, 4])

        const calls = yield* api.listCallStream({ userTaskID }, { pageSize: 7 }).pipe(Stream.runCollect)
        const listedCallIDs = Chunk.toReadonlyArray(calls).map((c) => c.callInfoDetail?.callID).sort()
        expect(got.call.map((c) => c.callInfoDetail.callID).sort()).toEqual(listedCallIDs)
        expect(new Set(listedCallIDs).size).toBe(listedCallIDs.length)

        const orders = Chunk.toReadonlyArray(yield* api.listOrderStream({ userTaskID }, { pageSize: 5 }).pipe(Stream.runCollect))
        expect(orders).toHaveLength(ORDERS)
        // An order callback for every order that finished by dialling; stopped ones have none.
        const finishedByDialling = orders.filter((o) => o.finish === true && o.callInfoDetail !== undefined)
        expect(got.order.map((o) => o.orderID).sort()).toEqual(finishedByDialling.map((o) => o.orderID).sort())
        for (const id of undialled) {
          expect(orders.find((o) => o.orderID === id)).toMatchObject({ finish: true })
          expect(got.call.some((c) => c.orderID === id)).toBe(false)
        }
        // Each order's last call (listOrder) is the last call callback received for it.
        for (const order of orders.filter((o) => o.callInfoDetail !== undefined)) {
          const last = got.call.filter((c) => c.orderID === order.orderID).at(-1)
          expect(last?.callInfoDetail.callID).toBe(order.callInfoDetail?.callID)
        }

        // listTask's taskStat adds up to the callbacks received. The last task
        // callback (the finish) was a snapshot: calls in progress then ended
        // afterwards, so its counters can only be lower.
        const listed = (yield* api.listTask({ queryConditions: { userTaskID: [userTaskID] } })).taskData[0]
        const stat = listed!.taskStat!
        const atFinish = got.task.at(-1)!.taskStat
        expect(atFinish.totalOrderCount).toBe(stat.totalOrderCount)
        for (const key of ["answerOrderCount", "finishOrderCount", "totalAnswerCall", "totalCall"] as const) {
          expect(atFinish[key]).toBeLessThanOrEqual(stat[key])
        }
        expect(stat.totalOrderCount).toBe(ORDERS)
        expect(stat.totalCall).toBe(got.call.length)
        expect(stat.totalAnswerCall).toBe(got.call.filter((c) => c.callInfoDetail.callStatus === 1).length)
        expect(stat.finishOrderCount).toBe(orders.filter((o) => o.finish === true).length)
        expect(stat.answerOrderCount).toBe(
          new Set(got.call.filter((c) => c.callInfoDetail.callStatus === 1).map((c) => c.orderID)).size
        )
        expect(stat.finishRate).toBe(Math.round((stat.finishOrderCount / stat.totalOrderCount) * 100) / 100)
        expect(stat.answerRate).toBe(Math.round((stat.totalAnswerCall / stat.totalCall) * 100) / 100)
        // The update took effect: after resuming, up to 4 calls at once.
        expect(got.call.length).toBeGreaterThan(callsWhilePaused)
      }).pipe(Effect.provide(Platform))
    }))
})
