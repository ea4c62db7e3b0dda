/**
 * Callback path: `Callback.httpApp` served by `NodeHttpServer` against a raw
 * `node:http` handler doing the same work by hand (read the body, check the
 * signature headers and the `createTs` window, verify the MD5 signature in
 * constant time, reject a replayed `requestID`, parse and check the JSON,
 * answer a signed `{ retCode: 0 }`). Both receivers run in this process; the
 * load comes from a separate process (`callback-loadgen.ts`).
 *
 * The SDK receiver runs with its defaults (in-memory replay store, 300 s
 * window, handler timeout); the load generator gives every delivery a unique
 * `requestID` and a current `createTs`, so no request is short-cut.
 */
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Exit, Layer, ManagedRuntime, Scope } from "effect"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import * as Callback from "../src/Callback.js"
import * as Signer from "../src/Signer.js"
import { type Child, type Message, numberField, spawnChild } from "./lib/child.js"
import { account, rawEqual, rawRequestID, rawSign, uuid } from "./lib/fixtures.js"
import { type Figure, figure, median } from "./lib/stats.js"

const WINDOW_SECONDS = 300

/** The hand-written receiver. */
export const rawHandler = () => {
  const seen = new Map<string, number>()
  const reply = (res: ServerResponse, status: number, retCode: number, retMsg: string, requestID: string) => {
    const body = JSON.stringify({ retCode, retMsg, responseID: rawRequestID() })
    const createTs = String(Math.floor(Date.now() / 1000))
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      requestID,
      uuid,
      createTs,
      sign: rawSign(body, createTs, requestID),
      algorithm: "MD5"
    })
    res.end(body)
  }
  const isNumber = (u: unknown): u is number => typeof u === "number" && Number.isFinite(u)
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const bytes = Buffer.concat(chunks)
      const h = req.headers
      const sign = h["sign"]
      const requestID = h["requestid"]
      const createTs = h["createts"]
      if (typeof sign !== "string" || typeof requestID !== "string" || typeof createTs !== "string" || h["uuid"] !== uuid) {
        return reply(res, 401, 6001, "missing signature header", rawRequestID())
      }
      if (!/^\d{1,12}$/.test(createTs) || Math.abs(Date.now() / 1000 - Number(createTs)) > WINDOW_SECONDS) {
        return reply(res, 401, 6, "createTs outside the window", requestID)
      }
      if (!rawEqual(rawSign(bytes, createTs, requestID), sign)) return reply(res, 401, 6, "invalid signature", requestID)
      if (seen.has(requestID)) return reply(res, 200, 0, "success", requestID)
      let json: unknown
      try {
        json = JSON.parse(bytes.toString("utf8"))
      } catch {
        return reply(res, 400, 3, "malformed callback body", requestID)
      }
      const stat: unknown = typeof json === "object" && json !== null ? Reflect.get(json, "taskStat") : undefined
      const ok = typeof json === "object" && json !== null &&
        Number(Reflect.get(json, "callbackType")) === 1 &&
        typeof Reflect.get(json, "userTaskID") === "string" &&
        typeof Reflect.get(json, "taskID") === "string" &&
        typeof Reflect.get(json, "sceneID") === "string" &&
        Number.isInteger(Reflect.get(json, "taskStatus")) &&
        isNumber(Reflect.get(json, "createTs")) &&
        typeof stat === "object" && stat !== null &&
        ["answerOrderCount", "finishOrderCount", "totalOrderCount", "finishRate", "totalAnswerCall", "totalCall", "answerRate"]
          .every((k) => isNumber(Reflect.get(stat, k)))
      if (!ok) return reply(res, 400, 3, "malformed callback body", requestID)
      seen.set(requestID, Date.now())
      return reply(res, 200, 0, "success", requestID)
    })
  }
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      resolve(typeof address === "object" && address !== null ? address.port : 0)
    })
  })

