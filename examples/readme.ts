/**
 * The README's code, kept here so the compiler checks it (`npm run
 * typecheck`). It is not run: it needs a real account.
 */
import { HttpRouter, HttpServer } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Effect, Layer, Stream } from "effect"
import { createServer } from "node:http"
import { Callback, CallbotApi, RetryPolicy, Signer } from "../src/index.js"

// --- Usage -------------------------------------------------------------------

// CALLBOT_UUID, CALLBOT_SECRET_KEY (and optionally CALLBOT_ALGORITHM, CALLBOT_BASE_URL)
const CallbotLive = CallbotApi.layerConfig.pipe(Layer.provide(NodeHttpClient.layerUndici))

export const program = Effect.gen(function*() {
  const api = yield* CallbotApi.CallbotApi
  const result = yield* api.createAndCall(request) // a task + its orders
  yield* Effect.log(`task ${result.taskID}: ${result.successCount}/${result.totalCount} imported`)
  for (const order of result.errList) yield* Effect.logWarning(`${order.orderID}: ${order.errMsg}`)
})

// A plain object, as the README writes it: no type annotation needed.
export const request = {
  userTaskID: crypto.randomUUID(),
  sceneID: "your-script-template-id",
  taskCreateSetting: {
    startupType: 3, // start immediately
    zoneSecond: 8 * 3600, // UTC+8
    dialAtWeekDay: [1, 2, 3, 4, 5], // or "1,2,3,4,5"
    dialAtUpHour: [9, 10, 11],
    dialAtDownHour: [9, 10, 11],
    maxRingTime: 30,
    maxCall: 5,
    taskName: "Spring follow-up",
    taskCallbackUrl: "https://example.com/callbot/task"
  },
  callInfoList: {
    orderCallbackUrl: "https://example.com/callbot/order",
    callCallbackUrl: "https://example.com/callbot/call",
    callList: [{ orderID: crypto.randomUUID(), userPhone: "8613800000001", userName: "李雷" }]
  }
}

export const main = () => program.pipe(Effect.provide(CallbotLive), NodeRuntime.runMain)

// --- Errors ------------------------------------------------------------------

export const handled = program.pipe(
  Effect.catchTags({
    InvalidRequest: (e) => Effect.logError(`not sent: ${e.field}: ${e.description}`),
    SystemBusy: (e) => Effect.logWarning(`platform still busy after retries (responseID ${e.responseID})`),
    InvalidSignature: () => Effect.logError("check CALLBOT_SECRET_KEY and CALLBOT_ALGORITHM"),
    TransportError: (e) => Effect.logError(`no answer (${e.reason}); may have been sent: ${e.sent}`)
  })
)

// --- Big lists and streams ----------------------------------------------------

declare const readOrdersFromYourDatabase: Stream.Stream<{ orderID: string; userPhone: string }, Error>

export const campaign = Effect.gen(function*() {
  const api = yield* CallbotApi.CallbotApi
  // A Stream of any length: sent in chunks of 500, 4 requests in flight, memory flat.
  const result = yield* api.createAndCall({
    ...request,
    callInfoList: { ...request.callInfoList, callList: readOrdersFromYourDatabase }
  })
  yield* Effect.log(`${result.successCount}/${result.totalCount} imported in ${result.requests} requests`)
  // Every order of the task, page after page.
  yield* api.listOrderStream({ userTaskID: request.userTaskID }).pipe(
    Stream.runForEach((order) => Effect.log(`${order.orderID}: finished=${order.finish}`))
  )
})

// --- Retries -----------------------------------------------------------------

export const noRetries = Effect.flatMap(CallbotApi.CallbotApi, (api) => api.ping()).pipe(
  RetryPolicy.withPolicy(RetryPolicy.none)
)

// --- Receiving callbacks ------------------------------------------------------

const app = Callback.httpApp({
  task: (callback) => Effect.log(`task ${callback.taskID} is now ${callback.taskStatus}`),
  call: (callback) => Effect.log(`call ${callback.callInfoDetail.callID} of order ${callback.orderID} ended`),
  order: (callback) => Effect.log(`order ${callback.orderID} finished`)
})

export const receiver = HttpRouter.empty.pipe(
  HttpRouter.post("/callbot/:kind", app),
  HttpServer.serve(),
  Signer.redactSignHeaderLayer, // keep signatures out of your server spans
  Layer.provide(Signer.layerConfig), // same account as the client
  Layer.provide(NodeHttpServer.layer(createServer, { port: 3000 }))
)

export const runReceiver = () => Layer.launch(receiver).pipe(NodeRuntime.runMain)
