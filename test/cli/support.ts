/**
 * Helpers of the CLI tests: the bin built once per test file into a
 * directory of its own (so test files can run in parallel), a simulator in
 * this process, and child processes with their exit code and both outputs.
 */
import { afterAll, beforeAll } from "@effect/vitest"
import { Effect, ManagedRuntime, Redacted } from "effect"
import { execFile, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { join, resolve } from "node:path"
import * as Simulator from "../../src/Simulator.js"

export const root = resolve(import.meta.dirname, "..", "..")

/** The account of the tests, with a secret that must never be printed. */
export const SECRET = "cli-test-secret-Zq81x"
export const account: Simulator.Account = { uuid: "cli-test-uuid", secretKey: Redacted.make(SECRET) }

export interface Result {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Every output of every child, to check that the secret is never in one. */
export const outputs: Array<string> = []

export const build = (): Promise<string> => {
  const outDir = mkdtempSync(join(root, ".cli-build-"))
  return new Promise((done, fail) => {
    execFile(
      join(root, "node_modules", ".bin", "tsc"),
      ["-p", "tsconfig.build.json", "--outDir", outDir, "--declaration", "false", "--declarationMap", "false", "--sourceMap", "false"],
      { cwd: root, timeout: 170_000 },
      (error, stdout) => (error === null ? done(join(outDir, "cli", "bin.js")) : fail(new Error(`tsc failed: ${stdout}`)))
    )
  })
}

export const removeBuild = (bin: string) => rmSync(resolve(bin, "..", ".."), { recursive: true, force: true })

export const env = (baseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env["PATH"],
  HOME: process.env["HOME"],
  CALLBOT_UUID: account.uuid,
  CALLBOT_SECRET_KEY: SECRET,
  CALLBOT_BASE_URL: baseUrl,
  ...extra
})

/** Runs `node bin args` to its end. */
export const run = (bin: string, args: ReadonlyArray<string>, environment: NodeJS.ProcessEnv, timeout = 60_000) =>
  new Promise<Result>((done) => {
    const child = spawn(process.execPath, [bin, ...args], { env: environment, cwd: root, timeout })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("close", (code) => {
      outputs.push(stdout, stderr)
      done({ code, stdout, stderr })
    })
  })

/** A simulator in this process for the account, until `dispose`. */
export const startSimulator = async (options: Simulator.Options = {}) => {
  const runtime = ManagedRuntime.make(
    Simulator.layer({ port: 0, accounts: [account], campaign: { ringSeconds: 0, talkSeconds: 1 }, ...options })
  )
  const sim = await runtime.runPromise(Simulator.Simulator)
  return {
    sim,
    inspect: <A>(effect: Effect.Effect<A>) => runtime.runPromise(effect),
    dispose: () => runtime.dispose()
  }
}

export type Started = Awaited<ReturnType<typeof startSimulator>>

/** Builds the bin and starts a simulator before the file's tests; removes and stops them after. */
export const useBuiltBin = (ready: (bin: string, simulator: Started) => void) => {
  let bin = ""
  let simulator: Started | undefined
  beforeAll(async () => {
    ;[bin, simulator] = await Promise.all([build(), startSimulator()])
    ready(bin, simulator)
  }, 180_000)
  afterAll(async () => {
    await simulator?.dispose()
    if (bin !== "") removeBuild(bin)
  })
}
