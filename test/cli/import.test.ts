/**
 * `callbot import`, `listen` / `trigger` and `simulator` as child processes
 * of the built bin: a CSV with quoted commas and newlines, --json summary,
 * --resume, exit codes, the progress bar on a pseudo-TTY, flat memory.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFile, spawn } from "node:child_process"
import { createServer, type IncomingHttpHeaders } from "node:http"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { env, outputs, run, SECRET, type Started, useBuiltBin } from "./support.js"

let bin = ""
let simulator: Started
let baseUrl = ""
const dir = mkdtempSync(join(tmpdir(), "callbot-import-"))
const urls = ["--order-callback-url", "http://127.0.0.1:9/o", "--call-callback-url", "http://127.0.0.1:9/c"]
const create = ["--create", "--scene-id", "s", "--task-name", "T", "--task-callback-url", "http://127.0.0.1:9/t"]

useBuiltBin((built, started) => {
  bin = built
  simulator = started
  baseUrl = started.sim.baseUrl
})

const csv = [
  "userPhone,userName,orderID,city,note",
  "8613800000001,\"Li, Lei\",,Beijing,\"two",
  "lines\"",
  "8613800000002,\"Han \"\"M\"\" Meimei\",fixed-id,Shanghai,plain",
  "+86 138,Bad,,Nowhere,x",
  ""
].join("\n")

describe("callbot import", () => {
  it("imports a CSV with quoted commas and newlines: params from the other columns, derived orderIDs, the --json summary", async () => {
    const file = join(dir, "orders.csv")
    writeFileSync(file, csv)
    const rejectedFile = join(dir, "rejected.csv")
    const result = await run(bin, ["import", file, "--user-task-id", "imp-1", ...create, ...urls, "--json", "--rejected-file", rejectedFile], env(baseUrl))
    expect(result.code).toBe(0)
    const summary = JSON.parse(result.stdout)
    expect(Object.keys(summary).sort()).toEqual(["alreadyImported", "failures", "rejected", "successCount", "taskID", "totalCount", "userTaskID"])
    expect(summary).toMatchObject({ userTaskID: "imp-1", totalCount: 3, successCount: 2, alreadyImported: 0, failures: [] })
    expect(summary.taskID).toEqual(expect.any(String))
    expect(summary.rejected).toEqual([
      { orderID: expect.stringMatching(/^[0-9a-f]{32}$/), userPhone: "+86 138", reason: expect.stringContaining("userPhone"), rejectedBy: "client" }
    ])
    const orders = await simulator.inspect(simulator.sim.orders)
    const first = orders.find((o) => o.userPhone === "8613800000001")
    expect(first).toMatchObject({ userName: "Li, Lei" })
    expect(JSON.stringify(first)).toContain("two\\nlines")
    expect(JSON.stringify(first)).toContain("Beijing")
    expect(orders.find((o) => o.userPhone === "8613800000002")).toMatchObject({ orderID: "fixed-id", userName: "Han \"M\" Meimei" })
    expect(readFileSync(rejectedFile, "utf8")).toMatch(/^orderID,userPhone,rejectedBy,reason\n[0-9a-f]{32},\+86 138,client,"[^\n]*userPhone/)
  }, 120_000)

  it("--resume sends only what the platform does not hold: a re-run finds every row (same derived orderIDs) and sends none again", async () => {
    const file = join(dir, "resume.csv")
    writeFileSync(file, ["userPhone", ...Array.from({ length: 30 }, (_, i) => `86139000000${String(i).padStart(2, "0")}`)].join("\n"))
    const firstRun = await run(bin, ["import", file, "--user-task-id", "imp-2", ...create, ...urls, "--chunk-size", "7", "--json"], env(baseUrl))
    expect(JSON.parse(firstRun.stdout)).toMatchObject({ totalCount: 30, successCount: 30 })
    const again = await run(bin, ["import", "--resume", file, "--user-task-id", "imp-2", ...create, ...urls, "--chunk-size", "7", "--json"], env(baseUrl))
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ totalCount: 30, successCount: 30, alreadyImported: 30, rejected: [], failures: [] })
    const creations = await simulator.inspect(simulator.sim.creations)
    const orders = (await simulator.inspect(simulator.sim.orders)).filter((o) => o.userTaskID === "imp-2")
    expect(orders).toHaveLength(30)
    expect(JSON.stringify(creations)).not.toMatch(/:2[,}]/)
  }, 120_000)

  it("exits 1 when requests failed and 0 when rows were only rejected by validation; .jsonl lines that are not objects are rejected", async () => {
    const file = join(dir, "orders.jsonl")
    writeFileSync(file, "{\"userPhone\":\"8613700000001\",\"orderID\":\"j-1\"}\nnot json\n{\"userPhone\":\"12\"}\n")
    const ok = await run(bin, ["import", file, "--user-task-id", "imp-3", ...create, ...urls, "--json"], env(baseUrl))
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({ totalCount: 3, successCount: 1 })
    expect(JSON.parse(ok.stdout).rejected.map((r: { reason: string }) => r.reason)).toEqual([
      "line 2: not a JSON object",
      expect.stringContaining("userPhone")
    ])
    // Orders for a task the platform does not have: every addBatchCall request fails.
    const failing = await run(bin, ["import", file, "--user-task-id", "no-such-task", ...urls, "--json"], env(baseUrl))
    expect(failing.code).toBe(1)
    expect(JSON.parse(failing.stdout)).toMatchObject({ totalCount: 3, successCount: 0, failures: [{ orders: 2, error: expect.stringMatching(/^InvalidParameterValue: /) }] })
    expect(failing.stderr).toContain("RequestsFailed:")
  }, 120_000)

  it("draws a live progress bar on stderr on a pseudo-TTY, and no redraws without one", async () => {
    const file = join(dir, "progress.csv")
    writeFileSync(file, ["userPhone", ...Array.from({ length: 3000 }, (_, i) => String(8613600000000 + i))].join("\n"))
    const command = [process.execPath, bin, "import", file, "--user-task-id", "imp-4", ...create, ...urls, "--chunk-size", "100", "--concurrency", "1"]
      .map((arg) => `'${arg}'`).join(" ")
    const tty = await new Promise<string>((done) => {
      execFile("script", ["-qfec", command, "/dev/null"], { env: env(baseUrl), timeout: 60_000 }, (_error, stdout) => done(stdout))
    })
    outputs.push(tty)
    expect(tty).toContain("\r\x1b[2K[")
    expect(tty).toMatch(/read 3,000 · sent 3,000 · accepted 3,000 · rejected 0 · [\d,]+ rows\/s · ETA/)
    const plain = await run(bin, ["import", file, "--user-task-id", "imp-5", ...create, ...urls, "--chunk-size", "100"], env(baseUrl))
    expect(plain.code).toBe(0)
    expect(plain.stderr).not.toContain("\r")
    expect(plain.stderr).not.toContain("\x1b[")
  }, 120_000)

  it("streams 200,000 rows in flat memory: the child runs to its end with its heap capped at 64 MB", async () => {
    const count = 200_000
    const file = join(dir, "big.csv")
    const rows = ["orderID,userPhone,userName,city"]
    for (let i = 0; i < count; i++) rows.push(`big-${i},${8612000000000 + i},Name ${i},"City, ${i % 97}"`)
    writeFileSync(file, rows.join("\n"))
    // Holding the orders (or the file) would need several times this heap.
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn(
        process.execPath,
        ["--max-old-space-size=64", bin, "import", file, "--user-task-id", "big", ...create, ...urls, "--chunk-size", "1000", "--json"],
        { env: env(baseUrl), timeout: 170_000 }
      )
      let stdout = ""
      let stderr = ""
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()))
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()))
      child.on("close", (code) => done({ code, stdout, stderr }))
    })
    outputs.push(result.stdout, result.stderr)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ totalCount: count, successCount: count, rejected: [], failures: [] })
  }, 180_000)
})

describe("callbot listen / trigger / simulator", () => {
  it("listen prints each verified delivery as a JSON line, refuses a forged one with 401, and forwards verified ones byte for byte", async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = []
    const target = createServer((req, res) => {
      let body = ""
      req.on("data", (c: Buffer) => (body += c.toString()))
      req.on("end", () => {
        received.push({ headers: req.headers, body })
        res.writeHead(200, { "content-type": "application/json" }).end("{\"retCode\":0,\"retMsg\":\"from target\"}")
      })
    })
    await new Promise<void>((done) => target.listen(0, "127.0.0.1", done))
    const targetPort = (target.address() as { port: number }).port
    const listener = spawn(process.execPath, [bin, "listen", "--port", "0", "--json", "--forward-to", `http://127.0.0.1:${targetPort}/hook`], { env: env(baseUrl) })
    let stdout = ""
    let stderr = ""
    listener.stdout.on("data", (c: Buffer) => (stdout += c.toString()))
    const port = await new Promise<number>((done) => {
      listener.stderr.on("data", (c: Buffer) => {
        stderr += c.toString()
        const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)
        if (match !== null) done(Number(match[1]))
      })
    })
    try {
      const sent = await run(bin, ["trigger", "order", "--to", `http://127.0.0.1:${port}/callbot/order`, "--order-id", "o-77", "--json"], env(baseUrl))
      expect(sent.code).toBe(0)
      expect(JSON.parse(sent.stdout)).toMatchObject({ status: 200, retCode: 0, ok: true })
      expect(JSON.parse(sent.stdout).answer).toContain("from target")
      expect(received).toHaveLength(1)
      expect(received[0]?.headers["sign"]).toMatch(/^[0-9A-F]{32}$/)
      expect(JSON.parse(received[0]?.body ?? "")).toMatchObject({ callbackType: 2, orderID: "o-77" })
      const forged = await run(bin, ["trigger", "call", "--to", `http://127.0.0.1:${port}/x`], env(baseUrl, { CALLBOT_SECRET_KEY: "forged" }))
      expect(forged.code).toBe(1)
      expect(forged.stdout).toContain("HTTP 401")
      expect(forged.stderr).toMatch(/^NotAcknowledged: /)
      await new Promise((done) => setTimeout(done, 200))
      expect(received).toHaveLength(1)
      expect(stderr).toContain("refused POST /x: HTTP 401")
      const lines = stdout.trim().split("\n").map((line) => JSON.parse(line))
      expect(lines).toEqual([{ kind: "order", requestID: expect.any(String), body: expect.objectContaining({ orderID: "o-77" }) }])
      expect(received[0]?.headers["requestid"]).toBe(lines[0].requestID)
    } finally {
      listener.kill("SIGTERM")
      target.close()
      outputs.push(stdout, stderr)
    }
  }, 120_000)

  it("simulator names its base URL on the first stdout line, never prints a given secret, and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, [bin, "simulator", "--port", "0"], { env: env("http://127.0.0.1:1") })
    let stdout = ""
    child.stderr.on("data", () => {})
    const url = await new Promise<string>((done) => {
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString()
        const match = /^Callbot simulator listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout)
        if (match?.[1] !== undefined) done(match[1])
      })
    })
    const ping = await run(bin, ["ping", "--json"], env(url))
    expect(ping.code).toBe(0)
    const code = await new Promise<number | null>((done) => {
      child.on("close", done)
      child.kill("SIGTERM")
    })
    outputs.push(stdout)
    expect(code).toBe(0)
    expect(stdout).not.toContain(SECRET)
  }, 60_000)

  it("never prints the secret in any output of these runs", () => {
    expect(outputs.length).toBeGreaterThan(10)
    expect(outputs.filter((output) => output.includes(SECRET))).toEqual([])
  })
})
