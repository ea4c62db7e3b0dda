/**
 * The simulator's engine: platform state, request handling, fault injection
 * and callback delivery, runtime-neutral (`@effect/platform` only).
 * `Simulator.ts` binds it to a Node.js HTTP server; `Testing.ts` calls it in
 * memory.
 *
 * Time is the Effect `Clock`: the platform (`./simulator/platform.ts`) is a
 * discrete-event simulation over virtual time that the engine advances to the
 * `Clock` time before and after every request, on every inspection, and from a
 * timer fiber that sleeps until the next event. Under `TestClock` a whole
 * campaign runs with `TestClock.adjust`.
 *
 * Its validation is written by hand from the vendor pages, independently of
 * the SDK's schemas, so that tests against it check the SDK rather than the
 * SDK against itself.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberSet from "effect/FiberSet"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import { gunzipSync, gzipSync } from "node:zlib"
import * as Signer from "../Signer.js"
import * as Faults from "./simulator/faults.js"
import { parseJson } from "./simulator/fields.js"
import * as Platform from "./simulator/platform.js"

export type {
  CallContext,
  CallDecision,
  CallInfo,
  CampaignOptions,
  IntentDef,
  SimOrder,
  SimTask,
  TaskStat
} from "./simulator/platform.js"
export type { FaultKind, FaultOptions, FaultStats } from "./simulator/faults.js"
export { defaultIntents } from "./simulator/platform.js"
export { faultKinds } from "./simulator/faults.js"

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
  readonly campaign?: Platform.CampaignOptions | undefined
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

/** How many times each ID was created. */
export interface Creations {
  readonly orders: ReadonlyMap<string, number>
  readonly tasks: ReadonlyMap<string, number>
}

/** The inspection and control members shared by `Simulator` and `Testing`. */
export interface Inspection {
  /** Queue a canned answer for the next matching request(s). */
  readonly script: (
    answer: ScriptedAnswer,
    options?: { readonly endpoint?: string; readonly times?: number }
  ) => Effect.Effect<void>
  readonly requests: Effect.Effect<ReadonlyArray<ReceivedRequest>>
  readonly tasks: Effect.Effect<ReadonlyArray<Platform.SimTask>>
  readonly orders: Effect.Effect<ReadonlyArray<Platform.SimOrder>>
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
  /** How many times each `orderID` / `userTaskID` was created. */
  readonly creations: Effect.Effect<Creations>
  /** Processes every event due by the current `Clock` time (inspections do this themselves). */
  readonly catchUp: Effect.Effect<void>
}

/** The simulator's state and request handler. */
export interface Engine extends Inspection {
  /** Handles one request; the binding drops the connection on `Drop`. */
  readonly handle: Effect.Effect<Handled, never, HttpServerRequest.HttpServerRequest>
}

interface Answer {
  readonly status: number
  readonly body: string
  readonly retCode: number | undefined
  readonly headers?: Record<string, string> | undefined
  /** Default `application/json; charset=utf-8`. */
  readonly contentType?: string | undefined
  /** How to sign the answer. */
  readonly signing: "normal" | "tampered" | "wrongRequestID" | "none"
}

const retAnswer = (retCode: number, retMsg: string, extra: Record<string, unknown> = {}): Answer => ({
  status: 200,
  retCode,
  body: JSON.stringify({ retCode, retMsg, responseID: Signer.makeRequestID(), ...extra }),
  signing: "normal"
})

const pingAnswer = (nowMs: number, code: number, msg: string, data: unknown): Answer => ({
  status: 200,
  retCode: code,
  body: JSON.stringify({
    data: typeof data === "string" ? data : "",
    timestamp: Math.floor(nowMs / 1000),
    code,
    msg,
    reqId: Signer.makeRequestID()
  }),
  signing: "normal"
})

const gzipEndpoints = new Set(["listCall", "exportBatchCall"])

const retCodeMessages: Record<number, string> = {
  1: "generic error",
  5: "server under maintenance",
  7: "system busy",
  5001: "internal server error"
}

