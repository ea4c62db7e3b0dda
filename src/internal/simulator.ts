/**
 * The simulator's engine: platform state, request handling and callback
 * delivery, as a runtime-neutral `@effect/platform` HttpApp. `Simulator.ts`
 * binds it to a Node.js HTTP server.
 *
 * Its validation is written by hand from the vendor pages, independently of
 * the SDK's schemas, so that tests against it check the SDK rather than the
 * SDK against itself.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import * as Signer from "../Signer.js"

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
  readonly endpoint: string
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>
  /** The body bytes exactly as received. */
  readonly bytes: Uint8Array
  readonly body: string
  /** Did the signature verify? */
  readonly signatureValid: boolean
  /** What the simulator answered. */
  readonly status: number
  readonly retCode: number | undefined
  readonly at: number
}

/** A task on the simulated platform. */
export interface SimTask {
  readonly uuid: string
  readonly userTaskID: string
  readonly taskID: string
  readonly sceneID: string
  status: number
  readonly createTs: number
  readonly taskCallbackUrl: string
  readonly orderCallbackUrl: string
  readonly callCallbackUrl: string
  readonly taskCreateSetting: Record<string, unknown>
  readonly funcFlag: Record<string, unknown>
}

/** An order on the simulated platform. */
export interface SimOrder {
  readonly orderID: string
  readonly userTaskID: string
  readonly userPhone: string
  readonly userName: string
  readonly customerName: string
  readonly other: string
  readonly params: ReadonlyArray<unknown>
}

/** One callback delivery attempt. */
export interface CallbackDelivery {
  readonly kind: "task" | "order" | "call"
  readonly url: string
  readonly body: string
  readonly requestID: string
  readonly attempt: number
  /** HTTP status of the receiver's answer, or `undefined` if none came. */
  readonly status: number | undefined
  /** `retCode` in the receiver's answer, when it was JSON. */
  readonly retCode: number | undefined
  readonly at: number
}

/** Settings of the simulated platform. */
export interface EngineOptions {
  readonly accounts?: ReadonlyArray<Account> | undefined
  /** Deliver task callbacks when a task changes status. Default `true`. */
  readonly deliverCallbacks?: boolean | undefined
  /** Delivery attempts per callback (the platform's real policy is not documented). Default 3. */
  readonly callbackAttempts?: number | undefined
  /** Largest `callList` accepted before answering 4001 (the real cap is not documented). Default 10,000. */
  readonly maxCallListLength?: number | undefined
  /** Reject requests whose `createTs` is further than this from the clock (seconds). Default: no check. */
  readonly maxClockSkewSeconds?: number | undefined
}

/** The account the simulator knows when none is configured. */
export const testAccount: Account = {
  uuid: "sim-0000-uuid",
  secretKey: Redacted.make("sim-secret-key")
}

interface Answer {
  readonly status: number
  readonly body: string
  readonly retCode: number | undefined
  readonly headers?: Record<string, string> | undefined
  /** How to sign the answer. */
  readonly signing: "normal" | "tampered" | "wrongRequestID" | "none"
}

const retAnswer = (retCode: number, retMsg: string, extra: Record<string, unknown> = {}): Answer => ({
  status: 200,
  retCode,
  body: JSON.stringify({ retCode, retMsg, responseID: Signer.makeRequestID(), ...extra }),
  signing: "normal"
})

class Rejection {
  constructor(readonly retCode: number, readonly retMsg: string) {}
}

