import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { CallbotApi, CallbotError, RetryPolicy, Signer } from "../src/index.js"
import * as Simulator from "../src/Simulator.js"
import { apiOnSimulator, createAndCallRequest, documentedRetCodes, sha256Account, simulatorWithApi } from "./utils.js"

const lastRequest = Effect.flatMap(Simulator.Simulator, (sim) =>
  Effect.map(sim.requests, (requests) => {
    const last = requests.at(-1)
    expect(last).toBeDefined()
    return last!
  }))

const requestCount = Effect.flatMap(Simulator.Simulator, (sim) => Effect.map(sim.requests, (r) => r.length))

/** Recomputes the signature over the bytes the server received. */
const signatureOfReceived = (received: Simulator.ReceivedRequest, account: Simulator.Account) =>
  Signer.signature({
    secretKey: account.secretKey,
    uuid: account.uuid,
    body: received.bytes,
    createTs: received.headers["createts"] ?? "",
    requestID: received.headers["requestid"] ?? "",
    algorithm: received.headers["algorithm"] === "SHA256" ? "SHA256" : "MD5"
  })

/** A createAndCall answer refusing one phone, scripted as the platform's next reply. */
const refusePhone = (phone: string, errMsg: string) =>
  Effect.flatMap(Simulator.Simulator, (sim) =>
    sim.script(
      Simulator.ScriptedAnswer.Malformed({
        body: JSON.stringify({
          retCode: 0,
          retMsg: "ok",
          responseID: "r",
          taskID: "T",
          totalCount: 2,
          successCount: 1,
          errList: [{ phone, errMsg }]
        })
      })
    ))

/** A request whose two orders share one phone. */
const sharedPhoneRequest = (phone: string) => {
  const request = createAndCallRequest(2)
  const [a, b] = request.callInfoList.callList
  const callList = [{ ...a!, userPhone: phone }, { ...b!, userPhone: phone }]
  return { request: { ...request, callInfoList: { ...request.callInfoList, callList } }, second: b! }
}

const unicodeRequest = () =>
  createAndCallRequest(2, {
    taskCreateSetting: {
      ...createAndCallRequest().taskCreateSetting,
      strategyName: "默认策略",
      taskName: "春季回访 🌸 campaign"
    }
  })

