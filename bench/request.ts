/**
 * Request path: `CallbotApi.createAndCall` through the whole stack against a
 * hand-written undici + `node:crypto` client, both talking to the same
 * simulator (its own process) on 127.0.0.1.
 *
 * Rounds alternate baseline and SDK (ABBA order), with the simulator reset
 * between rounds; inputs are built before a round's clock starts. Reported:
 * the median of the rounds' requests/s, and p50/p99 latency over all the
 * samples of each side; plus client CPU time per request (informational).
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, ManagedRuntime, Schema } from "effect"
import { performance } from "node:perf_hooks"
import { Agent } from "undici"
import * as CallbotApi from "../src/CallbotApi.js"
import * as Endpoints from "../src/Endpoints.js"
import { type Child, spawnChild, stringField } from "./lib/child.js"
import {
  account,
  CREATE_AND_CALL_PATH,
  createAndCallInput,
  type CreateAndCallInput,
  rawEqual,
  rawRequestID,
  rawSign,
  uuid
} from "./lib/fixtures.js"
import { type Figure, figure, median, quantile } from "./lib/stats.js"

type Call = (input: CreateAndCallInput) => Promise<void>

interface Side {
  readonly name: "baseline" | "sdk"
  readonly call: Call
}

interface RoundResult {
  readonly side: "baseline" | "sdk"
  readonly requests: number
  readonly elapsedMs: number
  readonly rps: number
  readonly latencies: Array<number>
  readonly cpuUsPerRequest: number
}

/** The hand-written client: undici, JSON.stringify, MD5, the response signature check, JSON.parse. */
export const makeBaseline = (baseUrl: string) => {
  const agent = new Agent()
  const origin = new URL(baseUrl).origin
  const call: Call = async (input) => {
    const body = JSON.stringify(input)
    const requestID = rawRequestID()
    const createTs = String(Math.floor(Date.now() / 1000))
    const response = await agent.request({
      origin,
      path: CREATE_AND_CALL_PATH,
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        requestID,
        uuid,
        createTs,
        sign: rawSign(body, createTs, requestID),
        algorithm: "MD5"
      },
      body
    })
    const bytes = Buffer.from(await response.body.arrayBuffer())
    if (response.statusCode !== 200) throw new Error(`baseline: HTTP ${response.statusCode}`)
    const h = response.headers
    const sign = h["sign"]
    const answeredID = h["requestid"]
    const answeredTs = h["createts"]
    if (typeof sign !== "string" || typeof answeredTs !== "string" || answeredID !== requestID || h["uuid"] !== uuid) {
      throw new Error("baseline: response signature headers missing or for another request")
    }
    if (!rawEqual(rawSign(bytes, answeredTs, requestID), sign)) throw new Error("baseline: bad response signature")
    const json: unknown = JSON.parse(bytes.toString("utf8"))
    if (
      typeof json !== "object" || json === null || !("retCode" in json) || json.retCode !== 0 ||
      !("taskID" in json) || typeof json.taskID !== "string" ||
      !("successCount" in json) || json.successCount !== input.callInfoList.callList.length
    ) {
      throw new Error(`baseline: unexpected answer ${bytes.toString("utf8").slice(0, 200)}`)
    }
  }
  return { call, close: () => agent.close() }
}

export const makeSdk = (baseUrl: string) => {
  const runtime = ManagedRuntime.make(
    CallbotApi.layer({ baseUrl, uuid: account.uuid, secretKey: account.secretKey }).pipe(
      Layer.provide(NodeHttpClient.layerUndici)
    )
  )
  const call: Call = async (input) => {
    const result = await runtime.runPromise(
      // One request per call, like the baseline (the SDK splits bigger lists into chunks of 500 by default).
      Effect.flatMap(CallbotApi.CallbotApi, (api) =>
        api.createAndCall(input, { chunkSize: Math.max(1, input.callInfoList.callList.length) }))
    )
    if (result.successCount !== input.callInfoList.callList.length) {
      throw new Error(`sdk: ${result.successCount} of ${input.callInfoList.callList.length} imported`)
    }
  }
  return { call, close: () => runtime.dispose() }
}

let runSeq = 0

const round = async (
  side: Side,
  simulator: Child,
  concurrency: number,
  orders: number,
  count: number
): Promise<RoundResult> => {
  await simulator.request({ type: "reset" }, "reset-done")
  const tag = `${side.name}-${Date.now().toString(36)}-${runSeq++}`
  const inputs = Array.from({ length: count }, (_, i) => createAndCallInput(`${tag}-${i}`, orders))
  globalThis.gc?.()
  const latencies: Array<number> = []
  let next = 0
  const cpu0 = process.cpuUsage()
  const start = performance.now()
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const input = inputs[i]
      if (input === undefined) break
      const t0 = performance.now()
      await side.call(input)
      latencies.push(performance.now() - t0)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const elapsedMs = performance.now() - start
  const cpu = process.cpuUsage(cpu0)
  return {
    side: side.name,
    requests: latencies.length,
    elapsedMs,
    rps: (latencies.length / elapsedMs) * 1000,
    latencies,
    cpuUsPerRequest: (cpu.user + cpu.system) / latencies.length
  }
}

