/**
 * Quick start: a whole (short) outbound campaign on this machine, no
 * credentials or network needed.
 *
 * 1. starts the Callbot simulator on 127.0.0.1 (a random port), with calls
 *    that last about a second so the campaign ends quickly,
 * 2. starts a callback receiver (`Callback.httpApp`) on another port,
 * 3. creates a task with four numbers — one of them malformed, which is
 *    reported and not sent — via `createAndCall`, and prints the result,
 * 4. prints every signed callback the platform delivers (task status, each
 *    call, each finished order) until the task completes,
 * 5. prints the task's statistics from `listTask` and exits.
 *
 * Run it with `npm start`. To aim at the real platform, drop the simulator
 * and give `CallbotApi.layer` your account (see README).
 */
import { NodeHttpClient, NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, Option, Queue } from "effect"
import { createServer } from "node:http"
import { Callback, CallbotApi, Models } from "../src/index.js"
import * as Simulator from "../src/Simulator.js"

const program = Effect.gen(function*() {
  const simulator = yield* Simulator.Simulator
  yield* Console.log(`simulator listening on ${simulator.baseUrl}`)

  // The callback receiver: one HttpApp for all three kinds, on a Node server.
  const inbox = yield* Queue.unbounded<Callback.Callback>()
  const receiver = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
  yield* receiver.serve(Callback.httpApp({
    task: (callback) => Queue.offer(inbox, callback),
    call: (callback) => Queue.offer(inbox, callback),
    order: (callback) => Queue.offer(inbox, callback)
  }))
  const receiverPort = receiver.address._tag === "TcpAddress" ? receiver.address.port : 0
  const callbackBase = `http://127.0.0.1:${receiverPort}/callbot`
  yield* Console.log(`callback receiver listening on ${callbackBase}`)

  const api = yield* CallbotApi.CallbotApi
  const userTaskID = `quickstart-${Date.now()}`
  const result = yield* api.createAndCall({
    userTaskID,
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
    funcFlag: { roundRedial: true },
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
    yield* Console.log(`  rejected      ${rejected.orderID ?? "?"} (by ${rejected.rejectedBy}): ${rejected.errMsg}`)
  }

  yield* Console.log("\ncallbacks (each one's signature verified before it reached this code)")
  const describe = (callback: Callback.Callback): string => {
    switch (callback._tag) {
      case "TaskCallback":
        return `task   ${callback.taskID} is ${Models.taskStatusName(callback.taskStatus)}`
      case "CallCallback": {
        const call = callback.callInfoDetail
        const intent = call.intents?.[0]?.intentName
        return `call   ${callback.orderID} ${call.callStatus === 1 ? "answered" : "not answered"}` +
          `${call.callDuration === undefined ? "" : `, ${call.callDuration}s`}${intent === undefined ? "" : `, intent "${intent}"`}`
      }
      case "OrderCallback":
        return `order  ${callback.orderID} finished`
    }
  }
  // Until the task reports it is completed (or ended).
  let done = false
  while (!done) {
    const callback = yield* Queue.take(inbox)
    yield* Console.log(`  ${describe(callback)}`)
    done = callback._tag === "TaskCallback" &&
      (callback.taskStatus === Models.TaskStatuses.Completed || callback.taskStatus === Models.TaskStatuses.Ended)
  }

  const page = yield* api.listTask({ queryConditions: { userTaskID: [userTaskID] } })
  const task = Option.fromNullable(page.taskData[0])
  if (Option.isSome(task)) {
    yield* Console.log("\nlistTask")
    yield* Console.log(`  status        ${Models.taskStatusName(task.value.taskStatus)}`)
    const stat = task.value.taskStat
    if (stat !== undefined) {
      yield* Console.log(`  orders        ${stat.finishOrderCount}/${stat.totalOrderCount} finished, ${stat.answerOrderCount} answered`)
      yield* Console.log(`  calls         ${stat.totalCall} placed, ${stat.totalAnswerCall} answered (rate ${stat.answerRate})`)
    }
  }
}).pipe(Effect.timeout("60 seconds"))

// The simulator's test account stands in for your uuid and secret key.
const CallbotLive = Layer.unwrapEffect(
  Effect.map(Simulator.Simulator, (simulator) =>
    CallbotApi.layer({
      baseUrl: simulator.baseUrl,
      uuid: Simulator.testAccount.uuid,
      secretKey: Simulator.testAccount.secretKey
    }))
).pipe(Layer.provide(NodeHttpClient.layerUndici))

// Calls of about a second, so the whole campaign takes a few seconds.
const SimulatorLive = Simulator.layer({
  seed: 7,
  campaign: {
    answerRate: 0.7,
    ringSeconds: [0.2, 0.5],
    talkSeconds: [0.5, 1.5],
    noAnswerSeconds: 0.5,
    failedSeconds: 0.2,
    redialDelaySeconds: 0.5
  }
})

program.pipe(
  Effect.scoped,
  Effect.provide(CallbotLive),
  Effect.provide(SimulatorLive),
  NodeRuntime.runMain
)
