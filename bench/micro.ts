/**
 * Micro-benchmarks (tinybench): the SDK's building blocks against the bare
 * equivalent on the same input. Each pair runs `reps` times, alternating
 * which side goes first; the figure is the median of the mean ops/s.
 */
import { Effect, Either, Redacted, Runtime } from "effect"
import { createHash } from "node:crypto"
import { Bench } from "tinybench"
import * as Callback from "../src/Callback.js"
import * as Orders from "../src/internal/api/orders.js"
import * as Signer from "../src/Signer.js"
import { account, callbackHeaders, createAndCallInput, rawEqual, rawSign, secret, taskCallbackBody, uuid } from "./lib/fixtures.js"
import { type Figure, figure, median } from "./lib/stats.js"

export interface MicroOptions {
  readonly reps: number
  /** tinybench time budget per task and rep (ms). */
  readonly timeMs: number
}

interface Pair {
  readonly section: string
  readonly name: string
  readonly baseline: () => unknown
  readonly sdk: () => unknown
  readonly target?: number | undefined
}

const opsPerSecond = async (name: string, fn: () => unknown, timeMs: number): Promise<number> => {
  const bench = new Bench({ time: timeMs, warmupTime: Math.max(20, timeMs / 4), iterations: 16 })
  bench.add(name, fn)
  await bench.run()
  const result = bench.tasks[0]?.result
  if (result === undefined || result.state !== "completed") {
    throw new Error(`micro ${name}: ${result?.state === "errored" ? result.error.message : result?.state}`)
  }
  return result.throughput.mean
}

/** A body of about `bytes` bytes of JSON-ish ASCII text. */
const textOf = (bytes: number): string => {
  const unit = "{\"orderID\":\"o-0000001\",\"userPhone\":\"8613800000001\"},"
  return `[${unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes - 2)}]`
}

const isNumber = (u: unknown): u is number => typeof u === "number" && Number.isFinite(u)
const statKeys = ["answerOrderCount", "finishOrderCount", "totalOrderCount", "finishRate", "totalAnswerCall", "totalCall", "answerRate"]

/** The hand checks of a task callback (same fields as `Callback.TaskCallback`). */
const handDecode = (body: string): unknown => {
  const json: unknown = JSON.parse(body)
  if (typeof json !== "object" || json === null) return undefined
  const stat: unknown = Reflect.get(json, "taskStat")
  const ok = Number(Reflect.get(json, "callbackType")) === 1 &&
    typeof Reflect.get(json, "userTaskID") === "string" &&
    typeof Reflect.get(json, "taskID") === "string" &&
    typeof Reflect.get(json, "sceneID") === "string" &&
    Number.isInteger(Reflect.get(json, "taskStatus")) &&
    isNumber(Reflect.get(json, "createTs")) &&
    typeof stat === "object" && stat !== null &&
    statKeys.every((k) => isNumber(Reflect.get(stat, k)))
  return ok ? json : undefined
}

const phone = /^[1-9][0-9]{6,14}$/

/** Hand validation of orders: required strings, phone shape, duplicate orderIDs. */
const handCheckOrders = (orders: ReadonlyArray<unknown>) => {
  const seen = new Set<string>()
  const valid: Array<unknown> = []
  const rejected: Array<string> = []
  orders.forEach((order, i) => {
    const id: unknown = typeof order === "object" && order !== null ? Reflect.get(order, "orderID") : undefined
    const userPhone: unknown = typeof order === "object" && order !== null ? Reflect.get(order, "userPhone") : undefined
    if (typeof id !== "string" || id.trim() === "") rejected.push(`callList[${i}].orderID`)
    else if (typeof userPhone !== "string" || !phone.test(userPhone)) rejected.push(`callList[${i}].userPhone`)
    else if (seen.has(id)) rejected.push(`callList[${i}].orderID duplicate`)
    else {
      seen.add(id)
      valid.push(order)
    }
  })
  return { valid, rejected }
}

