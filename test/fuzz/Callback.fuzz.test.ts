/**
 * Fuzzing the callback receiver.
 *
 * Generated deliveries — valid callbacks of every kind (Schema `Arbitrary`),
 * the same bodies with wrong types, garbage JSON, random bytes, invalid
 * UTF-8, huge numbers, deep nesting, byte mutations after signing, and
 * missing / duplicated / malformed headers — go through the receiver. An
 * oracle written independently of the library (node:crypto and the
 * documented formula) says whether each delivery is genuinely signed and
 * fresh; the receiver must agree exactly:
 *
 * - every delivery ends in a reply (no defect, no failure, no unhandled
 *   rejection);
 * - too big → 413; not genuinely signed → 401 (6001 when a header is
 *   missing); outside the window → 401; otherwise 200, or 400 with a typed
 *   error, or 500 when the handler was told to fail;
 * - the handler runs only for genuinely signed, fresh bodies, exactly once
 *   per successfully handled `requestID`, and receives a decoded callback of
 *   the kind its `callbackType` names;
 * - the secret appears in no reply, error or log line.
 *
 * Most cases run in-process (`receiver.handle`), a tenth through the HttpApp
 * with a Fetch `Request`, and a few hundred over real HTTP. `FUZZ_RUNS`
 * (default 100,000) sets the total; `FUZZ_SEED` picks the seed (fixed by
 * default; `random` for a new one each run) and replays a run.
 */
import { HttpApp, HttpClient, HttpClientRequest, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Arbitrary, Cause, Chunk, Effect, Either, Exit, FastCheck as fc, Layer, Logger, LogLevel, Schema, Stream } from "effect"
import { createHash } from "node:crypto"
import { Callback, ReplayStore } from "../../src/index.js"
import { account, callBody, callRecord, SECRET, SignerLive } from "../CallbackFixtures.js"

const TOTAL = Math.max(100, Number(process.env.FUZZ_RUNS ?? 100_000))
// A fixed seed by default, so CI runs the same cases every time;
// FUZZ_SEED=random explores new ones (the seed is printed to replay a failure).
const SEED = process.env.FUZZ_SEED === "random"
  ? Date.now() % 2 ** 31
  : Number(process.env.FUZZ_SEED ?? 20_261_121)
const HTTP_CASES = Math.min(300, Math.max(30, Math.floor(TOTAL / 300)))
const WEB_CASES = Math.floor(TOTAL * 0.03)
const INPROCESS_CASES = TOTAL - WEB_CASES - HTTP_CASES
const MAX_BODY = 64 * 1024
const WINDOW = 300
const BATCH = 500

// ---------------------------------------------------------------------------
// The oracle: independent of the library under test
// ---------------------------------------------------------------------------

type HeaderValue = string | ReadonlyArray<string>

interface Case {
  readonly category: string
  readonly body: Uint8Array
  readonly headers: Readonly<Record<string, HeaderValue>>
  /** The handler fails for this delivery (expect 500). */
  readonly handlerFails: boolean
}

const encoder = new TextEncoder()

/** A small seeded PRNG (mulberry32), so that `FUZZ_SEED` replays a run exactly. */
const prng = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const requestIDs = fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()).map((parts) =>
  parts.map((n) => n.toString(16).padStart(8, "0")).join("")
)

const effective = (headers: Case["headers"], name: string): string | undefined => {
  const values: Array<string> = []
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) values.push(...(typeof value === "string" ? [value] : value))
  }
  if (values.length === 0) return undefined
  return values.join(", ").trim()
}

type Expected =
  | { readonly status: 413 }
  | { readonly status: 401; readonly retCode: 6 | 6001 }
  | { readonly status: "accepted"; readonly requestID: string; readonly callbackType: number | undefined }

const md5Hex = /^[0-9a-fA-F]{32}$/
const sha256Hex = /^[0-9a-fA-F]{64}$/
const strictUtf8 = new TextDecoder("utf-8", { fatal: true })

const oracle = (c: Case, nowSeconds: number): Expected => {
  if (c.body.length > MAX_BODY) return { status: 413 }
  const get = (name: string) => effective(c.headers, name)
  const [sign, requestID, uuid, createTs] = [get("sign"), get("requestid"), get("uuid"), get("createts")]
  if (!sign || !requestID || !uuid || !createTs) return { status: 401, retCode: 6001 }
  const algorithmHeader = (get("algorithm") ?? "").toUpperCase()
  if (algorithmHeader !== "" && algorithmHeader !== "MD5" && algorithmHeader !== "SHA256") {
    return { status: 401, retCode: 6 }
  }
  const algorithm = algorithmHeader === "SHA256" ? "sha256" : "md5"
  if (!/^\d{1,12}$/.test(createTs)) return { status: 401, retCode: 6 }
  if (!(algorithm === "md5" ? md5Hex : sha256Hex).test(sign)) return { status: 401, retCode: 6 }
  if (uuid !== account.uuid) return { status: 401, retCode: 6 }
  if (!/^[\x21-\x7e]{1,128}$/.test(requestID)) return { status: 401, retCode: 6 }
  const expected = createHash(algorithm)
    .update(Buffer.concat([
      Buffer.from(`${SECRET}&body=`, "utf8"),
      Buffer.from(c.body),
      Buffer.from(`&createTs=${createTs}&requestID=${requestID}&uuid=${uuid}`, "utf8")
    ]))
    .digest("hex")
  if (expected !== sign.toLowerCase()) return { status: 401, retCode: 6 }
  // Cases are generated at least 10 s inside or outside the window.
  if (Math.abs(nowSeconds - Number(createTs)) > WINDOW) return { status: 401, retCode: 6 }
  let callbackType: number | undefined
  try {
    const json: unknown = JSON.parse(strictUtf8.decode(c.body))
    if (typeof json === "object" && json !== null && !Array.isArray(json) && "callbackType" in json) {
      const t = json.callbackType
      if (typeof t === "number" && Number.isSafeInteger(t)) callbackType = t
      if (typeof t === "string" && /^-?\d{1,15}$/.test(t) && Number.isSafeInteger(Number(t))) callbackType = Number(t)
    }
  } catch {
    callbackType = undefined
  }
  return { status: "accepted", requestID, callbackType }
}

