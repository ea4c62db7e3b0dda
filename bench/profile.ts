/**
 * Profiling aid, not part of `npm run bench`: runs one side of the request
 * path alone, sequentially, against the simulator in a child process.
 *
 *   npx tsc -p bench/tsconfig.build.json --noCheck
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/.build/bench/profile.js sdk 3 5000
 *
 * Arguments: side (`sdk` | `baseline`), orders per request, requests.
 */
import { spawnChild, stringField } from "./lib/child.js"
import { createAndCallInput } from "./lib/fixtures.js"
import { makeBaseline, makeSdk } from "./request.js"

const side = process.argv[2] === "baseline" ? "baseline" : "sdk"
const orders = Number(process.argv[3] ?? 3)
const n = Number(process.argv[4] ?? 3000)
const simulator = spawnChild("simulator-process")
const baseUrl = stringField(await simulator.next("ready"), "baseUrl")
const client = side === "sdk" ? makeSdk(baseUrl) : makeBaseline(baseUrl)
const inputs = Array.from({ length: n }, (_, i) => createAndCallInput(`p-${Date.now()}-${i}`, orders))
const t0 = performance.now()
const c0 = process.cpuUsage()
for (const input of inputs) await client.call(input)
const cpu = process.cpuUsage(c0)
process.stdout.write(
  `${side}: ${((n / (performance.now() - t0)) * 1000).toFixed(0)} req/s, ` +
    `${((cpu.user + cpu.system) / n).toFixed(0)} µs CPU/request (user ${(cpu.user / n).toFixed(0)}, system ${(cpu.system / n).toFixed(0)})\n`
)
await client.close()
await simulator.stop()
