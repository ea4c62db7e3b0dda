/**
 * Callback verification and decoding, as a specification: what a signed
 * callback of each kind decodes to, and the typed error for every way a
 * delivery can be wrong.
 */
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Duration, Effect, Either, Exit, FastCheck as fc, Logger, Option, Schema, TestClock, TestContext } from "effect"
import { isDeepStrictEqual } from "node:util"
import { Callback, Signer } from "../src/index.js"
import {
  account,
  callBody,
  NOW_MILLIS,
  NOW_SECONDS,
  oldAccount,
  orderBody,
  SECRET,
  signBody,
  signer,
  SignerLive,
  taskCallback,
  taskStat
} from "./CallbackFixtures.js"

const taskBody = Schema.encodeSync(Callback.TaskCallback)(taskCallback)

/** Runs `verifyWithHeaders` at NOW on the TestClock with the test account. */
const verifyAtNow = (input: { headers: Record<string, string>; body: string | Uint8Array }, options?: Callback.VerifyOptions) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(NOW_MILLIS)
    return yield* Callback.verifyWithHeaders(input, options)
  }).pipe(Effect.provide(SignerLive))

const failureOf = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.flip(effect)

describe("Callback.verify", () => {
  it.effect("accepts a correctly signed task callback and returns the signature headers", () =>
    Effect.gen(function*() {
      const signed = signBody(taskBody, { requestID: "req-1" })
      const verified = yield* verifyAtNow(signed)
      expect(verified.callback).toBeInstanceOf(Callback.TaskCallback)
      expect(verified.callback._tag).toBe("TaskCallback")
      expect(verified.headers).toEqual({
        requestID: "req-1",
        uuid: account.uuid,
        createTs: String(NOW_SECONDS),
        algorithm: "MD5"
      })
      expect(verified.body).toBe(signed.body)
      expect(verified.extra).toEqual({})
    }))

  it.effect("verifies over the raw bytes when given a Uint8Array", () =>
    Effect.gen(function*() {
      const signed = signBody({ ...orderBody, userName: "李雷 🙂" })
      const verified = yield* verifyAtNow({ headers: signed.headers, body: new TextEncoder().encode(signed.body) })
      expect(verified.callback._tag).toBe("OrderCallback")
      expect(verified.callback._tag === "OrderCallback" && verified.callback.userName).toBe("李雷 🙂")
    }))

  for (const header of ["requestID", "uuid", "createTs", "sign"] as const) {
    it.effect(`rejects a delivery without the ${header} header (CallbackMissingHeader)`, () =>
      Effect.gen(function*() {
        const signed = signBody(taskBody)
        const { [header]: _removed, ...headers } = signed.headers
        const error = yield* failureOf(verifyAtNow({ headers, body: signed.body }))
        expect(error).toBeInstanceOf(Callback.CallbackMissingHeader)
        expect(error._tag === "CallbackMissingHeader" && error.header.toLowerCase()).toBe(header.toLowerCase())
        expect(Callback.acknowledgementFor(error)).toMatchObject({ status: 401, retCode: 6001 })
      }))
  }

  it.effect("treats an empty header like a missing one", () =>
    Effect.gen(function*() {
      const signed = signBody(taskBody)
      const error = yield* failureOf(verifyAtNow({ headers: { ...signed.headers, sign: "  " }, body: signed.body }))
      expect(error._tag).toBe("CallbackMissingHeader")
    }))

  it.effect("reads header names case-insensitively (requestId, CREATETS, ...)", () =>
    Effect.gen(function*() {
      const signed = signBody(taskBody)
      const headers = {
        requestId: signed.headers.requestID!,
        UUID: signed.headers.uuid!,
        CREATETS: signed.headers.createTs!,
        Sign: signed.headers.sign!.toLowerCase()
      }
      const verified = yield* verifyAtNow({ headers, body: signed.body })
      expect(verified.callback._tag).toBe("TaskCallback")
    }))

  it.effect("rejects a wrong signature (CallbackBadSignature Mismatch) without saying what was expected", () =>
    Effect.gen(function*() {
      const signed = signBody(taskBody)
      const forged = signed.headers.sign!.startsWith("0") ? "1" + signed.headers.sign!.slice(1) : "0" + signed.headers.sign!.slice(1)
      const error = yield* failureOf(verifyAtNow({ headers: { ...signed.headers, sign: forged }, body: signed.body }))
      expect(error).toEqual(new Callback.CallbackBadSignature({ reason: "Mismatch" }))
      expect(Callback.acknowledgementFor(error)).toMatchObject({ status: 401, retCode: 6 })
      const signature = Signer.signature({ ...account, body: signed.body, createTs: signed.headers.createTs!, requestID: signed.headers.requestID! })
      expect(JSON.stringify(error)).not.toContain(signature)
      expect(error.message).not.toContain(signature)
    }))

  it.effect("rejects a body signed with another secret", () =>
    Effect.gen(function*() {
      const signed = signBody(taskBody, { with: Signer.make(oldAccount) })
      const error = yield* failureOf(verifyAtNow(signed))
      expect(error).toEqual(new Callback.CallbackBadSignature({ reason: "Mismatch" }))
    }))

  it.effect("rejects a signature made for another account's uuid (UuidMismatch)", () =>
    Effect.gen(function*() {
      const other = Signer.make({ ...account, uuid: "someone-else" })
      const error = yield* failureOf(verifyAtNow(signBody(taskBody, { with: other })))
      expect(error).toEqual(new Callback.CallbackBadSignature({ reason: "UuidMismatch" }))
    }))

  it.effect("rejects a malformed sign or createTs header (InvalidHeader)", () =>
    Effect.gen(function*() {
      const signed = signBody(taskBody)
      const badSign = yield* failureOf(verifyAtNow({ headers: { ...signed.headers, sign: "not-hex" }, body: signed.body }))
      expect(badSign).toEqual(new Callback.CallbackBadSignature({ reason: "InvalidHeader", header: "sign" }))
      const badTs = yield* failureOf(verifyAtNow({ headers: { ...signed.headers, createTs: "17e8" }, body: signed.body }))
      expect(badTs).toEqual(new Callback.CallbackBadSignature({ reason: "InvalidHeader", header: "createTs" }))
    }))

  it.effect("refuses a requestID that is not 1-128 visible ASCII characters, even when correctly signed", () =>
    Effect.gen(function*() {
      for (const requestID of ["has space", "tab\there", "nul\u0000x", "ünïcode", "x".repeat(129)]) {
        const error = yield* failureOf(verifyAtNow(signBody(taskBody, { requestID })))
        expect(error).toEqual(new Callback.CallbackBadSignature({ reason: "InvalidHeader", header: "requestID" }))
      }
      const ok = yield* verifyAtNow(signBody(taskBody, { requestID: "x".repeat(128) }))
      expect(ok.headers.requestID).toBe("x".repeat(128))
    }))

  it.effect("rejects duplicated headers (joined as 'a, b' by HTTP stacks)", () =>
    Effect.gen(function*() {
      const signed = signBody(taskBody)
      const error = yield* failureOf(
        verifyAtNow({ headers: { ...signed.headers, sign: `${signed.headers.sign}, ${signed.headers.sign}` }, body: signed.body })
      )
      expect(error._tag).toBe("CallbackBadSignature")
    }))

  it.effect("answers a body that is not JSON with CallbackMalformedBody (only after the signature holds)", () =>
    Effect.gen(function*() {
      const error = yield* failureOf(verifyAtNow(signBody("{not json")))
      expect(error).toEqual(new Callback.CallbackMalformedBody({ description: "the body is not valid JSON" }))
      expect(Callback.acknowledgementFor(error)).toMatchObject({ status: 400, retCode: 3 })
      const unsigned = yield* failureOf(verifyAtNow({ headers: signBody("{}").headers, body: "{not json" }))
      expect(unsigned._tag).toBe("CallbackBadSignature")
    }))

  it.effect("rejects JSON that is not an object", () =>
    Effect.gen(function*() {
      for (const body of ["[1,2]", "null", "42", "\"text\""]) {
        const error = yield* failureOf(verifyAtNow(signBody(body)))
        expect(error).toEqual(new Callback.CallbackMalformedBody({ description: "the body is not a JSON object" }))
      }
    }))

  it.effect("names the field at fault when a field has the wrong type", () =>
    Effect.gen(function*() {
      const error = yield* failureOf(verifyAtNow(signBody({ ...taskBody, taskStat: { ...taskStat, totalCall: "4" } })))
      expect(error._tag).toBe("CallbackMalformedBody")
      expect(error._tag === "CallbackMalformedBody" && error.path).toBe("taskStat.totalCall")
      expect(error.message).toContain("taskStat.totalCall")
    }))

  it.effect("names a missing required field", () =>
    Effect.gen(function*() {
      const { callInfoDetail: _, ...withoutCall } = callBody
      const error = yield* failureOf(verifyAtNow(signBody(withoutCall)))
      expect(error._tag === "CallbackMalformedBody" && error.path).toBe("callInfoDetail")
      const { callbackType: __, ...withoutType } = callBody
      const noType = yield* failureOf(verifyAtNow(signBody(withoutType)))
      expect(noType._tag === "CallbackMalformedBody" && noType.path).toBe("callbackType")
    }))

  it.effect("rejects a body that is not valid UTF-8, after checking its signature over the bytes", () =>
    Effect.gen(function*() {
      const bytes = new Uint8Array([...new TextEncoder().encode("{\"callbackType\":1,\"x\":\""), 0xff, 0xfe, 0x22, 0x7d])
      const signed = signer.signWith(bytes, { requestID: "r-utf8", createTs: String(NOW_SECONDS) })
      const error = yield* failureOf(verifyAtNow({
        headers: { requestID: signed.requestID, uuid: signed.uuid, createTs: signed.createTs, sign: signed.sign },
        body: bytes
      }))
      expect(error).toEqual(new Callback.CallbackMalformedBody({ description: "the body is not valid UTF-8" }))
    }))

  it.effect("decodes callbackType given as a number or as a numeric string", () =>
    Effect.gen(function*() {
      for (const callbackType of [1, "1"]) {
        const verified = yield* verifyAtNow(signBody({ ...taskBody, callbackType }))
        expect(verified.callback.callbackType).toBe(1)
      }
      for (const callbackType of [" 1", "1.0", "0x1", "", true, null, 1.5]) {
        const error = yield* failureOf(verifyAtNow(signBody({ ...taskBody, callbackType })))
        expect(error._tag === "CallbackMalformedBody" && error.path).toBe("callbackType")
      }
    }))

  it.effect("keeps unknown fields aside in `extra`, not in the callback and not fatal", () =>
    Effect.gen(function*() {
      const verified = yield* verifyAtNow(signBody({ ...taskBody, newField: { a: 1 }, _tag: "Forged" }))
      expect(verified.callback._tag).toBe("TaskCallback")
      expect(verified.extra).toEqual({ newField: { a: 1 }, _tag: "Forged" })
      expect(Object.keys(verified.callback)).not.toContain("newField")
    }))

  it.effect("does not mind an unknown nested field either", () =>
    Effect.gen(function*() {
      const body = { ...callBody, callInfoDetail: { ...callBody.callInfoDetail, brandNew: [1, 2, 3] } }
      const verified = yield* verifyAtNow(signBody(body))
      expect(verified.callback._tag).toBe("CallCallback")
      // Nothing is lost: the raw body is kept.
      expect(JSON.parse(verified.body).callInfoDetail.brandNew).toEqual([1, 2, 3])
    }))
})

