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
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, ManagedRuntime, Schema } from "effect"
import { performance } from "node:perf_hooks"
import { Agent } from "undici"
import * as CallbotApi from "../src/CallbotApi.js"
import * as Endpoints from "../src/Endpoints.js"
import * as UndiciHttpClient from "../src/UndiciHttpClient.js"
import { type Child, spawnChild, stringField } from "./lib/child.js"
import {
  account,
  CREATE_AND_CALL_PATH,
  createAndCallInput,
  type CreateAndCallInput,
  rawEqual,
  rawSign,
  signedHeaders,
  uuid
} from "./lib/fixtures.js"
import { type Figure, figure, median, quantile } from "./lib/stats.js"

type Call = (input: CreateAndCallInput) => Promise<void>

/**
 * The clients compared: `baseline` (undici + node:crypto by hand), `thin`
 * (the thinnest client on our own stack: `HttpClient` from
 * `NodeHttpClient.layerUndici`, hand signing, `response.text`, `JSON.parse`,
 * the same checks), `thinNoTracer` (the same with
 * `HttpClient.withTracerDisabledWhen(() => true)`), `fetch` (global fetch +
 * node:crypto by hand), `sdk` (`CallbotApi.createAndCall` on
 * `effect-callbot/undici`, the SDK's own Node transport) and `sdkPlatform`
 * (the same on `NodeHttpClient.layerUndici`).
 */
export type SideName = "baseline" | "thin" | "thinNoTracer" | "fetch" | "sdk" | "sdkPlatform"

interface Side {
  readonly name: SideName
  readonly call: Call
}

