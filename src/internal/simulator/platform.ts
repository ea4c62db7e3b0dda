/**
 * The simulated platform's state and rules, as plain synchronous code over
 * virtual time (milliseconds). The engine (`../simulator.ts`) calls
 * {@link Platform.advance} with the `Clock` time before and after every
 * request and from its timer fiber; the platform processes every due event in
 * time order, using each event's own time for timestamps, so its results do
 * not depend on when the engine gets to run.
 *
 * Request validation is written by hand from the vendor pages, independently
 * of the SDK's schemas.
 */
import * as Models from "../../Models.js"
import { Fields, isHttpUrl, parseIntList, phonePattern } from "./fields.js"
import * as Random from "./random.js"

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

/** An intent the simulated script can reach. */
export interface IntentDef {
  readonly intentID: string
  readonly intentTag: string
  readonly intentName: string
  readonly intentLevel: number
}

/** The outcome of one call, when a test wants to choose it. */
export interface CallDecision {
  readonly status: "answered" | "noAnswer" | "failed"
  /** Seconds before the callee answers (answered calls). */
  readonly ringSeconds?: number | undefined
  /** Seconds of conversation (answered calls). */
  readonly talkSeconds?: number | undefined
  /** The intent reached (answered calls); must be one of `intents`. */
  readonly intentID?: string | undefined
}

/** What {@link CampaignOptions.decideCall} is told about a call about to start. */
export interface CallContext {
  readonly userTaskID: string
  readonly orderID: string
  readonly userPhone: string
  /** 1 for the first call of the order, 2 for its redial. */
  readonly attempt: number
}

/** How calls go. Every random choice is drawn from the engine's `seed`. */
export interface CampaignOptions {
  /** Probability that a call is answered. Default `0.6`. */
  readonly answerRate?: number | undefined
  /** Probability that a call fails (`callStatus` 3). Default `0.05`. The rest are not answered (2). */
  readonly failureRate?: number | undefined
  /** Ringing before an answer, seconds. Default `[2, 10]`. */
  readonly ringSeconds?: Random.Range | undefined
  /** Conversation length of answered calls, seconds. Default `[15, 120]`. */
  readonly talkSeconds?: Random.Range | undefined
  /** Ringing of unanswered calls, seconds. Default: the task's `maxRingTime`, or 30 when that is 0. */
  readonly noAnswerSeconds?: number | undefined
  /** Length of failed calls, seconds. Default `2`. */
  readonly failedSeconds?: number | undefined
  /** Delay before the redial of an unanswered call (`roundRedial`), seconds. Default `30`. */
  readonly redialDelaySeconds?: number | undefined
  /** Intents answered calls reach (one each, uniformly). Default: four intents, levels 1–4. */
  readonly intents?: ReadonlyArray<IntentDef> | undefined
  /** Chooses a call's outcome; `undefined` leaves it to chance. */
  readonly decideCall?: ((call: CallContext) => CallDecision | undefined) | undefined
  /** `callingNumber` of every call. Default `"8675500000000"`. */
  readonly callingNumber?: string | undefined
  /** `lineAddress` of every call. Default `"10.0.0.1"`. */
  readonly lineAddress?: string | undefined
}

/** The default intents: levels 1 (A) to 4 (D). */
export const defaultIntents: ReadonlyArray<IntentDef> = [
  { intentID: "1001", intentTag: "A", intentName: "Interested", intentLevel: 1 },
  { intentID: "1002", intentTag: "B", intentName: "Call back later", intentLevel: 2 },
  { intentID: "1003", intentTag: "C", intentName: "Not interested", intentLevel: 3 },
  { intentID: "1004", intentTag: "D", intentName: "Wrong number", intentLevel: 4 }
]

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

// ---------------------------------------------------------------------------
// Public snapshots
// ---------------------------------------------------------------------------

/** `taskStat`, as in the task callback and `listTask`. */
export interface TaskStat {
  readonly answerOrderCount: number
  readonly finishOrderCount: number
  readonly totalOrderCount: number
  readonly finishRate: number
  readonly totalAnswerCall: number
  readonly totalCall: number
  readonly answerRate: number
}

/** A call record (`callInfoDetail`) as the simulator sends it. */
export interface CallInfo {
  readonly callID: string
  readonly callingNumber?: string
  readonly lineAddress?: string
  readonly callStatus: number
  readonly callStartTs: number
  readonly callAnswerTs: number
  readonly callEndTs: number
  readonly callDuration: number
  readonly callAudioUrl: string
  readonly hangupCause: string
  readonly termSipCode: string
  readonly intents: ReadonlyArray<IntentDef>
  readonly sms: ReadonlyArray<{ readonly smsSendTs: number; readonly sysMessageID: string; readonly smsContent: string }>
  readonly params: ReadonlyArray<unknown>
  readonly recordDetail: ReadonlyArray<unknown>
}

/** A task on the simulated platform (a snapshot). */
export interface SimTask {
  readonly uuid: string
  readonly userTaskID: string
  readonly taskID: string
  readonly sceneID: string
  /** `1` pending, `2` in progress, `3` completed, `4` ended, `5` paused. */
  status: number
  /** Creation time, Unix seconds. */
  readonly createTs: number
  readonly createdBy: "createTask" | "createAndCall"
  readonly taskName: string
  readonly taskCallbackUrl: string
  readonly orderCallbackUrl: string
  readonly callCallbackUrl: string
  /** The settings in force (updates merged in). */
  readonly taskCreateSetting: Record<string, unknown>
  readonly funcFlag: Record<string, unknown>
  readonly taskStat: TaskStat
  /** Every status the task has had, with the time (ms) it was entered. */
  readonly statusHistory: ReadonlyArray<{ readonly status: number; readonly at: number }>
  /** The latest batch of `importBatchCall`, if any. */
  readonly batchID: string | undefined
  /** Calls in progress now. */
  readonly activeCalls: number
  /** An `updateTask` waiting for its effect delay, if any. */
  readonly pendingUpdateAt: number | undefined
}

/** An order on the simulated platform (a snapshot). */
export interface SimOrder {
  readonly orderID: string
  readonly userTaskID: string
  readonly taskID: string
  readonly userPhone: string
  readonly userName: string
  readonly customerName: string
  readonly other: string
  readonly params: ReadonlyArray<unknown>
  readonly orderCallbackUrl: string
  readonly callCallbackUrl: string
  readonly batchID: string | undefined
  /** `pending` (to dial or to redial), `dialling`, `finished`, `stopped` (by `stopOrder`). */
  readonly state: "pending" | "dialling" | "finished" | "stopped"
  /** As the API reports it: finished or stopped. */
  readonly finish: boolean
  readonly answered: boolean
  readonly attempts: number
  /** Ended calls, oldest first. */
  readonly calls: ReadonlyArray<CallInfo>
  /** Creation time, ms. */
  readonly createdAt: number
  /** 1 for the first order created with this orderID, 2 for a duplicate, … */
  readonly duplicate: number
}

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

// ---------------------------------------------------------------------------
// Internal state
// ---------------------------------------------------------------------------

