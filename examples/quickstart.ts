/**
 * Quick start: runs the whole flow on this machine, no credentials needed.
 *
 * 1. starts the Callbot simulator on 127.0.0.1 (a random port),
 * 2. starts a callback receiver (`Callback.httpApp`) on another port,
 * 3. creates a task with four numbers — one of them malformed — via
 *    `createAndCall`, and prints the result,
 * 4. prints the signed task callback the simulator delivered to the receiver.
 *
 * Run it with `npm start`. To aim it at the real platform instead, replace the
 * simulator's account and `baseUrl` with yours (see README).
 */
import { NodeHttpClient, NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Console, Deferred, Effect, Layer } from "effect"
import { createServer } from "node:http"
import { Callback, CallbotApi, Models } from "../src/index.js"
import * as Simulator from "../src/Simulator.js"

const program = Effect.gen(function*() {
  const simulator = yield* Simulator.Simulator
  yield* Console.log(`simulator listening on ${simulator.baseUrl}`)

  // The callback receiver: an HttpApp mounted on a Node HTTP server.
  const received = yield* Deferred.make<Callback.TaskCallback>()
  const receiver = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
  yield* receiver.serve(Callback.httpApp({
    task: (callback) => Deferred.succeed(received, callback),
    fallback: () => Effect.void // order and call callbacks: not needed here
  }))
  const receiverPort = receiver.address._tag === "TcpAddress" ? receiver.address.port : 0
  const callbackBase = `http://127.0.0.1:${receiverPort}/callbot`
  yield* Console.log(`callback receiver listening on ${callbackBase}`)

  const api = yield* CallbotApi.CallbotApi
  const result = yield* api.createAndCall({
    userTaskID: `quickstart-${Date.now()}`,
    sceneID: "scene-demo",
    taskCreateSetting: {
      startupType: Models.StartupTypes.Immediate,
      zoneSecond: 8 * 3600,
      dialAtWeekDay: [1, 2, 3, 4, 5],
      dialAtUpHour: [9, 10, 11, 14, 15, 16],
      dialAtDownHour: [9, 10, 11, 14, 15, 16],
      maxRingTime: 30,
      maxCall: 2,
      taskName: "Quick start 快速开始",
      taskCallbackUrl: `${callbackBase}/task`
    },
    callInfoList: {
      orderCallbackUrl: `${callbackBase}/order`,
      callCallbackUrl: `${callbackBase}/call`,
      callList: [
        { orderID: "order-1", userPhone: "8613800000001", userName: "李雷" },
        { orderID: "order-2", userPhone: "8613800000002", userName: "Han Meimei 🙂" },
        { orderID: "order-3", userPhone: "+86 138-0000-0003", userName: "malformed number" },
        { orderID: "order-4", userPhone: "14155550100", userName: "Ada" }
      ]
    }
  })

  yield* Console.log("\ncreateAndCall result")
  yield* Console.log(`  taskID        ${result.taskID}`)
  yield* Console.log(`  responseID    ${result.responseID}`)
  yield* Console.log(`  imported      ${result.successCount} of ${result.totalCount}`)
  for (const rejected of result.errList) {
    yield* Console.log(`  rejected      ${rejected.orderID ?? "?"} (${rejected.rejectedBy}): ${rejected.errMsg}`)
  }

  const callback = yield* Deferred.await(received).pipe(Effect.timeout("10 seconds"))
  yield* Console.log("\ntask callback received (signature verified)")
  yield* Console.log(`  userTaskID    ${callback.userTaskID}`)
  yield* Console.log(`  taskID        ${callback.taskID}`)
  yield* Console.log(`  taskStatus    ${callback.taskStatus} (${Models.taskStatusName(callback.taskStatus)})`)
  yield* Console.log(`  totalOrders   ${callback.taskStat.totalOrderCount}`)
})

// The simulator's test account stands in for your uuid and secret key.
const CallbotLive = Layer.unwrapEffect(
  Effect.map(Simulator.Simulator, (simulator) =>
    CallbotApi.layer({
      baseUrl: simulator.baseUrl,
      uuid: Simulator.testAccount.uuid,
      secretKey: Simulator.testAccount.secretKey
    }))
).pipe(Layer.provide(NodeHttpClient.layerUndici))

program.pipe(
  Effect.scoped,
  Effect.provide(CallbotLive),
  Effect.provide(Simulator.layer()),
  NodeRuntime.runMain({ disableErrorReporting: false })
)