describe("Callback kinds", () => {
  it.effect("decodes a task callback (callbackType 1)", () =>
    Effect.gen(function*() {
      const { callback } = yield* verifyAtNow(signBody(taskBody))
      expect(callback).toEqual(taskCallback)
      expect(Callback.isTaskCallback(callback)).toBe(true)
    }))

  it.effect("decodes an order callback (callbackType \"2\") with its last call as a CallRecord", () =>
    Effect.gen(function*() {
      const { callback } = yield* verifyAtNow(signBody(orderBody))
      if (!Callback.isOrderCallback(callback)) return expect.fail(`decoded as ${callback._tag}`)
      expect(callback.callbackType).toBe(2)
      expect(callback.orderID).toBe("order-1")
      expect(callback.other).toBe("crm-42")
      expect(callback.finish).toBe(true)
      expect(callback.callInfoDetail?.callID).toBe("C-1")
      expect(callback.callInfoDetail?.intents?.[0]?.intentLevel).toBe(1)
    }))

  it.effect("decodes a call callback (callbackType 3)", () =>
    Effect.gen(function*() {
      const { callback } = yield* verifyAtNow(signBody(callBody))
      if (!Callback.isCallCallback(callback)) return expect.fail(`decoded as ${callback._tag}`)
      expect(callback.finish).toBe(false)
      expect(callback.callInfoDetail.callID).toBe("C-1")
      expect(callback.callInfoDetail.callDuration).toBe(60)
    }))

  it.effect("accepts null or missing pass-through strings on order and call callbacks", () =>
    Effect.gen(function*() {
      const { userName: _, ...noName } = callBody
      const { callback } = yield* verifyAtNow(signBody({ ...noName, other: null }))
      expect(callback._tag === "CallCallback" && [callback.userName, callback.other]).toEqual(["", ""])
    }))

  it.effect("an order callback without callInfoDetail still decodes", () =>
    Effect.gen(function*() {
      const { callInfoDetail: _, ...body } = orderBody
      const { callback } = yield* verifyAtNow(signBody(body))
      expect(callback._tag === "OrderCallback" && callback.callInfoDetail).toBe(undefined)
    }))

  it.effect("an unknown callbackType is a typed error (CallbackUnknownType)", () =>
    Effect.gen(function*() {
      const error = yield* failureOf(verifyAtNow(signBody({ ...orderBody, callbackType: 9 })))
      expect(error).toEqual(new Callback.CallbackUnknownType({ callbackType: 9 }))
      expect(Callback.acknowledgementFor(error)).toMatchObject({ status: 400, retCode: 4 })
    }))

  it.effect("`expect` with onTypeMismatch: \"accept\" decodes by URL: an order body with callbackType 1 (as in the vendor example) is an order", () =>
    Effect.gen(function*() {
      const { callback } = yield* verifyAtNow(signBody({ ...orderBody, callbackType: 1 }), {
        expect: "order",
        onTypeMismatch: "accept"
      })
      expect(callback._tag).toBe("OrderCallback")
      expect(callback.callbackType).toBe(1)
    }))

  it.effect("`expect` refuses a mismatching callbackType by default (and with onTypeMismatch: \"reject\")", () =>
    Effect.gen(function*() {
      for (const options of [{ expect: "call" }, { expect: "call", onTypeMismatch: "reject" }] as const) {
        const error = yield* failureOf(verifyAtNow(signBody({ ...callBody, callbackType: 1 }), options))
        expect(error).toEqual(new Callback.CallbackTypeMismatch({ expected: "call", callbackType: 1 }))
        const ok = yield* verifyAtNow(signBody(callBody), options)
        expect(ok.callback._tag).toBe("CallCallback")
      }
    }))

  it("the Callback schema discriminates by callbackType", () => {
    const decode = Schema.decodeUnknownSync(Callback.CallbackFromJson)
    expect(decode(JSON.stringify(taskBody))._tag).toBe("TaskCallback")
    expect(decode(JSON.stringify(orderBody))._tag).toBe("OrderCallback")
    expect(decode(JSON.stringify(callBody))._tag).toBe("CallCallback")
    expect(Either.isLeft(Schema.decodeUnknownEither(Callback.CallbackFromJson)(JSON.stringify({ ...callBody, callbackType: 7 }))))
      .toBe(true)
  })

  it("decode() picks the kind from callbackType", () => {
    expect(Either.map(Callback.decode(JSON.stringify(callBody)), (c) => c._tag)).toEqual(Either.right("CallCallback"))
    expect(Either.map(Callback.decode(JSON.stringify(callBody), { expect: "order", onTypeMismatch: "accept" }), (c) => c._tag))
      .toEqual(Either.right("OrderCallback"))
    expect(Either.getLeft(Callback.decode(JSON.stringify(callBody), { expect: "order" }))).toEqual(
      Option.some(new Callback.CallbackTypeMismatch({ expected: "order", callbackType: 3 }))
    )
  })
})