export const run = async (options: MicroOptions, log: (line: string) => void) => {
  const pairs: Array<Pair> = []
  for (const [label, bytes] of [["1 KB", 1024], ["64 KB", 64 * 1024], ["1 MB", 1024 * 1024]] as const) {
    const body = textOf(bytes)
    const input = { secretKey: account.secretKey, uuid, body, createTs: "1700000000", requestID: "0123456789abcdef0123456789abcdef" }
    pairs.push({
      section: "micro signature",
      name: `Signer.signature, ${label} body`,
      baseline: () =>
        createHash("md5")
          .update(`${secret}&body=${body}&createTs=${input.createTs}&requestID=${input.requestID}&uuid=${uuid}`)
          .digest("hex")
          .toUpperCase(),
      sdk: () => Signer.signature(input),
      target: 0.9
    })
  }
  // Both sides must agree on what they compute.
  if (Signer.signature({ secretKey: Redacted.make(secret), uuid, body: "x", createTs: "1", requestID: "r" }) !== rawSign("x", "1", "r")) {
    throw new Error("micro: the SDK and the baseline compute different signatures")
  }

  const callbackBody = taskCallbackBody("micro", 1)
  if (Either.isLeft(Callback.decode(callbackBody)) || handDecode(callbackBody) === undefined) {
    throw new Error("micro: the callback fixture does not decode")
  }
  pairs.push({
    section: "micro callback",
    name: "decode task callback",
    baseline: () => handDecode(callbackBody),
    sdk: () => Callback.decode(callbackBody)
  })

  const signer = Signer.make({ uuid: account.uuid, secretKey: account.secretKey })
  const headers = callbackHeaders(callbackBody)
  // The Signer is provided once, as an application's layer does, not per
  // verification (a per-run provideService is a context update of ~5 µs).
  const runtime = Effect.runSync(Effect.runtime<Signer.Signer>().pipe(Effect.provideService(Signer.Signer, signer)))
  const runVerify = Runtime.runSync(runtime)
  const verifyProgram = Callback.verify({ headers, body: callbackBody })
  runVerify(verifyProgram)
  pairs.push({
    section: "micro callback",
    name: "verify + decode task callback",
    baseline: () => {
      const requestID = headers["requestID"] ?? ""
      const createTs = headers["createTs"] ?? ""
      if (Math.abs(Date.now() / 1000 - Number(createTs)) > 300) throw new Error("window")
      if (!rawEqual(rawSign(callbackBody, createTs, requestID), headers["sign"] ?? "")) throw new Error("sign")
      return handDecode(callbackBody)
    },
    sdk: () => runVerify(verifyProgram),
    target: 0.5
  })

  const orders = createAndCallInput("micro", 1000).callInfoList.callList
  pairs.push({
    section: "micro orders",
    name: "validate 1000 orders",
    baseline: () => handCheckOrders(orders),
    sdk: () => Orders.checkOrders(orders),
    target: 0.8
  })

  const figures: Array<Figure> = []
  const raw: Array<{ name: string; baseline: Array<number>; sdk: Array<number> }> = []
  for (const pair of pairs) {
    const baseline: Array<number> = []
    const sdk: Array<number> = []
    for (let r = 0; r < options.reps; r++) {
      if (r % 2 === 0) {
        baseline.push(await opsPerSecond(`${pair.name} baseline`, pair.baseline, options.timeMs))
        sdk.push(await opsPerSecond(`${pair.name} sdk`, pair.sdk, options.timeMs))
      } else {
        sdk.push(await opsPerSecond(`${pair.name} sdk`, pair.sdk, options.timeMs))
        baseline.push(await opsPerSecond(`${pair.name} baseline`, pair.baseline, options.timeMs))
      }
    }
    raw.push({ name: pair.name, baseline, sdk })
    figures.push(
      figure({
        section: pair.section,
        name: pair.name,
        unit: "ops/s",
        baseline: median(baseline),
        sdk: median(sdk),
        target: pair.target === undefined ? undefined : { op: ">=", value: pair.target, on: "ratio" }
      })
    )
  }
  log(`  micro: ${pairs.length} pairs × ${options.reps} reps`)
  return { figures, raw }
}
