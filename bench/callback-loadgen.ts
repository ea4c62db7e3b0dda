/**
 * Load generator for the callback path, in its own process: posts signed
 * task callbacks (each with a fresh `requestID` and a current `createTs`, so
 * replay protection and the timestamp window never short-cut a request) over
 * `concurrency` keep-alive connections.
 *
 * IPC: `{ type: "run", url, count, concurrency }` → `{ type: "done", ... }`.
 */
import { performance } from "node:perf_hooks"
import { Pool } from "undici"
import { numberField, serveParent, stringField, toParent } from "./lib/child.js"
import { callbackHeaders, taskCallbackBody } from "./lib/fixtures.js"
import { quantile } from "./lib/stats.js"

let runSeq = 0

serveParent({
  run: async (message) => {
    const url = new URL(stringField(message, "url"))
    const count = numberField(message, "count")
    const concurrency = numberField(message, "concurrency")
    const tag = `${process.pid}-${Date.now().toString(36)}-${runSeq++}`
    const requests = Array.from({ length: count }, (_, i) => {
      const body = taskCallbackBody(tag, i)
      return { body, headers: callbackHeaders(body) }
    })
    const pool = new Pool(url.origin, { connections: concurrency, pipelining: 1 })
    const latencies: Array<number> = []
    const statuses: Record<string, number> = {}
    let next = 0
    const cpu0 = process.cpuUsage()
    const start = performance.now()
    const worker = async () => {
      for (let i = next++; i < count; i = next++) {
        const request = requests[i]
        if (request === undefined) break
        const t0 = performance.now()
        const response = await pool.request({ path: url.pathname, method: "POST", headers: request.headers, body: request.body })
        await response.body.dump()
        latencies.push(performance.now() - t0)
        statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    const elapsedMs = performance.now() - start
    const cpu = process.cpuUsage(cpu0)
    await pool.close()
    return {
      type: "done",
      requests: latencies.length,
      elapsedMs,
      rps: (latencies.length / elapsedMs) * 1000,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      statuses,
      // Share of one core the generator used: near 1 means it may be the bottleneck.
      generatorCpu: (cpu.user + cpu.system) / 1000 / elapsedMs
    }
  }
})
toParent({ type: "ready" })
