import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { CallbotApi } from "../src/index.js"
import * as Simulator from "../src/Simulator.js"
import { createAndCallRequest, simulatorWithApi } from "./utils.js"

layer(simulatorWithApi({ deliverCallbacks: false }))("CallbotApi.createAndCall over HTTP", (it) => {
  it.effect("creates a task and imports its orders", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Simulator.Simulator
      const request = createAndCallRequest(3)
      const result = yield* api.createAndCall(request)
      expect(result.retCode).toBe(0)
      expect(result.totalCount).toBe(3)
      expect(result.successCount).toBe(3)
      expect(result.errList).toEqual([])
      const tasks = yield* sim.tasks
      expect(tasks.find((t) => t.userTaskID === request.userTaskID)?.taskID).toBe(result.taskID)
    }))
})