interface RoundResult {
  readonly side: SideName
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
    const { headers, requestID } = signedHeaders(body)
    const response = await agent.request({ origin, path: CREATE_AND_CALL_PATH, method: "POST", headers, body })
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

/** Checks an answer the way every hand-written side does: status, signature headers, signature, JSON. */
const checkAnswer = (
  side: string,
  input: CreateAndCallInput,
  requestID: string,
  status: number,
  header: (name: string) => string | undefined,
  text: string
) => {
  if (status !== 200) throw new Error(`${side}: HTTP ${status}`)
  const sign = header("sign")
  const answeredTs = header("createts")
  if (sign === undefined || answeredTs === undefined || header("requestid") !== requestID || header("uuid") !== uuid) {
    throw new Error(`${side}: response signature headers missing or for another request`)
  }
  if (!rawEqual(rawSign(text, answeredTs, requestID), sign)) throw new Error(`${side}: bad response signature`)
  const json: unknown = JSON.parse(text)
  if (
    typeof json !== "object" || json === null || !("retCode" in json) || json.retCode !== 0 ||
    !("taskID" in json) || typeof json.taskID !== "string" ||
    !("successCount" in json) || json.successCount !== input.callInfoList.callList.length
  ) {
    throw new Error(`${side}: unexpected answer ${text.slice(0, 200)}`)
  }
}


/**
 * The thinnest client on our own stack: `HttpClient` from
 * `NodeHttpClient.layerUndici`, hand signing, `response.text`, `JSON.parse`
 * and the same checks; `tracer: false` adds `withTracerDisabledWhen(() => true)`.
 */
export const makeThin = (baseUrl: string, options: { readonly tracer: boolean }) => {
  const runtime = ManagedRuntime.make(NodeHttpClient.layerUndici)
  const url = `${baseUrl}${CREATE_AND_CALL_PATH}`
  const client = runtime.runPromise(
    Effect.map(HttpClient.HttpClient, (http) => options.tracer ? http : HttpClient.withTracerDisabledWhen(http, () => true))
  )
  const call: Call = async (input) => {
    const http = await client
    const body = JSON.stringify(input)
    const { headers, requestID } = signedHeaders(body)
    const request = HttpClientRequest.post(url).pipe(
      HttpClientRequest.bodyText(body, "application/json"),
      HttpClientRequest.setHeaders(headers)
    )
    await runtime.runPromise(Effect.flatMap(http.execute(request), (response) =>
      Effect.map(response.text, (text) =>
        checkAnswer("thin", input, requestID, response.status, (name) => response.headers[name], text))))
  }
  return { call, close: () => runtime.dispose() }
}

/** `fetch` + node:crypto by hand, the same checks. */
export const makeFetch = (baseUrl: string) => {
  const url = `${baseUrl}${CREATE_AND_CALL_PATH}`
  const call: Call = async (input) => {
    const body = JSON.stringify(input)
    const { headers, requestID } = signedHeaders(body)
    const response = await fetch(url, { method: "POST", headers, body })
    const text = await response.text()
    checkAnswer("fetch", input, requestID, response.status, (name) => response.headers.get(name) ?? undefined, text)
  }
  return { call, close: async () => undefined }
}

export const makeSdk = (baseUrl: string, transport: "undici" | "platform" = "undici") => {
  const runtime = ManagedRuntime.make(
    CallbotApi.layer({ baseUrl, uuid: account.uuid, secretKey: account.secretKey }).pipe(
      Layer.provide(transport === "undici" ? UndiciHttpClient.layer : NodeHttpClient.layerUndici)
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

const allSides: ReadonlyArray<SideName> = ["baseline", "thin", "thinNoTracer", "fetch", "sdk", "sdkPlatform"]

/** A ratio row: `of` / `to` on `value` (throughput, p99, CPU), named after the pair. */
const pairFigure = (
  section: string,
  name: string,
  unit: string,
  to: number,
  of: number,
  target?: { readonly op: ">=" | "<="; readonly value: number }
) => figure({ section, name, unit, baseline: to, sdk: of, target: target && { ...target, on: "ratio" } })

const label: Record<SideName, string> = {
  baseline: "hand-written",
  thin: "thin stack",
  thinNoTracer: "thin stack, tracer off",
  fetch: "fetch",
  sdk: "library",
  sdkPlatform: "library on NodeHttpClient.layerUndici"
}

export const run = async (options: RequestOptions, log: (line: string) => void) => {
  checkSameWire(createAndCallInput("wire-check", 3))
  const simulator = spawnChild("simulator-process")
  const baseUrl = stringField(await simulator.next("ready"), "baseUrl")
  const clients = {
    baseline: makeBaseline(baseUrl),
    thin: makeThin(baseUrl, { tracer: true }),
    thinNoTracer: makeThin(baseUrl, { tracer: false }),
    fetch: makeFetch(baseUrl),
    sdk: makeSdk(baseUrl),
    sdkPlatform: makeSdk(baseUrl, "platform")
  }
  const sides: Record<SideName, Side> = {
    baseline: { name: "baseline", call: clients.baseline.call },
    thin: { name: "thin", call: clients.thin.call },
    thinNoTracer: { name: "thinNoTracer", call: clients.thinNoTracer.call },
    fetch: { name: "fetch", call: clients.fetch.call },
    sdk: { name: "sdk", call: clients.sdk.call },
    sdkPlatform: { name: "sdkPlatform", call: clients.sdkPlatform.call }
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
      // Warm up every side and calibrate the round size on the slowest one.
      const probe = Math.max(config.concurrency * 2, 20)
      const warm: Array<RoundResult> = []
      for (let pass = 0; pass < 2; pass++) {
        for (const name of allSides) warm.push(await round(sides[name], simulator, config.concurrency, config.orders, probe))
      }
      const slowest = Math.min(...warm.slice(allSides.length).map((r) => r.rps))
      const count = Math.max(config.concurrency * 4, Math.round((slowest * options.roundMs) / 1000))
      const results: Array<RoundResult> = []
      for (let r = 0; r < options.rounds; r++) {
        // Rotate the order so that no side always runs first (or last) in a round.
        const order = allSides.map((_, i) => allSides[(i + r) % allSides.length] ?? "sdk")
        for (const name of r % 2 === 0 ? order : [...order].reverse()) {
          results.push(await round(sides[name], simulator, config.concurrency, config.orders, count))
        }
      }
      const of = (name: SideName) => results.filter((r) => r.side === name)
      const all = (name: SideName) => of(name).flatMap((r) => r.latencies)
      const rps = (name: SideName) => median(of(name).map((r) => r.rps))
      const cpu = (name: SideName) => median(of(name).map((r) => r.cpuUsPerRequest))
      const p99 = (name: SideName) => quantile(all(name), 0.99)
      const section = `request ${config.label}`
      const small = config.orders === 3
      const tput = (of: SideName, to: SideName, target?: number) =>
        pairFigure(section, `throughput, ${label[of]} / ${label[to]}`, "req/s", rps(to), rps(of), target === undefined ? undefined : { op: ">=", value: target })
      figures.push(
        tput("sdk", "thin", small && config.concurrency === 64 ? 0.9 : undefined),
        tput("sdk", "fetch", small && config.concurrency === 64 ? 0.95 : undefined),
        tput("sdk", "baseline", small ? undefined : 0.95),
        tput("sdkPlatform", "thin"),
        tput("thin", "baseline"),
        tput("thinNoTracer", "baseline"),
        tput("fetch", "baseline"),
        figure({ section, name: "p50 latency, library / hand-written", unit: "ms", baseline: quantile(all("baseline"), 0.5), sdk: quantile(all("sdk"), 0.5) }),
        pairFigure(section, "p99 latency, library / fetch", "ms", p99("fetch"), p99("sdk"), small && config.concurrency === 64 ? { op: "<=", value: 1.2 } : undefined),
        pairFigure(section, "p99 latency, library / hand-written", "ms", p99("baseline"), p99("sdk")),
        pairFigure(section, "client CPU per request, library / thin stack", "µs", cpu("thin"), cpu("sdk"), small ? { op: "<=", value: 1.3 } : undefined),
        pairFigure(section, "client CPU per request, library on NodeHttpClient.layerUndici / thin stack", "µs", cpu("thin"), cpu("sdkPlatform")),
        pairFigure(section, "client CPU per request, library / hand-written", "µs", cpu("baseline"), cpu("sdk")),
        pairFigure(section, "client CPU per request, thin stack / hand-written", "µs", cpu("baseline"), cpu("thin"))
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
        `  ${section}: ${count} requests/round × ${options.rounds} rounds/side; req/s ` +
          allSides.map((name) => `${name} ${rps(name).toFixed(0)}`).join(", ")
      )
    }
  } finally {
    for (const name of allSides) await clients[name].close()
    await simulator.stop()
  }
  return { figures, raw }
}