const md5Sign = (body: Uint8Array, createTs: string, requestID: string, uuid = account.uuid) =>
  createHash("md5")
    .update(Buffer.concat([
      Buffer.from(`${SECRET}&body=`, "utf8"),
      Buffer.from(body),
      Buffer.from(`&createTs=${createTs}&requestID=${requestID}&uuid=${uuid}`, "utf8")
    ]))
    .digest("hex")
    .toUpperCase()

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

// Valid by construction: arbitrary values of each kind's fields (the type
// side, so "integer" and the other refinements hold; these values are
// already their JSON form). Plus, cheaper and looser, arbitrary values of the
// wire shapes (the encoded side, where refinements are not enforced, so some
// are rejected as malformed — which the fuzz wants too).
const typeSide = <F extends Schema.Struct.Fields>(fields: F) => Arbitrary.make(Schema.typeSchema(Schema.Struct(fields)))
const wireSide = <F extends Schema.Struct.Fields>(fields: F) => Arbitrary.make(Schema.encodedSchema(Schema.Struct(fields)))

const kinds = fc.oneof(
  { depthSize: "small" },
  { weight: 2, arbitrary: typeSide(Callback.TaskCallback.fields).map((c) => ({ ...c, callbackType: 1 })) },
  { weight: 2, arbitrary: typeSide(Callback.OrderCallback.fields).map((c) => ({ ...c, callbackType: 2 })) },
  { weight: 2, arbitrary: typeSide(Callback.CallCallback.fields).map((c) => ({ ...c, callbackType: 3 })) },
  { weight: 1, arbitrary: wireSide(Callback.TaskCallback.fields).map((c) => ({ ...c, callbackType: 1 })) },
  { weight: 1, arbitrary: wireSide(Callback.OrderCallback.fields).map((c) => ({ ...c, callbackType: 2 })) },
  { weight: 1, arbitrary: wireSide(Callback.CallCallback.fields).map((c) => ({ ...c, callbackType: 3 })) }
)

/** Lets the event loop run (test runner messages) between batches. */
const breathe = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