interface Settings {
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

interface SmsRule {
  readonly smsID: string
  readonly intentIDs: ReadonlyArray<string>
  readonly intentNames: ReadonlyArray<string>
}

interface Flags {
  readonly taskKeep: boolean
  readonly roundRedial: boolean
  readonly wholeTTS: boolean
  readonly smsEnable: boolean
  readonly phoneEncrypt: boolean
  readonly smsRules: ReadonlyArray<SmsRule>
}

interface PendingUpdate {
  readonly applyAtMs: number
  readonly taskCallbackUrl: string | undefined
  readonly setting: Settings
  readonly flags: Flags
  readonly rawSetting: Record<string, unknown>
  readonly rawFuncFlag: Record<string, unknown>
}

interface Task {
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

interface Order {
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

interface Call {
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

const seconds = (ms: number): number => Math.floor(ms / 1000)
const round2 = (x: number): number => Math.round(x * 100) / 100
const isFinished = (order: Order): boolean => order.state === "finished" || order.state === "stopped"
const ok = (fields: Record<string, unknown> = {}): Reply => ({ retCode: 0, retMsg: "success", fields })
const fail = (retCode: number, retMsg: string): Reply => ({ retCode, retMsg })
const allWeekDays = [1, 2, 3, 4, 5, 6, 7]
const allHours = Array.from({ length: 24 }, (_, h) => h)
const minZoneSecond = -12 * 3600
const maxZoneSecond = 14 * 3600

/** Task statuses. */
export const Status = { Pending: 1, InProgress: 2, Completed: 3, Ended: 4, Paused: 5 } as const

// ---------------------------------------------------------------------------
// The platform
// ---------------------------------------------------------------------------

/** The platform's state and operations. */
export interface Platform {
  /** The endpoint handlers, by vendor name. */
  readonly endpoints: Readonly<Record<string, (uuid: string, body: unknown, nowMs: number) => Reply>>
  /** Processes every event due at or before `nowMs`, then starts what can start at `nowMs`. */
  readonly advance: (nowMs: number) => void
  /** Time of the next event, if any. */
  readonly nextDue: () => number | undefined
  /** Takes the callbacks produced since the last call. */
  readonly drainOutbox: () => ReadonlyArray<Outgoing>
  /** A task callback body for a task's current state (`undefined` when unknown or without URL). */
  readonly taskCallbackNow: (uuid: string | undefined, userTaskID: string) => Outgoing | undefined
  readonly tasks: () => ReadonlyArray<SimTask>
  readonly orders: () => ReadonlyArray<SimOrder>
  readonly creations: () => {
    readonly orders: ReadonlyMap<string, number>
    readonly tasks: ReadonlyMap<string, number>
  }
  readonly reset: () => void
}

/** Builds an empty platform. */
export const make = (options: PlatformOptions): Platform => {
  const campaign = options.campaign
  const intents = campaign.intents !== undefined && campaign.intents.length > 0 ? campaign.intents : defaultIntents
  const answerRate = Math.max(0, Math.min(1, campaign.answerRate ?? 0.6))
  const failureRate = Math.max(0, Math.min(1 - answerRate, campaign.failureRate ?? 0.05))
  const ringRange = campaign.ringSeconds ?? [2, 10]
  const talkRange = campaign.talkSeconds ?? [15, 120]
  const failedSeconds = Math.max(1, campaign.failedSeconds ?? 2)
  const redialDelayMs = Math.max(0, campaign.redialDelaySeconds ?? 30) * 1000
  const callingNumber = campaign.callingNumber ?? "8675500000000"
  const lineAddress = campaign.lineAddress ?? "10.0.0.1"

  let tasks: Array<Task> = []
  /** Latest task per `uuid|userTaskID`. */
  let taskIndex = new Map<string, Task>()
  /** Live orders per `uuid|orderID` (several when duplicates are accepted). */
  let orderIndex = new Map<string, Array<Order>>()
  let active: Array<Call> = []
  let outbox: Array<Outgoing> = []
  let orderCreations = new Map<string, number>()
  let taskCreations = new Map<string, number>()
  let simTime = Number.NEGATIVE_INFINITY
  let taskSeq = 0
  let orderSeq = 0
  let callSeq = 0

  const key = (uuid: string, id: string) => `${uuid}\u0000${id}`

  // ---- snapshots and bodies ----------------------------------------------

  const taskStat = (task: Task): TaskStat => {
    let finish = 0
    let answered = 0
    let totalCall = 0
    let answerCall = 0
    for (const order of task.orders) {
      if (isFinished(order)) finish++
      if (order.answered) answered++
      totalCall += order.calls.length
      for (const call of order.calls) if (call.status === 1) answerCall++
    }
    const total = task.orders.length
    return {
      answerOrderCount: answered,
      finishOrderCount: finish,
      totalOrderCount: total,
      finishRate: total === 0 ? 0 : round2(finish / total),
      totalAnswerCall: answerCall,
      totalCall,
      answerRate: totalCall === 0 ? 0 : round2(answerCall / totalCall)
    }
  }

  const callInfo = (call: Call, withLine: boolean): CallInfo => {
    const answered = call.status === 1
    return {
      callID: call.callID,
      ...(withLine ? { callingNumber, lineAddress } : {}),
      callStatus: call.status,
      callStartTs: seconds(call.startMs),
      callAnswerTs: call.answerMs === undefined ? 0 : seconds(call.answerMs),
      callEndTs: seconds(call.endMs),
      callDuration: call.talkSeconds,
      callAudioUrl: answered ? `https://simulator.invalid/audio/${call.callID}.wav` : "",
      hangupCause: answered ? "NORMAL_CLEARING" : call.status === 2 ? "NO_ANSWER" : "CALL_REJECTED",
      termSipCode: answered ? "200" : call.status === 2 ? "480" : "503",
      intents: call.intents,
      sms: call.sms,
      params: call.order.params,
      recordDetail: []
    }
  }

  const orderEntry = (order: Order, detail: CallInfo | null) => ({
    orderID: order.orderID,
    userPhone: order.userPhone,
    userName: order.userName,
    other: order.other,
    sceneID: order.task.sceneID,
    userTaskID: order.task.userTaskID,
    taskID: order.task.taskID,
    finish: isFinished(order),
    callInfoDetail: detail
  })

  const taskEntry = (task: Task) => ({
    userTaskID: task.userTaskID,
    taskID: task.taskID,
    sceneID: task.sceneID,
    taskStatus: task.status,
    createTs: seconds(task.createdMs),
    taskStat: taskStat(task)
  })

  const taskCallback = (task: Task): Outgoing | undefined =>
    task.taskCallbackUrl === ""
      ? undefined
      : {
        kind: "task",
        uuid: task.uuid,
        url: task.taskCallbackUrl,
        userTaskID: task.userTaskID,
        body: JSON.stringify({ callbackType: 1, ...taskEntry(task) })
      }

  const emitTask = (task: Task) => {
    const message = taskCallback(task)
    if (message !== undefined) outbox.push(message)
  }

  const snapshotTask = (task: Task): SimTask => ({
    uuid: task.uuid,
    userTaskID: task.userTaskID,
    taskID: task.taskID,
    sceneID: task.sceneID,
    status: task.status,
    createTs: seconds(task.createdMs),
    createdBy: task.createdBy,
    taskName: task.setting.taskName,
    taskCallbackUrl: task.taskCallbackUrl,
    orderCallbackUrl: task.orderCallbackUrl,
    callCallbackUrl: task.callCallbackUrl,
    taskCreateSetting: { ...task.rawSetting },
    funcFlag: { ...task.rawFuncFlag },
    taskStat: taskStat(task),
    statusHistory: [...task.history],
    batchID: task.batch?.id,
    activeCalls: task.active,
    pendingUpdateAt: task.pendingUpdate?.applyAtMs
  })

  const snapshotOrder = (order: Order): SimOrder => ({
    orderID: order.orderID,
    userTaskID: order.task.userTaskID,
    taskID: order.task.taskID,
    userPhone: order.userPhone,
    userName: order.userName,
    customerName: order.customerName,
    other: order.other,
    params: order.params,
    orderCallbackUrl: order.orderCallbackUrl,
    callCallbackUrl: order.callCallbackUrl,
    batchID: order.batchID,
    state: order.state,
    finish: isFinished(order),
    answered: order.answered,
    attempts: order.attempts,
    calls: order.calls.map((call) => callInfo(call, true)),
    createdAt: order.createdMs,
    duplicate: order.duplicate
  })

  // ---- status machine ------------------------------------------------------

  const setStatus = (task: Task, status: number, at: number) => {
    if (task.status === status) return
    task.status = status
    task.history.push({ status, at })
    if (status !== Status.Pending) task.startAtMs = undefined
    emitTask(task)
  }

  const maxAttempts = (task: Task) => (task.flags.roundRedial ? 2 : 1)

  const checkCompletion = (task: Task, at: number) => {
    if (
      task.status === Status.InProgress && !task.flags.taskKeep && task.orders.length > 0 && task.active === 0 &&
      task.orders.every(isFinished)
    ) {
      setStatus(task, Status.Completed, at)
    }
  }

  // ---- dial windows --------------------------------------------------------

  const halfHour = 1800
  const inWindow = (task: Task, ms: number): boolean => {
    if (!options.dialWindows) return true
    const local = Math.floor(ms / 1000) + task.setting.zoneSecond
    const day = Math.floor(local / 86400)
    const weekDay = (((day + 3) % 7) + 7) % 7 + 1 // 1970-01-01 was a Thursday (4)
    const secondOfDay = ((local % 86400) + 86400) % 86400
    const hour = Math.floor(secondOfDay / 3600)
    const firstHalf = secondOfDay % 3600 < halfHour
    return task.setting.weekDays.includes(weekDay) &&
      (firstHalf ? task.setting.upHours.includes(hour) : task.setting.downHours.includes(hour))
  }

  /** The first instant at or after `ms` inside the task's dial window. */
  const nextWindowOpen = (task: Task, ms: number): number | undefined => {
    if (inWindow(task, ms)) return ms
    const local = Math.floor(ms / 1000) + task.setting.zoneSecond
    let boundary = (Math.floor(local / halfHour) + 1) * halfHour
    for (let i = 0; i <= 7 * 48; i++) {
      const candidate = (boundary - task.setting.zoneSecond) * 1000
      if (inWindow(task, candidate)) return candidate
      boundary += halfHour
    }
    return undefined
  }

  // ---- calls ---------------------------------------------------------------

  const smsFor = (order: Order, call: { callID: string; intents: ReadonlyArray<IntentDef> }, endMs: number) => {
    if (!order.sms.enable || call.intents.length === 0) return []
    let rule: SmsRule | undefined
    // Later rules overwrite earlier ones for the same intent (vendor rule), so the last match wins.
    for (const candidate of order.sms.rules) {
      if (
        call.intents.some((i) => candidate.intentIDs.includes(i.intentID) || candidate.intentNames.includes(i.intentName))
      ) rule = candidate
    }
    return rule === undefined ? [] : [{
      smsSendTs: seconds(endMs),
      sysMessageID: `SMS-${call.callID}`,
      smsContent: `SMS template ${rule.smsID}`
    }]
  }

  const startCall = (order: Order, at: number) => {
    const task = order.task
    const attempt = order.attempts + 1
    const draw = Random.stream(
      options.seed,
      `call|${task.uuid}|${task.userTaskID}|${order.orderID}|${order.duplicate}|${attempt}`
    )
    const uOutcome = draw()
    const uRing = draw()
    const uTalk = draw()
    const uIntent = draw()
    const chosen = campaign.decideCall?.({
      userTaskID: task.userTaskID,
      orderID: order.orderID,
      userPhone: order.userPhone,
      attempt
    })
    const outcome = chosen?.status ??
      (uOutcome < answerRate ? "answered" : uOutcome < answerRate + failureRate ? "failed" : "noAnswer")
    const seq = ++callSeq
    const callID = `C${String(seq).padStart(9, "0")}`
    let call: Call
    if (outcome === "answered") {
      const ring = Math.max(0, chosen?.ringSeconds ?? Random.inRange(uRing, ringRange))
      const talk = Math.max(1, chosen?.talkSeconds ?? Random.inRange(uTalk, talkRange))
      const intent = (chosen?.intentID === undefined
        ? undefined
        : intents.find((i) => i.intentID === chosen.intentID)) ??
        intents[Random.between(uIntent, 0, intents.length - 1)]
      const endMs = at + (ring + talk) * 1000
      const reached = intent === undefined ? [] : [intent]
      call = {
        seq,
        callID,
        order,
        attempt,
        status: 1,
        startMs: at,
        answerMs: at + ring * 1000,
        endMs,
        talkSeconds: talk,
        turns: 1 + Math.floor(talk / 10),
        intents: reached,
        sms: smsFor(order, { callID, intents: reached }, endMs)
      }
    } else {
      const ringFor = outcome === "failed"
        ? failedSeconds
        : campaign.noAnswerSeconds ?? (task.setting.maxRingTime > 0 ? task.setting.maxRingTime : 30)
      call = {
        seq,
        callID,
        order,
        attempt,
        status: outcome === "failed" ? 3 : 2,
        startMs: at,
        answerMs: undefined,
        endMs: at + Math.max(1, ringFor) * 1000,
        talkSeconds: 0,
        turns: 0,
        intents: [],
        sms: []
      }
    }
    order.state = "dialling"
    order.attempts = attempt
    task.active++
    active.push(call)
  }

  const finishOrder = (order: Order, last: Call | undefined) => {
    order.state = "finished"
    if (order.orderCallbackUrl === "") return
    outbox.push({
      kind: "order",
      uuid: order.task.uuid,
      url: order.orderCallbackUrl,
      userTaskID: order.task.userTaskID,
      body: JSON.stringify({
        callbackType: "2",
        ...orderEntry(order, last === undefined ? null : callInfo(last, false))
      })
    })
  }

  const endCall = (call: Call) => {
    active = active.filter((c) => c !== call)
    const order = call.order
    const task = order.task
    task.active--
    order.calls.push(call)
    if (call.status === 1) order.answered = true
    const done = call.status === 1 || call.attempt >= maxAttempts(task)
    if (!done) {
      order.state = "pending"
      order.readyAtMs = call.endMs + redialDelayMs
    } else {
      order.state = "finished"
    }
    if (order.callCallbackUrl !== "") {
      outbox.push({
        kind: "call",
        uuid: task.uuid,
        url: order.callCallbackUrl,
        userTaskID: task.userTaskID,
        body: JSON.stringify({ callbackType: 3, ...orderEntry(order, callInfo(call, true)) })
      })
    }
    if (done) finishOrder(order, call)
    checkCompletion(task, call.endMs)
  }

  const fill = (at: number) => {
    for (const task of tasks) {
      if (task.status !== Status.InProgress) continue
      if (task.active < task.setting.maxCall && inWindow(task, at)) {
        const limit = maxAttempts(task)
        // One scan per free robot: the order ready longest (then the oldest) goes first.
        while (task.active < task.setting.maxCall) {
          let next: Order | undefined
          for (const order of task.orders) {
            if (order.state !== "pending" || order.readyAtMs > at) continue
            if (order.attempts >= limit) {
              // roundRedial was switched off while the order waited for its redial.
              finishOrder(order, order.calls[order.calls.length - 1])
              continue
            }
            if (next === undefined || order.readyAtMs < next.readyAtMs) next = order
          }
          if (next === undefined) break
          startCall(next, at)
        }
      }
      checkCompletion(task, at)
    }
  }

  const applyUpdate = (task: Task, at: number) => {
    const update = task.pendingUpdate
    if (update === undefined) return
    task.pendingUpdate = undefined
    task.setting = update.setting
    task.flags = update.flags
    task.rawSetting = update.rawSetting
    task.rawFuncFlag = update.rawFuncFlag
    if (update.taskCallbackUrl !== undefined) task.taskCallbackUrl = update.taskCallbackUrl
    if (task.status === Status.Pending) scheduleStart(task, at)
  }

  const scheduleStart = (task: Task, at: number) => {
    const type = task.setting.startupType
    if (type === 3) {
      setStatus(task, Status.InProgress, at)
    } else if (type === 2) {
      const startAt = task.setting.startupAt * 1000
      if (startAt <= at) setStatus(task, Status.InProgress, at)
      else task.startAtMs = startAt
    } else {
      task.startAtMs = undefined
    }
  }

  const nextDue = (): number | undefined => {
    let next = Number.POSITIVE_INFINITY
    for (const call of active) next = Math.min(next, call.endMs)
    for (const task of tasks) {
      if (task.status === Status.Pending && task.startAtMs !== undefined) next = Math.min(next, task.startAtMs)
      if (task.pendingUpdate !== undefined) next = Math.min(next, task.pendingUpdate.applyAtMs)
      if (task.status === Status.InProgress && task.active < task.setting.maxCall) {
        let ready = Number.POSITIVE_INFINITY
        for (const order of task.orders) if (order.state === "pending") ready = Math.min(ready, order.readyAtMs)
        if (ready < Number.POSITIVE_INFINITY) {
          const open = nextWindowOpen(task, Math.max(ready, simTime))
          if (open !== undefined) next = Math.min(next, open)
        }
      }
    }
    return next === Number.POSITIVE_INFINITY ? undefined : next
  }

  const step = (at: number) => {
    simTime = at
    const ending = active.filter((c) => c.endMs <= at).sort((a, b) => a.endMs - b.endMs || a.seq - b.seq)
    for (const call of ending) endCall(call)
    for (const task of tasks) {
      if (task.pendingUpdate !== undefined && task.pendingUpdate.applyAtMs <= at) applyUpdate(task, at)
      if (task.status === Status.Pending && task.startAtMs !== undefined && task.startAtMs <= at) {
        setStatus(task, Status.InProgress, at)
      }
    }
    fill(at)
  }

  const advance = (nowMs: number) => {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const due = nextDue()
      if (due === undefined || due > nowMs) break
      const at = Math.max(due, simTime)
      if (at > nowMs) break
      step(at)
    }
    simTime = Math.max(simTime, nowMs)
    fill(simTime)
  }