const readRetCode = (text: string): number | undefined =>
  Option.flatMap(parseJson(text), (parsed) =>
    typeof parsed === "object" && parsed !== null && "retCode" in parsed && typeof parsed.retCode === "number"
      ? Option.some(parsed.retCode)
      : Option.none()).pipe(Option.getOrUndefined)

/** The `algorithm` header as a known algorithm (`undefined` when absent or unknown). */
const requestAlgorithm = (headers: Record<string, string>): Signer.Algorithm | undefined => {
  const value = headers["algorithm"]?.trim().toUpperCase()
  return value === "SHA256" ? "SHA256" : value === "MD5" ? "MD5" : undefined
}

const describe = (u: unknown): string =>
  u instanceof Error ? u.message : typeof u === "string" ? u : typeof u === "object" && u !== null && "_tag" in u
    ? String(u._tag)
    : "no answer"

/**
 * Builds the engine. Callbacks go to `options.callbackHandler` when given,
 * otherwise to `transport` (the HTTP binding's client); with neither they are
 * recorded as undeliverable.
 */
export const makeEngine = (
  options: EngineOptions = {},
  transport?: CallbackHandler
): Effect.Effect<Engine, never, Scope.Scope> =>
  Effect.gen(function*() {
    const accounts = new Map((options.accounts ?? [testAccount]).map((a) => [a.uuid, a]))
    const deliver = options.deliverCallbacks ?? true
    const attempts = Math.max(1, options.callbackAttempts ?? 3)
    const retryDelay = Math.max(0, options.callbackRetryDelayMillis ?? 100)
    const callbackTimeout = Math.max(1, options.callbackTimeoutMillis ?? 10_000)
    const gzip = options.gzip ?? true
    const historyLimit = Math.max(1, options.historyLimit ?? 10_000)
    const keepLast = <A>(items: Array<A>) => {
      if (items.length > historyLimit) items.splice(0, items.length - historyLimit)
    }
    const send: CallbackHandler = options.callbackHandler ?? transport ??
      (() => Effect.fail("no callback transport configured"))
    const fibers = yield* FiberSet.make()

    const platform = Platform.make({
      seed: options.seed ?? 1,
      campaign: options.campaign ?? {},
      dialWindows: options.dialWindows ?? false,
      importMillis: Math.max(0, options.importSeconds ?? 0) * 1000,
      updateDelayMillis: Math.max(0, options.updateTaskDelaySeconds ?? 0) * 1000,
      maxCallListLength: options.maxCallListLength ?? 10_000,
      maxPageSize: options.maxPageSize ?? 1000,
      maxStopOrderIDs: options.maxStopOrderIDs ?? 10_000,
      duplicateOrderIDs: options.duplicateOrderIDs ?? "reject",
      defaultMaxCall: 1
    })
    let faults = Faults.make(options.faults)
    let received: Array<ReceivedRequest> = []
    let requestIndex = 0
    let script: Array<{ endpoint: string | undefined; answer: ScriptedAnswer }> = []
    let deliveries: Array<CallbackDelivery> = []
    const deliveryCount = yield* SubscriptionRef.make(0)

    const nowSeconds = Effect.map(Clock.currentTimeMillis, (ms) => Math.floor(ms / 1000))

    const signerFor = (account: Account) =>
      Signer.make({ uuid: account.uuid, secretKey: account.secretKey, algorithm: account.algorithm })

    // ---- callbacks -------------------------------------------------------

    const deliverOne = (message: Platform.Outgoing) =>
      Effect.gen(function*() {
        const account = accounts.get(message.uuid)
        if (account === undefined) return
        const signer = signerFor(account)
        for (let attempt = 1; attempt <= attempts; attempt++) {
          const signed = yield* signer.sign(message.body)
          // The vendor lists no `algorithm` header for callbacks: the receiver uses its portal setting.
          const headers = Signer.toHeaders(signed, { algorithm: false })
          const outcome = yield* send({
            kind: message.kind,
            url: message.url,
            body: message.body,
            headers,
            attempt,
            userTaskID: message.userTaskID
          }).pipe(
            Effect.timeoutFail({
              duration: Duration.millis(callbackTimeout),
              onTimeout: () => `no answer within ${callbackTimeout} ms`
            }),
            Effect.either
          )
          const status = Either.isRight(outcome) ? outcome.right.status : undefined
          const retCode = Either.isRight(outcome) ? readRetCode(outcome.right.body) : undefined
          const acknowledged = status === 200 && retCode === 0
          deliveries.push({
            kind: message.kind,
            url: message.url,
            body: message.body,
            headers,
            userTaskID: message.userTaskID,
            requestID: signed.requestID,
            attempt,
            status,
            retCode,
            acknowledged,
            error: Either.isLeft(outcome) ? describe(outcome.left) : undefined,
            at: yield* Clock.currentTimeMillis
          })
          keepLast(deliveries)
          yield* SubscriptionRef.update(deliveryCount, (n) => n + 1)
          if (acknowledged) return
          if (attempt < attempts) yield* Effect.sleep(Duration.millis(retryDelay * 2 ** (attempt - 1)))
        }
      })

    const flush = Effect.suspend(() => {
      const messages = platform.drainOutbox()
      if (!deliver || messages.length === 0) return Effect.void
      return Effect.forEach(messages, (message) => FiberSet.run(fibers, deliverOne(message)), { discard: true })
    })

    // ---- virtual time ----------------------------------------------------

    const wake = yield* Queue.sliding<void>(1)
    let timerTarget: number | undefined
    const resolution = Math.max(0, options.timerResolutionMillis ?? 0)
    const wakeTime = (due: number) => (resolution > 0 ? Math.ceil(due / resolution) * resolution : due)

    /** Wakes the timer fiber when the next event is earlier than the one it sleeps for. */
    const poke = Effect.suspend(() => {
      const next = platform.nextDue()
      return next !== undefined && (timerTarget === undefined || wakeTime(next) < timerTarget)
        ? Queue.offer(wake, undefined)
        : Effect.void
    })

    const catchUp = Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.sync(() => platform.advance(now)).pipe(Effect.zipRight(flush), Effect.zipRight(poke)))

    const timer = Effect.gen(function*() {
      while (true) {
        const now = yield* Clock.currentTimeMillis
        platform.advance(now)
        yield* flush
        const next = platform.nextDue()
        timerTarget = next === undefined ? undefined : wakeTime(next)
        if (timerTarget === undefined) {
          yield* Queue.take(wake)
        } else {
          yield* Effect.raceFirst(Effect.sleep(Duration.millis(Math.max(1, timerTarget - now))), Queue.take(wake))
        }
        timerTarget = undefined
      }
    })
    yield* FiberSet.run(fibers, timer)

    // ---- HTTP ------------------------------------------------------------

    const takeScript = (endpoint: string): ScriptedAnswer | undefined => {
      const index = script.findIndex((s) => s.endpoint === undefined || s.endpoint === endpoint)
      if (index < 0) return undefined
      const [entry] = script.splice(index, 1)
      return entry?.answer
    }

    const respond = (
      account: Account | undefined,
      requestID: string,
      algorithm: Signer.Algorithm | undefined,
      answer: Answer,
      transfer: { readonly gzip: boolean; readonly truncate: boolean }
    ) =>
      Effect.gen(function*() {
        const headers: Record<string, string> = { ...answer.headers }
        if (account !== undefined && answer.signing !== "none") {
          const signer = Signer.make({ ...account, algorithm: algorithm ?? account.algorithm })
          const createTs = String(yield* nowSeconds)
          const signed = signer.signWith(answer.body, {
            requestID: answer.signing === "wrongRequestID" ? Signer.makeRequestID() : requestID,
            createTs
          })
          headers.requestID = requestID
          headers.uuid = signed.uuid
          headers.createTs = signed.createTs
          headers.sign = answer.signing === "tampered"
            ? signed.sign.replace(/^./, (c) => (c === "A" ? "B" : "A"))
            : signed.sign
          headers.algorithm = signed.algorithm
        }
        // The signature covers the uncompressed body (docs/vendor-gaps.md).
        let bytes = new TextEncoder().encode(answer.body)
        if (transfer.gzip) {
          bytes = new Uint8Array(gzipSync(bytes))
          headers["content-encoding"] = "gzip"
        }
        if (transfer.truncate) bytes = bytes.slice(0, Math.floor(bytes.length / 2))
        return HttpServerResponse.uint8Array(bytes, {
          status: answer.status,
          contentType: answer.contentType ?? "application/json; charset=utf-8",
          headers
        })
      })

    interface Outcome {
      readonly answer: Answer
      readonly applied: boolean
      readonly signatureValid: boolean
      readonly account: Account | undefined
      readonly algorithm: Signer.Algorithm | undefined
    }

    /** Verification, scripted answers and the endpoint itself. */
    const process = (endpoint: string, headers: Record<string, string>, bytes: Uint8Array) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const isPing = endpoint === "ping"
        const envelope = (code: number, msg: string, fields: Record<string, unknown> = {}): Answer =>
          isPing ? pingAnswer(now, code, msg, fields.data) : retAnswer(code, msg, fields)
        const header = (name: string) => headers[name]?.trim() ?? ""
        const algorithmHeader = header("algorithm").toUpperCase()
        const algorithm = requestAlgorithm(headers)
        const account = accounts.get(header("uuid"))
        const rejected = (code: number, msg: string): Outcome => ({
          answer: envelope(code, msg),
          applied: false,
          signatureValid: false,
          account,
          algorithm
        })

        if (["sign", "requestid", "uuid", "createts"].some((h) => header(h) === "")) {
          return rejected(6001, "signature missing")
        }
        if (account === undefined) return rejected(6002, "account does not exist")
        if (algorithmHeader !== "" && algorithm === undefined) return rejected(6, "unsupported signature algorithm")
        const expected = Signer.signature({
          secretKey: account.secretKey,
          uuid: account.uuid,
          body: bytes,
          createTs: header("createts"),
          requestID: header("requestid"),
          algorithm: algorithm ?? "MD5"
        })
        if (!Signer.constantTimeEqual(expected, header("sign"))) return rejected(6, "signature incorrect")
        if (options.maxClockSkewSeconds !== undefined) {
          const skew = Math.abs(Number(header("createts")) - Math.floor(now / 1000))
          if (!(skew <= options.maxClockSkewSeconds)) return rejected(6, "createTs out of range")
        }
        const accepted = (answer: Answer, applied: boolean): Outcome => ({
          answer,
          applied,
          signatureValid: true,
          account,
          algorithm
        })

        const scripted = takeScript(endpoint)
        let signing: Answer["signing"] = "normal"
        if (scripted !== undefined) {
          switch (scripted._tag) {
            case "RetCode":
              return accepted(envelope(scripted.retCode, scripted.retMsg ?? `scripted retCode ${scripted.retCode}`), false)
            case "HttpStatus":
              return accepted({
                status: scripted.status,
                body: scripted.body ?? "",
                retCode: undefined,
                headers: scripted.headers,
                contentType: "text/plain",
                signing: "none"
              }, false)
            case "Malformed":
              return accepted({ status: 200, body: scripted.body, retCode: undefined, signing: "normal" }, false)
            case "BadSignature":
              signing = "tampered"
              break
            case "WrongRequestID":
              signing = "wrongRequestID"
              break
            case "Unsigned":
              signing = "none"
              break
          }
        }

        const json = parseJson(new TextDecoder().decode(bytes))
        if (Option.isNone(json)) return accepted(envelope(3, "body is not valid JSON"), false)
        if (typeof json.value !== "object" || json.value === null || Array.isArray(json.value)) {
          return accepted(envelope(3, "body must be a JSON object"), false)
        }
        const handler = platform.endpoints[endpoint]
        if (handler === undefined) return accepted(envelope(1, "unknown endpoint"), false)
        const reply = yield* Effect.sync(() => {
          platform.advance(now)
          const result = handler(account.uuid, json.value, now)
          platform.advance(now)
          return result
        })
        yield* flush
        yield* poke
        return accepted({ ...envelope(reply.retCode, reply.retMsg, reply.fields), signing }, reply.retCode === 0)
      })

    const handle = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const at = yield* Clock.currentTimeMillis
      const match = /^\/callcentre\/api\/v3\/([A-Za-z]+)\/?(?:\?.*)?$/.exec(request.url)
      const endpoint = match?.[1] ?? ""
      const raw = yield* request.arrayBuffer.pipe(
        Effect.map((b) => new Uint8Array(b)),
        Effect.orElseSucceed(() => new Uint8Array(0))
      )
      const headers: Record<string, string> = { ...request.headers }
      const index = requestIndex++
      const requestID = headers["requestid"] ?? ""
      let bytes = raw
      const record = (entry: {
        status: number
        retCode: number | undefined
        signatureValid: boolean
        applied: boolean
        fault: Faults.FaultKind | undefined
        latencyMillis: number | undefined
      }) => {
        received.push({
          index,
          endpoint,
          headers,
          bytes,
          body: new TextDecoder().decode(bytes),
          requestID,
          at,
          ...entry
        })
        keepLast(received)
        return Effect.annotateCurrentSpan({
          "callbot.endpoint": endpoint,
          "callbot.status": entry.status,
          "callbot.retCode": entry.retCode,
          "callbot.applied": entry.applied,
          "callbot.fault": entry.fault
        })
      }
      const respondTo = (outcome: Outcome, extra: { truncate: boolean }) =>
        respond(outcome.account, requestID, outcome.algorithm, outcome.answer, {
          gzip: gzip && gzipEndpoints.has(endpoint) && /\bgzip\b/i.test(headers["accept-encoding"] ?? "") &&
            outcome.answer.status === 200,
          truncate: extra.truncate
        })

      if (request.method !== "POST" || platform.endpoints[endpoint] === undefined) {
        yield* record({ status: 404, retCode: undefined, signatureValid: false, applied: false, fault: undefined, latencyMillis: undefined })
        const response = HttpServerResponse.text("404 page not found", { status: 404 })
        return { _tag: "Respond", response } satisfies Handled
      }

      const decision = faults.decide(endpoint)
      const latencyMillis = decision?.latencyMillis
      if (latencyMillis !== undefined) yield* Effect.sleep(Duration.millis(latencyMillis))
      const fault: Faults.FaultKind | undefined = decision?.kind ?? (latencyMillis === undefined ? undefined : "latency")
      const base = { fault, latencyMillis }

      // Faults at the edge: the request never reaches the platform.
      if (decision?.kind === "dropBeforeProcessing") {
        yield* record({ ...base, status: 0, retCode: undefined, signatureValid: false, applied: false })
        return { _tag: "Drop" } satisfies Handled
      }
      if (decision?.kind === "httpStatus") {
        const status = decision.httpStatus ?? 503
        yield* record({ ...base, status, retCode: undefined, signatureValid: false, applied: false })
        const response = HttpServerResponse.text(`simulated HTTP ${status}`, {
          status,
          headers: decision.retryAfterSeconds === undefined ? {} : { "retry-after": String(decision.retryAfterSeconds) }
        })
        return { _tag: "Respond", response } satisfies Handled
      }
      const burstCode = decision?.kind === "retCodeBurst" ? decision.retCode ?? 7 : undefined
      const burstMessage = burstCode === undefined ? "" : retCodeMessages[burstCode] ?? `retCode ${burstCode}`

      if (/\bgzip\b/i.test(headers["content-encoding"] ?? "")) {
        const inflated = Either.try(() => new Uint8Array(gunzipSync(raw)))
        if (Either.isLeft(inflated)) {
          const now = yield* Clock.currentTimeMillis
          const answer = endpoint === "ping"
            ? pingAnswer(now, 3, "body is not valid gzip", "")
            : retAnswer(3, "body is not valid gzip")
          yield* record({ ...base, status: 200, retCode: 3, signatureValid: false, applied: false })
          const account = accounts.get(headers["uuid"]?.trim() ?? "")
          const response = yield* respondTo({ answer, applied: false, signatureValid: false, account, algorithm: requestAlgorithm(headers) }, {
            truncate: false
          })
          return { _tag: "Respond", response } satisfies Handled
        }
        bytes = inflated.right
      }

      if (burstCode !== undefined && decision?.applied !== true) {
        // 5 and 7 (and half of the 5001s by default) are answered without doing the work.
        const now = yield* Clock.currentTimeMillis
        const answer = endpoint === "ping"
          ? pingAnswer(now, burstCode, burstMessage, "")
          : retAnswer(burstCode, burstMessage)
        const account = accounts.get(headers["uuid"]?.trim() ?? "")
        yield* record({ ...base, status: 200, retCode: burstCode, signatureValid: false, applied: false })
        const response = yield* respondTo({ answer, applied: false, signatureValid: false, account, algorithm: requestAlgorithm(headers) }, {
          truncate: false
        })
        return { _tag: "Respond", response } satisfies Handled
      }

      let outcome = yield* process(endpoint, headers, bytes)
      if (burstCode !== undefined) {
        // A 5001 that was applied: the work is done, the answer says it failed.
        const now = yield* Clock.currentTimeMillis
        outcome = {
          ...outcome,
          answer: endpoint === "ping" ? pingAnswer(now, burstCode, burstMessage, "") : retAnswer(burstCode, burstMessage)
        }
      }
      const done = {
        ...base,
        signatureValid: outcome.signatureValid,
        applied: outcome.applied,
        retCode: outcome.answer.retCode
      }
      if (decision?.kind === "dropAfterProcessing") {
        yield* record({ ...done, status: 0 })
        return { _tag: "Drop" } satisfies Handled
      }
      const answer: Answer = decision?.kind === "badSignature" && outcome.account !== undefined
        ? { ...outcome.answer, signing: "tampered" }
        : outcome.answer
      yield* record({ ...done, status: answer.status })
      const response = yield* respondTo({ ...outcome, answer }, { truncate: decision?.kind === "truncatedBody" })
      return { _tag: "Respond", response } satisfies Handled
    }).pipe(Effect.withSpan("Simulator.request", { kind: "server" }))

    const inspect = <A>(f: () => A) => Effect.zipRight(catchUp, Effect.sync(f))

    const engine: Engine = {
      handle,
      script: (answer, opts) =>
        Effect.sync(() => {
          for (let i = 0; i < (opts?.times ?? 1); i++) script.push({ endpoint: opts?.endpoint, answer })
        }),
      requests: Effect.sync(() => [...received]),
      tasks: inspect(platform.tasks),
      orders: inspect(platform.orders),
      callbacks: inspect(() => [...deliveries]),
      awaitCallbacks: (n) =>
        Effect.zipRight(
          catchUp,
          deliveryCount.changes.pipe(
            Stream.filter((count) => count >= n),
            Stream.take(1),
            Stream.runDrain,
            Effect.map(() => [...deliveries])
          )
        ),
      sendTaskCallback: (userTaskID) =>
        Effect.zipRight(
          catchUp,
          Effect.suspend(() => {
            const message = platform.taskCallbackNow(undefined, userTaskID)
            return message === undefined ? Effect.void : Effect.asVoid(FiberSet.run(fibers, deliverOne(message)))
          })
        ),
      reset: Effect.zipRight(
        Effect.sync(() => {
          received = []
          requestIndex = 0
          script = []
          deliveries = []
          platform.reset()
          faults = Faults.make(options.faults)
        }),
        SubscriptionRef.set(deliveryCount, 0)
      ),
      faultStats: Effect.sync(() => faults.stats()),
      setFaults: (next) =>
        Effect.sync(() => {
          faults = Faults.make(next)
        }),
      creations: inspect(platform.creations),
      catchUp
    }
    return engine
  })
