/**
 * Shared test fixtures: the simulator on 127.0.0.1 (port 0) and the SDK
 * stack pointed at it over real HTTP.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, Redacted } from "effect"
import { CallbotApi, Models } from "../src/index.js"
import type * as Endpoints from "../src/Endpoints.js"
import type * as Signer from "../src/Signer.js"
import * as Simulator from "../src/Simulator.js"

/** The SDK stack (Signer + CallbotClient + CallbotApi) against a running simulator. */
export const apiOnSimulator = (
  options: Partial<CallbotApi.Options> = {}
): Layer.Layer<
  CallbotApi.CallbotApi | Signer.Signer | import("../src/CallbotClient.js").CallbotClient,
  never,
  Simulator.Simulator
> =>
  Layer.unwrapEffect(
    Effect.map(Simulator.Simulator, (simulator) =>
      CallbotApi.layer({
        baseUrl: simulator.baseUrl,
        uuid: Simulator.testAccount.uuid,
        secretKey: Simulator.testAccount.secretKey,
        ...options
      }))
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))

/** Simulator + SDK in one layer, for `layer(...)` blocks. */
export const simulatorWithApi = (
  simulatorOptions: Simulator.Options = {},
  apiOptions: Partial<CallbotApi.Options> = {}
) => apiOnSimulator(apiOptions).pipe(Layer.provideMerge(Simulator.layer(simulatorOptions)))

/** A second account the simulator can be told about (SHA256 signing). */
export const sha256Account: Simulator.Account = {
  uuid: "sim-sha256-uuid",
  secretKey: Redacted.make("sim-sha256-secret"),
  algorithm: "SHA256"
}

let seq = 0
/** A fresh, unique ID for this test run. */
export const uniqueId = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}`

/** A valid `createAndCall` request with `n` orders. */
export const createAndCallRequest = (
  n = 3,
  overrides: Partial<Endpoints.CreateAndCallInput> = {}
): Endpoints.CreateAndCallInput => {
  const userTaskID = uniqueId("task")
  return {
    userTaskID,
    sceneID: "scene-1",
    taskCreateSetting: {
      startupType: Models.StartupTypes.Manual,
      zoneSecond: 28800,
      dialAtWeekDay: "1,2,3,4,5",
      dialAtUpHour: "9,10,11",
      dialAtDownHour: "9,10,11",
      maxRingTime: 30,
      maxCall: 1,
      taskName: "test task",
      taskCallbackUrl: "http://127.0.0.1:9/task"
    },
    callInfoList: {
      orderCallbackUrl: "http://127.0.0.1:9/order",
      callCallbackUrl: "http://127.0.0.1:9/call",
      callList: Array.from({ length: n }, (_, i) => ({
        orderID: `${userTaskID}-o${i}`,
        userPhone: `86138${String(i).padStart(8, "0")}`
      }))
    },
    ...overrides
  }
}

/** The documented `retCode`s and the error tag each maps to (vendor reference §1.6). */
export const documentedRetCodes: ReadonlyArray<readonly [number, string]> = [
  [1, "GeneralError"],
  [2, "MissingParameter"],
  [3, "InvalidParameterFormat"],
  [4, "InvalidParameterValue"],
  [4001, "TooManyElements"],
  [5, "ServerMaintenance"],
  [5001, "InternalServerError"],
  [6, "InvalidSignature"],
  [6001, "MissingSignature"],
  [6002, "AccountNotFound"],
  [6003, "PermissionDenied"],
  [7, "SystemBusy"],
  [1001, "BatchImportInProgress"]
]