  // ---- validation of shared objects ----------------------------------------

  const checkProduct = (f: Fields, body: unknown) => {
    const productID = f.string(body, "productID")
    f.value(productID === "callbot", "productID", "must be \"callbot\"")
  }

  type SettingMode = "createAndCall" | "createTask" | "update"

  const readHours = (f: Fields, text: string | undefined, path: string, min: number, max: number) => {
    if (text === undefined) return undefined
    const list = parseIntList(text, min, max)
    f.value(list !== undefined, path, `comma-separated values in ${min}-${max}`)
    return list
  }

  const readSetting = (
    f: Fields,
    raw: Record<string, unknown>,
    mode: SettingMode,
    base: Settings | undefined
  ): Settings => {
    const p = (k: string) => `taskCreateSetting.${k}`
    const all = mode === "createAndCall"
    const strategyName = f.optString(raw, "strategyName", p("strategyName"), all)
    const startupType = f.optInteger(raw, "startupType", p("startupType"), mode !== "update")
    const startupAt = f.optInteger(raw, "startupAt", p("startupAt"), all)
    const zoneSecond = f.optInteger(raw, "zoneSecond", p("zoneSecond"), all)
    const weekDayText = f.optString(raw, "dialAtWeekDay", p("dialAtWeekDay"), all)
    // The createTask example spells the key "dialAtUpHour " (trailing space).
    const upKey = mode === "createTask" && !f.has(raw, "dialAtUpHour") && f.has(raw, "dialAtUpHour ")
      ? "dialAtUpHour "
      : "dialAtUpHour"
    const upText = f.optString(raw, upKey, p("dialAtUpHour"), all)
    const downText = f.optString(raw, "dialAtDownHour", p("dialAtDownHour"), all)
    const maxRingTime = f.optInteger(raw, "maxRingTime", p("maxRingTime"), all)
    const routeID = f.optString(raw, "routeID", p("routeID"), all)
    const maxCall = f.optInteger(raw, "maxCall", p("maxCall"), all)
    const taskName = f.optString(raw, "taskName", p("taskName"), all)
    const manual = f.optObject(raw, "manualCallSetting", p("manualCallSetting"))
    if (manual !== undefined) {
      const m = (k: string) => p(`manualCallSetting.${k}`)
      const agentGroup = f.string(manual, "agentGroup", m("agentGroup"))
      const dispatchType = f.integer(manual, "dispatchType", m("dispatchType"))
      f.optNumber(manual, "ratioCallRate", m("ratioCallRate"), true)
      f.optNumber(manual, "predictCallRate", m("predictCallRate"), true)
      f.notBlank(agentGroup, m("agentGroup"))
      f.value([0, 1, 3].includes(dispatchType), m("dispatchType"), "must be 0, 1 or 3")
    }
    if (all) f.notBlank(taskName, p("taskName"))
    const weekDays = weekDayText === undefined ? undefined : readHours(f, weekDayText, p("dialAtWeekDay"), 1, 7)
    if (weekDays !== undefined) f.value(weekDays.length > 0, p("dialAtWeekDay"), "at least one weekday")
    const upHours = readHours(f, upText, p("dialAtUpHour"), 0, 23)
    const downHours = readHours(f, downText, p("dialAtDownHour"), 0, 23)
    if (startupType !== undefined) {
      const allowed = mode === "createTask" ? [0, 1, 2, 3] : [1, 2, 3]
      f.value(allowed.includes(startupType), p("startupType"), `must be ${allowed.join(", ")}`)
    }
    if (startupAt !== undefined) f.value(startupAt >= 0, p("startupAt"), "must not be negative")
    if (zoneSecond !== undefined) {
      f.value(
        zoneSecond >= minZoneSecond && zoneSecond <= maxZoneSecond,
        p("zoneSecond"),
        `a UTC offset in seconds between ${minZoneSecond} and ${maxZoneSecond}`
      )
    }
    if (maxRingTime !== undefined) f.value(maxRingTime >= 0, p("maxRingTime"), "must not be negative")
    if (maxCall !== undefined) f.value(maxCall >= 1, p("maxCall"), "must be at least 1")
    const merged: Settings = {
      strategyName: strategyName ?? base?.strategyName ?? "默认策略",
      // createTask's example uses startupType 0, not in the enum; it is read as manual start.
      startupType: startupType === undefined ? base?.startupType ?? 1 : startupType === 0 ? 1 : startupType,
      startupAt: startupAt ?? base?.startupAt ?? 0,
      zoneSecond: zoneSecond ?? base?.zoneSecond ?? 0,
      weekDays: weekDays ?? base?.weekDays ?? allWeekDays,
      upHours: upHours ?? base?.upHours ?? allHours,
      downHours: downHours ?? base?.downHours ?? allHours,
      maxRingTime: maxRingTime ?? base?.maxRingTime ?? 0,
      routeID: routeID ?? base?.routeID ?? "",
      maxCall: maxCall ?? base?.maxCall ?? options.defaultMaxCall,
      taskName: taskName ?? base?.taskName ?? ""
    }
    f.value(
      merged.startupType !== 2 || merged.startupAt > 0,
      p("startupAt"),
      "required (Unix seconds) when startupType is 2"
    )
    return merged
  }