layer(simulatorWithApi({ deliverCallbacks: false }))("createAndCall over HTTP", (it) => {
  it.effect("creates a task and imports every order", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Simulator.Simulator
      const request = createAndCallRequest(3)
      const result = yield* api.createAndCall(request)
      expect(result).toMatchObject({ retCode: 0, totalCount: 3, successCount: 3, errList: [] })
      expect(result.responseID).not.toBe("")
      const task = (yield* sim.tasks).find((t) => t.userTaskID === request.userTaskID)
      expect(task?.taskID).toBe(result.taskID)
      const stored = (yield* sim.orders).filter((o) => o.userTaskID === request.userTaskID)
      expect(stored.map((o) => o.orderID)).toEqual(request.callInfoList.callList.map((o) => o.orderID))
    }))

  it.effect("fills productID with \"callbot\" and the documented defaults", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      yield* api.createAndCall(createAndCallRequest(1))
      const sent = JSON.parse((yield* lastRequest).body)
      expect(sent.productID).toBe("callbot")
      expect(sent.taskCreateSetting.strategyName).toBe("默认策略")
      expect(sent.taskCreateSetting.routeID).toBe("")
      expect(sent.funcFlag).toEqual({
        taskKeep: false,
        roundRedial: false,
        wholeTTS: false,
        smsEnable: false,
        smsFuncFlag: [],
        phoneEncrypt: false
      })
      expect(sent.callInfoList.callList[0]).toMatchObject({ other: "", userName: "", customerName: "", params: [] })
    }))

  it.effect("sends weekday and hour arrays as the comma-separated strings of the wire", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const base = createAndCallRequest(1)
      yield* api.createAndCall({
        ...base,
        taskCreateSetting: { ...base.taskCreateSetting, dialAtWeekDay: [1, 3, 5], dialAtUpHour: [9], dialAtDownHour: "10, 11" }
      })
      const sent = JSON.parse((yield* lastRequest).body)
      expect(sent.taskCreateSetting).toMatchObject({ dialAtWeekDay: "1,3,5", dialAtUpHour: "9", dialAtDownHour: "10,11" })
    }))

  it.effect("signs the exact bytes the server received, raw UTF-8 included (MD5)", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const request = unicodeRequest()
      yield* api.createAndCall({
        ...request,
        callInfoList: {
          ...request.callInfoList,
          callList: [{ orderID: `${request.userTaskID}-emoji`, userPhone: "8613912345678", userName: "王小明 😀👍🏽" }]
        }
      })
      const received = yield* lastRequest
      expect(received.signatureValid).toBe(true)
      expect(received.headers["algorithm"]).toBe("MD5")
      expect(received.headers["content-type"]).toMatch(/^application\/json/)
      expect(signatureOfReceived(received, Simulator.testAccount)).toBe(received.headers["sign"])
      // Raw UTF-8 on the wire, not \u escapes: the bytes are what JSON.stringify produced.
      expect(received.body).toContain("默认策略")
      expect(received.body).toContain("王小明 😀👍🏽")
      expect(Buffer.from(received.bytes).toString("utf8")).toBe(received.body)
      expect(received.body).toBe(JSON.stringify(JSON.parse(received.body)))
    }))

  it.effect("every request carries a fresh requestID and a signature", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      yield* api.createAndCall(createAndCallRequest(1))
      const first = yield* lastRequest
      yield* api.createAndCall(createAndCallRequest(1))
      const second = yield* lastRequest
      expect(first.headers["requestid"]).toMatch(/^[0-9a-f]{32}$/)
      expect(second.headers["requestid"]).not.toBe(first.headers["requestid"])
      expect(first.headers["uuid"]).toBe(Simulator.testAccount.uuid)
      expect(first.headers["createts"]).toMatch(/^\d+$/)
    }))

  it.effect("reports a malformed phone per order and sends the rest", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Simulator.Simulator
      const request = createAndCallRequest(1000)
      const bad = new Map([[17, "+86 138 0000 0017"], [500, "12345"], [999, "86-138-0000-0999"]])
      const callList = request.callInfoList.callList.map((order, i) => ({ ...order, userPhone: bad.get(i) ?? order.userPhone }))
      const result = yield* api.createAndCall({ ...request, callInfoList: { ...request.callInfoList, callList } })
      expect(result.totalCount).toBe(1000)
      expect(result.successCount).toBe(997)
      expect(result.errList.map((e) => [e.orderID, e.phone, e.rejectedBy])).toEqual(
        [...bad].map(([i, phone]) => [callList[i]!.orderID, phone, "client"])
      )
      for (const rejected of result.errList) {
        expect(rejected.errMsg).toMatch(/^callList\[\d+\]\.userPhone: /)
      }
      const stored = (yield* sim.orders).filter((o) => o.userTaskID === request.userTaskID)
      expect(stored).toHaveLength(997)
      expect(stored.some((o) => [...bad.values()].includes(o.userPhone))).toBe(false)
    }))

  it.effect("rejects an orderID repeated inside one request", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const request = createAndCallRequest(3)
      const [a, b] = request.callInfoList.callList
      const callList = [a!, b!, { ...b!, userPhone: "8613900000000" }]
      const result = yield* api.createAndCall({ ...request, callInfoList: { ...request.callInfoList, callList } })
      expect(result.successCount).toBe(2)
      expect(result.errList).toHaveLength(1)
      expect(result.errList[0]).toMatchObject({ orderID: b!.orderID, phone: "8613900000000", rejectedBy: "client" })
      expect(result.errList[0]!.errMsg).toContain("more than once")
    }))

  it.effect("maps the platform's errList back to orderIDs", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const first = createAndCallRequest(2)
      yield* api.createAndCall(first)
      // Reusing an orderID of another task: the platform refuses that order only.
      const second = createAndCallRequest(2)
      const reused = first.callInfoList.callList[0]!
      const callList = [{ ...second.callInfoList.callList[0]!, userPhone: "8613911112222" }, reused]
      const result = yield* api.createAndCall({ ...second, callInfoList: { ...second.callInfoList, callList } })
      expect(result.totalCount).toBe(2)
      expect(result.successCount).toBe(1)
      expect(result.errList).toHaveLength(1)
      expect(result.errList[0]).toMatchObject({ orderID: reused.orderID, phone: reused.userPhone, rejectedBy: "server" })
    }))

  it.effect("leaves orderID unknown when a refused phone was sent in several orders and the message names none", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const phone = "8613955556666"
      const { request } = sharedPhoneRequest(phone)
      yield* refusePhone(phone, "blacklisted number")
      const result = yield* api.createAndCall(request)
      expect(result.errList).toHaveLength(1)
      expect(result.errList[0]).toMatchObject({ phone, errMsg: "blacklisted number", rejectedBy: "server" })
      expect(result.errList[0]!.orderID).toBeUndefined()
    }))

  it.effect("uses the orderID the platform's message names when a phone is shared", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const phone = "8613955557777"
      const { request, second } = sharedPhoneRequest(phone)
      yield* refusePhone(phone, `orderID ${second.orderID} already exists`)
      const result = yield* api.createAndCall(request)
      expect(result.errList[0]).toMatchObject({ orderID: second.orderID, rejectedBy: "server" })
    }))
})