describe("Callback timestamp window", () => {
  it.effect("accepts createTs up to 300 s either side of the clock by default", () =>
    Effect.gen(function*() {
      for (const createTs of [NOW_SECONDS - 300, NOW_SECONDS + 300, NOW_SECONDS]) {
        const verified = yield* verifyAtNow(signBody(taskBody, { createTs }))
        expect(verified.headers.createTs).toBe(String(createTs))
      }
    }))

  it.effect("rejects a createTs 301 s in the past or in the future (CallbackOutsideWindow, 401)", () =>
    Effect.gen(function*() {
      const past = yield* failureOf(verifyAtNow(signBody(taskBody, { createTs: NOW_SECONDS - 301 })))
      expect(past).toEqual(
        new Callback.CallbackOutsideWindow({ createTs: String(NOW_SECONDS - 301), skewSeconds: 301, windowSeconds: 300 })
      )
      expect(past.message).toContain("in the past")
      const future = yield* failureOf(verifyAtNow(signBody(taskBody, { createTs: NOW_SECONDS + 301 })))
      expect(future._tag === "CallbackOutsideWindow" && future.skewSeconds).toBe(-301)
      expect(Callback.acknowledgementFor(future)).toMatchObject({ status: 401, retCode: 6 })
    }))

  it.effect("follows the TestClock: a callback valid now is stale once the clock moves on", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW_MILLIS)
      const signed = signBody(taskBody)
      yield* Callback.verify(signed)
      yield* TestClock.adjust(Duration.seconds(301))
      const error = yield* failureOf(Callback.verify(signed))
      expect(error._tag).toBe("CallbackOutsideWindow")
    }).pipe(Effect.provide(SignerLive)))

  it.effect("the window is configurable and can be turned off", () =>
    Effect.gen(function*() {
      const signed = signBody(taskBody, { createTs: NOW_SECONDS - 100 })
      const error = yield* failureOf(verifyAtNow(signed, { timestampWindow: "60 seconds" }))
      expect(error._tag === "CallbackOutsideWindow" && error.windowSeconds).toBe(60)
      const ancient = signBody(taskBody, { createTs: 1 })
      const verified = yield* verifyAtNow(ancient, { timestampWindow: Duration.infinity })
      expect(verified.callback._tag).toBe("TaskCallback")
    }))
})