/** The SDK receiver: `Callback.httpApp` with its defaults on `NodeHttpServer`. */
export const startSdk = async () => {
  let handled = 0
  const runtime = ManagedRuntime.make(Signer.layer({ uuid: account.uuid, secretKey: account.secretKey }).pipe(Layer.orDie))
  const scope = await runtime.runPromise(Scope.make())
  const port = await runtime.runPromise(
    Effect.gen(function*() {
      const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
      yield* server.serve(Callback.httpApp(() => Effect.sync(() => handled++)))
      return server.address._tag === "TcpAddress" ? server.address.port : 0
    }).pipe(Scope.extend(scope))
  )
  return {
    port,
    handled: () => handled,
    close: async () => {
      await runtime.runPromise(Scope.close(scope, Exit.void))
      await runtime.dispose()
    }
  }
}

/**
 * The receivers compared: `baseline` (raw node:http by hand), `bare` (an
 * HttpApp on NodeHttpServer that reads the body text and answers a
 * constant: no checks at all), `node` (`Callback.nodeHandler` under plain
 * node:http) and `sdk` (`Callback.httpApp` on NodeHttpServer).
 */
export type SideName = "baseline" | "bare" | "node" | "sdk"

/** The bare HttpApp on NodeHttpServer: reads the body text, answers a constant. */
export const startBare = async () => {
  const runtime = ManagedRuntime.make(Layer.empty)
  const scope = await runtime.runPromise(Scope.make())
  const app = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    Effect.as(Effect.orDie(request.text), HttpServerResponse.text("{\"retCode\":0}", { contentType: "application/json" })))
  const port = await runtime.runPromise(
    Effect.gen(function*() {
      const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
      yield* server.serve(app)
      return server.address._tag === "TcpAddress" ? server.address.port : 0
    }).pipe(Scope.extend(scope))
  )
  return {
    port,
    close: async () => {
      await runtime.runPromise(Scope.close(scope, Exit.void))
      await runtime.dispose()
    }
  }
}

/** `Callback.nodeHandler` with its defaults under plain node:http. */
export const startNode = async () => {
  let handled = 0
  const runtime = ManagedRuntime.make(Signer.layer({ uuid: account.uuid, secretKey: account.secretKey }))
  const listener = await runtime.runPromise(Callback.nodeHandler(() => Effect.sync(() => handled++)))
  const server = createServer(listener)
  server.keepAliveTimeout = 60_000
  const port = await listen(server)
  return {
    port,
    handled: () => handled,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await runtime.dispose()
    }
  }
}

interface RoundResult {
  readonly side: SideName
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly serverCpuUsPerRequest: number
  readonly generatorCpu: number
  readonly statuses: Record<string, number>
}

const round = async (
  loadgen: Child,
  side: SideName,
  port: number,
  count: number,
  concurrency: number
): Promise<RoundResult> => {
  globalThis.gc?.()
  const cpu0 = process.cpuUsage()
  const done: Message = await loadgen.request(
    { type: "run", url: `http://127.0.0.1:${port}/callbot/task`, count, concurrency },
    "done"
  )
  const cpu = process.cpuUsage(cpu0)
  const requests = numberField(done, "requests")
  const statuses = done["statuses"]
  const statusRecord: Record<string, number> = typeof statuses === "object" && statuses !== null
    ? Object.fromEntries(Object.entries(statuses).map(([k, v]) => [k, Number(v)]))
    : {}
  if ((statusRecord["200"] ?? 0) !== requests) {
    throw new Error(`callback ${side}: not every delivery was answered 200: ${JSON.stringify(statusRecord)}`)
  }
  return {
    side,
    rps: numberField(done, "rps"),
    p50: numberField(done, "p50"),
    p99: numberField(done, "p99"),
    serverCpuUsPerRequest: (cpu.user + cpu.system) / requests,
    generatorCpu: numberField(done, "generatorCpu"),
    statuses: statusRecord
  }
}

