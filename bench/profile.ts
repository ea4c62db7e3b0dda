/**
 * Profiling aid, not part of `npm run bench`: runs one side alone so that
 * `--cpu-prof` shows only it.
 *
 *   npx tsc -p bench/tsconfig.build.json --noCheck
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/.build/bench/profile.js request-sdk 3 5000 64
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/.build/bench/profile.js callback-sdk 5000
 *
 * Modes: `request-sdk` | `request-sdk-platform` | `request-thin` | `request-fetch` | `request-baseline`
 * (orders per request, requests, concurrency — default 1; simulator in a
 * child process) and `callback-sdk` | `callback-node` | `callback-baseline`
 * (deliveries; load generator in a child process, 32 connections).
 *
 * Floors of the Effect platform alone, without the SDK: `client-platform` |
 * `client-undici` | `client-raw` (requests: `NodeHttpClient.layerUndici`,
 * `effect-callbot/undici` and bare undici
 * posting 700 bytes to the simulator, which answers 404) and
 * `server-platform` | `server-raw` (deliveries: a `NodeHttpServer` HttpApp
 * that reads the body and answers a constant vs a bare `node:http` handler).
 */
import { HttpClient, HttpClientRequest, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { Effect, Exit, Layer, ManagedRuntime, Scope } from "effect"
import { createServer } from "node:http"
import { Agent } from "undici"
import { rawHandler, startNode, startSdk } from "./callback.js"
import { numberField, spawnChild, stringField } from "./lib/child.js"
import { createAndCallInput } from "./lib/fixtures.js"
import { makeBaseline, makeFetch, makeSdk, makeThin } from "./request.js"
import * as UndiciHttpClient from "../src/UndiciHttpClient.js"

const mode = process.argv[2] ?? "request-sdk"

const report = (label: string, n: number, elapsedMs: number, cpu: NodeJS.CpuUsage) =>
  process.stdout.write(
    `${label}: ${((n / elapsedMs) * 1000).toFixed(0)} req/s, ${((cpu.user + cpu.system) / n).toFixed(0)} µs CPU/request ` +
      `(user ${(cpu.user / n).toFixed(0)}, system ${(cpu.system / n).toFixed(0)})\n`
  )

if (mode.startsWith("request-")) {
  const orders = Number(process.argv[3] ?? 3)
  const n = Number(process.argv[4] ?? 3000)
  const concurrency = Number(process.argv[5] ?? 1)
  const simulator = spawnChild("simulator-process")
  const baseUrl = stringField(await simulator.next("ready"), "baseUrl")
  const client = mode === "request-baseline"
    ? makeBaseline(baseUrl)
    : mode === "request-thin"
    ? makeThin(baseUrl, { tracer: true })
    : mode === "request-fetch"
    ? makeFetch(baseUrl)
    : makeSdk(baseUrl, mode === "request-sdk-platform" ? "platform" : "undici")
  const inputs = Array.from({ length: n }, (_, i) => createAndCallInput(`p-${Date.now()}-${i}`, orders))
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < n; i = next++) {
      const input = inputs[i]
      if (input !== undefined) await client.call(input)
    }
  }))
  report(mode, n, performance.now() - t0, process.cpuUsage(c0))
  await client.close()
  await simulator.stop()
} else if (mode.startsWith("client-")) {
  const n = Number(process.argv[3] ?? 3000)
  const simulator = spawnChild("simulator-process")
  const baseUrl = stringField(await simulator.next("ready"), "baseUrl")
  const runtime = ManagedRuntime.make(NodeHttpClient.layerUndici)
  const http = mode === "client-undici" ? UndiciHttpClient.make(new Agent()) : await runtime.runPromise(HttpClient.HttpClient)
  const agent = new Agent()
  const body = "x".repeat(700)
  const request = HttpClientRequest.post(`${baseUrl}/nope`).pipe(HttpClientRequest.bodyText(body, "application/json"))
  const once = mode === "client-raw"
    ? async () => {
      const response = await agent.request({
        origin: new URL(baseUrl).origin,
        path: "/nope",
        method: "POST",
        headers: { "content-type": "application/json" },
        body
      })
      await response.body.arrayBuffer()
    }
    : () => runtime.runPromise(Effect.flatMap(http.execute(request), (response) => response.arrayBuffer))
  for (let i = 0; i < 300; i++) await once()
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  for (let i = 0; i < n; i++) await once()
  report(mode, n, performance.now() - t0, process.cpuUsage(c0))
  await runtime.dispose()
  await agent.close()
  await simulator.stop()
} else if (mode.startsWith("server-")) {
  const n = Number(process.argv[3] ?? 5000)
  const loadgen = spawnChild("callback-loadgen")
  await loadgen.next("ready")
  let port: number
  let close: () => Promise<void>
  if (mode === "server-raw") {
    const server = createServer((req, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (chunk: Buffer) => chunks.push(chunk))
      req.on("end", () => {
        Buffer.concat(chunks)
        res.writeHead(200, { "content-type": "application/json" })
        res.end("{\"retCode\":0}")
      })
    })
    port = await new Promise<number>((resolve) =>
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        resolve(typeof address === "object" && address !== null ? address.port : 0)
      })
    )
    close = async () => {
      server.closeAllConnections()
      server.close()
    }
  } else {
    const runtime = ManagedRuntime.make(Layer.empty)
    const scope = await runtime.runPromise(Scope.make())
    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      yield* Effect.orDie(request.arrayBuffer)
      return HttpServerResponse.text("{\"retCode\":0}", { contentType: "application/json" })
    })
    port = await runtime.runPromise(
      Effect.gen(function*() {
        const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
        yield* server.serve(app)
        return server.address._tag === "TcpAddress" ? server.address.port : 0
      }).pipe(Scope.extend(scope))
    )
    close = async () => {
      await runtime.runPromise(Scope.close(scope, Exit.void))
      await runtime.dispose()
    }
  }
  const url = `http://127.0.0.1:${port}/x`
  await loadgen.request({ type: "run", url, count: 1000, concurrency: 32 }, "done")
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const done = await loadgen.request({ type: "run", url, count: n, concurrency: 32 }, "done")
  report(mode, numberField(done, "requests"), performance.now() - t0, process.cpuUsage(c0))
  await loadgen.stop()
  await close()
} else {
  const n = Number(process.argv[3] ?? 5000)
  const loadgen = spawnChild("callback-loadgen")
  await loadgen.next("ready")
  let port: number
  let close: () => Promise<void>
  if (mode === "callback-baseline") {
    const server = createServer(rawHandler())
    port = await new Promise<number>((resolve) =>
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        resolve(typeof address === "object" && address !== null ? address.port : 0)
      })
    )
    close = async () => {
      server.closeAllConnections()
      server.close()
    }
  } else {
    const sdk = mode === "callback-node" ? await startNode() : await startSdk()
    port = sdk.port
    close = sdk.close
  }
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const done = await loadgen.request(
    { type: "run", url: `http://127.0.0.1:${port}/callbot/task`, count: n, concurrency: 32 },
    "done"
  )
  report(mode, numberField(done, "requests"), performance.now() - t0, process.cpuUsage(c0))
  process.stdout.write(`statuses ${JSON.stringify(done["statuses"])}\n`)
  await loadgen.stop()
  await close()
}