describe("Callback secret rotation", () => {
  it.effect("accepts a callback signed with a previous secret listed in previousSigners", () =>
    Effect.gen(function*() {
      const old = Signer.make(oldAccount)
      const signed = signBody(taskBody, { with: old })
      const verified = yield* verifyAtNow(signed, { previousSigners: [old] })
      expect(verified.callback._tag).toBe("TaskCallback")
      // The current secret still works, and a third secret does not.
      yield* verifyAtNow(signBody(taskBody), { previousSigners: [old] })
      const stranger = Signer.make({ ...account, secretKey: oldAccount.secretKey, uuid: account.uuid + "x" })
      const error = yield* failureOf(verifyAtNow(signBody(taskBody, { with: stranger }), { previousSigners: [old] }))
      expect(error._tag).toBe("CallbackBadSignature")
    }))
})

describe("Callback errors and logs never hold the secret", () => {
  it.effect("no error message, JSON form or log line contains the secret key", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const logger = Logger.make(({ message, cause }) => lines.push(JSON.stringify({ message, cause: String(cause) })))
      const signed = signBody(taskBody)
      const cases = [
        { headers: { ...signed.headers, sign: "0".repeat(32) }, body: signed.body },
        { headers: { ...signed.headers, createTs: String(NOW_SECONDS - 9999) }, body: signed.body },
        { headers: { ...signed.headers, uuid: "other" }, body: signed.body },
        signBody("{\"callbackType\":1}"),
        signBody("not json")
      ]
      const receiver = Callback.receiver(() => Effect.void)
      for (const input of cases) {
        const error = yield* failureOf(verifyAtNow(input))
        for (const text of [error.message, JSON.stringify(error), String(error)]) expect(text).not.toContain(SECRET)
        const reply = yield* receiver.handle(input).pipe(
          Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
          Effect.provide(SignerLive)
        )
        expect(reply.body).not.toContain(SECRET)
        expect(JSON.stringify(reply.headers)).not.toContain(SECRET)
      }
      expect(lines.length).toBeGreaterThan(0)
      for (const line of lines) expect(line).not.toContain(SECRET)
    }))
})

