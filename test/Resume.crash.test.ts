/**
 * Campaigns that survive a crash: a job importing 20,000 orders is killed
 * with a real SIGKILL part-way, and the same job run again with
 * `{ resume: true }` finishes the import without sending any order twice.
 *
 * The importer is a child process (`test/support/resume-child.ts`); the
 * simulator runs here, over real HTTP, so it outlives the kill and can be
 * polled and inspected.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Schedule, Schema } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import * as Simulator from "../src/Simulator.js"
import { uniqueId } from "./utils.js"

const TOTAL = 20_000
const KILL_AFTER = 4_000
const child = fileURLToPath(new URL("./support/resume-child.ts", import.meta.url))

const RunResult = Schema.parseJson(Schema.Struct({
  totalCount: Schema.Number,
  successCount: Schema.Number,
  alreadyImported: Schema.Number,
  errList: Schema.Number,
  failures: Schema.Number,
  requests: Schema.Number
}))

interface Job {
  readonly process: ChildProcess
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
  readonly output: () => string
}

/** Starts the job in a child process, killed (SIGKILL) when the scope closes if still running. */
const startJob = (baseUrl: string, userTaskID: string, mode: "fresh" | "resume") =>
  Effect.acquireRelease(
    Effect.sync((): Job => {
      const proc = spawn(process.execPath, ["--import", "tsx", child, baseUrl, userTaskID, String(TOTAL), mode], {
        stdio: ["ignore", "pipe", "inherit"]
      })
      let out = ""
      proc.stdout?.on("data", (data: Buffer) => {
        out += data.toString("utf8")
      })
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        proc.on("exit", (code, signal) => resolve({ code, signal }))
      )
      return { process: proc, exited, output: () => out }
    }),
    (job) => Effect.sync(() => job.process.exitCode === null && job.process.signalCode === null && job.process.kill("SIGKILL"))
  )

/** How many orders of the task the simulator holds. */
const held = (sim: Simulator.Simulator, userTaskID: string) =>
  Effect.map(sim.tasks, (tasks) => tasks.find((t) => t.userTaskID === userTaskID)?.taskStat.totalOrderCount ?? 0)

/** Polls until `held` reaches `n` (bounded by the test's timeout). */
const awaitHeld = (sim: Simulator.Simulator, userTaskID: string, n: number) =>
  held(sim, userTaskID).pipe(
    Effect.repeat({ until: (count) => count >= n, schedule: Schedule.spaced("10 millis") }),
    Effect.timeoutFail({ duration: "60 seconds", onTimeout: () => new Error(`fewer than ${n} orders held after 60 s`) })
  )

/** Polls until the count stops moving (requests in flight at the kill have landed or died). */
const settled = (sim: Simulator.Simulator, userTaskID: string) =>
  Effect.gen(function*() {
    let last = -1
    let current = yield* held(sim, userTaskID)
    while (current !== last) {
      last = current
      yield* Effect.sleep("300 millis")
      current = yield* held(sim, userTaskID)
    }
    return current
  })

describe("kill and resume", () => {
  it.live(
    "a job killed with SIGKILL after 4,000 accepted orders, run again with resume, holds all 20,000 orders once and sends none twice",
    () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const userTaskID = uniqueId("crash")

        const first = yield* startJob(sim.baseUrl, userTaskID, "fresh")
        yield* awaitHeld(sim, userTaskID, KILL_AFTER)
        first.process.kill("SIGKILL")
        const death = yield* Effect.promise(() => first.exited)
        expect(death.signal).toBe("SIGKILL")
        const heldAtKill = yield* settled(sim, userTaskID)
        // Killed part-way: the first run neither finished nor printed a result.
        expect(heldAtKill).toBeGreaterThanOrEqual(KILL_AFTER)
        expect(heldAtKill).toBeLessThan(TOTAL)
        expect(first.output()).not.toContain("RESULT")

        const second = yield* startJob(sim.baseUrl, userTaskID, "resume")
        const end = yield* Effect.promise(() => second.exited).pipe(
          Effect.timeoutFail({ duration: Duration.seconds(120), onTimeout: () => new Error("resume run timed out") })
        )
        expect(end).toEqual({ code: 0, signal: null })
        const line = second.output().split("\n").find((l) => l.startsWith("RESULT "))
        expect(line).toBeDefined()
        const result = Schema.decodeUnknownSync(RunResult)(line!.slice("RESULT ".length))

        const orders = (yield* sim.orders).filter((o) => o.userTaskID === userTaskID)
        const creations = yield* sim.creations
        const ids = Array.from({ length: TOTAL }, (_, i) => `${userTaskID}-o${i}`)
        const createdOnce = ids.filter((id) => creations.orders.get(id) === 1).length
        const resent = ids.reduce((n, id) => n + (creations.resent.get(id) ?? 0), 0)
        const measured = { heldAtKill, ...result, held: orders.length, createdOnce, resent }
        yield* Effect.logInfo(`kill and resume: ${JSON.stringify(measured)}`)
        process.stdout.write(`kill-and-resume measured: ${JSON.stringify(measured)}\n`)

        expect(orders.length).toBe(TOTAL)
        expect(new Set(orders.map((o) => o.orderID)).size).toBe(TOTAL)
        expect(createdOnce).toBe(TOTAL)
        expect(resent).toBe(0)
        expect(creations.tasks.get(userTaskID)).toBe(1)
        expect(result).toMatchObject({
          totalCount: TOTAL,
          successCount: TOTAL,
          alreadyImported: heldAtKill,
          errList: 0,
          failures: 0
        })
      }).pipe(
        Effect.scoped,
        Effect.provide(Simulator.layer({ deliverCallbacks: false, historyLimit: 100 }))
      ),
    { timeout: 180_000 }
  )
})
