import { describe, expect, it } from "@effect/vitest"
import * as PlatformHeaders from "@effect/platform/Headers"
import { ConfigProvider, Effect, Either, FastCheck, FiberRef, Layer, Redacted, TestClock } from "effect"
import { createHash } from "node:crypto"
import { Signer } from "../src/index.js"

// Test vectors of callbot-api.md §2.8 (derived with placeholder credentials).
const vector = {
  secretKey: "TEST_SECRET_KEY",
  uuid: "TEST_UUID",
  requestID: "0123456789abcdef0123456789abcdef",
  createTs: "1700000000"
} as const

describe("Signer.signature", () => {
  it("matches vector (a): body {\"data\":\"ping\"}", () => {
    const body = "{\"data\":\"ping\"}"
    expect(Signer.signature({ ...vector, body })).toBe("DE29D4F944E719500F23B8F4F9927AA3")
    expect(Signer.signature({ ...vector, body, algorithm: "MD5" })).toBe("DE29D4F944E719500F23B8F4F9927AA3")
    expect(Signer.signature({ ...vector, body, algorithm: "SHA256" })).toBe(
      "D1B2C16EC03600598D04545C7F1BBD6A75F125627D20FFD89D6EA53366629211"
    )
  })

  it("matches vector (b): empty body", () => {
    expect(Signer.signature({ ...vector, body: "" })).toBe("EAFA59307E4C3F76C89CF60C90CF522C")
    expect(Signer.signature({ ...vector, body: "", algorithm: "SHA256" })).toBe(
      "2BD6908321EE5C81BCFFD1B42CC71A2772A6CD488F84FEC8572032B474BBA29D"
    )
  })

  it("matches vector (c): raw UTF-8 Chinese text (JSON.stringify form)", () => {
    const body = JSON.stringify({ strategyName: "默认策略" })
    expect(body).toBe("{\"strategyName\":\"默认策略\"}")
    const authRaw = `${vector.secretKey}&body=${body}&createTs=${vector.createTs}&requestID=${vector.requestID}&uuid=${vector.uuid}`
    expect(Buffer.byteLength(authRaw, "utf8")).toBe(130)
    expect(Signer.signature({ ...vector, body })).toBe("F879EF9FED889B133EFBCAFF3C88249E")
    expect(Signer.signature({ ...vector, body, algorithm: "SHA256" })).toBe(
      "822C9C359325AC3F846225663025333A40724440DDD8D057C27CB37870FC26E2"
    )
  })

  it("matches vector (d): the Python json.dumps form of the same object signs differently", () => {
    const body = "{\"strategyName\": \"\\u9ed8\\u8ba4\\u7b56\\u7565\"}"
    expect(Signer.signature({ ...vector, body })).toBe("DC3601ED547E73FE2FF3EC098A4CD287")
  })

  it("hashes a string and its UTF-8 bytes identically", () =>
    FastCheck.assert(
      FastCheck.property(FastCheck.string({ unit: "binary" }), (body) => {
        const fromString = Signer.signature({ ...vector, body })
        const fromBytes = Signer.signature({ ...vector, body: new TextEncoder().encode(body) })
        return fromString === fromBytes
      }),
      { numRuns: 300 }
    ))

  it("hashes large bodies (streamed in pieces) exactly like small ones (one concatenated string)", () => {
    for (const size of [16_383, 16_384, 100_000]) {
      const body = "默".repeat(size)
      const authRaw = `${vector.secretKey}&body=${body}&createTs=${vector.createTs}&requestID=${vector.requestID}&uuid=${vector.uuid}`
      const expected = createHash("md5").update(authRaw, "utf8").digest("hex").toUpperCase()
      expect(Signer.signature({ ...vector, body })).toBe(expected)
      expect(Signer.signature({ ...vector, body: new TextEncoder().encode(body) })).toBe(expected)
    }
  })

  it("equals UPPER(hex(md5(authRaw))) computed by hand with node:crypto", () =>
    FastCheck.assert(
      FastCheck.property(
        FastCheck.string({ unit: "grapheme" }),
        FastCheck.string({ minLength: 1, unit: "grapheme-ascii" }),
        FastCheck.stringMatching(/^[0-9a-f]{32}$/),
        FastCheck.integer({ min: 0, max: 2_000_000_000 }),
        (body, secretKey, requestID, ts) => {
          const createTs = String(ts)
          const authRaw = `${secretKey}&body=${body}&createTs=${createTs}&requestID=${requestID}&uuid=U`
          const md5 = createHash("md5").update(authRaw, "utf8").digest("hex").toUpperCase()
          const sha = createHash("sha256").update(authRaw, "utf8").digest("hex").toUpperCase()
          return Signer.signature({ secretKey, uuid: "U", body, createTs, requestID }) === md5 &&
            Signer.signature({ secretKey: Redacted.make(secretKey), uuid: "U", body, createTs, requestID, algorithm: "SHA256" }) ===
              sha
        }
      ),
      { numRuns: 300 }
    ))
})