describe("Callback.sign (test kit)", () => {
  it.effect("signs every kind so that verify accepts it, without an algorithm header", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW_MILLIS)
      const order = Either.getOrThrow(Callback.decode(JSON.stringify(orderBody)))
      const call = Either.getOrThrow(Callback.decode(JSON.stringify(callBody)))
      for (const callback of [taskCallback, order, call]) {
        const signed = yield* Callback.sign(callback, { requestID: "fixed" })
        expect(Object.keys(signed.headers).map((h) => h.toLowerCase())).not.toContain("algorithm")
        expect(signed.headers.createTs).toBe(String(NOW_SECONDS))
        const verified = yield* Callback.verify(signed)
        expect(verified).toEqual(callback)
      }
    }).pipe(Effect.provide(SignerLive)))

  it.effect("signs a raw string exactly as given", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW_MILLIS)
      const raw = "{\"callbackType\": \"2\", \"orderID\": \"x\"}"
      const signed = yield* Callback.sign(raw)
      expect(signed.body).toBe(raw)
      const error = yield* failureOf(Callback.verify(signed))
      expect(error._tag).toBe("CallbackMalformedBody")
    }).pipe(Effect.provide(SignerLive)))

  it.effect("signRequest builds a POST with the body and signature headers", () =>
    Effect.gen(function*() {
      const request = yield* Callback.signRequest("http://127.0.0.1:1/cb", taskCallback, { createTs: 5, requestID: "r" })
      expect(request.method).toBe("POST")
      expect(request.headers.createts).toBe("5")
      expect(request.headers.requestid).toBe("r")
      expect(request.body._tag).toBe("Uint8Array")
    }).pipe(Effect.provide(SignerLive)))
})

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

