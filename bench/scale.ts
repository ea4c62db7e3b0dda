/**
 * Scale section: runs `scale-process` (compiled, plain Node when the bench
 * runs compiled) against the simulator in another child process, and reads
 * the simulator's RSS at the end too.
 */
import { numberField, spawnChild, stringField } from "./lib/child.js"
import { type Figure, figure } from "./lib/stats.js"

export interface ScaleOptions {
  readonly orders: number
}

const MB = 1024 * 1024

export const run = async (options: ScaleOptions, log: (line: string) => void) => {
  const simulator = spawnChild("simulator-process")
  const baseUrl = stringField(await simulator.next("ready"), "baseUrl")
  const worker = spawnChild("scale-process", [baseUrl, String(options.orders)], ["--expose-gc"])
  try {
    const done = await worker.next("done", 540_000)
    const simulatorStats = await simulator.request({ type: "stats" }, "stats")
    const successCount = numberField(done, "successCount")
    if (successCount !== options.orders) {
      throw new Error(`scale: ${successCount} of ${options.orders} orders imported (${numberField(done, "rejected")} rejected)`)
    }
    const checkpoint = numberField(done, "checkpoint")
    const rssAtCheckpoint = numberField(done, "rssAtCheckpoint") / MB
    const rssAtEnd = numberField(done, "rssAtEnd") / MB
    const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`)
    const section = `scale ${label(options.orders)} orders`
    const figures: Array<Figure> = [
      figure({ section, name: "wall time", unit: "s", sdk: numberField(done, "wallMs") / 1000 }),
      figure({ section, name: "throughput", unit: "orders/s", sdk: numberField(done, "ordersPerSecond") }),
      figure({ section, name: "SDK process CPU", unit: "s", sdk: numberField(done, "cpuMs") / 1000 }),
      figure({ section, name: "SDK RSS after start-up", unit: "MB", sdk: numberField(done, "rssStart") / MB }),
      figure({
        section,
        name: `SDK RSS at ${label(checkpoint)} / at ${label(options.orders)} orders`,
        unit: "MB",
        baseline: rssAtCheckpoint,
        sdk: rssAtEnd,
        // No pass/fail: where a sample falls between two major GCs moves this
        // ratio between 0.85 and 1.3 from run to run with the same code. The
        // retained-heap row below is the flatness check.
        note: "flat is the goal; baseline column = the earlier point"
      }),
      figure({
        section,
        name: "SDK peak RSS",
        unit: "MB",
        sdk: numberField(done, "peakRss") / MB,
        target: { op: "<=", value: 150, on: "absolute" }
      }),
      figure({ section, name: "SDK peak heap used", unit: "MB", sdk: numberField(done, "peakHeapUsed") / MB }),
      figure({
        section,
        name: `SDK heap retained after GC: start / ${label(checkpoint)}`,
        unit: "MB",
        baseline: numberField(done, "retainedAtStart") / MB,
        sdk: numberField(done, "retainedAtCheckpoint") / MB
      }),
      figure({
        section,
        name: `SDK heap retained after GC: ${label(checkpoint)} / ${label(options.orders)}`,
        unit: "MB",
        baseline: numberField(done, "retainedAtCheckpoint") / MB,
        sdk: numberField(done, "retainedAtEnd") / MB,
        target: { op: "<=", value: 1.1, on: "ratio" },
        note: "baseline column = the earlier point"
      }),
      figure({
        section,
        name: "simulator RSS at the end (holds every order)",
        unit: "MB",
        sdk: numberField(simulatorStats, "rss") / MB
      })
    ]
    log(`  ${section}: ${(numberField(done, "wallMs") / 1000).toFixed(1)} s`)
    return { figures, raw: done }
  } finally {
    await worker.stop()
    await simulator.stop()
  }
}
