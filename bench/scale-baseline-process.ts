/**
 * Scale baseline: the hand-written chunked importer. N orders (generated one
 * by one, as the SDK's `Stream` does) go in requests of 500 with undici and
 * node:crypto by hand: the first chunk with `createAndCall`, the rest with
 * `addBatchCall`, 4 requests in flight, each answer's signature and counts
 * checked. Runs in its own process (its RSS is sampled like the SDK's).
 *
 * argv: baseUrl, orders. IPC: `{ type: "done", ... }` when finished.
 */
import { performance } from "node:perf_hooks"
import { Agent } from "undici"
import { serveParent, toParent } from "./lib/child.js"
import { CREATE_AND_CALL_PATH, rawEqual, rawSign, signedHeaders, taskHeader } from "./lib/fixtures.js"

const baseUrl = process.argv[2] ?? ""
const total = Number(process.argv[3] ?? 1_000_000)
const CHUNK = 500
const IN_FLIGHT = 4
const ADD_BATCH_CALL_PATH = CREATE_AND_CALL_PATH.replace("createAndCall", "addBatchCall")

let peakRss = process.memoryUsage.rss()
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
}, 20)

const agent = new Agent()
const origin = new URL(baseUrl).origin
const tag = `scale-base-${Date.now().toString(36)}`
const header = taskHeader(tag)

const post = async (path: string, body: string): Promise<{ successCount: number }> => {
  const { headers, requestID } = signedHeaders(body)
  const response = await agent.request({ origin, path, method: "POST", headers, body })
  const bytes = Buffer.from(await response.body.arrayBuffer())
  const sign = response.headers["sign"]
  const answeredTs = response.headers["createts"]
  if (response.statusCode !== 200 || typeof sign !== "string" || typeof answeredTs !== "string") {
    throw new Error(`baseline importer: HTTP ${response.statusCode}`)
  }
  if (response.headers["requestid"] !== requestID || !rawEqual(rawSign(bytes, answeredTs, requestID), sign)) {
    throw new Error("baseline importer: bad response signature")
  }
  const json: unknown = JSON.parse(bytes.toString("utf8"))
  const successCount = typeof json === "object" && json !== null ? Reflect.get(json, "successCount") : undefined
  if (typeof json !== "object" || json === null || Reflect.get(json, "retCode") !== 0 || typeof successCount !== "number") {
    throw new Error(`baseline importer: unexpected answer ${bytes.toString("utf8").slice(0, 200)}`)
  }
  return { successCount }
}

let next = 1
const chunk = () => {
  const orders = []
  for (; orders.length < CHUNK && next <= total; next++) {
    orders.push({
      orderID: `${tag}-${next}`,
      userPhone: `86138${String(next % 100_000_000).padStart(8, "0")}`,
      other: "",
      userName: "Ada",
      customerName: "",
      params: []
    })
  }
  return orders
}

const t0 = performance.now()
const cpu0 = process.cpuUsage()
let successCount = (await post(CREATE_AND_CALL_PATH, JSON.stringify({ ...header, callInfoList: { ...header.callInfoList, callList: chunk() } }))).successCount
const { callInfoList: { callList: _, ...callInfo } } = header
const worker = async () => {
  for (let orders = chunk(); orders.length > 0; orders = chunk()) {
    const body = JSON.stringify({ productID: header.productID, userTaskID: tag, callInfoList: { ...callInfo, callList: orders } })
    const answer = await post(ADD_BATCH_CALL_PATH, body)
    successCount += answer.successCount
  }
}
await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
const wallMs = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
clearInterval(sampler)
peakRss = Math.max(peakRss, process.memoryUsage.rss())

toParent({
  type: "done",
  orders: total,
  successCount,
  wallMs,
  cpuMs: (cpu.user + cpu.system) / 1000,
  peakRss
})
serveParent({}, () => agent.close())
