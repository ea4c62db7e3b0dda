/**
 * Two receiver PROCESSES sharing one real Redis (the multi-instance setup the
 * Redis store is for): every delivery posted to both at once and again
 * after runs its handler exactly once across both; Redis killed mid-run and
 * restarted on the same port: 503 with a non-zero retCode and no handler run
 * while it is down, handled again after, with no receiver restarted.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { orderBody } from "../CallbackFixtures.js"
import { type RedisServer, skipRedis, startRedis } from "../support/redisServer.js"
import { type Answer, delivery, eventually, type Instance, post, startInstance } from "../support/redisReceivers.js"

let server: RedisServer | undefined
let instances: ReadonlyArray<Instance> = []

const both = () => {
  const [a, b] = instances
  if (server === undefined || a === undefined || b === undefined) throw new Error("setup did not finish")
  return { redis: server, a, b }
}
const totalRuns = () => instances.reduce((sum, instance) => sum + instance.runs.length, 0)
const runsOf = (requestID: string) =>
  instances.reduce((sum, instance) => sum + instance.runs.filter((id) => id === requestID).length, 0)
const tally = (answers: ReadonlyArray<Answer>) => answers.map((answer) => `${answer.status}/${answer.retCode}`)

describe.skipIf(skipRedis)("RedisReplayStore across two receiver processes", () => {
  beforeAll(async () => {
    server = await startRedis()
    instances = await Promise.all([startInstance(server.url), startInstance(server.url)])
  }, 70_000)
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()))
    await server?.stop()
  }, 30_000)

  it("every delivery posted to both instances at once, and again after, runs its handler exactly once", async () => {
    const { a, b } = both()
    const deliveries = Array.from({ length: 20 }, (_, i) => delivery(orderBody, `multi-${process.pid}-${i}`))
    const first = await Promise.all(deliveries.flatMap((d) => [post(a.port, d), post(b.port, d)]))
    const again = await Promise.all(deliveries.flatMap((d) => [post(a.port, d), post(b.port, d)]))
    await eventually(() => totalRuns() >= deliveries.length, 3000)
    // Anything a second run would print has had time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 300))
    const counts = {
      deliveries: deliveries.length,
      posts: first.length + again.length,
      runs: totalRuns(),
      runsOnA: a.runs.length,
      runsOnB: b.runs.length
    }
    process.stdout.write(`two receiver processes, one Redis: ${JSON.stringify(counts)}\n`)
    for (const d of deliveries) expect(runsOf(d.requestID)).toBe(1)
    expect(counts.runs).toBe(deliveries.length)
    // At once: one instance handles (200/0), the other answers "busy" (503/7) or, if it came second, duplicate (200/0).
    for (let i = 0; i < deliveries.length; i++) {
      const pair = tally([first[2 * i]!, first[2 * i + 1]!]).sort()
      expect([["200/0", "503/7"], ["200/0", "200/0"]]).toContainEqual(pair)
    }
    expect(first.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(deliveries.length)
    // After: every post is a duplicate, acknowledged without a run.
    expect(new Set(tally(again))).toEqual(new Set(["200/0"]))
  }, 30_000)

  it("Redis killed mid-run: 503 with a non-zero retCode and no handler run; restarted: handled again, receivers untouched", async () => {
    const { redis, a, b } = both()
    const before = totalRuns()
    const handledBefore = delivery(orderBody, `before-kill-${process.pid}`)
    expect((await post(a.port, handledBefore)).status).toBe(200)
    await redis.kill()
    const during = Array.from({ length: 5 }, (_, i) => delivery(orderBody, `outage-${process.pid}-${i}`))
    const answers = await Promise.all(during.flatMap((d) => [post(a.port, d), post(b.port, d)]))
    for (const answer of answers) {
      expect(answer.status).toBe(503)
      expect(answer.retCode).not.toBe(0)
      expect(answer.retCode).toBeDefined()
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(totalRuns()).toBe(before + 1)
    await redis.restart()
    // The platform redelivers: each outage delivery, to both instances, until it is no longer 503.
    const redelivered = await Promise.all(during.map(async (d) => {
      for (let attempt = 0; attempt < 60; attempt++) {
        const pair = await Promise.all([post(a.port, d), post(b.port, d)])
        if (pair.every((answer) => answer.status === 200)) return pair
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      return []
    }))
    for (const pair of redelivered) expect(tally(pair)).toEqual(["200/0", "200/0"])
    await eventually(() => totalRuns() >= before + 1 + during.length, 3000)
    await new Promise((resolve) => setTimeout(resolve, 300))
    for (const d of during) expect(runsOf(d.requestID)).toBe(1)
    expect(totalRuns()).toBe(before + 1 + during.length)
    // Redis was restarted empty (no persistence): what it forgot runs again; the
    // receivers themselves never restarted.
    expect(a.alive() && b.alive()).toBe(true)
    process.stdout.write(
      `Redis killed and restarted: ${JSON.stringify({ deliveriesDuringOutage: during.length, postsDuringOutage: answers.length, answered503: answers.length, runsAfterRestart: totalRuns() - before - 1 })}\n`
    )
  }, 40_000)
})