describe("createAndCall validation: nothing leaves when the request is invalid", () => {
  const cases: ReadonlyArray<[string, (r: ReturnType<typeof createAndCallRequest>) => unknown, string]> = [
    ["missing userTaskID", ({ userTaskID: _, ...r }) => r, "userTaskID"],
    ["blank sceneID", (r) => ({ ...r, sceneID: "  " }), "sceneID"],
    ["startupType 4", (r) => ({ ...r, taskCreateSetting: { ...r.taskCreateSetting, startupType: 4 } }), "taskCreateSetting.startupType"],
    ["startupType 2 without startupAt", (r) => ({ ...r, taskCreateSetting: { ...r.taskCreateSetting, startupType: 2 } }), "taskCreateSetting.startupAt"],
    ["weekday 8", (r) => ({ ...r, taskCreateSetting: { ...r.taskCreateSetting, dialAtWeekDay: "1,8" } }), "taskCreateSetting.dialAtWeekDay"],
    ["weekday 0 in an array", (r) => ({ ...r, taskCreateSetting: { ...r.taskCreateSetting, dialAtWeekDay: [0, 1] } }), "taskCreateSetting.dialAtWeekDay"],
    ["hour 24", (r) => ({ ...r, taskCreateSetting: { ...r.taskCreateSetting, dialAtUpHour: "9,24" } }), "taskCreateSetting.dialAtUpHour"],
    ["hour -1", (r) => ({ ...r, taskCreateSetting: { ...r.taskCreateSetting, dialAtDownHour: "-1" } }), "taskCreateSetting.dialAtDownHour"],
    ["both hour lists empty", (r) => ({ ...r, taskCreateSetting: { ...r.taskCreateSetting, dialAtUpHour: "", dialAtDownHour: "" } }), "taskCreateSetting.dialAtUpHour"],
    ["missing maxRingTime", (r) => ({ ...r, taskCreateSetting: { ...r.taskCreateSetting, maxRingTime: undefined } }), "taskCreateSetting.maxRingTime"],
    ["zoneSecond out of range", (r) => ({ ...r, taskCreateSetting: { ...r.taskCreateSetting, zoneSecond: 90_000 } }), "taskCreateSetting.zoneSecond"],
    ["relative callback URL", (r) => ({ ...r, taskCreateSetting: { ...r.taskCreateSetting, taskCallbackUrl: "/cb" } }), "taskCreateSetting.taskCallbackUrl"],
    ["wrong productID", (r) => ({ ...r, productID: "other" }), "productID"],
    ["smsEnable without rules", (r) => ({ ...r, funcFlag: { smsEnable: true } }), "funcFlag.smsFuncFlag"],
    ["dispatchType 2", (r) => ({ ...r, taskCreateSetting: { ...r.taskCreateSetting, manualCallSetting: { agentGroup: "g", dispatchType: 2 } } }), "taskCreateSetting.manualCallSetting.dispatchType"],
    ["callList not an array", (r) => ({ ...r, callInfoList: { ...r.callInfoList, callList: "8613800000000" } }), "callInfoList.callList"],
    ["empty callList", (r) => ({ ...r, callInfoList: { ...r.callInfoList, callList: [] } }), "callInfoList.callList"],
    ["every order malformed", (r) => ({ ...r, callInfoList: { ...r.callInfoList, callList: [{ orderID: "x", userPhone: "abc" }] } }), "callInfoList.callList"]
  ]

  layer(simulatorWithApi({ deliverCallbacks: false }))("", (it) => {
    for (const [name, mutate, field] of cases) {
      it.effect(`${name} → InvalidRequest naming ${field}`, () =>
        Effect.gen(function*() {
          const api = yield* CallbotApi.CallbotApi
          const before = yield* requestCount
          // The input is deliberately ill-typed: validation is what is under test.
          const input: unknown = mutate(createAndCallRequest(2))
          const error = yield* Effect.flip(
            Effect.suspend(() => api.createAndCall(input as Parameters<CallbotApi.CallbotApi["createAndCall"]>[0]))
          )
          expect(error._tag).toBe("InvalidRequest")
          if (error._tag !== "InvalidRequest") return
          expect(error.endpoint).toBe("createAndCall")
          expect(error.field).toBe(field)
          expect(error.message).toContain(field)
          expect(yield* requestCount).toBe(before)
        }))
    }
  })
})