/** Reads fields of an untrusted JSON body, keeping the first problem. */
class Fields {
  rejection: Rejection | undefined = undefined
  private reject(retCode: number, retMsg: string) {
    if (this.rejection === undefined) this.rejection = new Rejection(retCode, retMsg)
  }
  private get(o: unknown, key: string, path: string): unknown {
    if (typeof o !== "object" || o === null || Array.isArray(o)) return undefined
    const value: unknown = Reflect.get(o, key)
    if (value === undefined || value === null) this.reject(2, `missing parameter: ${path}`)
    return value
  }
  object(o: unknown, key: string, path = key): Record<string, unknown> {
    const v = this.get(o, key, path)
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return Object.fromEntries(Object.entries(v))
    if (v !== undefined && v !== null) this.reject(3, `${path} must be an object`)
    return {}
  }
  array(o: unknown, key: string, path = key): ReadonlyArray<unknown> {
    const v = this.get(o, key, path)
    if (Array.isArray(v)) return v
    if (v !== undefined && v !== null) this.reject(3, `${path} must be an array`)
    return []
  }
  string(o: unknown, key: string, path = key): string {
    const v = this.get(o, key, path)
    if (typeof v === "string") return v
    if (v !== undefined && v !== null) this.reject(3, `${path} must be a string`)
    return ""
  }
  integer(o: unknown, key: string, path = key): number {
    const v = this.get(o, key, path)
    if (typeof v === "number" && Number.isInteger(v)) return v
    if (v !== undefined && v !== null) this.reject(3, `${path} must be an integer`)
    return 0
  }
  number(o: unknown, key: string, path = key): number {
    const v = this.get(o, key, path)
    if (typeof v === "number" && Number.isFinite(v)) return v
    if (v !== undefined && v !== null) this.reject(3, `${path} must be a number`)
    return 0
  }
  boolean(o: unknown, key: string, path = key): boolean {
    const v = this.get(o, key, path)
    if (typeof v === "boolean") return v
    if (v !== undefined && v !== null) this.reject(3, `${path} must be a boolean`)
    return false
  }
  value(ok: boolean, path: string, message: string) {
    if (!ok) this.reject(4, `invalid value: ${path}: ${message}`)
  }
  notEmpty(value: string, path: string) {
    if (value.trim() === "") this.reject(2, `missing parameter: ${path}`)
  }
}

const listInRange = (s: string, min: number, max: number, allowEmpty: boolean): boolean => {
  if (s.trim() === "") return allowEmpty
  const items = s.split(",")
  return items.every((x) => /^\s*\d{1,2}\s*$/.test(x) && Number(x) >= min && Number(x) <= max)
}

const parseJson = (text: string): Option.Option<unknown> =>
  Either.getRight(Either.try((): unknown => JSON.parse(text)))

const phonePattern = /^[1-9][0-9]{6,14}$/

/** The simulator's state and HttpApp. */
export interface Engine {
  readonly app: Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest>
  readonly script: (answer: ScriptedAnswer, options?: { readonly endpoint?: string; readonly times?: number }) => Effect.Effect<void>
  readonly requests: Effect.Effect<ReadonlyArray<ReceivedRequest>>
  readonly tasks: Effect.Effect<ReadonlyArray<SimTask>>
  readonly orders: Effect.Effect<ReadonlyArray<SimOrder>>
  readonly callbacks: Effect.Effect<ReadonlyArray<CallbackDelivery>>
  /** Waits until at least `n` callback delivery attempts have finished. */
  readonly awaitCallbacks: (n: number) => Effect.Effect<ReadonlyArray<CallbackDelivery>>
  /** Delivers a task callback with the task's current status now. */
  readonly sendTaskCallback: (userTaskID: string) => Effect.Effect<void>
  readonly reset: Effect.Effect<void>
}