export interface CallbackOptions {
  readonly rounds: number
  readonly roundMs: number
  readonly concurrency: number
}

const allSides: ReadonlyArray<SideName> = ["baseline", "bare", "node", "sdk"]
const label: Record<SideName, string> = {
  baseline: "raw node:http",
  bare: "bare NodeHttpServer app",
  node: "nodeHandler",
  sdk: "httpApp"
}

export const run = async (options: CallbackOptions, log: (line: string) => void) => {
  const loadgen = spawnChild("callback-loadgen")
  await loadgen.next("ready")
  const raw = createServer(rawHandler())
  raw.keepAliveTimeout = 60_000
  const rawPort = await listen(raw)
  const sdk = await startSdk()
  const bare = await startBare()
  const node = await startNode()
  const ports: Record<SideName, number> = { baseline: rawPort, bare: bare.port, node: node.port, sdk: sdk.port }
  const figures: Array<Figure> = []
  const results: Array<RoundResult> = []
  try {
    const probe = 500
    const warm: Array<RoundResult> = []
    for (const n of [probe, probe * 2]) {
      for (const side of allSides) warm.push(await round(loadgen, side, ports[side], n, options.concurrency))
    }
    const slowest = Math.min(...warm.slice(allSides.length).map((r) => r.rps))
    const count = Math.max(options.concurrency * 10, Math.round((slowest * options.roundMs) / 1000))
    for (let r = 0; r < options.rounds; r++) {
      const order = allSides.map((_, i) => allSides[(i + r) % allSides.length] ?? "sdk")
      for (const side of r % 2 === 0 ? order : [...order].reverse()) {
        results.push(await round(loadgen, side, ports[side], count, options.concurrency))
      }
    }
    const of = (side: SideName) => results.filter((r) => r.side === side)
    const med = (side: SideName, f: (r: RoundResult) => number) => median(of(side).map(f))
    const section = `callback c=${options.concurrency}`
    const pair = (name: string, unit: string, f: (r: RoundResult) => number, a: SideName, b: SideName, target?: number) =>
      figure({
        section,
        name: `${name}, ${label[a]} / ${label[b]}`,
        unit,
        baseline: med(b, f),
        sdk: med(a, f),
        target: target === undefined ? undefined : { op: ">=", value: target, on: "ratio" }
      })
    const rps = (r: RoundResult) => r.rps
    const cpu = (r: RoundResult) => r.serverCpuUsPerRequest
    figures.push(
      pair("throughput", "req/s", rps, "sdk", "bare", 0.85),
      pair("throughput", "req/s", rps, "node", "baseline", 0.6),
      pair("throughput", "req/s", rps, "sdk", "baseline"),
      pair("throughput", "req/s", rps, "bare", "baseline"),
      pair("p50 latency", "ms", (r) => r.p50, "sdk", "baseline"),
      pair("p99 latency", "ms", (r) => r.p99, "sdk", "baseline"),
      pair("p99 latency", "ms", (r) => r.p99, "node", "baseline"),
      pair("receiver CPU per request", "µs", cpu, "sdk", "bare"),
      pair("receiver CPU per request", "µs", cpu, "node", "baseline"),
      pair("receiver CPU per request", "µs", cpu, "sdk", "baseline")
    )
    log(
      `  ${section}: ${count} deliveries/round × ${options.rounds} rounds/side; req/s ` +
        allSides.map((side) => `${side} ${med(side, rps).toFixed(0)}`).join(", ") +
        `; load generator used ${(med("baseline", (r) => r.generatorCpu) * 100).toFixed(0)}% of a core on the ` +
        `baseline rounds; SDK handlers ran ${sdk.handled()} (httpApp) and ${node.handled()} (nodeHandler) times`
    )
  } finally {
    await loadgen.stop()
    await sdk.close()
    await bare.close()
    await node.close()
    raw.closeAllConnections()
    await new Promise<void>((resolve) => raw.close(() => resolve()))
  }
  return { figures, raw: results }
}