export interface RequestOptions {
  /** Measured rounds per side. */
  readonly rounds: number
  /** Target duration of one round (the request count is calibrated to it). */
  readonly roundMs: number
}

export interface RequestRaw {
  readonly config: string
  readonly rounds: ReadonlyArray<Omit<RoundResult, "latencies"> & { p50: number; p99: number }>
}

/** Checks that both sides send the same JSON (same fields, same values). */
const checkSameWire = (input: CreateAndCallInput) => {
  const wire = Schema.decodeUnknownSync(Endpoints.CreateAndCallRequest)(input)
  const canonical = (u: unknown): string =>
    JSON.stringify(u, (_key, value: unknown) =>
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
        : value)
  if (canonical(wire) !== canonical(input)) {
    throw new Error("the SDK would send a different body than the baseline: fix bench/lib/fixtures.ts")
  }
}

export const run = async (options: RequestOptions, log: (line: string) => void) => {
  checkSameWire(createAndCallInput("wire-check", 3))
  const simulator = spawnChild("simulator-process")
  const baseUrl = stringField(await simulator.next("ready"), "baseUrl")
  const baseline = makeBaseline(baseUrl)
  const sdk = makeSdk(baseUrl)
  const sides: Record<"baseline" | "sdk", Side> = {
    baseline: { name: "baseline", call: baseline.call },
    sdk: { name: "sdk", call: sdk.call }
  }
  const figures: Array<Figure> = []
  const raw: Array<RequestRaw> = []
  try {
    const configs = [
      { concurrency: 1, orders: 3, label: "c=1, 3 orders" },
      { concurrency: 64, orders: 3, label: "c=64, 3 orders" },
      { concurrency: 1, orders: 1000, label: "c=1, 1000 orders" },
      { concurrency: 64, orders: 1000, label: "c=64, 1000 orders" }
    ]
    for (const config of configs) {
      // Warm up both sides and calibrate the round size on the slower one.
      const probe = Math.max(config.concurrency * 2, 20)
      const warm = [
        await round(sides.baseline, simulator, config.concurrency, config.orders, probe),
        await round(sides.sdk, simulator, config.concurrency, config.orders, probe),
        await round(sides.baseline, simulator, config.concurrency, config.orders, probe),
        await round(sides.sdk, simulator, config.concurrency, config.orders, probe)
      ]
      const slowest = Math.min(...warm.slice(2).map((r) => r.rps))
      const count = Math.max(config.concurrency * 4, Math.round((slowest * options.roundMs) / 1000))
      const results: Array<RoundResult> = []
      for (let r = 0; r < options.rounds; r++) {
        const order: Array<"baseline" | "sdk"> = r % 2 === 0 ? ["baseline", "sdk"] : ["sdk", "baseline"]
        for (const name of order) {
          results.push(await round(sides[name], simulator, config.concurrency, config.orders, count))
        }
      }
      const of = (name: "baseline" | "sdk") => results.filter((r) => r.side === name)
      const all = (name: "baseline" | "sdk") => of(name).flatMap((r) => r.latencies)
      const rps = (name: "baseline" | "sdk") => median(of(name).map((r) => r.rps))
      const cpu = (name: "baseline" | "sdk") => median(of(name).map((r) => r.cpuUsPerRequest))
      const section = `request ${config.label}`
      figures.push(
        figure({
          section,
          name: "throughput",
          unit: "req/s",
          baseline: rps("baseline"),
          sdk: rps("sdk"),
          target: { op: ">=", value: 0.95, on: "ratio" }
        }),
        figure({
          section,
          name: "p50 latency",
          unit: "ms",
          baseline: quantile(all("baseline"), 0.5),
          sdk: quantile(all("sdk"), 0.5)
        }),
        figure({
          section,
          name: "p99 latency",
          unit: "ms",
          baseline: quantile(all("baseline"), 0.99),
          sdk: quantile(all("sdk"), 0.99),
          target: { op: "<=", value: 1.1, on: "ratio" }
        }),
        figure({
          section,
          name: "client CPU per request",
          unit: "µs",
          baseline: cpu("baseline"),
          sdk: cpu("sdk")
        })
      )
      raw.push({
        config: config.label,
        rounds: results.map(({ latencies, ...rest }) => ({
          ...rest,
          p50: quantile(latencies, 0.5),
          p99: quantile(latencies, 0.99)
        }))
      })
      log(
        `  ${section}: ${count} requests/round × ${options.rounds} rounds/side; ` +
          `req/s baseline ${rps("baseline").toFixed(0)}, sdk ${rps("sdk").toFixed(0)}`
      )
    }
  } finally {
    await sdk.close()
    await baseline.close()
    await simulator.stop()
  }
  return { figures, raw }
}