describe("Signer.constantTimeEqual", () => {
  it("compares hex digests case-insensitively and rejects any difference", () => {
    expect(Signer.constantTimeEqual("ABCDEF", "abcdef")).toBe(true)
    expect(Signer.constantTimeEqual("ABCDEF", "ABCDEE")).toBe(false)
    expect(Signer.constantTimeEqual("ABCDEF", "ABCDE")).toBe(false)
    expect(Signer.constantTimeEqual("", "")).toBe(true)
    expect(Signer.constantTimeEqual("A", "")).toBe(false)
  })
})

const account = { uuid: "acct-uuid", secretKey: Redacted.make("acct-secret") } as const

describe("Signer service", () => {
  it.effect("signs with createTs from Clock (seconds) and a fresh 32-hex requestID each time", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_999)
      const signer = Signer.make(account)
      const a = yield* signer.sign("{}")
      const b = yield* signer.sign("{}")
      expect(a.createTs).toBe("1700000000")
      expect(a.requestID).toMatch(/^[0-9a-f]{32}$/)
      expect(b.requestID).not.toBe(a.requestID)
      expect(a.sign).not.toBe(b.sign)
      expect(a.uuid).toBe("acct-uuid")
      expect(a.algorithm).toBe("MD5")
      expect(a.sign).toBe(
        Signer.signature({ ...account, body: "{}", createTs: a.createTs, requestID: a.requestID })
      )
    }))

  it.effect("verify with algorithms accepts only those digests: an algorithm header outside the list is InvalidHeader, never a downgrade", () =>
    Effect.gen(function*() {
      const md5 = Signer.make(account)
      const sha = Signer.make({ ...account, algorithm: "SHA256" })
      const signedMd5 = yield* md5.sign("{}")
      const withHeader = { headers: Signer.toHeaders(signedMd5), body: "{}" }
      const withoutHeader = { headers: Signer.toHeaders(signedMd5, { algorithm: false }), body: "{}" }
      // Without options, the header selects the digest (what the client does with responses).
      expect((yield* sha.verify(withHeader)).algorithm).toBe("MD5")
      const refused = yield* Effect.flip(sha.verify(withHeader, { algorithms: ["SHA256"] }))
      expect([refused.reason, refused.header]).toEqual(["InvalidHeader", "algorithm"])
      const noHeader = yield* Effect.flip(sha.verify(withoutHeader, { algorithms: ["SHA256"] }))
      expect([noHeader.reason, noHeader.header]).toEqual(["InvalidHeader", "sign"])
      for (const input of [withHeader, withoutHeader]) {
        expect((yield* sha.verify(input, { algorithms: ["SHA256", "MD5"] })).algorithm).toBe("MD5")
      }
      const signedSha = yield* sha.sign("{}")
      const shaNoHeader = { headers: Signer.toHeaders(signedSha, { algorithm: false }), body: "{}" }
      expect((yield* sha.verify(shaNoHeader, { algorithms: ["SHA256", "MD5"] })).algorithm).toBe("SHA256")
    }))

  it.effect("verifies what it signed, for both algorithms and any body", () =>
    Effect.gen(function*() {
      for (const algorithm of ["MD5", "SHA256"] as const) {
        const signer = Signer.make({ ...account, algorithm })
        const bodies = FastCheck.sample(FastCheck.string({ unit: "binary" }), 50)
        for (const body of bodies) {
          const headers = yield* signer.sign(body)
          const verified = yield* signer.verify({ headers: { ...headers }, body })
          expect(verified).toEqual({
            requestID: headers.requestID,
            uuid: headers.uuid,
            createTs: headers.createTs,
            algorithm
          })
        }
      }
    }))

  it.effect("rejects a body changed after signing", () =>
    Effect.gen(function*() {
      const signer = Signer.make(account)
      const headers = yield* signer.sign("{\"a\":1}")
      const error = yield* Effect.flip(signer.verify({ headers: { ...headers }, body: "{\"a\":2}" }))
      expect(error).toEqual(new Signer.SignatureError({ reason: "Mismatch" }))
    }))

  it.effect("rejects a signature made with another secret", () =>
    Effect.gen(function*() {
      const other = Signer.make({ ...account, secretKey: Redacted.make("another-secret") })
      const headers = yield* other.sign("{}")
      const error = yield* Effect.flip(Signer.make(account).verify({ headers: { ...headers }, body: "{}" }))
      expect(error.reason).toBe("Mismatch")
    }))

  it.effect("names the missing header", () =>
    Effect.gen(function*() {
      const signer = Signer.make(account)
      const headers = yield* signer.sign("{}")
      for (const name of ["sign", "requestID", "uuid", "createTs"] as const) {
        const { [name]: _removed, ...rest } = headers
        const error = yield* Effect.flip(signer.verify({ headers: rest, body: "{}" }))
        expect(error).toEqual(new Signer.SignatureError({ reason: "MissingHeader", header: name.toLowerCase() }))
        expect(error.message).toContain("missing")
      }
    }))

  it.effect("reads headers case-insensitively from Node, Fetch and plain records", () =>
    Effect.gen(function*() {
      const signer = Signer.make(account)
      const h = yield* signer.sign("{}")
      const upper = { REQUESTID: h.requestID, UUID: h.uuid, CREATETS: h.createTs, SIGN: h.sign }
      yield* signer.verify({ headers: upper, body: "{}" })
      const fetchHeaders = new Headers({ requestId: h.requestID, uuid: h.uuid, createTs: h.createTs, sign: h.sign })
      yield* signer.verify({ headers: fetchHeaders, body: "{}" })
      yield* signer.verify({ headers: { ...h, sign: h.sign.toLowerCase() }, body: "{}" })
    }))

  it.effect("uses the algorithm header when present and rejects unknown algorithms", () =>
    Effect.gen(function*() {
      const md5 = Signer.make(account)
      const sha = Signer.make({ ...account, algorithm: "SHA256" })
      const signed = yield* sha.sign("{}")
      // An MD5-configured verifier accepts a SHA256 message that says so.
      yield* md5.verify({ headers: { ...signed }, body: "{}" })
      // Without the header it uses its own algorithm, which does not match.
      const { algorithm: _a, ...noAlgorithm } = signed
      const mismatch = yield* Effect.flip(md5.verify({ headers: noAlgorithm, body: "{}" }))
      expect(mismatch.reason).toBe("InvalidHeader")
      expect(mismatch.header).toBe("sign")
      const unknown = yield* Effect.flip(md5.verify({ headers: { ...signed, algorithm: "SHA1" }, body: "{}" }))
      expect(unknown).toEqual(new Signer.SignatureError({ reason: "InvalidHeader", header: "algorithm" }))
    }))

  it.effect("rejects another account's uuid and malformed createTs or sign", () =>
    Effect.gen(function*() {
      const signer = Signer.make(account)
      const h = yield* signer.sign("{}")
      expect((yield* Effect.flip(signer.verify({ headers: { ...h, uuid: "someone-else" }, body: "{}" }))).reason)
        .toBe("UuidMismatch")
      expect(yield* Effect.flip(signer.verify({ headers: { ...h, createTs: "soon" }, body: "{}" }))).toEqual(
        new Signer.SignatureError({ reason: "InvalidHeader", header: "createTs" })
      )
      expect(yield* Effect.flip(signer.verify({ headers: { ...h, sign: "XYZ" }, body: "{}" }))).toEqual(
        new Signer.SignatureError({ reason: "InvalidHeader", header: "sign" })
      )
    }))
})

