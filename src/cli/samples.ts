/**
 * Sample callbacks shaped like the vendor's pages (task, order and call
 * callbacks), for `callbot trigger`.
 */
import type * as Callback from "../Callback.js"

export interface SampleIds {
  readonly userTaskID: string
  readonly orderID: string
  readonly nowSeconds: number
}

const callInfoDetail = (ids: SampleIds, withLine: boolean) => ({
  callID: `call-${ids.orderID}-1`,
  ...(withLine ? { callingNumber: "8675500000000", lineAddress: "10.0.0.1" } : {}),
  callStatus: 1,
  callStartTs: ids.nowSeconds - 45,
  callAnswerTs: ids.nowSeconds - 40,
  callEndTs: ids.nowSeconds,
  callDuration: 40,
  callAudioUrl: "https://example.com/recordings/sample.mp3",
  hangupCause: "NORMAL_CLEARING",
  termSipCode: "200",
  intents: [{ intentID: "A", intentName: "interested" }],
  sms: [],
  params: []
})

const order = (ids: SampleIds, callbackType: number, withLine: boolean) => ({
  callbackType,
  orderID: ids.orderID,
  userPhone: "8613800000001",
  userName: "Li Lei",
  sceneID: "sample-scene",
  userTaskID: ids.userTaskID,
  taskID: `task-${ids.userTaskID}`,
  finish: true,
  other: "",
  callInfoDetail: callInfoDetail(ids, withLine)
})

/** The body of one sample callback of `kind`, as the platform would send it. */
export const sampleBody = (kind: Callback.CallbackKind, ids: SampleIds): string => {
  switch (kind) {
    case "task":
      return JSON.stringify({
        callbackType: 1,
        userTaskID: ids.userTaskID,
        taskID: `task-${ids.userTaskID}`,
        sceneID: "sample-scene",
        taskStatus: 3,
        createTs: ids.nowSeconds - 600,
        taskStat: {
          answerOrderCount: 1,
          finishOrderCount: 2,
          totalOrderCount: 2,
          finishRate: 1,
          totalAnswerCall: 1,
          totalCall: 3,
          answerRate: 0.33
        }
      })
    case "order":
      return JSON.stringify(order(ids, 2, false))
    case "call":
      return JSON.stringify(order(ids, 3, true))
  }
}