/** Values that survive JSON unchanged (no NaN, ±Infinity, -0, undefined). */
const jsonSafe = (value: unknown): boolean => {
  const text = JSON.stringify(value)
  return text !== undefined && isDeepStrictEqual(JSON.parse(text), value)
}

const encodeAny = (callback: Callback.Callback): unknown => {
  switch (callback._tag) {
    case "TaskCallback":
      return Schema.encodeSync(Callback.TaskCallback)(callback)
    case "OrderCallback":
      return Schema.encodeSync(Callback.OrderCallback)(callback)
    case "CallCallback":
      return Schema.encodeSync(Callback.CallCallback)(callback)
  }
}

const kindArbitrary: fc.Arbitrary<Callback.Callback> = fc.oneof(
  Arbitrary.make(Callback.TaskCallback).map((c) => new Callback.TaskCallback({ ...c, callbackType: 1 })),
  Arbitrary.make(Callback.OrderCallback).map((c) => new Callback.OrderCallback({ ...c, callbackType: 2 })),
  Arbitrary.make(Callback.CallCallback).map((c) => new Callback.CallCallback({ ...c, callbackType: 3 }))
).filter((c) => jsonSafe(encodeAny(c)))

const runSync = <A, E>(effect: Effect.Effect<A, E, Signer.Signer>) =>
  Effect.runSyncExit(effect.pipe(Effect.provide(SignerLive), Effect.provide(TestContext.TestContext)))