describe("Signer.layerConfig", () => {
  const withConfig = (map: Record<string, string>) =>
    Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(map))))

  it.effect("reads CALLBOT_UUID, CALLBOT_SECRET_KEY and CALLBOT_ALGORITHM (default MD5)", () =>
    Effect.gen(function*() {
      const signer = yield* Signer.Signer
      expect(signer.uuid).toBe("cfg-uuid")
      expect(signer.algorithm).toBe("MD5")
      const h = yield* signer.sign("{}")
      expect(h.sign).toBe(Signer.signature({ ...h, secretKey: "cfg-secret", uuid: "cfg-uuid", body: "{}" }))
    }).pipe(
      Effect.provide(
        Signer.layerConfig.pipe(Layer.provide(withConfig({ CALLBOT_UUID: "cfg-uuid", CALLBOT_SECRET_KEY: "cfg-secret" })))
      )
    ))

  it.effect("honours CALLBOT_ALGORITHM=SHA256", () =>
    Effect.gen(function*() {
      expect((yield* Signer.Signer).algorithm).toBe("SHA256")
    }).pipe(
      Effect.provide(
        Signer.layerConfig.pipe(
          Layer.provide(withConfig({ CALLBOT_UUID: "u", CALLBOT_SECRET_KEY: "s", CALLBOT_ALGORITHM: "SHA256" }))
        )
      )
    ))

  it.effect("fails with a ConfigError that names the key and never shows the secret", () =>
    Effect.gen(function*() {
      const missing = yield* Effect.either(
        Layer.build(Signer.layerConfig.pipe(Layer.provide(withConfig({ CALLBOT_UUID: "u" })))).pipe(Effect.scoped)
      )
      expect(Either.isLeft(missing)).toBe(true)
      expect(String(Either.flip(missing).pipe(Either.getOrThrow))).toContain("CALLBOT_SECRET_KEY")

      const badAlgorithm = yield* Effect.either(
        Layer.build(
          Signer.layerConfig.pipe(
            Layer.provide(withConfig({ CALLBOT_UUID: "u", CALLBOT_SECRET_KEY: "very-secret-value", CALLBOT_ALGORITHM: "SHA1" }))
          )
        ).pipe(Effect.scoped)
      )
      const rendered = String(Either.flip(badAlgorithm).pipe(Either.getOrThrow))
      expect(rendered).toContain("CALLBOT_ALGORITHM")
      expect(rendered).not.toContain("very-secret-value")
    }))
})