/** Python's `json.dumps` layout: ", " and ": " separators, non-ASCII escaped. */
const pythonDumps = (value: unknown): string =>
  JSON.stringify(value, null, 1)
    .replace(/\n\s*/g, " ")
    .replace(/\[ /g, "[")
    .replace(/ \]/g, "]")
    .replace(/\{ /g, "{")
    .replace(/ \}/g, "}")
    .replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`)

const validObject = fc.record({
  base: kinds,
  typeAsString: fc.boolean(),
  extra: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) }
  ),
  unknownType: fc.oneof(
    { weight: 19, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.integer({ min: 4, max: 99 }) }
  )
}).map(({ base, typeAsString, extra, unknownType }) => {
  const type = unknownType ?? base.callbackType
  return { ...(extra ?? {}), ...base, callbackType: typeAsString ? String(type) : type }
})

const layouts = fc.constantFrom<ReadonlyArray<(v: unknown) => string>>([
  (v) => JSON.stringify(v),
  (v) => JSON.stringify(v, null, 2),
  pythonDumps
])

const validBody = fc.tuple(validObject, layouts).map(([value, layout]) => layout[0]!(value))

const setAtPath = (value: Record<string, unknown>, path: ReadonlyArray<string>, replacement: unknown) => {
  const copy: Record<string, unknown> = structuredClone(value)
  let target: Record<string, unknown> = copy
  for (const key of path.slice(0, -1)) {
    const next = target[key]
    if (typeof next !== "object" || next === null || Array.isArray(next)) return copy
    target = next as Record<string, unknown>
  }
  target[path[path.length - 1]!] = replacement
  return copy
}

const fieldPaths: ReadonlyArray<ReadonlyArray<string>> = [
  ["callbackType"],
  ["userTaskID"],
  ["taskID"],
  ["orderID"],
  ["finish"],
  ["taskStatus"],
  ["taskStat"],
  ["taskStat", "finishRate"],
  ["taskStat", "totalCall"],
  ["callInfoDetail"],
  ["callInfoDetail", "callID"],
  ["callInfoDetail", "intents"],
  ["callInfoDetail", "agent"],
  ["callInfoDetail", "callDuration"]
]

const hugeNumbers = fc.constantFrom(
  "1e400",
  "-1e400",
  "1e-400",
  "-0",
  "9007199254740993",
  "123456789012345678901234567890123456789",
  "0.1e1",
  "1E2"
)

const wrongTypeBody = fc.tuple(validObject, fc.constantFrom(...fieldPaths), fc.jsonValue({ maxDepth: 3 })).map((
  [value, path, replacement]
) => JSON.stringify(setAtPath(value, path, replacement)))

const hugeNumberBody = fc.tuple(validObject, fc.constantFrom(...fieldPaths), hugeNumbers).map(([value, path, n]) =>
  JSON.stringify(setAtPath(value, path, "__HUGE__")).replace("\"__HUGE__\"", n)
)

const deepNestingBody = fc.tuple(
  fc.oneof(
    fc.tuple(fc.integer({ min: 100, max: 30_000 }), fc.constant("[")),
    fc.tuple(fc.integer({ min: 100, max: 10_000 }), fc.constant("{\"a\":"))
  ),
  fc.constantFrom("extra", "callID", "callbackType", "taskStat")
).map(([[depth, open], where]) => {
  const close = open === "[" ? "]" : "}"
  const deep = open.repeat(depth) + (open === "[" ? "" : "1") + close.repeat(depth)
  const base = { callbackType: 3, orderID: "o", userTaskID: "u", taskID: "t", finish: true }
  switch (where) {
    case "callID":
      return JSON.stringify({ ...base, callInfoDetail: { callID: "__DEEP__" } }).replace("\"__DEEP__\"", deep)
    case "callbackType":
      return JSON.stringify({ ...base, callbackType: "__DEEP__" }).replace("\"__DEEP__\"", deep)
    case "taskStat":
      return JSON.stringify({ ...base, callbackType: 1, taskStat: "__DEEP__" }).replace("\"__DEEP__\"", deep)
    default:
      return JSON.stringify({ ...base, callInfoDetail: callRecord, extra: "__DEEP__" }).replace("\"__DEEP__\"", deep)
  }
})

const oddJsonBody = fc.oneof(
  fc.constant(""),
  fc.constant("\uFEFF{\"callbackType\":1}"),
  fc.constant("{\"callbackType\":1,\"callbackType\":3,\"orderID\":\"o\",\"userTaskID\":\"u\",\"taskID\":\"t\",\"finish\":true,\"callInfoDetail\":{\"callID\":\"c\"}}"),
  fc.constant("{\"__proto__\":{\"callbackType\":3},\"callbackType\":2,\"orderID\":\"o\",\"userTaskID\":\"u\",\"taskID\":\"t\"}"),
  fc.constant("{\"callbackType\":2,\"orderID\":\"\\ud800\",\"userTaskID\":\"u\",\"taskID\":\"t\"}"),
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? "null"),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 })
)

const invalidUtf8Body = fc.tuple(validBody, fc.nat(), fc.constantFrom([0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]))
  .map(([text, at, bad]) => {
    const bytes = encoder.encode(text)
    const i = at % (bytes.length + 1)
    return new Uint8Array([...bytes.slice(0, i), ...bad, ...bytes.slice(i)])
  })

const randomBytesBody = fc.uint8Array({ maxLength: 600 })

const oversizeBody = fc.integer({ min: MAX_BODY + 1, max: MAX_BODY * 3 }).map((n) =>
  JSON.stringify({ callbackType: 2, orderID: "o", userTaskID: "u", taskID: "t", other: "x".repeat(n) })
)

interface Signing {
  readonly requestID: string
  readonly createTs: string
  /** The clock when the case was made (Unix seconds). */
  readonly now: number
}

type HeaderFault = (h: Record<string, HeaderValue>, s: Signing) => Record<string, HeaderValue>

const without = (h: Record<string, HeaderValue>, name: string) =>
  Object.fromEntries(Object.entries(h).filter(([k]) => k.toLowerCase() !== name.toLowerCase()))

const headerFaults = (webSafe: boolean): fc.Arbitrary<{ readonly name: string; readonly apply: HeaderFault }> => {
  const printable = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 70 })
  const anyString = webSafe ? printable : fc.string({ maxLength: 70 })
  return fc.oneof(
    { weight: 40, arbitrary: fc.constant({ name: "none", apply: (h: Record<string, HeaderValue>) => h }) },
    {
      weight: 3,
      arbitrary: fc.subarray(["requestID", "uuid", "createTs", "sign"], { minLength: 1 }).map((names) => ({
        name: "missing",
        apply: (h: Record<string, HeaderValue>) => names.reduce(without, h)
      }))
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom("requestID", "uuid", "createTs", "sign").map((name) => ({
        name: "empty",
        apply: (h: Record<string, HeaderValue>) => ({ ...without(h, name), [name]: webSafe ? "" : "   " })
      }))
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom("requestID", "uuid", "createTs", "sign").map((name) => ({
        name: "duplicated",
        apply: (h: Record<string, HeaderValue>) => {
          const value = effective(h, name.toLowerCase()) ?? "x"
          return { ...without(h, name), [name]: [value, value] }
        }
      }))
    },
    {
      weight: 2,
      arbitrary: fc.constant({
        name: "case+space (valid)",
        apply: (h: Record<string, HeaderValue>) =>
          Object.fromEntries(
            Object.entries(h).map(([k, v]) => [
              k.length % 2 === 0 ? k.toUpperCase() : k.toLowerCase(),
              typeof v === "string" ? ` ${v}  ` : v
            ])
          )
      })
    },
    {
      weight: 1,
      arbitrary: fc.constant({
        name: "requestId spelling (valid)",
        apply: (h: Record<string, HeaderValue>, s: Signing) => ({ ...without(h, "requestID"), requestId: s.requestID })
      })
    },
    {
      weight: 1,
      arbitrary: fc.constant({
        name: "lowercase sign (valid)",
        apply: (h: Record<string, HeaderValue>) => ({ ...h, sign: String(effective(h, "sign")).toLowerCase() })
      })
    },
    {
      weight: 2,
      arbitrary: anyString.map((uuid) => ({
        name: "wrong uuid",
        apply: (h: Record<string, HeaderValue>) => ({ ...without(h, "uuid"), uuid })
      }))
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.integer({ min: WINDOW + 10, max: 10 ** 7 }).map((d) => ({ kind: "stale", delta: -d })),
        fc.integer({ min: WINDOW + 10, max: 10 ** 7 }).map((d) => ({ kind: "future", delta: d }))
      ).map(({ delta, kind }) => ({
        name: `createTs ${kind}`,
        apply: (h: Record<string, HeaderValue>, s: Signing) => {
          // Re-signed, at least 10 s outside the window: only the window can refuse it.
          const createTs = String(s.now + delta)
          return { ...without(h, "createTs"), createTs, __resign: createTs }
        }
      }))
    },
    {
      weight: 2,
      arbitrary: (webSafe
        ? fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 200 })
        : fc.string({ minLength: 1, maxLength: 200 })).map((requestID) => ({
          name: "requestID junk, signed",
          apply: (h: Record<string, HeaderValue>) => ({ ...without(h, "requestID"), requestID, __resignRequestID: requestID })
        }))
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constantFrom("-1", "1e9", "1.5", "0x10", "9999999999999", "", "NaN"),
        anyString
      ).map((createTs) => ({
        name: "createTs junk",
        apply: (h: Record<string, HeaderValue>) => ({ ...without(h, "createTs"), createTs })
      }))
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constant((s: string) => s.slice(1)),
        fc.constant((s: string) => s + "0"),
        fc.constant((s: string) => "G" + s.slice(1)),
        fc.constant((s: string) => s + s),
        anyString.map((junk) => () => junk)
      ).map((f) => ({
        name: "sign junk",
        apply: (h: Record<string, HeaderValue>) => ({ ...without(h, "sign"), sign: f(String(effective(h, "sign"))) })
      }))
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom("MD5", "md5", "SHA256", "sha-256", "", "SHA1").map((algorithm) => ({
        name: `algorithm ${algorithm || "empty"}`,
        apply: (h: Record<string, HeaderValue>) => ({ ...h, algorithm })
      }))
    },
    {
      weight: 1,
      arbitrary: fc.dictionary(
        fc.stringMatching(/^x-[a-z]{1,8}$/),
        webSafe ? printable : fc.string({ maxLength: 20 }),
        { maxKeys: 4 }
      ).map((junk) => ({ name: "junk headers (valid)", apply: (h: Record<string, HeaderValue>) => ({ ...junk, ...h }) }))
    }
  )
}

const bodyMutations = fc.oneof(
  { weight: 24, arbitrary: fc.constant({ name: "none", apply: (b: Uint8Array) => b }) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, delta]) => ({
      name: "byte flip",
      apply: (b: Uint8Array) => {
        if (b.length === 0) return new Uint8Array([delta])
        const copy = b.slice()
        const i = at % copy.length
        copy[i] = (copy[i]! + delta) % 256
        return copy
      }
    }))
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => ({
      name: "byte insert",
      apply: (b: Uint8Array) => {
        const i = at % (b.length + 1)
        return new Uint8Array([...b.slice(0, i), byte, ...b.slice(i)])
      }
    }))
  },
  {
    weight: 1,
    arbitrary: fc.nat().map((at) => ({
      name: "truncate",
      apply: (b: Uint8Array) => b.slice(0, b.length === 0 ? 0 : at % b.length)
    }))
  },
  { weight: 1, arbitrary: fc.constant({ name: "trailing newline", apply: (b: Uint8Array) => new Uint8Array([...b, 0x0a]) }) }
)

const bodies = fc.oneof(
  { weight: 30, arbitrary: validBody.map((b) => ({ category: "valid", bytes: encoder.encode(b) })) },
  { weight: 12, arbitrary: wrongTypeBody.map((b) => ({ category: "wrong type", bytes: encoder.encode(b) })) },
  { weight: 4, arbitrary: hugeNumberBody.map((b) => ({ category: "huge number", bytes: encoder.encode(b) })) },
  { weight: 2, arbitrary: deepNestingBody.map((b) => ({ category: "deep nesting", bytes: encoder.encode(b) })) },
  { weight: 8, arbitrary: oddJsonBody.map((b) => ({ category: "odd JSON", bytes: encoder.encode(b) })) },
  { weight: 4, arbitrary: invalidUtf8Body.map((bytes) => ({ category: "invalid UTF-8", bytes })) },
  { weight: 4, arbitrary: randomBytesBody.map((bytes) => ({ category: "random bytes", bytes })) },
  { weight: 1, arbitrary: oversizeBody.map((b) => ({ category: "oversize", bytes: encoder.encode(b) })) }
)

const specArbitrary = (webSafe: boolean) =>
  fc.record({
    body: bodies,
    skew: fc.integer({ min: -(WINDOW - 10), max: WINDOW - 10 }),
    fault: headerFaults(webSafe),
    mutation: bodyMutations,
    handlerFails: fc.integer({ min: 0, max: 99 }).map((n) => n < 3),
    requestID: requestIDs
  })

type Spec = typeof specs.inProcess extends fc.Arbitrary<infer A> ? A : never

// Built once: fast-check arbitraries are costly to construct.
const specs = { inProcess: specArbitrary(false), web: specArbitrary(true) }

/** Signs a generated delivery at `nowSeconds + skew`, then applies its faults. */
const materialize = ({ body, fault, handlerFails, mutation, requestID, skew }: Spec, nowSeconds: number): Case => {
  const signing = { requestID, createTs: String(nowSeconds + skew), now: nowSeconds }
  let headers: Record<string, HeaderValue> = {
    requestID: signing.requestID,
    uuid: account.uuid,
    createTs: signing.createTs,
    sign: md5Sign(body.bytes, signing.createTs, signing.requestID)
  }
  headers = fault.apply(headers, signing)
  const resignTs = headers.__resign
  const resignID = headers.__resignRequestID
  if (typeof resignTs === "string" || typeof resignID === "string") {
    const { __resign: _, __resignRequestID: __, ...rest } = headers
    headers = {
      ...rest,
      sign: md5Sign(
        body.bytes,
        typeof resignTs === "string" ? resignTs : signing.createTs,
        typeof resignID === "string" ? resignID : signing.requestID
      )
    }
  }
  const labels = [
    body.category,
    fault.name === "none" ? undefined : fault.name,
    mutation.name === "none" ? undefined : mutation.name
  ]
  return {
    category: labels.filter((l) => l !== undefined).join(" / "),
    body: mutation.apply(body.bytes),
    headers,
    handlerFails
  }
}

/** `n` deliveries signed now, from the given seed. */
const generate = (spec: fc.Arbitrary<Spec>, n: number, seed: number): ReadonlyArray<Case> => {
  const now = Math.floor(Date.now() / 1000)
  return fc.sample(spec, { numRuns: n, seed }).map((s) => materialize(s, now))
}

// ---------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------

interface Stats {
  readonly outcomes: Map<string, number>
  readonly categories: Map<string, number>
  handlerRuns: number
  logLines: number
  cases: number
  generateMs: number
  receiverMs: number
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)

const outcomeKey = (status: number, reply: { readonly outcome?: Callback.Outcome } | undefined, retCode: number) => {
  const outcome = reply?.outcome
  const detail = outcome === undefined
    ? ""
    : outcome._tag === "Rejected"
    ? ` ${outcome.error._tag}`
    : ` ${outcome._tag}${"kind" in outcome ? `(${outcome.kind})` : ""}`
  return `${status} retCode ${retCode}${detail}`
}

/** What the handler saw, for the current case. */
interface Seen {
  readonly tag: string
  readonly requestID: string
  readonly body: string
}

const makeHarness = () => {
  const stats: Stats = {
    outcomes: new Map(),
    categories: new Map(),
    handlerRuns: 0,
    logLines: 0,
    cases: 0,
    generateMs: 0,
    receiverMs: 0
  }
  const done = new Set<string>()
  let current: Case | undefined
  let seen: Array<Seen> = []
  const secretInLogs: Array<string> = []

  const handler = (callback: Callback.Callback | Callback.UnknownCallback, delivery: Callback.Delivery) =>
    Effect.suspend(() => {
      stats.handlerRuns++
      seen.push({ tag: callback._tag, requestID: delivery.requestID, body: delivery.body })
      return current?.handlerFails === true ? Effect.fail("told to fail") : Effect.void
    })

  const handlers = {
    task: handler,
    order: handler,
    call: handler,
    fallback: handler
  }

  const logger = Logger.make(({ cause, message }) => {
    stats.logLines++
    const text = `${String(message)} ${Cause.isEmpty(cause) ? "" : Cause.pretty(cause)}`
    if (text.includes(SECRET)) secretInLogs.push(text)
  })
  const LoggerLive = Layer.merge(Logger.replace(Logger.defaultLogger, logger), Logger.minimumLogLevel(LogLevel.All))

  const tagForType = (t: number | undefined) =>
    t === 1 ? "TaskCallback" : t === 2 ? "OrderCallback" : t === 3 ? "CallCallback" : "UnknownCallback"

  /** Checks one delivery against the oracle; returns a problem or undefined. */
  const check = (c: Case, status: number, body: string, reply: Callback.Reply | undefined): string | undefined => {
    const expected = oracle(c, Math.floor(Date.now() / 1000))
    const handlerSaw = seen
    seen = []
    let retCode: number
    try {
      retCode = JSON.parse(body).retCode
    } catch {
      return `reply body is not JSON: ${body.slice(0, 100)}`
    }
    stats.cases++
    bump(stats.outcomes, outcomeKey(status, reply, retCode))
    bump(stats.categories, c.category.split(" / ")[0]!)
    if (body.includes(SECRET)) return "the secret is in the reply"
    if (reply?.outcome._tag === "Rejected" && reply.outcome.error.message.length > 2000) {
      return `error message of ${reply.outcome.error.message.length} characters`
    }
    if (expected.status === 413) {
      return status === 413 && retCode === 4001 && handlerSaw.length === 0 ? undefined : `expected 413, got ${status}`
    }
    if (expected.status === 401) {
      if (handlerSaw.length > 0) return "the handler ran for a delivery that is not genuinely signed"
      return status === 401 && retCode === expected.retCode ? undefined : `expected 401/${expected.retCode}, got ${status}/${retCode}`
    }
    // Genuinely signed and fresh.
    if (status === 401) return `a genuinely signed delivery was refused (${retCode})`
    if (status === 400) {
      if (handlerSaw.length > 0) return "the handler ran for a body answered 400"
      return retCode === 3 ? undefined : `400 with retCode ${retCode}`
    }
    if (reply?.outcome._tag === "Duplicate" && !done.has(expected.requestID)) {
      return "Duplicate for a requestID never handled"
    }
    if (done.has(expected.requestID)) {
      if (handlerSaw.length > 0) return `a handled requestID ran again (${status})`
      return status === 200 && retCode === 0 ? undefined : `a replay of a handled delivery got ${status}/${retCode}`
    }
    if (handlerSaw.length !== 1) return `the handler ran ${handlerSaw.length} times for one delivery`
    const run = handlerSaw[0]!
    if (run.requestID !== expected.requestID) return "the handler saw another requestID"
    if (run.tag !== tagForType(expected.callbackType)) {
      return `callbackType ${expected.callbackType} decoded as ${run.tag}`
    }
    if (encoder.encode(run.body).length !== c.body.length) return "the handler saw a body other than the signed one"
    if (c.handlerFails) return status === 500 && retCode === 5001 ? undefined : `handler failed but got ${status}`
    if (status !== 200 || retCode !== 0) return `handled but answered ${status}/${retCode}`
    done.add(expected.requestID)
    return undefined
  }

  return {
    stats,
    handlers,
    LoggerLive,
    secretInLogs,
    setCurrent: (c: Case) => {
      current = c
    },
    /** A delivery that got no answer: true when the handler did not run for it. */
    dropped: () => {
      const ran = seen.length
      seen = []
      stats.cases++
      return ran === 0
    },
    check
  }
}

const describeCase = (c: Case) =>
  JSON.stringify({
    category: c.category,
    headers: c.headers,
    handlerFails: c.handlerFails,
    body: Buffer.from(c.body.slice(0, 300)).toString("base64")
  })

const report = (label: string, stats: Stats, elapsedMs: number) => {
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1])
  const lines = [
    `callback fuzz (${label}): ${stats.cases} deliveries in ${(elapsedMs / 1000).toFixed(1)} s (generating ${
      (stats.generateMs / 1000).toFixed(1)
    } s, in the receiver ${(stats.receiverMs / 1000).toFixed(1)} s), seed ${SEED}, handler runs ${stats.handlerRuns}, log lines ${stats.logLines}`,
    "  outcomes:",
    ...sorted(stats.outcomes).map(([k, n]) => `    ${String(n).padStart(7)}  ${k}`),
    "  body categories:",
    ...sorted(stats.categories).map(([k, n]) => `    ${String(n).padStart(7)}  ${k}`)
  ]
  console.log(lines.join("\n"))
}

/** Replays: earlier deliveries sent again, byte for byte. */
const withReplays = (cases: ReadonlyArray<Case>, pool: Array<Case>, random: () => number): ReadonlyArray<Case> => {
  const out: Array<Case> = []
  for (const c of cases) {
    out.push(c)
    if (pool.length < 500) pool.push(c)
    else pool[Math.floor(random() * pool.length)] = c
    if (random() < 0.05) {
      const again = pool[Math.floor(random() * pool.length)]!
      out.push({ ...again, category: `replay of ${again.category.split(" / ")[0]}`, handlerFails: false })
    }
  }
  return out
}

// Any promise rejection nobody handled during the run fails the suite.
const rejections: Array<unknown> = []
const onRejection = (reason: unknown) => {
  rejections.push(reason)
}

describe("Callback fuzz", () => {
  beforeAll(() => {
    process.on("unhandledRejection", onRejection)
  })
  afterAll(() => {
    process.off("unhandledRejection", onRejection)
    expect(rejections).toEqual([])
  })

  it.live(`in-process receiver.handle: ${INPROCESS_CASES} deliveries`, () => {
    const harness = makeHarness()
    return Effect.gen(function*() {
      const started = Date.now()
      const random = prng(SEED)
      // Each harness counts runs per requestID (some as short as "u"): a store of its own.
      const receiver = Callback.receiver(harness.handlers, { maxBodyBytes: MAX_BODY, replayStore: ReplayStore.unsafeMakeMemory() })
      const pool: Array<Case> = []
      let generated = 0
      for (let batch = 0; generated < INPROCESS_CASES; batch++) {
        const n = Math.min(BATCH, INPROCESS_CASES - generated)
        const generating = performance.now()
        const cases = withReplays(
          generate(specs.inProcess, n, SEED + batch),
          pool,
          random
        )
        harness.stats.generateMs += performance.now() - generating
        generated += n
        yield* breathe
        for (const c of cases) {
          harness.setCurrent(c)
          const t0 = performance.now()
          const exit = yield* Effect.exit(receiver.handle({ headers: c.headers, body: c.body }))
          harness.stats.receiverMs += performance.now() - t0
          if (Exit.isFailure(exit)) return expect.fail(`receiver failed: ${String(exit.cause)} for ${describeCase(c)}`)
          const problem = harness.check(c, exit.value.status, exit.value.body, exit.value)
          if (problem !== undefined) {
            const outcome = exit.value.outcome
            const detail = outcome._tag === "Rejected" ? outcome.error.message : outcome._tag
            return expect.fail(`${problem} (${detail}) at ${Date.now()} for ${describeCase(c)}`)
          }
        }
      }
      report("in-process", harness.stats, Date.now() - started)
      expect(rejections).toEqual([])
      expect(harness.secretInLogs).toEqual([])
      expect(harness.stats.cases).toBeGreaterThanOrEqual(INPROCESS_CASES)
      if (INPROCESS_CASES >= 10_000) {
        // The generator must actually reach every branch.
        const keys = [...harness.stats.outcomes.keys()].join("\n")
        for (
          const expected of [
            "200 retCode 0 Handled(task)",
            "200 retCode 0 Handled(order)",
            "200 retCode 0 Handled(call)",
            "200 retCode 0 Handled(unknown)",
            "200 retCode 0 Duplicate",
            "401 retCode 6001 CallbackMissingHeader",
            "401 retCode 6 CallbackBadSignature",
            "401 retCode 6 CallbackOutsideWindow",
            "400 retCode 3 CallbackMalformedBody",
            "413 retCode 4001 CallbackTooLarge",
            "500 retCode 5001 HandlerFailed"
          ]
        ) {
          expect(keys).toContain(expected)
        }
      }
    }).pipe(Effect.provide(SignerLive), Effect.provide(harness.LoggerLive))
  }, { timeout: 120_000 })

  it.live(`HttpApp with Fetch Requests: ${WEB_CASES} deliveries`, () =>
    Effect.gen(function*() {
      const started = Date.now()
      const harness = makeHarness()
      const { dispose, handler } = HttpApp.toWebHandlerLayer(
        Callback.httpApp(harness.handlers, { maxBodyBytes: MAX_BODY, replayStore: ReplayStore.unsafeMakeMemory() }),
        Layer.merge(SignerLive, harness.LoggerLive)
      )
      yield* Effect.addFinalizer(() => Effect.promise(dispose))
      const random = prng(SEED + 1)
      const pool: Array<Case> = []
      let generated = 0
      for (let batch = 0; generated < WEB_CASES; batch++) {
        const n = Math.min(BATCH, WEB_CASES - generated)
        const generating = performance.now()
        const cases = withReplays(
          generate(specs.web, n, SEED + 100_000 + batch),
          pool,
          random
        )
        harness.stats.generateMs += performance.now() - generating
        generated += n
        yield* breathe
        for (const c of cases) {
          harness.setCurrent(c)
          const headers = new Headers()
          for (const [k, v] of Object.entries(c.headers)) {
            for (const value of typeof v === "string" ? [v] : v) headers.append(k, value)
          }
          // Servers put the framing length in the headers; one in five goes without (as if chunked).
          if (random() < 0.8) headers.set("content-length", String(c.body.length))
          const t0 = performance.now()
          const response = yield* Effect.promise(() =>
            handler(new Request("http://receiver.test/callbot", { method: "POST", headers, body: new Uint8Array(c.body) }))
          )
          const text = yield* Effect.promise(() => response.text())
          harness.stats.receiverMs += performance.now() - t0
          const problem = harness.check(c, response.status, text, undefined)
          if (problem !== undefined) return expect.fail(`${problem} for ${describeCase(c)}`)
        }
      }
      report("HttpApp + Fetch Request", harness.stats, Date.now() - started)
      expect(rejections).toEqual([])
      expect(harness.secretInLogs).toEqual([])
      expect(harness.stats.cases).toBeGreaterThanOrEqual(WEB_CASES)
    }).pipe(Effect.scoped), { timeout: 120_000 })

  it.live(`real HTTP (NodeHttpServer): ${HTTP_CASES} deliveries`, () =>
    Effect.gen(function*() {
      const started = Date.now()
      const harness = makeHarness()
      yield* HttpServer.serveEffect(
        Callback.httpApp(harness.handlers, { maxBodyBytes: MAX_BODY, replayStore: ReplayStore.unsafeMakeMemory() }).pipe(
          Effect.provide(harness.LoggerLive)
        )
      )
      const client = yield* HttpClient.HttpClient
      const pool: Array<Case> = []
      const cases = withReplays(
        generate(specs.web, HTTP_CASES, SEED + 200_000),
        pool,
        prng(SEED + 2)
      )
      let chunked = 0
      for (const c of cases) {
        harness.setCurrent(c)
        // Every fifth delivery is sent chunked (no Content-Length).
        const asStream = chunked++ % 5 === 0
        const request = HttpClientRequest.post("/callbot").pipe(
          asStream
            ? HttpClientRequest.bodyStream(
              Stream.fromChunk(Chunk.fromIterable(Array.from({ length: Math.ceil(c.body.length / 4096) }, (_, i) =>
                c.body.slice(i * 4096, (i + 1) * 4096)))),
              { contentType: "application/json" }
            )
            : HttpClientRequest.bodyUint8Array(c.body, "application/json"),
          HttpClientRequest.setHeaders(
            Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, typeof v === "string" ? v : v.join(", ")]))
          )
        )
        const result = yield* client.execute(request).pipe(
          Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
          Effect.either
        )
        if (result._tag === "Left") {
          // Past twice the cap a chunked body is no longer read; Node then
          // drops the connection instead of answering 413.
          if (asStream && c.body.length > 2 * MAX_BODY && harness.dropped()) {
            bump(harness.stats.outcomes, "connection dropped (chunked, over twice the cap)")
            continue
          }
          return expect.fail(`transport error ${result.left.message} for ${describeCase(c)}`)
        }
        const problem = harness.check(c, result.right.status, result.right.text, undefined)
        if (problem !== undefined) return expect.fail(`${problem} for ${describeCase(c)}`)
      }
      report("real HTTP", harness.stats, Date.now() - started)
      expect(rejections).toEqual([])
      expect(harness.secretInLogs).toEqual([])
    }).pipe(Effect.provide(Layer.merge(NodeHttpServer.layerTest, SignerLive)), Effect.scoped), { timeout: 120_000 })
})

// ---------------------------------------------------------------------------
// What frameworks hand over: anything at all, as the body and the headers
// ---------------------------------------------------------------------------

describe("Callback fuzz: framework-shaped input", () => {
  const NON_BYTES_RUNS = Math.min(20_000, Math.max(500, Math.floor(TOTAL / 10)))
  /** Values a framework may leave as `req.body`: parsed JSON, `undefined`, numbers, arrays, objects of any shape. */
  const notBytes = fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true })
    .filter((u) => typeof u !== "string")
  /** Header holders of any shape: records with odd values, entry lists, Maps, primitives. */
  const anyHeaders = fc.oneof(
    fc.dictionary(fc.string(), fc.anything({ withBigInt: true })),
    fc.array(fc.tuple(fc.string(), fc.anything())).map((entries) => new Map(entries)),
    fc.array(fc.anything()),
    fc.anything()
  )

  it.live(`receiver.handle answers ${NON_BYTES_RUNS} non-bytes bodies with 400 and never runs the handler`, () =>
    Effect.gen(function*() {
      let runs = 0
      const receiver = Callback.receiver(() => Effect.sync(() => runs++))
      const handle = (input: unknown) =>
        Effect.exit(Reflect.apply(receiver.handle, undefined, [input]) as Effect.Effect<Callback.Reply>)
      const samples = fc.sample(
        fc.oneof(
          fc.record({ headers: anyHeaders, body: notBytes }),
          fc.record({ headers: anyHeaders, body: notBytes }, { requiredKeys: [] }),
          notBytes
        ),
        { numRuns: NON_BYTES_RUNS, seed: SEED }
      )
      const statuses = new Map<number, number>()
      for (const input of samples) {
        const exit = yield* handle(input)
        if (Exit.isFailure(exit)) return expect.fail(`no reply: ${Cause.pretty(exit.cause)}`)
        statuses.set(exit.value.status, (statuses.get(exit.value.status) ?? 0) + 1)
        if (exit.value.status !== 400) return expect.fail(`status ${exit.value.status} for a body that is not bytes`)
      }
      expect(runs).toBe(0)
      expect([...statuses.keys()]).toEqual([400])
    }).pipe(Effect.provide(SignerLive)), { timeout: 120_000 })

  it.live("genuinely signed bodies handed over as ArrayBuffers or typed-array views are handled once each", () =>
    Effect.gen(function*() {
      let runs = 0
      const receiver = Callback.receiver(() => Effect.sync(() => runs++))
      const views = fc.sample(fc.constantFrom("ArrayBuffer", "DataView", "Uint8Array", "Buffer", "Int8Array"), {
        numRuns: 200,
        seed: SEED
      })
      for (const [i, view] of views.entries()) {
        const text = JSON.stringify({ ...callBody, orderID: `fuzz-view-${i}` })
        const bytes = new TextEncoder().encode(text)
        const createTs = String(Math.floor(Date.now() / 1000))
        const requestID = `fuzz-view-${SEED}-${i}`
        const signed = { requestID, uuid: account.uuid, createTs, sign: md5Sign(bytes, createTs, requestID) }
        const body = view === "ArrayBuffer" ? bytes.slice().buffer
          : view === "DataView" ? new DataView(bytes.slice().buffer)
          : view === "Buffer" ? Buffer.from(bytes)
          : view === "Int8Array" ? new Int8Array(bytes.slice().buffer)
          : bytes
        const reply = yield* Reflect.apply(receiver.handle, undefined, [{ headers: signed, body }]) as Effect.Effect<
          Callback.Reply
        >
        if (reply.status !== 200) return expect.fail(`status ${reply.status} for a ${view}: ${reply.body}`)
      }
      expect(runs).toBe(views.length)
    }).pipe(Effect.provide(SignerLive)))
})

// ---------------------------------------------------------------------------
// Cross-receiver replay: per-URL receivers of one process share the
// account's default replay store, and refuse a contradicting callbackType
// ---------------------------------------------------------------------------

describe("Callback fuzz: cross-receiver replay", () => {
  const REPLAY_RUNS = Math.max(50, Math.min(2_000, Math.floor(TOTAL / 50)))
  const replayKinds = ["task", "order", "call"] as const
  type ReplayKind = typeof replayKinds[number]
  const bodies = {
    task: Arbitrary.make(Callback.TaskCallback).map((c) => Schema.encodeSync(Callback.TaskCallback)(c)),
    order: Arbitrary.make(Callback.OrderCallback).map((c) => Schema.encodeSync(Callback.OrderCallback)(c)),
    call: Arbitrary.make(Callback.CallCallback).map((c) => Schema.encodeSync(Callback.CallCallback)(c))
  }
  const deliveries = fc.oneof(
    ...replayKinds.map((kind) =>
      fc.record({
        kind: fc.constant(kind),
        // The genuine callbackType of its kind, as the platform sends it.
        body: bodies[kind].map((encoded) => JSON.stringify({ ...encoded, callbackType: Callback.typeOfKind(kind) })),
        // Replay to the other URLs after the genuine delivery, or before it
        // (a copy raced ahead of the platform's own delivery).
        replayFirst: fc.boolean(),
        accept: fc.boolean()
      })
    )
  )

  it.live(`a genuine callback replayed to another per-URL receiver never runs that receiver's handler: ${REPLAY_RUNS} deliveries`, () =>
    Effect.gen(function*() {
      // Only bodies that are valid callbacks of their kind (the arbitraries
      // also produce numbers JSON cannot carry, such as NaN).
      const samples = fc.sample(deliveries, { numRuns: REPLAY_RUNS, seed: SEED + 300_000 })
        .filter((sample) => Either.isRight(Callback.decode(sample.body)))
      expect(samples.length).toBeGreaterThan(REPLAY_RUNS / 4)
      const runs: Record<ReplayKind, Array<string>> = { task: [], order: [], call: [] }
      const receiversFor = (onTypeMismatch: "accept" | undefined) => {
        const record = (kind: ReplayKind) => (_: unknown, delivery: Callback.Delivery) =>
          Effect.sync(() => runs[kind].push(delivery.requestID))
        return {
          task: Callback.receiver({ task: record("task") }, { expect: "task", onTypeMismatch }),
          order: Callback.receiver({ order: record("order") }, { expect: "order", onTypeMismatch }),
          call: Callback.receiver({ call: record("call") }, { expect: "call", onTypeMismatch })
        }
      }
      const strict = receiversFor(undefined)
      const lenient = receiversFor("accept")
      for (const [i, sample] of samples.entries()) {
        const receivers = sample.accept ? lenient : strict
        // Racing ahead is only refused by the type check: with "accept", a
        // copy that wins the race is handled where it lands (docs say so).
        const replayFirst = sample.replayFirst && !sample.accept
        const bytes = encoder.encode(sample.body)
        const createTs = String(Math.floor(Date.now() / 1000))
        const requestID = `fuzz-replay-${SEED}-${i}`
        const headers = { requestID, uuid: account.uuid, createTs, sign: md5Sign(bytes, createTs, requestID) }
        const others = replayKinds.filter((kind) => kind !== sample.kind)
        const replay = Effect.forEach(others, (kind) => receivers[kind].handle({ headers, body: bytes }))
        const before = replayFirst ? yield* replay : []
        const genuine = yield* receivers[sample.kind].handle({ headers, body: bytes })
        const after = replayFirst ? [] : yield* replay
        if (genuine.status !== 200) {
          return expect.fail(`genuine ${sample.kind} delivery answered ${genuine.status}: ${genuine.body}`)
        }
        for (const reply of [...before, ...after]) {
          const tag = reply.outcome._tag
          if (tag === "Handled") return expect.fail(`a replay of a ${sample.kind} callback was handled: ${reply.body}`)
          if (tag !== "Duplicate" && tag !== "Rejected") return expect.fail(`unexpected outcome ${tag} for a replay`)
        }
      }
      const handled = samples.reduce((n, s) => ({ ...n, [s.kind]: n[s.kind] + 1 }), { task: 0, order: 0, call: 0 })
      for (const kind of replayKinds) expect([kind, runs[kind].length]).toEqual([kind, handled[kind]])
    }).pipe(Effect.provide(SignerLive)), { timeout: 120_000 })
})