describe("every retCode maps to its error tag over HTTP", () => {
  const table: ReadonlyArray<readonly [number, string]> = [
    ...documentedRetCodes,
    [42, "UnknownRetCode"],
    [-1, "UnknownRetCode"]
  ]

  // One attempt: this table pins down the mapping, retries are tested below.
  layer(simulatorWithApi({ deliverCallbacks: false }, { retry: RetryPolicy.none }))("", (it) => {
    for (const [retCode, tag] of table) {
      it.effect(`retCode ${retCode} → ${tag}`, () =>
        Effect.gen(function*() {
          const api = yield* CallbotApi.CallbotApi
          const sim = yield* Simulator.Simulator
          yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode, retMsg: `scripted ${retCode}` }), {
            endpoint: "createAndCall"
          })
          const error = yield* Effect.flip(api.createAndCall(createAndCallRequest(1)))
          const received = yield* lastRequest
          expect(error._tag).toBe(tag)
          expect(error).toMatchObject({
            retCode,
            retMsg: `scripted ${retCode}`,
            endpoint: "createAndCall",
            requestID: received.headers["requestid"]
          })
          if ("responseID" in error) expect(error.responseID).toMatch(/^[0-9a-f]{32}$/)
          expect(error.message).toContain(`retCode ${retCode}`)
          expect(error).toBeInstanceOf(CallbotError.CallbotError.members.find((m) => m.identifier === tag) ?? Error)
        }))
    }
  })
})

describe("real signature failures from the platform", () => {
  it.effect("a wrong secret key is answered InvalidSignature (6)", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const error = yield* Effect.flip(api.createAndCall(createAndCallRequest(1)))
      // The answer is signed with the real secret, which we do not have: with
      // "ifPresent" that surfaces as a response signature error, so verify never.
      expect(error._tag).toBe("InvalidSignature")
    }).pipe(
      Effect.provide(
        apiOnSimulator({ secretKey: Redacted.make("not-the-secret"), verifyResponses: "never" }).pipe(
          Layer.provideMerge(Simulator.layer({ deliverCallbacks: false }))
        )
      )
    ))

  it.effect("an unknown uuid is answered AccountNotFound (6002)", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const error = yield* Effect.flip(api.createAndCall(createAndCallRequest(1)))
      expect(error._tag).toBe("AccountNotFound")
    }).pipe(
      Effect.provide(
        apiOnSimulator({ uuid: "nobody", verifyResponses: "never" }).pipe(
          Layer.provideMerge(Simulator.layer({ deliverCallbacks: false }))
        )
      )
    ))

  it.effect("a SHA256 account signs with SHA256 and the server's bytes hash to the sign header", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const result = yield* api.createAndCall(unicodeRequest())
      expect(result.successCount).toBe(2)
      const received = yield* lastRequest
      expect(received.headers["algorithm"]).toBe("SHA256")
      expect(received.headers["sign"]).toMatch(/^[0-9A-F]{64}$/)
      expect(signatureOfReceived(received, sha256Account)).toBe(received.headers["sign"])
    }).pipe(
      Effect.provide(
        apiOnSimulator({ ...sha256Account }).pipe(
          Layer.provideMerge(Simulator.layer({ deliverCallbacks: false, accounts: [sha256Account] }))
        )
      )
    ))
})