  const readFlags = (f: Fields, raw: Record<string, unknown>, mode: SettingMode, base: Flags | undefined): Flags => {
    const p = (k: string) => `funcFlag.${k}`
    const all = mode === "createAndCall"
    const flag = (k: string, required: boolean) => f.optBoolean(raw, k, p(k), required)
    const taskKeep = flag("taskKeep", all)
    const roundRedial = flag("roundRedial", all)
    const wholeTTS = flag("wholeTTS", all)
    const smsEnable = flag("smsEnable", all)
    const phoneEncrypt = flag("phoneEncrypt", all)
    const entries = f.optArray(raw, "smsFuncFlag", p("smsFuncFlag"), all)
    let rules: Array<SmsRule> | undefined
    if (entries !== undefined) {
      rules = []
      entries.forEach((entry, i) => {
        const q = (k: string) => p(`smsFuncFlag[${i}].${k}`)
        if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
          f.reject(3, `${p(`smsFuncFlag[${i}]`)} must be an object`)
          return
        }
        // createTask documents smsId / intentId; the other endpoints smsID / intentID.
        const idKey = mode === "createTask" && !f.has(entry, "smsID") ? "smsId" : "smsID"
        const intentKey = mode === "createTask" && !f.has(entry, "intentID") ? "intentId" : "intentID"
        const smsID = f.string(entry, idKey, q(idKey))
        const intentIDs = f.optStrings(entry, intentKey, q(intentKey), mode !== "createTask") ?? []
        const intentNames = f.optStrings(entry, "intentName", q("intentName"), mode !== "createTask") ?? []
        f.notBlank(smsID, q(idKey))
        rules?.push({ smsID, intentIDs, intentNames })
      })
    }
    return {
      taskKeep: taskKeep ?? base?.taskKeep ?? false,
      roundRedial: roundRedial ?? base?.roundRedial ?? false,
      wholeTTS: wholeTTS ?? base?.wholeTTS ?? false,
      smsEnable: smsEnable ?? base?.smsEnable ?? false,
      phoneEncrypt: phoneEncrypt ?? base?.phoneEncrypt ?? false,
      smsRules: rules ?? base?.smsRules ?? []
    }
  }