describe("Signer.toHeaders", () => {
  const signer = Signer.make({ uuid: vector.uuid, secretKey: Redacted.make(vector.secretKey), algorithm: "SHA256" })
  const signed = signer.signWith("{\"data\":\"ping\"}", { requestID: vector.requestID, createTs: vector.createTs })

  it("holds the five signature headers under the vendor's names", () => {
    expect(Signer.toHeaders(signed)).toStrictEqual({
      requestID: vector.requestID,
      uuid: vector.uuid,
      createTs: vector.createTs,
      sign: signed.sign,
      algorithm: "SHA256"
    })
  })

  it("leaves algorithm out when asked, as callbacks carry none", () => {
    expect(Signer.toHeaders(signed, { algorithm: false })).toStrictEqual({
      requestID: vector.requestID,
      uuid: vector.uuid,
      createTs: vector.createTs,
      sign: signed.sign
    })
  })

  it("verifies: the record is what Signer.verify reads back", () =>
    Effect.gen(function*() {
      const verified = yield* signer.verify({ headers: Signer.toHeaders(signed), body: "{\"data\":\"ping\"}" })
      expect(verified).toStrictEqual({
        requestID: vector.requestID,
        uuid: vector.uuid,
        createTs: vector.createTs,
        algorithm: "SHA256"
      })
    }).pipe(Effect.runPromise))
})

describe("Signer.redactSignHeader", () => {
  const names = FiberRef.get(PlatformHeaders.currentRedactedNames)
  const account = { uuid: "u", secretKey: Redacted.make("s") }

  it.effect("adds sign to the redacted header names for the effect it wraps, and only for it", () =>
    Effect.gen(function*() {
      const before = yield* names
      expect(before).not.toContain("sign")
      expect(yield* Signer.redactSignHeader(names)).toEqual([...before, "sign"])
      expect(yield* names).toEqual(before)
    }))

  it.effect("under Signer.layer, which already redacts sign, leaves the names as they are", () =>
    Effect.gen(function*() {
      const before = yield* names
      expect(before).toContain("sign")
      expect(yield* Signer.redactSignHeader(names)).toBe(before)
    }).pipe(Effect.provide(Signer.layer(account))))
})