describe("response verification", () => {
  layer(simulatorWithApi({ deliverCallbacks: false }, { retry: RetryPolicy.none }))("verifyResponses: \"ifPresent\" (default)", (it) => {
    it.effect("a tampered response signature is rejected", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        yield* sim.script(Simulator.ScriptedAnswer.BadSignature())
        const error = yield* Effect.flip(api.createAndCall(createAndCallRequest(1)))
        expect(error).toMatchObject({ _tag: "ResponseSignatureError", reason: "Mismatch", endpoint: "createAndCall" })
      }))

    it.effect("a correctly signed answer to another request is rejected", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        yield* sim.script(Simulator.ScriptedAnswer.WrongRequestID())
        const error = yield* Effect.flip(api.createAndCall(createAndCallRequest(1)))
        expect(error).toMatchObject({ _tag: "ResponseSignatureError", reason: "Mismatch" })
      }))

    it.effect("an unsigned answer passes", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        yield* sim.script(Simulator.ScriptedAnswer.Unsigned())
        const result = yield* api.createAndCall(createAndCallRequest(2))
        expect(result.successCount).toBe(2)
      }))

    it.effect("a non-2xx status is an HttpStatusError with the status, body and Retry-After", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        yield* sim.script(
          Simulator.ScriptedAnswer.HttpStatus({ status: 503, body: "upstream busy", headers: { "retry-after": "7" } })
        )
        const error = yield* Effect.flip(api.createAndCall(createAndCallRequest(1)))
        expect(error).toMatchObject({ _tag: "HttpStatusError", status: 503, body: "upstream busy", retryAfter: 7 })
      }))

    it.effect("a body that is not JSON is a MalformedResponse", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        yield* sim.script(Simulator.ScriptedAnswer.Malformed({ body: "<html>oops</html>" }))
        const error = yield* Effect.flip(api.createAndCall(createAndCallRequest(1)))
        expect(error).toMatchObject({ _tag: "MalformedResponse", body: "<html>oops</html>" })
      }))

    it.effect("a retCode 0 answer without the documented fields is a MalformedResponse naming them", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        yield* sim.script(Simulator.ScriptedAnswer.Malformed({ body: "{\"retCode\":0,\"retMsg\":\"ok\",\"responseID\":\"r\"}" }))
        const error = yield* Effect.flip(api.createAndCall(createAndCallRequest(1)))
        expect(error._tag).toBe("MalformedResponse")
        if (error._tag === "MalformedResponse") expect(error.description).toContain("taskID")
      }))

    it.effect("a JSON body without retCode is a MalformedResponse", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        yield* sim.script(Simulator.ScriptedAnswer.Malformed({ body: "{\"code\":0}" }))
        const error = yield* Effect.flip(api.createAndCall(createAndCallRequest(1)))
        expect(error._tag).toBe("MalformedResponse")
      }))
  })

  layer(simulatorWithApi({ deliverCallbacks: false }, { verifyResponses: "always", retry: RetryPolicy.none }))("verifyResponses: \"always\"", (it) => {
    it.effect("an unsigned answer is rejected", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        yield* sim.script(Simulator.ScriptedAnswer.Unsigned())
        const error = yield* Effect.flip(api.createAndCall(createAndCallRequest(1)))
        expect(error).toMatchObject({ _tag: "ResponseSignatureError", reason: "MissingHeader", header: "sign" })
      }))

    it.effect("a signed answer passes", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        expect((yield* api.createAndCall(createAndCallRequest(1))).successCount).toBe(1)
      }))
  })

  layer(simulatorWithApi({ deliverCallbacks: false }, { verifyResponses: "never" }))("verifyResponses: \"never\"", (it) => {
    it.effect("a tampered signature is not checked", () =>
      Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const sim = yield* Simulator.Simulator
        yield* sim.script(Simulator.ScriptedAnswer.BadSignature())
        expect((yield* api.createAndCall(createAndCallRequest(1))).successCount).toBe(1)
      }))
  })
})

describe("transport failures", () => {
  it.live("a refused connection is a TransportError that was certainly not sent", () =>
    Effect.gen(function*() {
      // Bind and close a port so nothing listens on it.
      const port = yield* Effect.async<number>((resume) => {
        const server = createServer().listen(0, "127.0.0.1", () => {
          const { port } = server.address() as AddressInfo
          server.close(() => resume(Effect.succeed(port)))
        })
      })
      const error = yield* CallbotApi.CallbotApi.pipe(
        Effect.flatMap((api) => Effect.flip(api.createAndCall(createAndCallRequest(1)))),
        Effect.provide(
          CallbotApi.layer({ baseUrl: `http://127.0.0.1:${port}`, ...Simulator.testAccount }).pipe(
            Layer.provide(NodeHttpClient.layerUndici)
          )
        )
      )
      expect(error).toMatchObject({ _tag: "TransportError", reason: "Transport", sent: false })
    }))

  it.live("a server that never answers is a Timeout that may have been sent", () =>
    Effect.gen(function*() {
      const server = createServer(() => {
        // never answer
      })
      const port = yield* Effect.acquireRelease(
        Effect.async<number>((resume) => {
          server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as AddressInfo).port)))
        }),
        () => Effect.sync(() => server.closeAllConnections()).pipe(Effect.zipRight(Effect.async<void>((resume) => {
          server.close(() => resume(Effect.void))
        })))
      )
      const error = yield* CallbotApi.CallbotApi.pipe(
        Effect.flatMap((api) => Effect.flip(api.createAndCall(createAndCallRequest(1)))),
        Effect.provide(
          CallbotApi.layer({ baseUrl: `http://127.0.0.1:${port}`, ...Simulator.testAccount, timeout: "200 millis" })
            .pipe(Layer.provide(NodeHttpClient.layerUndici))
        )
      )
      expect(error).toMatchObject({ _tag: "TransportError", reason: "Timeout", sent: true })
    }).pipe(Effect.scoped))
})