  const readUrl = (f: Fields, o: unknown, k: string, path: string, required: boolean): string => {
    const url = f.optString(o, k, path, required)
    if (url === undefined) return ""
    if (required) f.notBlank(url, path)
    if (url.trim() !== "") f.value(isHttpUrl(url), path, "must be an absolute http(s) URL")
    return url
  }

  const readCallInfo = (f: Fields, body: unknown) => {
    const info = f.object(body, "callInfoList")
    const orderCallbackUrl = readUrl(f, info, "orderCallbackUrl", "callInfoList.orderCallbackUrl", true)
    const callCallbackUrl = readUrl(f, info, "callCallbackUrl", "callInfoList.callCallbackUrl", true)
    const callList = f.array(info, "callList", "callInfoList.callList")
    return { orderCallbackUrl, callCallbackUrl, callList }
  }

  const lookupTask = (f: Fields, uuid: string, body: unknown): Task | undefined => {
    const userTaskID = f.string(body, "userTaskID")
    f.notBlank(userTaskID, "userTaskID")
    if (f.rejection !== undefined) return undefined
    const task = taskIndex.get(key(uuid, userTaskID))
    if (task === undefined) f.reject(4, `invalid value: userTaskID: no task ${JSON.stringify(userTaskID)}`)
    return task
  }

  const tooMany = (what: string, length: number, max: number): Reply =>
    fail(4001, `${what} has ${length} elements; at most ${max} are accepted`)

  // ---- creating things ---------------------------------------------------

  const newTask = (input: {
    uuid: string
    userTaskID: string
    sceneID: string
    createdBy: Task["createdBy"]
    taskCallbackUrl: string
    orderCallbackUrl: string
    callCallbackUrl: string
    setting: Settings
    flags: Flags
    rawSetting: Record<string, unknown>
    rawFuncFlag: Record<string, unknown>
    now: number
  }): Task => {
    const seq = ++taskSeq
    const task: Task = {
      seq,
      uuid: input.uuid,
      userTaskID: input.userTaskID,
      taskID: `T${seconds(input.now)}${String(seq).padStart(6, "0")}`,
      sceneID: input.sceneID,
      status: Status.Pending,
      createdMs: input.now,
      createdBy: input.createdBy,
      taskCallbackUrl: input.taskCallbackUrl,
      orderCallbackUrl: input.orderCallbackUrl,
      callCallbackUrl: input.callCallbackUrl,
      rawSetting: input.rawSetting,
      rawFuncFlag: input.rawFuncFlag,
      setting: input.setting,
      flags: input.flags,
      orders: [],
      active: 0,
      startAtMs: undefined,
      pendingUpdate: undefined,
      batch: undefined,
      importingUntilMs: Number.NEGATIVE_INFINITY,
      history: [{ status: Status.Pending, at: input.now }]
    }
    tasks.push(task)
    taskIndex.set(key(input.uuid, input.userTaskID), task)
    taskCreations.set(input.userTaskID, (taskCreations.get(input.userTaskID) ?? 0) + 1)
    return task
  }

  /** Starts a new task per its startup type, without a status callback (the creation callback follows). */
  const initialStatus = (task: Task, now: number) => {
    const type = task.setting.startupType
    if (type === 3 || (type === 2 && task.setting.startupAt * 1000 <= now)) {
      task.status = Status.InProgress
      task.history.push({ status: Status.InProgress, at: now })
    } else if (type === 2) {
      task.startAtMs = task.setting.startupAt * 1000
    }
  }

  const isRecord = (u: unknown): u is Record<string, unknown> =>
    typeof u === "object" && u !== null && !Array.isArray(u)

  const importOrders = (
    task: Task,
    callList: ReadonlyArray<unknown>,
    urls: { orderCallbackUrl: string; callCallbackUrl: string },
    now: number,
    batchID: string | undefined,
    readyAtMs: number
  ) => {
    const errList: Array<{ phone: string; errMsg: string }> = []
    let success = 0
    for (const entry of callList) {
      if (!isRecord(entry)) {
        errList.push({ phone: "", errMsg: "callList entry must be an object" })
        continue
      }
      const o = new Fields()
      const orderID = o.string(entry, "orderID")
      const userPhone = o.string(entry, "userPhone")
      const other = o.string(entry, "other")
      const userName = o.string(entry, "userName")
      const customerName = o.string(entry, "customerName")
      const params = o.array(entry, "params")
      params.forEach((param, i) => {
        if (!isRecord(param)) {
          o.reject(3, `params[${i}] must be an object`)
          return
        }
        for (const k of ["name", "value"]) {
          const v = param[k]
          if (v !== undefined && v !== null && typeof v !== "string") o.reject(3, `params[${i}].${k} must be a string`)
        }
      })
      o.notBlank(orderID, "orderID")
      const phone = typeof entry.userPhone === "string" ? entry.userPhone : ""
      if (o.rejection !== undefined) {
        errList.push({ phone, errMsg: o.rejection.retMsg })
        continue
      }
      if (!phonePattern.test(userPhone)) {
        errList.push({ phone, errMsg: "invalid value: userPhone: digits only with the country code (7-15 digits)" })
        continue
      }
      const k = key(task.uuid, orderID)
      const existing = orderIndex.get(k) ?? []
      if (existing.length > 0 && options.duplicateOrderIDs === "reject") {
        errList.push({ phone, errMsg: `invalid value: orderID ${JSON.stringify(orderID)} already exists` })
        continue
      }
      const duplicate = (orderCreations.get(orderID) ?? 0) + 1
      orderCreations.set(orderID, duplicate)
      const order: Order = {
        seq: ++orderSeq,
        orderID,
        duplicate,
        task,
        userPhone,
        userName,
        customerName,
        other,
        params,
        orderCallbackUrl: urls.orderCallbackUrl,
        callCallbackUrl: urls.callCallbackUrl,
        batchID,
        sms: { enable: task.flags.smsEnable, rules: task.flags.smsRules },
        createdMs: now,
        state: "pending",
        readyAtMs,
        attempts: 0,
        answered: false,
        calls: []
      }
      task.orders.push(order)
      orderIndex.set(k, [...existing, order])
      success++
    }
    return { totalCount: callList.length, successCount: success, errList }
  }

