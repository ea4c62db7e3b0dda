/**
 * Scale: streams N orders (default 1,000,000) into the simulator with
 * `CallbotApi.createAndCall` given a `Stream` of orders (chunked import:
 * `createAndCall` with the first chunk, then `addBatchCall`, default chunk
 * size and concurrency). Runs in its own process so the RSS it samples is
 * the SDK's; the simulator is another process.
 *
 * argv: baseUrl, orders, transport (`undici`: `effect-callbot/undici`, the
 * default; `platform`: `NodeHttpClient.layerUndici`). IPC: `{ type: "done",
 * ... }` when finished.
 */
// Deep imports, as an application would have: the package barrels load every
// module (about 45 MB more RSS at start-up).
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Stream from "effect/Stream"
import { performance } from "node:perf_hooks"
import * as CallbotApi from "../src/CallbotApi.js"
import * as UndiciHttpClient from "../src/UndiciHttpClient.js"
import { serveParent, toParent } from "./lib/child.js"
import { account, createAndCallInput, taskHeader } from "./lib/fixtures.js"

const baseUrl = process.argv[2] ?? ""
const total = Number(process.argv[3] ?? 1_000_000)
const transport = process.argv[4] === "platform" ? NodeHttpClient.layerUndici : UndiciHttpClient.layer
const checkpoint = Math.min(100_000, total)

const rss = () => process.memoryUsage.rss()
let peakRss = rss()
let peakHeapUsed = process.memoryUsage().heapUsed
const sampler = setInterval(() => {
  const memory = process.memoryUsage()
  peakRss = Math.max(peakRss, memory.rss)
  peakHeapUsed = Math.max(peakHeapUsed, memory.heapUsed)
}, 20)

const runtime = ManagedRuntime.make(
  CallbotApi.layer({ baseUrl, uuid: account.uuid, secretKey: account.secretKey }).pipe(
    Layer.provide(transport)
  )
)
const api = await runtime.runPromise(CallbotApi.CallbotApi)
// Warm the stack with one small request before measuring.
await runtime.runPromise(api.createAndCall(createAndCallInput(`scale-warm-${Date.now()}`, 3)))
const rssStart = rss()
peakRss = rssStart

const tag = `scale-${Date.now().toString(36)}`
let pulled = 0
let rssAtCheckpoint = 0
let rssAtEnd = 0
// With --expose-gc: the heap still in use after a full collection, i.e.
// what the import retains (RSS alone also counts garbage not yet collected).
const retainedHeap = (): number => {
  if (globalThis.gc === undefined) return Number.NaN
  globalThis.gc()
  return process.memoryUsage().heapUsed
}
const retainedAtStart = retainedHeap()
let retainedAtCheckpoint = Number.NaN
let retainedAtEnd = Number.NaN
const orders = Stream.range(1, total).pipe(
  Stream.map((i) => {
    pulled++
    if (pulled === checkpoint) {
      rssAtCheckpoint = rss()
      retainedAtCheckpoint = retainedHeap()
    }
    if (pulled === total) {
      rssAtEnd = rss()
      retainedAtEnd = retainedHeap()
    }
    return { orderID: `${tag}-${i}`, userPhone: `86138${String(i % 100_000_000).padStart(8, "0")}`, userName: "Ada" }
  })
)
const header = taskHeader(tag)
const t0 = performance.now()
const cpu0 = process.cpuUsage()
const result = await runtime.runPromise(
  api.createAndCall({ ...header, callInfoList: { ...header.callInfoList, callList: orders } })
)
const wallMs = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
clearInterval(sampler)
peakRss = Math.max(peakRss, rss())

toParent({
  type: "done",
  orders: total,
  successCount: result.successCount,
  rejected: result.errList.length,
  wallMs,
  ordersPerSecond: (total / wallMs) * 1000,
  cpuMs: (cpu.user + cpu.system) / 1000,
  rssStart,
  rssAtCheckpoint,
  checkpoint,
  rssAtEnd,
  peakRss,
  peakHeapUsed,
  retainedAtStart,
  retainedAtCheckpoint,
  retainedAtEnd
})
serveParent({}, () => runtime.dispose())
