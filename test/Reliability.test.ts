/**
 * Retries and reconciliation against the simulator over real HTTP: what is
 * retried is re-sent as a new request (fresh requestID, createTs and
 * signature, same bytes); what is ambiguous on a create is looked up by its
 * idempotency keys before anything is re-sent, so nothing is created twice.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { CallbotApi, RetryPolicy, Signer } from "../src/index.js"
import * as Simulator from "../src/Simulator.js"
import { apiOnSimulator, createAndCallRequest } from "./utils.js"

/** Fast retries: the behaviour, not the waiting, is under test. */
const fast = RetryPolicy.make({ baseDelay: "1 millis", maxDelay: "5 millis" })

const run = <A, E>(
  body: Effect.Effect<A, E, CallbotApi.CallbotApi | Simulator.Simulator>,
  policy: RetryPolicy.RetryPolicy = fast
) =>
  body.pipe(
    Effect.provide(
      apiOnSimulator({ retry: policy }).pipe(
        Layer.provideMerge(Simulator.layer({ deliverCallbacks: false, duplicateOrderIDs: "accept" }))
      )
    )
  )

const endpoints = Effect.flatMap(Simulator.Simulator, (sim) => Effect.map(sim.requests, (rs) => rs.map((r) => r.endpoint)))

/** No userTaskID or orderID was created more than once. */
const expectNoDuplicates = Effect.gen(function*() {
  const sim = yield* Simulator.Simulator
  const creations = yield* sim.creations
  for (const [id, n] of creations.tasks) expect([id, n]).toEqual([id, 1])
  for (const [id, n] of creations.orders) expect([id, n]).toEqual([id, 1])
})

describe("retries", () => {
  it.live("a transient answer is retried as a new, freshly signed request with the same body", () =>
    run(Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Simulator.Simulator
      yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode: 7 }), { endpoint: "createAndCall" })
      yield* sim.script(Simulator.ScriptedAnswer.HttpStatus({ status: 503 }), { endpoint: "createAndCall" })
      yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode: 5 }), { endpoint: "createAndCall" })
      const result = yield* api.createAndCall(createAndCallRequest(3))
      expect(result.successCount).toBe(3)
      const attempts = (yield* sim.requests).filter((r) => r.endpoint === "createAndCall")
      expect(attempts).toHaveLength(4)
      expect(new Set(attempts.map((r) => r.headers["requestid"])).size).toBe(4)
      expect(new Set(attempts.map((r) => r.headers["sign"])).size).toBe(4)
      expect(new Set(attempts.map((r) => r.body)).size).toBe(1)
      for (const attempt of attempts) {
        expect(attempt.signatureValid).toBe(true)
        expect(
          Signer.signature({
            ...Simulator.testAccount,
            body: attempt.bytes,
            createTs: attempt.headers["createts"] ?? "",
            requestID: attempt.headers["requestid"] ?? ""
          })
        ).toBe(attempt.headers["sign"])
      }
      yield* expectNoDuplicates
    })))

  it.live("a permanent answer is not retried", () =>
    run(Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Simulator.Simulator
      yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode: 4 }))
      const error = yield* Effect.flip(api.createAndCall(createAndCallRequest(1)))
      expect(error._tag).toBe("InvalidParameterValue")
      expect(yield* endpoints).toEqual(["createAndCall"])
    })))

  it.live("gives up after maxAttempts with the last error", () =>
    run(
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode: 7 }), { times: 5 })
        const error = yield* Effect.flip(api.listTask())
        expect(error._tag).toBe("SystemBusy")
        expect(yield* endpoints).toEqual(["listTask", "listTask", "listTask"])
      }),
      RetryPolicy.make({ maxAttempts: 3, baseDelay: "1 millis" })
    ))

  it.live("RetryPolicy.withPolicy overrides the layer's policy for one call", () =>
    run(Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Simulator.Simulator
      yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode: 7 }))
      const error = yield* Effect.flip(api.listTask().pipe(RetryPolicy.withPolicy(RetryPolicy.none)))
      expect(error._tag).toBe("SystemBusy")
      yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode: 7 }))
      yield* api.listTask()
      expect(yield* endpoints).toEqual(["listTask", "listTask", "listTask"])
    })))

  it.live("an ambiguous answer to a read is retried (it is idempotent)", () =>
    run(Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Simulator.Simulator
      yield* sim.script(Simulator.ScriptedAnswer.Malformed({ body: "{\"retCode\":0,\"taskD" }))
      yield* sim.script(Simulator.ScriptedAnswer.BadSignature())
      yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode: 5001 }))
      const page = yield* api.listTask()
      expect(page.taskData).toEqual([])
      expect(yield* endpoints).toEqual(["listTask", "listTask", "listTask", "listTask"])
    })))
})

