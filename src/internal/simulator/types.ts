/**
 * The simulator's models, shared by both faces (`Simulator.ts` over HTTP and
 * `Testing.ts` in memory), which re-export them under the same names: the
 * accounts, scripted answers, received requests, callbacks, settings, the
 * snapshots of tasks and orders, and the inspection members.
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Signer from "../../Signer.js"
import type { CampaignOptions, IntentDef } from "./campaign.js"
import type * as Faults from "./faults.js"

/** An account the simulated platform knows. */
export interface Account {
  readonly uuid: string
  readonly secretKey: Redacted.Redacted<string>
  /** The account's portal setting, used for callbacks. Default `MD5`. */
  readonly algorithm?: Signer.Algorithm | undefined
}

/** A canned answer for the next matching request (consumed once). */
export type ScriptedAnswer = Data.TaggedEnum<{
  /** Answer this `retCode` (signed) without touching any state. */
  RetCode: { readonly retCode: number; readonly retMsg?: string | undefined }
  /** Answer this HTTP status with a raw body. */
  HttpStatus: {
    readonly status: number
    readonly body?: string | undefined
    readonly headers?: Record<string, string> | undefined
  }
  /** Answer 200 with this raw body, correctly signed. */
  Malformed: { readonly body: string }
  /** Process the request, then answer with a tampered `sign` header. */
  BadSignature: {}
  /** Process the request, then sign the answer for another `requestID`. */
  WrongRequestID: {}
  /** Process the request, then answer without signature headers. */
  Unsigned: {}
}>

/** Constructors of {@link ScriptedAnswer}. */
export const ScriptedAnswer = Data.taggedEnum<ScriptedAnswer>()

/** One request as the simulator received it. */
export interface ReceivedRequest {
  /** Arrival order, from 0. */
  readonly index: number
  readonly endpoint: string
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>
  /** The body bytes as received (decompressed when sent with `Content-Encoding: gzip`). */
  readonly bytes: Uint8Array
  readonly body: string
  readonly requestID: string
  /** Did the signature verify? (`false` when it was not checked.) */
  readonly signatureValid: boolean
  /** Did the request take effect (it reached its endpoint and succeeded)? */
  readonly applied: boolean
  /** The fault injected into this request, if any (`latency` only when it was the sole fault). */
  readonly fault: Faults.FaultKind | undefined
  /** Extra delay injected, in milliseconds. */
  readonly latencyMillis: number | undefined
  /** HTTP status answered; `0` when the connection was dropped. */
  readonly status: number
  /** `retCode` (or ping `code`) answered, when there was one. */
  readonly retCode: number | undefined
  /** Arrival time (`Clock`, ms). */
  readonly at: number
}

/** A callback as it leaves the platform. */
export interface OutgoingCallback {
  readonly kind: "task" | "order" | "call"
  readonly url: string
  readonly body: string
  /** Signature headers (`requestID`, `uuid`, `createTs`, `sign`; no `algorithm`, like the vendor). */
  readonly headers: Readonly<Record<string, string>>
  readonly attempt: number
  readonly userTaskID: string
}

/** The receiver's answer to a callback. */
export interface CallbackReply {
  readonly status: number
  readonly body: string
}

/**
 * Delivers one callback attempt and returns the receiver's answer; a failure
 * means no answer (counted as a failed attempt).
 */
export type CallbackHandler = (callback: OutgoingCallback) => Effect.Effect<CallbackReply, unknown>

/** One callback delivery attempt. */
export interface CallbackDelivery {
  readonly kind: "task" | "order" | "call"
  readonly url: string
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
  readonly userTaskID: string
  readonly requestID: string
  readonly attempt: number
  /** HTTP status of the receiver's answer, or `undefined` if none came. */
  readonly status: number | undefined
  /** `retCode` in the receiver's answer, when it was JSON. */
  readonly retCode: number | undefined
  /** Acknowledged: HTTP 200 with `retCode` 0. */
  readonly acknowledged: boolean
  /** Why no answer came, when none did. */
  readonly error: string | undefined
  readonly at: number
}