describe("Callback properties", () => {
  it("sign → verify returns the same callback, for arbitrary callbacks of every kind", () => {
    fc.assert(
      fc.property(kindArbitrary, fc.boolean(), (callback, sha) => {
        const account2 = sha ? { ...account, algorithm: "SHA256" as const } : account
        const exit = Effect.runSyncExit(
          Effect.gen(function*() {
            const signed = yield* Callback.sign(callback, { createTs: 0 })
            return yield* Callback.verify(signed)
          }).pipe(Effect.provide(Signer.layer(account2)), Effect.provide(TestContext.TestContext))
        )
        expect(exit).toEqual(Exit.succeed(callback))
      }),
      { numRuns: 300 }
    )
  })

  it("any single-byte change to a signed body is rejected with a bad signature", () => {
    const bodies = fc.oneof(
      kindArbitrary.map((c) => JSON.stringify(encodeAny(c))),
      fc.constant(JSON.stringify(orderBody))
    )
    fc.assert(
      fc.property(bodies, fc.nat(), fc.integer({ min: 1, max: 255 }), (text, at, delta) => {
        const bytes = new TextEncoder().encode(text)
        const signed = signer.signWith(bytes, { requestID: "r-prop", createTs: "0" })
        const mutated = bytes.slice()
        const i = at % mutated.length
        mutated[i] = (mutated[i]! + delta) % 256
        const exit = runSync(Callback.verify({
          headers: { requestID: signed.requestID, uuid: signed.uuid, createTs: signed.createTs, sign: signed.sign },
          body: mutated
        }))
        expect(exit).toEqual(Exit.fail(new Callback.CallbackBadSignature({ reason: "Mismatch" })))
      }),
      { numRuns: 2000 }
    )
  })

  it("any single-byte change to requestID, createTs or uuid is rejected", () => {
    const text = JSON.stringify(callBody)
    fc.assert(
      fc.property(
        fc.constantFrom("requestID", "createTs", "uuid"),
        fc.nat(),
        fc.integer({ min: 0x21, max: 0x7e }),
        (header, at, code) => {
          const signed = signer.signWith(text, { requestID: "0123456789abcdef0123456789abcdef", createTs: "0" })
          const headers: Record<string, string> = {
            requestID: signed.requestID,
            uuid: signed.uuid,
            createTs: signed.createTs,
            sign: signed.sign
          }
          const value = headers[header]!
          const i = at % value.length
          fc.pre(value[i] !== String.fromCharCode(code))
          headers[header] = value.slice(0, i) + String.fromCharCode(code) + value.slice(i + 1)
          const exit = runSync(Callback.verify({ headers, body: text }))
          expect(Exit.isFailure(exit)).toBe(true)
          if (Exit.isFailure(exit)) {
            const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
            expect(["CallbackBadSignature", "CallbackOutsideWindow"]).toContain(error?._tag)
          }
        }
      ),
      { numRuns: 1000 }
    )
  })
})