describe("reconciliation of ambiguous creates", () => {
  it.live("createAndCall applied but its answer lost: found by userTaskID and orderIDs, not re-sent", () =>
    run(Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Simulator.Simulator
      // The platform processes the request; the answer fails verification.
      yield* sim.script(Simulator.ScriptedAnswer.BadSignature(), { endpoint: "createAndCall" })
      const request = createAndCallRequest(4)
      const result = yield* api.createAndCall(request)
      const task = (yield* sim.tasks).find((t) => t.userTaskID === request.userTaskID)
      expect(result).toMatchObject({ taskID: task?.taskID, totalCount: 4, successCount: 4, errList: [], requests: 0 })
      expect(yield* endpoints).toEqual(["createAndCall", "listTask", "listOrderDetail"])
      yield* expectNoDuplicates
    })))

  it.live("createAndCall not applied (5001 without effect): not found, so sent again", () =>
    run(Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Simulator.Simulator
      yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode: 5001 }), { endpoint: "createAndCall" })
      const result = yield* api.createAndCall(createAndCallRequest(2))
      expect(result).toMatchObject({ successCount: 2, requests: 1 })
      expect(yield* endpoints).toEqual(["createAndCall", "listTask", "createAndCall"])
      yield* expectNoDuplicates
    })))

  it.live("addBatchCall chunks: an applied chunk whose answer was lost counts as imported, nothing doubles", () =>
    run(Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Simulator.Simulator
      yield* sim.script(Simulator.ScriptedAnswer.BadSignature(), { endpoint: "addBatchCall" })
      yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode: 5001 }), { endpoint: "addBatchCall" })
      const request = createAndCallRequest(30)
      const result = yield* api.createAndCall(request, { chunkSize: 10, concurrency: 1 })
      expect(result).toMatchObject({ totalCount: 30, successCount: 30, errList: [], failures: [] })
      const stored = (yield* sim.orders).filter((o) => o.userTaskID === request.userTaskID)
      expect(stored.map((o) => o.orderID).sort()).toEqual(request.callInfoList.callList.map((o) => o.orderID).sort())
      yield* expectNoDuplicates
    })))

  it.live("a single addBatchCall applied but its answer lost: every order found, the call succeeds", () =>
    run(Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Simulator.Simulator
      const created = createAndCallRequest(1)
      yield* api.createAndCall(created)
      yield* sim.script(Simulator.ScriptedAnswer.BadSignature(), { endpoint: "addBatchCall" })
      const more = createAndCallRequest(5).callInfoList.callList
      const result = yield* api.addBatchCall({
        userTaskID: created.userTaskID,
        callInfoList: { ...created.callInfoList, callList: more }
      })
      expect(result).toMatchObject({ totalCount: 5, successCount: 5, errList: [], failures: [], requests: 0 })
      expect((yield* endpoints).slice(1)).toEqual(["addBatchCall", "listOrderDetail"])
      yield* expectNoDuplicates
    })))

  it.live("createTask applied but its answer lost: the task is found, not created twice", () =>
    run(Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Simulator.Simulator
      yield* sim.script(Simulator.ScriptedAnswer.WrongRequestID(), { endpoint: "createTask" })
      const base = createAndCallRequest(1)
      const result = yield* api.createTask({
        userTaskID: base.userTaskID,
        sceneID: base.sceneID,
        taskCreateSetting: base.taskCreateSetting,
        orderCallbackUrl: base.callInfoList.orderCallbackUrl
      })
      const task = (yield* sim.tasks).find((t) => t.userTaskID === base.userTaskID)
      expect(result.taskID).toBe(task?.taskID)
      expect(yield* endpoints).toEqual(["createTask", "listTask"])
      yield* expectNoDuplicates
    })))

  it.live("with reconciliation off, an ambiguous create is reported as it is", () =>
    run(
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        yield* sim.script(Simulator.ScriptedAnswer.BadSignature(), { endpoint: "createAndCall" })
        const error = yield* Effect.flip(api.createAndCall(createAndCallRequest(1)))
        expect(error._tag).toBe("ResponseSignatureError")
        expect(yield* endpoints).toEqual(["createAndCall"])
      }),
      RetryPolicy.make({ baseDelay: "1 millis", reconcile: false })
    ))
})