  const deleteOrders = (task: Task, which: (order: Order) => boolean) => {
    const removed = task.orders.filter(which)
    if (removed.length === 0) return
    task.orders = task.orders.filter((o) => !which(o))
    for (const order of removed) {
      const k = key(task.uuid, order.orderID)
      const left = (orderIndex.get(k) ?? []).filter((o) => o !== order)
      if (left.length === 0) orderIndex.delete(k)
      else orderIndex.set(k, left)
    }
  }

  const undialled = (order: Order) => order.attempts === 0 && (order.state === "pending" || order.state === "stopped")

  const acceptsOrders = (task: Task): string | undefined =>
    task.status === Status.Completed || task.status === Status.Ended
      ? `task ${task.userTaskID} is ${task.status === Status.Completed ? "completed" : "ended"}; it takes no more orders`
      : undefined

  // ---- endpoints -----------------------------------------------------------

  const ping = (_uuid: string, body: unknown): Reply => {
    const f = new Fields()
    const data = f.string(body, "data")
    if (f.rejection) return fail(f.rejection.retCode, f.rejection.retMsg)
    return ok({ data })
  }

  const createAndCall = (uuid: string, body: unknown, now: number): Reply => {
    const f = new Fields()
    checkProduct(f, body)
    const userTaskID = f.string(body, "userTaskID")
    const sceneID = f.string(body, "sceneID")
    f.notBlank(userTaskID, "userTaskID")
    f.notBlank(sceneID, "sceneID")
    const rawSetting = f.object(body, "taskCreateSetting")
    const rawFuncFlag = f.object(body, "funcFlag")
    const setting = readSetting(f, rawSetting, "createAndCall", undefined)
    const taskCallbackUrl = readUrl(f, rawSetting, "taskCallbackUrl", "taskCreateSetting.taskCallbackUrl", true)
    const flags = readFlags(f, rawFuncFlag, "createAndCall", undefined)
    const info = readCallInfo(f, body)
    if (f.rejection) return fail(f.rejection.retCode, f.rejection.retMsg)
    if (info.callList.length > options.maxCallListLength) {
      return tooMany("callInfoList.callList", info.callList.length, options.maxCallListLength)
    }
    if (taskIndex.has(key(uuid, userTaskID)) && options.duplicateOrderIDs === "reject") {
      return fail(4, `invalid value: userTaskID ${JSON.stringify(userTaskID)} already exists`)
    }
    const task = newTask({
      uuid,
      userTaskID,
      sceneID,
      createdBy: "createAndCall",
      taskCallbackUrl,
      orderCallbackUrl: info.orderCallbackUrl,
      callCallbackUrl: info.callCallbackUrl,
      setting,
      flags,
      rawSetting,
      rawFuncFlag,
      now
    })
    initialStatus(task, now)
    const result = importOrders(task, info.callList, info, now, undefined, now)
    emitTask(task)
    return ok({ taskID: task.taskID, ...result })
  }

  const createTask = (uuid: string, body: unknown, now: number): Reply => {
    const f = new Fields()
    checkProduct(f, body)
    const userTaskID = f.string(body, "userTaskID")
    const sceneID = f.string(body, "sceneID")
    f.notBlank(userTaskID, "userTaskID")
    f.notBlank(sceneID, "sceneID")
    f.optString(body, "account")
    f.optString(body, "other")
    const rawSetting = f.object(body, "taskCreateSetting")
    const rawFuncFlag = f.optObject(body, "funcFlag") ?? {}
    const setting = readSetting(f, rawSetting, "createTask", undefined)
    const flags = readFlags(f, rawFuncFlag, "createTask", undefined)
    // createTask takes the callback URLs at the top level (and taskCallbackUrl possibly in the settings).
    const taskCallbackUrl = f.has(body, "taskCallbackUrl")
      ? readUrl(f, body, "taskCallbackUrl", "taskCallbackUrl", false)
      : readUrl(f, rawSetting, "taskCallbackUrl", "taskCreateSetting.taskCallbackUrl", false)
    const orderCallbackUrl = readUrl(f, body, "orderCallbackUrl", "orderCallbackUrl", false)
    if (f.rejection) return fail(f.rejection.retCode, f.rejection.retMsg)
    if (taskIndex.has(key(uuid, userTaskID)) && options.duplicateOrderIDs === "reject") {
      return fail(4, `invalid value: userTaskID ${JSON.stringify(userTaskID)} already exists`)
    }
    const task = newTask({
      uuid,
      userTaskID,
      sceneID,
      createdBy: "createTask",
      taskCallbackUrl,
      orderCallbackUrl,
      callCallbackUrl: "",
      setting,
      flags,
      rawSetting,
      rawFuncFlag,
      now
    })
    initialStatus(task, now)
    emitTask(task)
    return ok({ taskID: task.taskID })
  }

  const addBatchCall = (uuid: string, body: unknown, now: number): Reply => {
    const f = new Fields()
    checkProduct(f, body)
    const task = lookupTask(f, uuid, body)
    const info = readCallInfo(f, body)
    if (f.rejection || task === undefined) return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "")
    if (info.callList.length > options.maxCallListLength) {
      return tooMany("callInfoList.callList", info.callList.length, options.maxCallListLength)
    }
    const closed = acceptsOrders(task)
    if (closed !== undefined) return fail(1, closed)
    return ok(importOrders(task, info.callList, info, now, undefined, now))
  }

  const mgrTaskStatus = (uuid: string, body: unknown, now: number): Reply => {
    const f = new Fields()
    checkProduct(f, body)
    const task = lookupTask(f, uuid, body)
    const operate = f.integer(body, "taskOperate")
    const delCall = f.optInteger(body, "delCall")
    f.value([1, 2, 3].includes(operate), "taskOperate", "must be 1 (start), 2 (pause) or 3 (finish)")
    if (delCall !== undefined) f.value(delCall === 0 || delCall === 1, "delCall", "must be 0 or 1")
    if (f.rejection || task === undefined) return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "")
    const from = task.status
    const refuse = (what: string) => fail(1, `cannot ${what} task ${task.userTaskID}: it is ${Models.taskStatusName(from)}`)
    switch (operate) {
      case 1:
        if (from === Status.Completed || from === Status.Ended) return refuse("start")
        setStatus(task, Status.InProgress, now)
        break
      case 2:
        if (from === Status.Pending || from === Status.Completed || from === Status.Ended) return refuse("pause")
        setStatus(task, Status.Paused, now)
        break
      default:
        if (from === Status.Completed) return refuse("finish")
        setStatus(task, Status.Ended, now)
    }
    if (delCall === 1) deleteOrders(task, undialled)
    checkCompletion(task, now)
    return ok({ taskID: task.taskID, taskStatus: task.status })
  }

