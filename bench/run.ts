/**
 * `npm run bench`: every benchmark against its baseline, then a table
 * (figure, baseline, SDK, ratio, target, result) and `bench/results.json`.
 *
 * Run from source (`tsx bench/run.ts`), it first compiles `bench/` and the
 * SDK with tsc into `bench/.build` and re-runs itself there with plain Node:
 * the figures are those of the compiled JavaScript a user runs, without the
 * tsx loader (which adds a loader thread and ~70 MB of RSS).
 *
 * Flags:
 *   --only=micro,request,callback,scale   run some sections (default: all)
 *   --quick                               fewer rounds, 100k orders (a smoke run)
 *   --orders=N                            orders of the scale section (default 1,000,000)
 *   --write-docs                          also put the table into docs/benchmarks.md
 *   --source                              run under tsx without compiling (RSS is then tsx's too)
 *   --strict                              exit 1 when a target is missed
 */
import { execFileSync, spawnSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import { fileURLToPath } from "node:url"
import * as Callback from "./callback.js"
import { compiled } from "./lib/child.js"
import { type Figure, markdownTable, textTable } from "./lib/stats.js"
import * as Micro from "./micro.js"
import * as Request from "./request.js"
import * as Scale from "./scale.js"

const args = process.argv.slice(2)
const flag = (name: string) => args.includes(`--${name}`)
const option = (name: string): string | undefined =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)

/** The repository root, from source (`bench/run.ts`) or compiled (`bench/.build/bench/run.js`). */
const root = fileURLToPath(new URL(compiled ? "../../../" : "../", import.meta.url))

const log = (line: string) => process.stderr.write(`${line}\n`)

const reexecCompiled = (): number => {
  log("compiling bench/ and src/ into bench/.build (tsc) …")
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  execFileSync(process.execPath, [tsc, "-p", `${root}bench/tsconfig.build.json`, "--noCheck"], { stdio: "inherit" })
  const result = spawnSync(process.execPath, ["--expose-gc", `${root}bench/.build/bench/run.js`, ...args], {
    stdio: "inherit",
    cwd: root
  })
  return result.status ?? 1
}

const machine = () => {
  const cpuinfo = (() => {
    try {
      return readFileSync("/proc/cpuinfo", "utf8")
    } catch {
      return ""
    }
  })()
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown"
  const commit = (() => {
    try {
      return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim()
    } catch {
      return "unknown"
    }
  })()
  // Others may be editing src/ in this working tree: say so next to the commit.
  const srcDirty = (() => {
    try {
      return execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: root, encoding: "utf8" }).trim() !== ""
    } catch {
      return false
    }
  })()
  return {
    nproc: os.availableParallelism(),
    cpu: model,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    commit,
    srcDirty,
    compiled
  }
}

const sectionsWanted = (option("only") ?? "micro,request,callback,scale").split(",").map((s) => s.trim())

const main = async () => {
  const quick = flag("quick")
  const startedAt = new Date()
  const loadBefore = os.loadavg()
  const figures: Array<Figure> = []
  const raw: Record<string, unknown> = {}
  const timings: Record<string, number> = {}
  const timed = async <A>(name: string, f: () => Promise<A>): Promise<A> => {
    const t0 = Date.now()
    log(`${name} …`)
    const a = await f()
    timings[name] = (Date.now() - t0) / 1000
    log(`${name} done in ${timings[name]?.toFixed(0)} s`)
    return a
  }
  if (sectionsWanted.includes("micro")) {
    const r = await timed("micro", () => Micro.run({ reps: quick ? 1 : 3, timeMs: quick ? 100 : 250 }, log))
    figures.push(...r.figures)
    raw["micro"] = r.raw
  }
  if (sectionsWanted.includes("request")) {
    const r = await timed("request", () => Request.run({ rounds: quick ? 2 : 5, roundMs: quick ? 400 : 1000 }, log))
    figures.push(...r.figures)
    raw["request"] = r.raw
  }
  if (sectionsWanted.includes("callback")) {
    const r = await timed("callback", () =>
      Callback.run({ rounds: quick ? 2 : 5, roundMs: quick ? 400 : 1000, concurrency: 32 }, log))
    figures.push(...r.figures)
    raw["callback"] = r.raw
  }
  if (sectionsWanted.includes("scale")) {
    const orders = Number(option("orders") ?? (quick ? 100_000 : 1_000_000))
    const r = await timed("scale", () => Scale.run({ orders }, log))
    figures.push(...r.figures)
    raw["scale"] = r.raw
  }
  const info = {
    ...machine(),
    startedAt: startedAt.toISOString(),
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    loadAverageBefore: loadBefore,
    loadAverageAfter: os.loadavg(),
    quick,
    sections: timings
  }

  process.stdout.write(`\n${textTable(figures)}\n\n`)
  process.stdout.write(
    `${info.nproc} cores, ${info.cpu}, Node ${info.node}; ${info.durationSeconds.toFixed(0)} s; ` +
      `load average ${info.loadAverageBefore.map((l) => l.toFixed(1)).join("/")} before, ` +
      `${info.loadAverageAfter.map((l) => l.toFixed(1)).join("/")} after\n`
  )
  const results = { machine: info, figures, raw }
  writeFileSync(`${root}bench/results.json`, `${JSON.stringify(results, null, 2)}\n`)
  log("wrote bench/results.json")

  if (flag("write-docs")) {
    const path = `${root}docs/benchmarks.md`
    const doc = readFileSync(path, "utf8")
    const start = "<!-- results:start -->"
    const end = "<!-- results:end -->"
    const i = doc.indexOf(start)
    const j = doc.indexOf(end)
    if (i < 0 || j < i) throw new Error(`${path} has no ${start} … ${end} block`)
    const block = [
      start,
      "",
      `Run of ${info.startedAt.slice(0, 10)} on commit \`${info.commit}\`` +
        `${info.srcDirty ? " (plus uncommitted changes in src/)" : ""}: ${info.nproc} cores (${info.cpu}), ` +
        `${info.memoryGiB} GiB, Node ${info.node}, ${info.platform}; ${info.durationSeconds.toFixed(0)} s in all; ` +
        `load average ${info.loadAverageBefore[0]?.toFixed(1)} before and ${info.loadAverageAfter[0]?.toFixed(1)} after ` +
        `(the load after includes the bench's own processes: simulator, load generators).`,
      "",
      markdownTable(figures),
      "",
      end
    ].join("\n")
    writeFileSync(path, `${doc.slice(0, i)}${block}${doc.slice(j + end.length)}`)
    log("updated docs/benchmarks.md")
  }
  if (flag("strict") && figures.some((f) => f.pass === false)) process.exitCode = 1
}

if (!compiled && !flag("source")) {
  process.exitCode = reexecCompiled()
} else {
  await main()
}
