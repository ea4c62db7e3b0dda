/**
 * Profiling aid, not part of `npm run bench`: runs one side alone so that
 * `--cpu-prof` shows only it.
 *
 *   npx tsc -p bench/tsconfig.build.json --noCheck
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/.build/bench/profile.js request-sdk 3 5000
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/.build/bench/profile.js callback-sdk 5000
 *
 * Modes: `request-sdk` | `request-baseline` (orders per request, requests;
 * sequential, simulator in a child process) and `callback-sdk` |
 * `callback-baseline` (deliveries; load generator in a child process, 32
 * connections).
 */
import { createServer } from "node:http"
import { rawHandler, startSdk } from "./callback.js"
import { numberField, spawnChild, stringField } from "./lib/child.js"
import { createAndCallInput } from "./lib/fixtures.js"
import { makeBaseline, makeSdk } from "./request.js"

const mode = process.argv[2] ?? "request-sdk"

const report = (label: string, n: number, elapsedMs: number, cpu: NodeJS.CpuUsage) =>
  process.stdout.write(
    `${label}: ${((n / elapsedMs) * 1000).toFixed(0)} req/s, ${((cpu.user + cpu.system) / n).toFixed(0)} µs CPU/request ` +
      `(user ${(cpu.user / n).toFixed(0)}, system ${(cpu.system / n).toFixed(0)})\n`
  )

if (mode.startsWith("request-")) {
  const orders = Number(process.argv[3] ?? 3)
  const n = Number(process.argv[4] ?? 3000)
  const simulator = spawnChild("simulator-process")
  const baseUrl = stringField(await simulator.next("ready"), "baseUrl")
  const client = mode === "request-baseline" ? makeBaseline(baseUrl) : makeSdk(baseUrl)
  const inputs = Array.from({ length: n }, (_, i) => createAndCallInput(`p-${Date.now()}-${i}`, orders))
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  for (const input of inputs) await client.call(input)
  report(mode, n, performance.now() - t0, process.cpuUsage(c0))
  await client.close()
  await simulator.stop()
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
    const sdk = await startSdk()
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