/** Builds the engine; callbacks are delivered with the given `HttpClient`. */
export const makeEngine = (
  options: EngineOptions = {}
): Effect.Effect<Engine, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const accounts = new Map((options.accounts ?? [testAccount]).map((a) => [a.uuid, a]))
    const deliver = options.deliverCallbacks ?? true
    const attempts = Math.max(1, options.callbackAttempts ?? 3)
    const maxCallList = options.maxCallListLength ?? 10_000
    const client = yield* HttpClient.HttpClient
    const fibers = yield* FiberSet.make()

    let received: Array<ReceivedRequest> = []
    let script: Array<{ endpoint: string | undefined; answer: ScriptedAnswer }> = []
    const tasks = new Map<string, SimTask>()
    const orders = new Map<string, SimOrder>()
    let deliveries: Array<CallbackDelivery> = []
    const deliveryCount = yield* SubscriptionRef.make(0)
    let taskSeq = 0

    const nowSeconds = Effect.map(Clock.currentTimeMillis, (ms) => Math.floor(ms / 1000))

    const signerFor = (account: Account) =>
      Signer.make({ uuid: account.uuid, secretKey: account.secretKey, algorithm: account.algorithm })

    // ---- callbacks -------------------------------------------------------

    const deliverOnce = (account: Account, kind: CallbackDelivery["kind"], url: string, body: string) =>
      Effect.gen(function*() {
        const signer = signerFor(account)
        for (let attempt = 1; attempt <= attempts; attempt++) {
          const signed = yield* signer.sign(body)
          const request = HttpClientRequest.post(url).pipe(
            HttpClientRequest.bodyText(body, "application/json"),
            HttpClientRequest.setHeaders({
              requestID: signed.requestID,
              uuid: signed.uuid,
              createTs: signed.createTs,
              sign: signed.sign
            })
          )
          const outcome = yield* client.execute(request).pipe(
            Effect.flatMap((response) =>
              Effect.map(Effect.orElseSucceed(response.text, () => ""), (text) => ({ status: response.status, text }))
            ),
            Effect.timeout("10 seconds"),
            Effect.option
          )
          const status = Option.map(outcome, (o) => o.status).pipe(Option.getOrUndefined)
          const retCode = Option.flatMap(outcome, (o) =>
            Option.flatMap(parseJson(o.text), (parsed) =>
              typeof parsed === "object" && parsed !== null && "retCode" in parsed &&
                typeof parsed.retCode === "number"
                ? Option.some(parsed.retCode)
                : Option.none())
          ).pipe(Option.getOrUndefined)
          deliveries.push({
            kind,
            url,
            body,
            requestID: signed.requestID,
            attempt,
            status,
            retCode,
            at: yield* Clock.currentTimeMillis
          })
          yield* SubscriptionRef.update(deliveryCount, (n) => n + 1)
          if (status === 200 && (retCode === undefined || retCode === 0)) return
          if (attempt < attempts) yield* Effect.sleep(Duration.millis(100 * 2 ** (attempt - 1)))
        }
      })

    const taskCallbackBody = (task: SimTask) =>
      JSON.stringify({
        callbackType: 1,
        userTaskID: task.userTaskID,
        taskID: task.taskID,
        sceneID: task.sceneID,
        taskStatus: task.status,
        createTs: task.createTs,
        taskStat: {
          answerOrderCount: 0,
          finishOrderCount: 0,
          totalOrderCount: [...orders.values()].filter((o) => o.userTaskID === task.userTaskID).length,
          finishRate: 0,
          totalAnswerCall: 0,
          totalCall: 0,
          answerRate: 0
        }
      })

    const fireTaskCallback = (task: SimTask) => {
      const account = accounts.get(task.uuid)
      if (account === undefined) return Effect.void
      return FiberSet.run(fibers, deliverOnce(account, "task", task.taskCallbackUrl, taskCallbackBody(task))).pipe(
        Effect.asVoid
      )
    }

    // ---- endpoints -------------------------------------------------------

    const createAndCall = (account: Account, body: unknown) =>
      Effect.gen(function*() {
        const f = new Fields()
        const productID = f.string(body, "productID")
        const userTaskID = f.string(body, "userTaskID")
        const sceneID = f.string(body, "sceneID")
        const setting = f.object(body, "taskCreateSetting")
        const funcFlag = f.object(body, "funcFlag")
        const info = f.object(body, "callInfoList")
        f.value(productID === "callbot", "productID", "must be \"callbot\"")
        f.notEmpty(userTaskID, "userTaskID")
        f.notEmpty(sceneID, "sceneID")
        const p = (k: string) => `taskCreateSetting.${k}`
        f.string(setting, "strategyName", p("strategyName"))
        const startupType = f.integer(setting, "startupType", p("startupType"))
        const startupAt = f.integer(setting, "startupAt", p("startupAt"))
        f.integer(setting, "zoneSecond", p("zoneSecond"))
        const weekDays = f.string(setting, "dialAtWeekDay", p("dialAtWeekDay"))
        const upHours = f.string(setting, "dialAtUpHour", p("dialAtUpHour"))
        const downHours = f.string(setting, "dialAtDownHour", p("dialAtDownHour"))
        f.integer(setting, "maxRingTime", p("maxRingTime"))
        f.string(setting, "routeID", p("routeID"))
        f.integer(setting, "maxCall", p("maxCall"))
        f.string(setting, "taskName", p("taskName"))
        const taskCallbackUrl = f.string(setting, "taskCallbackUrl", p("taskCallbackUrl"))
        f.value([1, 2, 3].includes(startupType), p("startupType"), "must be 1, 2 or 3")
        f.value(startupType !== 2 || startupAt > 0, p("startupAt"), "required when startupType is 2")
        f.value(listInRange(weekDays, 1, 7, false), p("dialAtWeekDay"), "weekdays 1-7, comma separated")
        f.value(listInRange(upHours, 0, 23, true), p("dialAtUpHour"), "hours 0-23, comma separated")
        f.value(listInRange(downHours, 0, 23, true), p("dialAtDownHour"), "hours 0-23, comma separated")
        for (const flag of ["taskKeep", "roundRedial", "wholeTTS", "smsEnable", "phoneEncrypt"]) {
          f.boolean(funcFlag, flag, `funcFlag.${flag}`)
        }
        f.array(funcFlag, "smsFuncFlag", "funcFlag.smsFuncFlag")
        const orderCallbackUrl = f.string(info, "orderCallbackUrl", "callInfoList.orderCallbackUrl")
        const callCallbackUrl = f.string(info, "callCallbackUrl", "callInfoList.callCallbackUrl")
        const callList = f.array(info, "callList", "callInfoList.callList")
        if (f.rejection) return retAnswer(f.rejection.retCode, f.rejection.retMsg)
        if (callList.length > maxCallList) {
          return retAnswer(4001, `callList has ${callList.length} elements; at most ${maxCallList} are accepted`)
        }
        if (tasks.has(userTaskID)) return retAnswer(4, `invalid value: userTaskID ${userTaskID} already exists`)

        const now = yield* nowSeconds
        taskSeq++
        const task: SimTask = {
          uuid: account.uuid,
          userTaskID,
          taskID: `T${now}${String(taskSeq).padStart(6, "0")}`,
          sceneID,
          status: startupType === 3 ? 2 : 1,
          createTs: now,
          taskCallbackUrl,
          orderCallbackUrl,
          callCallbackUrl,
          taskCreateSetting: setting,
          funcFlag
        }
        tasks.set(userTaskID, task)
        const errList: Array<{ phone: string; errMsg: string }> = []
        let success = 0
        for (const order of callList) {
          const o = new Fields()
          const orderID = o.string(order, "orderID")
          const userPhone = o.string(order, "userPhone")
          const entry: SimOrder = {
            orderID,
            userTaskID,
            userPhone,
            other: o.string(order, "other"),
            userName: o.string(order, "userName"),
            customerName: o.string(order, "customerName"),
            params: o.array(order, "params")
          }
          if (o.rejection) errList.push({ phone: userPhone, errMsg: o.rejection.retMsg })
          else if (orderID.trim() === "") errList.push({ phone: userPhone, errMsg: "missing parameter: orderID" })
          else if (!phonePattern.test(userPhone)) errList.push({ phone: userPhone, errMsg: "invalid phone number" })
          else if (orders.has(orderID)) errList.push({ phone: userPhone, errMsg: `orderID ${orderID} already exists` })
          else {
            orders.set(orderID, entry)
            success++
          }
        }
        if (deliver) yield* fireTaskCallback(task)
        return retAnswer(0, "success", {
          taskID: task.taskID,
          totalCount: callList.length,
          successCount: success,
          errList
        })
      })

    const endpoints: Record<string, (account: Account, body: unknown) => Effect.Effect<Answer>> = {
      createAndCall
    }

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
      answer: Answer
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
        return HttpServerResponse.text(answer.body, {
          status: answer.status,
          contentType: "application/json; charset=utf-8",
          headers
        })
      })

    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const at = yield* Clock.currentTimeMillis
      const match = /^\/callcentre\/api\/v3\/([A-Za-z]+)\/?(?:\?.*)?$/.exec(request.url)
      const endpoint = match?.[1] ?? ""
      const bytes = yield* request.arrayBuffer.pipe(
        Effect.map((b) => new Uint8Array(b)),
        Effect.orElseSucceed(() => new Uint8Array(0))
      )
      const body = new TextDecoder().decode(bytes)
      const headers: Record<string, string> = { ...request.headers }
      const log = (status: number, retCode: number | undefined, signatureValid: boolean) =>
        received.push({ endpoint, headers, bytes, body, signatureValid, status, retCode, at })

      if (request.method !== "POST" || endpoints[endpoint] === undefined) {
        log(404, undefined, false)
        return HttpServerResponse.text("404 page not found", { status: 404 })
      }
      const requestID = headers["requestid"] ?? ""
      const header = (name: string) => headers[name]?.trim() ?? ""
      const algorithmHeader = header("algorithm").toUpperCase()
      const algorithm: Signer.Algorithm | undefined = algorithmHeader === "SHA256"
        ? "SHA256"
        : algorithmHeader === "MD5"
        ? "MD5"
        : undefined
      const account = accounts.get(header("uuid"))
      const reject = (answer: Answer) =>
        Effect.zipRight(Effect.sync(() => log(answer.status, answer.retCode, false)), respond(account, requestID, algorithm, answer))

      if (["sign", "requestid", "uuid", "createts"].some((h) => header(h) === "")) {
        return yield* reject(retAnswer(6001, "signature missing"))
      }
      if (account === undefined) return yield* reject(retAnswer(6002, "account does not exist"))
      if (algorithmHeader !== "" && algorithm === undefined) {
        return yield* reject(retAnswer(6, "unsupported signature algorithm"))
      }
      const expected = Signer.signature({
        secretKey: account.secretKey,
        uuid: account.uuid,
        body: bytes,
        createTs: header("createts"),
        requestID,
        algorithm: algorithm ?? "MD5"
      })
      if (!Signer.constantTimeEqual(expected, header("sign"))) {
        return yield* reject(retAnswer(6, "signature incorrect"))
      }
      if (options.maxClockSkewSeconds !== undefined) {
        const skew = Math.abs(Number(header("createts")) - Math.floor(at / 1000))
        if (!(skew <= options.maxClockSkewSeconds)) return yield* reject(retAnswer(6, "createTs out of range"))
      }

      const scripted = takeScript(endpoint)
      let signing: Answer["signing"] = "normal"
      if (scripted !== undefined) {
        switch (scripted._tag) {
          case "RetCode": {
            const answer = retAnswer(scripted.retCode, scripted.retMsg ?? `scripted retCode ${scripted.retCode}`)
            log(answer.status, answer.retCode, true)
            return yield* respond(account, requestID, algorithm, answer)
          }
          case "HttpStatus":
            log(scripted.status, undefined, true)
            return HttpServerResponse.text(scripted.body ?? "", {
              status: scripted.status,
              headers: scripted.headers ?? {}
            })
          case "Malformed": {
            log(200, undefined, true)
            return yield* respond(account, requestID, algorithm, {
              status: 200,
              body: scripted.body,
              retCode: undefined,
              signing: "normal"
            })
          }
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

      const json = parseJson(body)
      if (Option.isNone(json)) {
        const answer = retAnswer(3, "body is not valid JSON")
        log(answer.status, answer.retCode, true)
        return yield* respond(account, requestID, algorithm, answer)
      }
      const handler = endpoints[endpoint]
      const answer = handler === undefined ? retAnswer(1, "unknown endpoint") : yield* handler(account, json.value)
      log(answer.status, answer.retCode, true)
      return yield* respond(account, requestID, algorithm, { ...answer, signing })
    })

    const engine: Engine = {
      app,
      script: (answer, opts) =>
        Effect.sync(() => {
          for (let i = 0; i < (opts?.times ?? 1); i++) script.push({ endpoint: opts?.endpoint, answer })
        }),
      requests: Effect.sync(() => [...received]),
      tasks: Effect.sync(() => [...tasks.values()]),
      orders: Effect.sync(() => [...orders.values()]),
      callbacks: Effect.sync(() => [...deliveries]),
      awaitCallbacks: (n) =>
        deliveryCount.changes.pipe(
          Stream.filter((count) => count >= n),
          Stream.take(1),
          Stream.runDrain,
          Effect.map(() => [...deliveries])
        ),
      sendTaskCallback: (userTaskID) =>
        Effect.suspend(() => {
          const task = tasks.get(userTaskID)
          return task === undefined ? Effect.void : fireTaskCallback(task)
        }),
      reset: Effect.sync(() => {
        received = []
        script = []
        tasks.clear()
        orders.clear()
        deliveries = []
      })
    }
    return engine
  })
