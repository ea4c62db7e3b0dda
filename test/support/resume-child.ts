/**
 * A campaign job in its own process, for the kill-and-resume test: imports
 * `total` orders as a `Stream` into the simulator at `baseUrl` with
 * `createAndCall`, with deterministic IDs (the same `userTaskID` and the
 * same `orderID` per order in every run), so it can be killed and run again.
 *
 * argv: baseUrl, userTaskID, total, "resume" | "fresh".
 * The stream is paced (a short pause every 100 orders) so that a test can
 * kill the process part-way. On success it prints one line
 * `RESULT {json}` with the import's counters.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Stream from "effect/Stream"
import * as CallbotApi from "../../src/CallbotApi.js"
import * as Simulator from "../../src/Simulator.js"
import { createAndCallRequest } from "../utils.js"

const [baseUrl = "", userTaskID = "", totalArg = "0", mode = "fresh"] = process.argv.slice(2)
const total = Number(totalArg)

const runtime = ManagedRuntime.make(
  CallbotApi.layer({ baseUrl, uuid: Simulator.testAccount.uuid, secretKey: Simulator.testAccount.secretKey }).pipe(
    Layer.provide(NodeHttpClient.layerUndici)
  )
)

const orders = Stream.range(0, total - 1).pipe(
  Stream.rechunk(100),
  Stream.mapChunksEffect((chunk) => Effect.as(Effect.sleep("15 millis"), chunk)),
  Stream.map((i) => ({ orderID: `${userTaskID}-o${i}`, userPhone: `86139${String(i).padStart(8, "0")}` }))
)

const program = Effect.gen(function*() {
  const api = yield* CallbotApi.CallbotApi
  const header = createAndCallRequest(0, { userTaskID })
  return yield* api.createAndCall(
    { ...header, callInfoList: { ...header.callInfoList, callList: orders } },
    { resume: mode === "resume", chunkSize: 100, concurrency: 4 }
  )
})

const result = await runtime.runPromise(program)
process.stdout.write(
  `RESULT ${
    JSON.stringify({
      totalCount: result.totalCount,
      successCount: result.successCount,
      alreadyImported: result.alreadyImported,
      errList: result.errList.length,
      failures: result.failures.length,
      requests: result.requests
    })
  }\n`
)
await runtime.dispose()
