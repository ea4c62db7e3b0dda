/**
 * The simulator in its own process, so that it does not compete for the
 * event loop (or count in the RSS) of the code under measurement.
 *
 * Keeps only the last 100 requests in its history (the benchmarks never read
 * it) so that its memory is the orders it holds.
 *
 * IPC: sends `{ type: "ready", baseUrl }`; answers `reset` with `reset-done`
 * (drops tasks, orders and the request log) and `stats` with
 * `{ type: "stats", rss, cpuUserMs, cpuSystemMs }`.
 */
import { ManagedRuntime } from "effect"
import * as Simulator from "../src/Simulator.js"
import { serveParent, toParent } from "./lib/child.js"
import { account } from "./lib/fixtures.js"

const runtime = ManagedRuntime.make(Simulator.layer({ port: 0, deliverCallbacks: false, historyLimit: 100, accounts: [account] }))
const simulator = await runtime.runPromise(Simulator.Simulator)

serveParent({
  reset: async () => {
    await runtime.runPromise(simulator.reset)
    return { type: "reset-done" }
  },
  stats: () => {
    const cpu = process.cpuUsage()
    return { type: "stats", rss: process.memoryUsage().rss, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000 }
  }
}, () => runtime.dispose())

toParent({ type: "ready", baseUrl: simulator.baseUrl })