/** Settings of the simulated platform. */
export interface EngineOptions {
  readonly accounts?: ReadonlyArray<Account> | undefined
  /** Deliver callbacks (task, order, call). Default `true`. */
  readonly deliverCallbacks?: boolean | undefined
  /** Delivery attempts per callback (the platform's real policy is not documented). Default 3. */
  readonly callbackAttempts?: number | undefined
  /** First retry delay of a callback, doubled on each retry (`Clock` time). Default 100 ms. */
  readonly callbackRetryDelayMillis?: number | undefined
  /** Time allowed for one callback attempt (`Clock` time). Default 10,000 ms. */
  readonly callbackTimeoutMillis?: number | undefined
  /**
   * Deliver callbacks to this in-process handler instead of over HTTP.
   */
  readonly callbackHandler?: CallbackHandler | undefined
  /** Largest `callList` accepted before answering 4001 (the real cap is not documented). Default 10,000. */
  readonly maxCallListLength?: number | undefined
  /** Largest `stopOrder.orderIDs` accepted before answering 4001 (not documented). Default 10,000. */
  readonly maxStopOrderIDs?: number | undefined
  /** Largest page `size` of the list endpoints; larger answers 4 (not documented). Default 1,000. */
  readonly maxPageSize?: number | undefined
  /** Reject requests whose `createTs` is further than this from the clock (seconds). Default: no check. */
  readonly maxClockSkewSeconds?: number | undefined
  /** Seed of every random choice of the campaign. Default `1`. */
  readonly seed?: number | undefined
  /** How calls go: answer rate, durations, intents. */
  readonly campaign?: CampaignOptions | undefined
  /**
   * Honour `dialAtWeekDay` / `dialAtUpHour` / `dialAtDownHour` with
   * `zoneSecond`: tasks dial only inside their windows. Default `false`
   * (tests usually start at the epoch, a Thursday 00:00 UTC).
   */
  readonly dialWindows?: boolean | undefined
  /** How long an `importBatchCall` stays "in progress" (answering 1001), in seconds. Default 0. */
  readonly importSeconds?: number | undefined
  /** Delay before an `updateTask` takes effect (the vendor says 5 minutes), in seconds. Default 0. */
  readonly updateTaskDelaySeconds?: number | undefined
  /**
   * What a re-sent `orderID` (or `userTaskID` on `createAndCall` /
   * `createTask`) does: `"reject"` (default) answers it in `errList` (or
   * `retCode` 4); `"accept"` creates a second order (task), so tests can
   * detect duplicates (see `creations`).
   */
  readonly duplicateOrderIDs?: "reject" | "accept" | undefined
  /** Fault mode: seeded, reproducible faults injected into requests. Default: off. */
  readonly faults?: Faults.FaultOptions | undefined
  /** Compress `listCall` / `exportBatchCall` answers when asked with `Accept-Encoding: gzip`. Default `true`. */
  readonly gzip?: boolean | undefined
  /**
   * How many received requests and callback attempts are kept for
   * inspection (the oldest are dropped first), so that a long-running
   * simulator does not grow without bound. Default 10,000 of each.
   */
  readonly historyLimit?: number | undefined
  /**
   * Granularity of the timer that moves the campaign forward, in
   * milliseconds: it wakes at multiples of this. Events keep their exact
   * times (timestamps, statistics); only callbacks go out up to this much
   * later. Under `TestClock` every wake costs real time, so a large value
   * (e.g. 60,000) makes big campaigns fast. Default 0: wake at each event.
   */
  readonly timerResolutionMillis?: number | undefined
}


/** The account the simulator knows when none is configured. */
export const testAccount: Account = {
  uuid: "sim-0000-uuid",
  secretKey: Redacted.make("sim-secret-key")
}

/** What the engine wants done with a request. */
export type Handled =
  | { readonly _tag: "Respond"; readonly response: HttpServerResponse.HttpServerResponse }
  /** Close the connection without an answer (fault mode). */
  | { readonly _tag: "Drop" }

/** How many times each ID was created, and how often an order already held was sent again. */
export interface Creations {
  readonly orders: ReadonlyMap<string, number>
  readonly tasks: ReadonlyMap<string, number>
  /**
   * Attempts to import an `orderID` the account already held, by orderID
   * (counted whether the import was refused or, with `duplicateOrderIDs:
   * "accept"`, created a duplicate): any entry is a double send.
   *
   * @since 0.2.0
   */
  readonly resent: ReadonlyMap<string, number>
}

/** The inspection and control members shared by `Simulator` and `Testing`. */
export interface Inspection {
  /** Queue a canned answer for the next matching request(s). */
  readonly script: (
    answer: ScriptedAnswer,
    options?: { readonly endpoint?: string; readonly times?: number }
  ) => Effect.Effect<void>
  readonly requests: Effect.Effect<ReadonlyArray<ReceivedRequest>>
  readonly tasks: Effect.Effect<ReadonlyArray<SimTask>>
  readonly orders: Effect.Effect<ReadonlyArray<SimOrder>>
  readonly callbacks: Effect.Effect<ReadonlyArray<CallbackDelivery>>
  /** Waits until at least `n` callback delivery attempts have finished. */
  readonly awaitCallbacks: (n: number) => Effect.Effect<ReadonlyArray<CallbackDelivery>>
  /** Delivers a task callback with the task's current status now. */
  readonly sendTaskCallback: (userTaskID: string) => Effect.Effect<void>
  /** Clears all state (tasks, orders, requests, callbacks, scripts, fault counters). */
  readonly reset: Effect.Effect<void>
  /** Faults injected so far, by kind. */
  readonly faultStats: Effect.Effect<Faults.FaultStats>
  /** Switches fault mode on (or off with `undefined`), restarting its sequence. */
  readonly setFaults: (faults: Faults.FaultOptions | undefined) => Effect.Effect<void>
  /** How many times each `orderID` / `userTaskID` was created, and each held `orderID` sent again (`resent`). */
  readonly creations: Effect.Effect<Creations>
  /** Processes every event due by the current `Clock` time (inspections do this themselves). */
  readonly catchUp: Effect.Effect<void>
}


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
