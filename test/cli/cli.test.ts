/**
 * The built `callbot` bin as a child process against the simulator: exit
 * codes, `--json` on stdout only, one-line failures, usage errors, sign /
 * verify, tasks, the secret never printed.
 */
import { describe, expect, it } from "@effect/vitest"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Callback from "../../src/Callback.js"
import * as Signer from "../../src/Signer.js"
import { Effect } from "effect"
import { account, env, outputs, run, SECRET, useBuiltBin } from "./support.js"

let bin = ""
let baseUrl = ""
const dir = mkdtempSync(join(tmpdir(), "callbot-cli-"))

useBuiltBin((built, started) => {
  bin = built
  baseUrl = started.sim.baseUrl
})

const signer = Signer.make({ uuid: account.uuid, secretKey: account.secretKey })

describe("callbot (built bin)", () => {
  it("ping prints one JSON value on stdout, the base URL taken after the command name", async () => {
    const result = await run(bin, ["ping", "--json", "--data", "hello", "--base-url", baseUrl], env("http://127.0.0.1:1"))
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ code: 0, data: "hello" })
    expect(result.stdout.trim().split("\n")).toHaveLength(1)
  }, 60_000)

  it("a failure is one line 'Tag: message' on stderr with exit 1 and no stack trace", async () => {
    const unreachable = await run(bin, ["ping"], env("http://127.0.0.1:1"))
    expect(unreachable.code).toBe(1)
    expect(unreachable.stdout).toBe("")
    expect(unreachable.stderr.trim().split("\n")).toHaveLength(1)
    expect(unreachable.stderr).toMatch(/^TransportError: /)
    const wrongSecret = await run(bin, ["ping"], env(baseUrl, { CALLBOT_SECRET_KEY: "not-the-secret" }))
    expect(wrongSecret.code).toBe(1)
    expect(wrongSecret.stderr.trim()).toMatch(/^(InvalidSignature|ResponseSignatureError): .*check CALLBOT_SECRET_KEY and CALLBOT_ALGORITHM/)
    expect(wrongSecret.stderr).not.toContain("    at ")
    const noAccount = await run(bin, ["ping"], { PATH: process.env["PATH"] })
    expect(noAccount.code).toBe(1)
    expect(noAccount.stderr).toMatch(/^ConfigError: .*CALLBOT_UUID/)
  }, 60_000)

  it("a usage error exits 2 and prints what is wrong and the usage", async () => {
    const result = await run(bin, ["ping", "--no-such-flag"], env(baseUrl))
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("--no-such-flag")
    expect(result.stderr).toContain("Usage: callbot")
    expect(result.stdout).toBe("")
  }, 60_000)

  it("sign prints the signature of the file's exact bytes; --explain shows the hashed string with the secret as ***", async () => {
    const body = join(dir, "body.json")
    writeFileSync(body, "{\"data\":\"ping\"}\n")
    const result = await run(bin, ["sign", "--created-ts", "1700000000", "--body-file", body, "--request-id", "r-1", "--explain"], env(baseUrl))
    expect(result.code).toBe(0)
    const expected = Signer.signature({ secretKey: SECRET, uuid: account.uuid, body: "{\"data\":\"ping\"}\n", createTs: "1700000000", requestID: "r-1" })
    expect(result.stdout.trim()).toBe(expected)
    expect(result.stderr).toContain("***&body={\"data\":\"ping\"}\n&createTs=1700000000&requestID=r-1&uuid=cli-test-uuid")
    const sha = await run(bin, ["sign", "--body-file", body, "--created-ts", "1", "--request-id", "r", "--algorithm", "SHA256", "--json"], env(baseUrl))
    expect(JSON.parse(sha.stdout)).toMatchObject({ algorithm: "SHA256", sign: expect.stringMatching(/^[0-9A-F]{64}$/) })
  }, 60_000)

  it("verify prints valid for a genuine delivery and the reason (exit 1) for a tampered one or a missing header", async () => {
    const signed = await Effect.runPromise(
      Callback.sign(JSON.stringify({ callbackType: 1, userTaskID: "u", taskID: "t", sceneID: "s", taskStatus: 3, createTs: 0, taskStat: { answerOrderCount: 0, finishOrderCount: 0, totalOrderCount: 0, finishRate: 0, totalAnswerCall: 0, totalCall: 0, answerRate: 0 } }))
        .pipe(Effect.provideService(Signer.Signer, signer))
    )
    const body = join(dir, "delivery.json")
    const headers = join(dir, "headers.json")
    writeFileSync(body, signed.body)
    writeFileSync(headers, JSON.stringify(signed.headers))
    const valid = await run(bin, ["verify", "--body-file", body, "--headers-file", headers], env(baseUrl))
    expect(valid).toMatchObject({ code: 0, stdout: "valid\n" })
    writeFileSync(body, signed.body.replace("\"taskStatus\":3", "\"taskStatus\":4"))
    const tampered = await run(bin, ["verify", "--body-file", body, "--headers-file", headers, "--json"], env(baseUrl))
    expect(tampered.code).toBe(1)
    expect(JSON.parse(tampered.stdout)).toMatchObject({ valid: false, reason: expect.stringContaining("Mismatch") })
    const { sign: _sign, ...unsigned } = signed.headers
    writeFileSync(headers, JSON.stringify(unsigned))
    const missing = await run(bin, ["verify", "--body-file", body, "--headers-file", headers], env(baseUrl))
    expect(missing.code).toBe(1)
    expect(missing.stdout).toContain("\"sign\"")
  }, 60_000)

  it("tasks lists tasks as a table and as JSON; task start / pause / finish change the task's status", async () => {
    const orders = join(dir, "two.csv")
    writeFileSync(orders, "userPhone\n8613800000001\n8613800000002\n")
    const created = await run(bin, ["import", orders, "--user-task-id", "cli-task", "--create", "--scene-id", "s", "--task-name", "T", "--task-callback-url", "http://127.0.0.1:9/t", "--order-callback-url", "http://127.0.0.1:9/o", "--call-callback-url", "http://127.0.0.1:9/c"], env(baseUrl))
    expect(created.code).toBe(0)
    const table = await run(bin, ["tasks"], env(baseUrl))
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/USER TASK ID\s+TASK ID\s+STATUS/)
    expect(table.stdout).toMatch(/cli-task\s+\S+\s+pending\s+0\/2/)
    expect((await run(bin, ["task", "start", "cli-task"], env(baseUrl))).code).toBe(0)
    expect((await run(bin, ["task", "pause", "cli-task", "--json"], env(baseUrl))).code).toBe(0)
    const paused = await run(bin, ["tasks", "--status", "5", "--json"], env(baseUrl))
    expect(JSON.parse(paused.stdout)).toEqual([expect.objectContaining({ userTaskID: "cli-task", taskStatus: 5 })])
    expect((await run(bin, ["task", "finish", "cli-task"], env(baseUrl))).code).toBe(0)
    const watched = await run(bin, ["watch", "cli-task", "--interval", "1"], env(baseUrl), 30_000)
    expect(watched.code).toBe(0)
    expect(watched.stderr).toContain("cli-task: ended")
    const unknown = await run(bin, ["task", "start", "no-such-task"], env(baseUrl))
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/^InvalidParameterValue: /)
  }, 120_000)

  it("never prints the secret, in any output or error of the runs above", () => {
    expect(outputs.length).toBeGreaterThan(20)
    expect(outputs.filter((output) => output.includes(SECRET))).toEqual([])
  })
})