  const updateTask = (uuid: string, body: unknown, now: number): Reply => {
    const f = new Fields()
    checkProduct(f, body)
    const task = lookupTask(f, uuid, body)
    f.optString(body, "sceneID")
    const rawSetting = f.optObject(body, "taskCreateSetting")
    const rawFuncFlag = f.optObject(body, "funcFlag")
    if (f.rejection || task === undefined) return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "")
    const current = task.pendingUpdate ?? task
    const setting = rawSetting === undefined ? current.setting : readSetting(f, rawSetting, "update", current.setting)
    const flags = rawFuncFlag === undefined ? current.flags : readFlags(f, rawFuncFlag, "update", current.flags)
    const taskCallbackUrl = rawSetting === undefined
      ? undefined
      : f.optString(rawSetting, "taskCallbackUrl", "taskCreateSetting.taskCallbackUrl")
    if (taskCallbackUrl !== undefined && taskCallbackUrl.trim() !== "") {
      f.value(isHttpUrl(taskCallbackUrl), "taskCreateSetting.taskCallbackUrl", "must be an absolute http(s) URL")
    }
    const problem = f.problem()
    if (problem) return fail(problem.retCode, problem.retMsg)
    if (task.status !== Status.Pending && task.status !== Status.Paused) {
      return fail(1, `cannot update task ${task.userTaskID}: it is ${Models.taskStatusName(task.status)}; only pending or paused tasks can be updated`)
    }
    task.pendingUpdate = {
      applyAtMs: now + options.updateDelayMillis,
      taskCallbackUrl: taskCallbackUrl ?? task.pendingUpdate?.taskCallbackUrl,
      setting,
      flags,
      rawSetting: { ...current.rawSetting, ...rawSetting },
      rawFuncFlag: { ...current.rawFuncFlag, ...rawFuncFlag }
    }
    if (options.updateDelayMillis <= 0) applyUpdate(task, now)
    return ok()
  }

  interface Between {
    readonly gt: number | undefined
    readonly lt: number | undefined
  }

  interface CallFilter {
    readonly callID?: ReadonlyArray<string> | undefined
    readonly intentID?: ReadonlyArray<string> | undefined
    readonly intentName?: ReadonlyArray<string> | undefined
    readonly intentTag?: ReadonlyArray<string> | undefined
    readonly intentLevel?: ReadonlyArray<number> | undefined
    readonly callStatus?: ReadonlyArray<number> | undefined
    readonly turnTime?: Between | undefined
    readonly callDuration?: Between | undefined
    readonly startTs?: number | undefined
    readonly endTs?: number | undefined
  }

  const readBetween = (f: Fields, o: unknown, k: string, path: string): Between | undefined => {
    const range = f.optObject(o, k, path)
    if (range === undefined) return undefined
    const gt = f.optNumber(range, "gt", `${path}.gt`)
    const lt = f.optNumber(range, "lt", `${path}.lt`)
    const enable = f.optBoolean(range, "enable", `${path}.enable`)
    return enable === true ? { gt, lt } : undefined
  }

  const nonEmpty = <A>(xs: ReadonlyArray<A> | undefined) => (xs === undefined || xs.length === 0 ? undefined : xs)

  const readCallFilter = (f: Fields, o: Record<string, unknown>, withCallID: boolean): CallFilter => ({
    callID: withCallID ? nonEmpty(f.optStrings(o, "callID", "options.callID")) : undefined,
    intentID: nonEmpty(f.optStrings(o, "intentID", "options.intentID")),
    intentName: nonEmpty(f.optStrings(o, "intentName", "options.intentName")),
    intentTag: nonEmpty(f.optStrings(o, "intentTag", "options.intentTag")),
    intentLevel: nonEmpty(f.optIntegers(o, "intentLevel", "options.intentLevel")),
    callStatus: nonEmpty(f.optIntegers(o, "callStatus", "options.callStatus")),
    turnTime: readBetween(f, o, "turnTime", "options.turnTime"),
    callDuration: readBetween(f, o, "callDuration", "options.callDuration")
  })

  const inBetween = (x: number, range: Between | undefined) =>
    range === undefined ||
    ((range.gt === undefined || x > range.gt) && (range.lt === undefined || range.lt <= 0 || x < range.lt))

  const callMatches = (call: Call | undefined, filter: CallFilter): boolean => {
    const needsCall = Object.values(filter).some((v) => v !== undefined)
    if (call === undefined) return !needsCall
    const some = <A>(list: ReadonlyArray<A> | undefined, pick: (i: IntentDef) => A) =>
      list === undefined || call.intents.some((i) => list.includes(pick(i)))
    const startTs = seconds(call.startMs)
    return (filter.callID === undefined || filter.callID.includes(call.callID)) &&
      some(filter.intentID, (i) => i.intentID) &&
      some(filter.intentName, (i) => i.intentName) &&
      some(filter.intentTag, (i) => i.intentTag) &&
      some(filter.intentLevel, (i) => i.intentLevel) &&
      (filter.callStatus === undefined || filter.callStatus.includes(call.status)) &&
      inBetween(call.turns, filter.turnTime) &&
      inBetween(call.talkSeconds, filter.callDuration) &&
      (filter.startTs === undefined || filter.startTs <= 0 || startTs >= filter.startTs) &&
      (filter.endTs === undefined || filter.endTs <= 0 || startTs <= filter.endTs)
  }

  const readPage = (f: Fields, body: unknown, required: boolean) => {
    const page = f.optInteger(body, "page", "page", required) ?? 1
    const size = f.optInteger(body, "size", "size", required) ?? Math.min(100, options.maxPageSize)
    f.value(page >= 1, "page", "pages are numbered from 1")
    f.value(size >= 1 && size <= options.maxPageSize, "size", `must be between 1 and ${options.maxPageSize}`)
    return <A>(items: ReadonlyArray<A>) => items.slice((page - 1) * size, page * size)
  }

  const listTask = (uuid: string, body: unknown): Reply => {
    const f = new Fields()
    checkProduct(f, body)
    const paginate = readPage(f, body, true)
    const q = f.object(body, "queryConditions")
    const statuses = nonEmpty(f.optIntegers(q, "taskStatus", "queryConditions.taskStatus"))
    const names = nonEmpty(f.optStrings(q, "taskName", "queryConditions.taskName"))
    const sceneID = f.optString(q, "sceneID", "queryConditions.sceneID")
    const ids = nonEmpty(f.optStrings(q, "userTaskID", "queryConditions.userTaskID"))
    const startTs = f.optInteger(q, "startTs", "queryConditions.startTs")
    const endTs = f.optInteger(q, "endTs", "queryConditions.endTs")
    if (f.rejection) return fail(f.rejection.retCode, f.rejection.retMsg)
    const matching = tasks.filter((task) => {
      const createTs = seconds(task.createdMs)
      return task.uuid === uuid &&
        (statuses === undefined || statuses.includes(task.status)) &&
        (names === undefined || names.some((n) => task.setting.taskName.includes(n))) &&
        (sceneID === undefined || sceneID === "" || task.sceneID === sceneID) &&
        (ids === undefined || ids.includes(task.userTaskID)) &&
        (startTs === undefined || startTs <= 0 || createTs >= startTs) &&
        (endTs === undefined || endTs <= 0 || createTs <= endTs)
    })
    return ok({ taskData: paginate(matching).map(taskEntry) })
  }

  const listCall = (uuid: string, body: unknown): Reply => {
    const f = new Fields()
    checkProduct(f, body)
    const task = lookupTask(f, uuid, body)
    const o = f.object(body, "options")
    const filter: CallFilter = {
      ...readCallFilter(f, o, true),
      startTs: f.optInteger(o, "startTs", "options.startTs"),
      endTs: f.optInteger(o, "endTs", "options.endTs")
    }
    const paginate = readPage(f, body, false)
    if (f.rejection || task === undefined) return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "")
    const calls = task.orders.flatMap((order) => order.calls).sort((a, b) => a.seq - b.seq)
    const matching = calls.filter((call) => callMatches(call, filter))
    return ok({ callList: paginate(matching).map((call) => orderEntry(call.order, callInfo(call, true))) })
  }

  const listOrder = (uuid: string, body: unknown): Reply => {
    const f = new Fields()
    checkProduct(f, body)
    const task = lookupTask(f, uuid, body)
    const o = f.object(body, "options")
    const ids = nonEmpty(f.optStrings(o, "orderID", "options.orderID"))
    const finish = f.optInteger(o, "finish", "options.finish")
    if (finish !== undefined) f.value(finish === 0 || finish === 1, "options.finish", "must be 1 (finished), 0 (unfinished) or null")
    const filter = readCallFilter(f, o, false)
    const paginate = readPage(f, body, false)
    if (f.rejection || task === undefined) return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "")
    const matching = task.orders.filter((order) =>
      (ids === undefined || ids.includes(order.orderID)) &&
      (finish === undefined || (finish === 1) === isFinished(order)) &&
      callMatches(order.calls[order.calls.length - 1], filter)
    )
    return ok({
      orderList: paginate(matching).map((order) => {
        const last = order.calls[order.calls.length - 1]
        return orderEntry(order, last === undefined ? null : callInfo(last, true))
      })
    })
  }

  const stopOrder = (uuid: string, body: unknown, now: number): Reply => {
    const f = new Fields()
    checkProduct(f, body)
    const task = lookupTask(f, uuid, body)
    const orderIDs = f.optStrings(body, "orderIDs", "orderIDs", true) ?? []
    const delCall = f.optInteger(body, "delCall")
    if (delCall !== undefined) f.value(delCall === 0 || delCall === 1, "delCall", "must be 0 or 1")
    if (f.rejection || task === undefined) return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "")
    if (orderIDs.length > options.maxStopOrderIDs) return tooMany("orderIDs", orderIDs.length, options.maxStopOrderIDs)
    const errList: Array<{ orderID: string; errMsg: string }> = []
    let success = 0
    const stopped: Array<Order> = []
    for (const orderID of orderIDs) {
      const orders = task.orders.filter((o) => o.orderID === orderID)
      if (orders.length === 0) {
        errList.push({ orderID, errMsg: "order not found in this task" })
        continue
      }
      if (orders.some((o) => o.attempts > 0)) {
        errList.push({ orderID, errMsg: "order already dialled; only undialled orders can be stopped" })
        continue
      }
      for (const order of orders) {
        order.state = "stopped"
        stopped.push(order)
      }
      success++
    }
    if (delCall === 1) deleteOrders(task, (o) => stopped.includes(o))
    checkCompletion(task, now)
    return ok({ totalCount: orderIDs.length, successCount: success, errList })
  }

  const listOrderDetail = (uuid: string, body: unknown): Reply => {
    const f = new Fields()
    checkProduct(f, body)
    const task = lookupTask(f, uuid, body)
    const orderList = f.optStrings(body, "orderList", "orderList", true) ?? []
    if (f.rejection || task === undefined) return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "")
    if (orderList.length > MAX_ORDER_DETAIL_IDS) return tooMany("orderList", orderList.length, MAX_ORDER_DETAIL_IDS)
    const wanted = new Set(orderList)
    const detail = orderList.flatMap((orderID) => {
      if (!wanted.delete(orderID)) return []
      return task.orders.filter((o) => o.orderID === orderID).map((order) => {
        const { callInfoDetail: _, ...entry } = orderEntry(order, null)
        return { ...entry, callInfoDetailList: order.calls.map((call) => callInfo(call, true)) }
      })
    })
    return ok({ orderDetailList: detail })
  }

  const importInProgress = (task: Task, now: number) =>
    now < task.importingUntilMs ? fail(1001, "a batch import is in progress; import/export not possible") : undefined

  const exportBatchCall = (uuid: string, body: unknown, now: number): Reply => {
    const f = new Fields()
    checkProduct(f, body)
    const task = lookupTask(f, uuid, body)
    if (f.rejection || task === undefined) return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "")
    const busy = importInProgress(task, now)
    if (busy) return busy
    const batch = task.batch
    const orders = batch === undefined ? [] : task.orders.filter((o) => o.batchID === batch.id)
    return ok({
      totalCount: orders.length,
      batchID: batch?.id ?? "",
      callList: orders.map((order) => {
        const last = order.calls[order.calls.length - 1]
        return {
          orderID: order.orderID,
          userPhone: order.userPhone,
          other: order.other,
          callID: last?.callID ?? "",
          callStatus: last?.status ?? 0,
          callStartTs: last === undefined ? 0 : seconds(last.startMs),
          intents: last?.intents ?? []
        }
      })
    })
  }

  const importBatchCall = (uuid: string, body: unknown, now: number): Reply => {
    const f = new Fields()
    checkProduct(f, body)
    const task = lookupTask(f, uuid, body)
    const info = readCallInfo(f, body)
    if (f.rejection || task === undefined) return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "")
    const busy = importInProgress(task, now)
    if (busy) return busy
    if (info.callList.length > options.maxCallListLength) {
      return tooMany("callInfoList.callList", info.callList.length, options.maxCallListLength)
    }
    const closed = acceptsOrders(task)
    if (closed !== undefined) return fail(1, closed)
    const previous = task.batch
    const n = (previous?.n ?? 0) + 1
    const batchID = `${task.taskID}-B${n}`
    if (previous !== undefined) deleteOrders(task, (o) => o.batchID === previous.id && undialled(o))
    task.batch = { id: batchID, n }
    task.importingUntilMs = now + options.importMillis
    const result = importOrders(task, info.callList, info, now, batchID, now + options.importMillis)
    return ok({ batchID, ...result })
  }

  const endpoints = {
    ping,
    createTask,
    addBatchCall,
    createAndCall,
    mgrTaskStatus,
    updateTask,
    listTask,
    listCall,
    listOrder,
    stopOrder,
    listOrderDetail,
    exportBatchCall,
    importBatchCall
  }

  return {
    endpoints,
    advance,
    nextDue,
    drainOutbox: () => {
      const out = outbox
      outbox = []
      return out
    },
    taskCallbackNow: (uuid, userTaskID) => {
      const task = uuid === undefined
        ? [...tasks].reverse().find((t) => t.userTaskID === userTaskID)
        : taskIndex.get(key(uuid, userTaskID))
      return task === undefined ? undefined : taskCallback(task)
    },
    tasks: () => tasks.map(snapshotTask),
    orders: () => tasks.flatMap((task) => task.orders.map(snapshotOrder)),
    creations: () => ({ orders: new Map(orderCreations), tasks: new Map(taskCreations) }),
    reset: () => {
      tasks = []
      taskIndex = new Map()
      orderIndex = new Map()
      active = []
      outbox = []
      orderCreations = new Map()
      taskCreations = new Map()
    }
  }
}

