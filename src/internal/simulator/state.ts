/**
 * The simulated platform's state: its settings, the records it keeps (tasks,
 * orders, calls) and the small helpers every part of the platform shares.
 * Everything here is plain synchronous data over virtual time (milliseconds).
 */
import type { Campaign, CampaignOptions, IntentDef } from "./campaign.js"
import type { CallInfo } from "./types.js"

/** Settings of the platform rules. */
export interface PlatformOptions {
  readonly seed: number
  readonly campaign: CampaignOptions
  readonly dialWindows: boolean
  readonly importMillis: number
  readonly updateDelayMillis: number
  readonly maxCallListLength: number
  readonly maxPageSize: number
  readonly maxStopOrderIDs: number
  readonly duplicateOrderIDs: "reject" | "accept"
  readonly defaultMaxCall: number
}

/** The documented cap of `listOrderDetail.orderList`. */
export const MAX_ORDER_DETAIL_IDS = 500

/** A callback the platform wants delivered. */
export interface Outgoing {
  readonly kind: "task" | "order" | "call"
  readonly uuid: string
  readonly url: string
  readonly body: string
  readonly userTaskID: string
}

/** An endpoint's answer: a `retCode` and the endpoint's fields. */
export interface Reply {
  readonly retCode: number
  readonly retMsg: string
  readonly fields?: Record<string, unknown> | undefined
}

/** A task's `taskCreateSetting`, read and with defaults. */
export interface Settings {
  readonly strategyName: string
  readonly startupType: number
  readonly startupAt: number
  readonly zoneSecond: number
  readonly weekDays: ReadonlyArray<number>
  readonly upHours: ReadonlyArray<number>
  readonly downHours: ReadonlyArray<number>
  readonly maxRingTime: number
  readonly routeID: string
  readonly maxCall: number
  readonly taskName: string
}

/** An SMS rule of `funcFlag.smsFuncFlag`. */
export interface SmsRule {
  readonly smsID: string
  readonly intentIDs: ReadonlyArray<string>
  readonly intentNames: ReadonlyArray<string>
}

/** A task's `funcFlag`, read and with defaults. */
export interface Flags {
  readonly taskKeep: boolean
  readonly roundRedial: boolean
  readonly wholeTTS: boolean
  readonly smsEnable: boolean
  readonly phoneEncrypt: boolean
  readonly smsRules: ReadonlyArray<SmsRule>
}

/** An `updateTask` waiting for its effect delay. */
export interface PendingUpdate {
  readonly applyAtMs: number
  readonly taskCallbackUrl: string | undefined
  readonly setting: Settings
  readonly flags: Flags
  readonly rawSetting: Record<string, unknown>
  readonly rawFuncFlag: Record<string, unknown>
}

/** A task as the platform keeps it. */
export interface Task {
  readonly seq: number
  readonly uuid: string
  readonly userTaskID: string
  readonly taskID: string
  readonly sceneID: string
  status: number
  readonly createdMs: number
  readonly createdBy: "createTask" | "createAndCall"
  taskCallbackUrl: string
  readonly orderCallbackUrl: string
  readonly callCallbackUrl: string
  rawSetting: Record<string, unknown>
  rawFuncFlag: Record<string, unknown>
  setting: Settings
  flags: Flags
  orders: Array<Order>
  active: number
  startAtMs: number | undefined
  pendingUpdate: PendingUpdate | undefined
  batch: { readonly id: string; readonly n: number } | undefined
  importingUntilMs: number
  readonly history: Array<{ readonly status: number; readonly at: number }>
}

/** An order as the platform keeps it. */
export interface Order {
  readonly seq: number
  readonly orderID: string
  readonly duplicate: number
  readonly task: Task
  readonly userPhone: string
  readonly userName: string
  readonly customerName: string
  readonly other: string
  readonly params: ReadonlyArray<unknown>
  readonly orderCallbackUrl: string
  readonly callCallbackUrl: string
  readonly batchID: string | undefined
  /** SMS settings as they were at import (the vendor: later changes do not apply to imported numbers). */
  readonly sms: { readonly enable: boolean; readonly rules: ReadonlyArray<SmsRule> }
  readonly createdMs: number
  state: "pending" | "dialling" | "finished" | "stopped"
  readyAtMs: number
  attempts: number
  answered: boolean
  readonly calls: Array<Call>
}

/** A call (in progress or ended). */
export interface Call {
  readonly seq: number
  readonly callID: string
  readonly order: Order
  readonly attempt: number
  readonly status: 1 | 2 | 3
  readonly startMs: number
  readonly answerMs: number | undefined
  readonly endMs: number
  readonly talkSeconds: number
  readonly turns: number
  readonly intents: ReadonlyArray<IntentDef>
  readonly sms: CallInfo["sms"]
}

/** Milliseconds to Unix seconds. */
export const seconds = (ms: number): number => Math.floor(ms / 1000)
/** Rounds to two decimals (the vendor's rates). */
export const round2 = (x: number): number => Math.round(x * 100) / 100
/** Finished or stopped. */
export const isFinished = (order: Order): boolean => order.state === "finished" || order.state === "stopped"
/** A successful reply with the endpoint's fields. */
export const ok = (fields: Record<string, unknown> = {}): Reply => ({ retCode: 0, retMsg: "success", fields })
/** An error reply. */
export const fail = (retCode: number, retMsg: string): Reply => ({ retCode, retMsg })

/** Task statuses. */
export const Status = { Pending: 1, InProgress: 2, Completed: 3, Ended: 4, Paused: 5 } as const

/** The platform's settings and everything it holds; the one record its parts share. */
export interface State {
  readonly options: PlatformOptions
  readonly campaign: Campaign
  tasks: Array<Task>
  /** Latest task per `uuid|userTaskID`. */
  taskIndex: Map<string, Task>
  /** Live orders per `uuid|orderID` (several when duplicates are accepted). */
  orderIndex: Map<string, Array<Order>>
  active: Array<Call>
  outbox: Array<Outgoing>
  orderCreations: Map<string, number>
  /** Attempts to import an `orderID` the account already held, by orderID. */
  orderResends: Map<string, number>
  taskCreations: Map<string, number>
  simTime: number
  taskSeq: number
  orderSeq: number
  callSeq: number
}

/** An empty platform state. */
export const make = (options: PlatformOptions, campaign: Campaign): State => ({
  options,
  campaign,
  tasks: [],
  taskIndex: new Map(),
  orderIndex: new Map(),
  active: [],
  outbox: [],
  orderCreations: new Map(),
  orderResends: new Map(),
  taskCreations: new Map(),
  simTime: Number.NEGATIVE_INFINITY,
  taskSeq: 0,
  orderSeq: 0,
  callSeq: 0
})

/** Drops every task, order, call and pending callback (the clock and the ID counters go on). */
export const clear = (state: State): void => {
  state.tasks = []
  state.taskIndex = new Map()
  state.orderIndex = new Map()
  state.active = []
  state.outbox = []
  state.orderCreations = new Map()
  state.orderResends = new Map()
  state.taskCreations = new Map()
}

/** The index key of an ID within an account. */
export const key = (uuid: string, id: string): string => `${uuid}\u0000${id}`
