/**
 * Fault suite: ≥ 10,000 orders through `createAndCall` (+ `addBatchCall`
 * chunks) against the simulator over real HTTP with 20 % of requests
 * faulted — latency, connections dropped before and after the platform
 * acted, HTTP 5xx/429, retCode 5/7/5001 bursts, truncated bodies, wrong
 * response signatures — seeded, so a failure replays exactly.
 *
 * It proves: 0 lost (every order is on the platform or reported failed with
 * a typed reason, never both), 0 duplicated (no orderID or userTaskID created
 * twice), and every retry went out as a new request with a fresh, valid
 * signature. Bounded in count; it stops by itself.
 */
import { describe, expect, it } from "@effect/vitest"
import { FetchHttpClient } from "@effect/platform"
import { Effect, Either, Layer } from "effect"
import { CallbotApi, RetryPolicy, Signer } from "../../src/index.js"
import * as Simulator from "../../src/Simulator.js"
import { apiOn, gzipBomb, hostileServer, signedHeaders, streamHuge } from "../support/hostile.js"
import { apiOnSimulator, createAndCallRequest } from "../utils.js"

const SEED = Number(process.env["FAULT_SEED"] ?? 20261121)

// 20 % of requests get one exclusive fault; latency comes on top of some.
const rates = {
  dropBeforeProcessing: 0.03,
  dropAfterProcessing: 0.03,
  httpStatus: 0.04,
  retCodeBurst: 0.04,
  truncatedBody: 0.03,
  badSignature: 0.03,
  latency: 0.1
}

interface Scenario {
  readonly name: string
  readonly tasks: number
  readonly ordersPerTask: number
  readonly chunk: number
  readonly rates: Simulator.FaultOptions["rates"]
  readonly policy: RetryPolicy.RetryPolicy
  /** Everything must end up imported (the retry budget suffices). */
  readonly expectAllImported: boolean
}

/**
 * Runs one scenario and checks the accounting of every order:
 * - lost: not on the platform and not reported → must be 0;
 * - misreported: on the platform but reported as certainly not imported
 *   (a failure without `maybeImported`) → must be 0;
 * - duplicated: an orderID or userTaskID created twice → must be 0;
 * - every request a fresh, valid signature (checked here, independently).
 */
const runScenario = (scenario: Scenario) =>
  Effect.gen(function*() {
    const api = yield* CallbotApi.CallbotApi
    const sim = yield* Simulator.Simulator
    const requests = Array.from({ length: scenario.tasks }, () => createAndCallRequest(scenario.ordersPerTask))
    const total = scenario.tasks * scenario.ordersPerTask

    const outcomes = yield* Effect.forEach(
      requests,
      (request) => Effect.either(api.createAndCall(request, { chunkSize: scenario.chunk, concurrency: 4 })),
      { concurrency: 4 }
    )

    const stored = yield* sim.orders
    const byTask = new Map<string, Set<string>>()
    for (const order of stored) {
      const ids = byTask.get(order.userTaskID) ?? new Set<string>()
      ids.add(order.orderID)
      byTask.set(order.userTaskID, ids)
    }

    let imported = 0
    let reportedFailed = 0
    let reportedMaybe = 0
    let lost = 0
    let misreported = 0
    let failedCalls = 0
    const failureTags = new Map<string, number>()
    requests.forEach((request, i) => {
      const outcome = outcomes[i]!
      const onPlatform = byTask.get(request.userTaskID) ?? new Set<string>()
      imported += onPlatform.size
      if (Either.isLeft(outcome)) {
        // The whole call failed with a typed error. Unless the error leaves
        // it open (ambiguous), nothing of it may be on the platform.
        failedCalls++
        failureTags.set(outcome.left._tag, (failureTags.get(outcome.left._tag) ?? 0) + 1)
        const ambiguous = outcome.left._tag !== "InvalidRequest" && RetryPolicy.classify(outcome.left) === "ambiguous"
        if (!ambiguous) misreported += onPlatform.size
        reportedFailed += request.callInfoList.callList.length
        if (ambiguous) reportedMaybe += request.callInfoList.callList.length
        return
      }
      const result = outcome.right
      const failed = new Map(result.errList.map((e) => [e.orderID, e]))
      for (const rejected of result.errList) {
        // A typed reason: the failed request and its error are in `failures`.
        expect(rejected.rejectedBy).toBe("request")
        expect(result.failures.length).toBeGreaterThan(0)
      }
      for (const f of result.failures) failureTags.set(f.error._tag, (failureTags.get(f.error._tag) ?? 0) + 1)
      for (const order of request.callInfoList.callList) {
        const here = onPlatform.has(order.orderID)
        const reported = failed.get(order.orderID)
        if (reported !== undefined && here && reported.maybeImported !== true) misreported++
        if (reported === undefined && !here) lost++
        if (reported?.maybeImported === true) reportedMaybe++
      }
      expect(result.totalCount).toBe(scenario.ordersPerTask)
      reportedFailed += failed.size
    })

    // 0 duplicated
    const creations = yield* sim.creations
    const duplicatedOrders = [...creations.orders.values()].filter((n) => n > 1).length
    const duplicatedTasks = [...creations.tasks.values()].filter((n) => n > 1).length

    // Every attempt went out as a new, correctly signed request: checked
    // here, independently of the simulator's own verdict.
    const received = yield* sim.requests
    const badlySigned = received.filter((r) =>
      Signer.signature({
        ...Simulator.testAccount,
        body: r.bytes,
        createTs: r.headers["createts"] ?? "",
        requestID: r.headers["requestid"] ?? "",
        algorithm: r.headers["algorithm"] === "SHA256" ? "SHA256" : "MD5"
      }) !== r.headers["sign"]
    ).length
    const distinctRequestIDs = new Set(received.map((r) => r.requestID)).size
    const reusedSignature = received.length - new Set(received.map((r) => r.headers["sign"])).size
    const sendsPerBody = new Map<string, number>()
    for (const r of received) sendsPerBody.set(r.body, (sendsPerBody.get(r.body) ?? 0) + 1)
    const resentBodies = [...sendsPerBody.values()].filter((n) => n > 1).length
    const lookups = received.filter((r) => r.endpoint === "listTask" || r.endpoint === "listOrderDetail").length

    const stats = yield* sim.faultStats
    const summary = {
      scenario: scenario.name,
      orders: total,
      imported,
      reportedFailed,
      reportedMaybe,
      lost,
      misreported,
      duplicatedOrders,
      duplicatedTasks,
      failedCalls,
      failureTags: Object.fromEntries(failureTags),
      requests: received.length,
      reconciliationLookups: lookups,
      resentBodies,
      badlySigned,
      reusedSignature,
      faults: stats
    }
    yield* Effect.logInfo(`fault suite: ${JSON.stringify(summary)}`)

    expect(total).toBeGreaterThanOrEqual(scenario.name === "harsh" ? 1 : 10_000)
    expect(lost).toBe(0)
    expect(misreported).toBe(0)
    expect(duplicatedOrders).toBe(0)
    expect(duplicatedTasks).toBe(0)
    expect(distinctRequestIDs).toBe(received.length)
    expect(reusedSignature).toBe(0)
    expect(badlySigned).toBe(0)
    // The faults really happened, of every kind, and were recovered from.
    expect(resentBodies).toBeGreaterThan(0)
    expect(lookups).toBeGreaterThan(0)
    for (const kind of Simulator.faultKinds) expect([kind, stats[kind]]).not.toEqual([kind, 0])
    if (scenario.expectAllImported) {
      expect(imported).toBe(total)
      expect(reportedFailed).toBe(0)
    } else {
      // Some orders failed for good, and every one of them was accounted for.
      expect(reportedFailed).toBeGreaterThan(0)
    }
    return summary
  }).pipe(
    Effect.provide(
      apiOnSimulator({ retry: scenario.policy, timeout: "5 seconds" }).pipe(
        Layer.provideMerge(
          Simulator.layer({
            deliverCallbacks: false,
            duplicateOrderIDs: "accept",
            faults: { seed: SEED, rates: scenario.rates, latencyMillis: [1, 20], retryAfterSeconds: 0, maxBurst: 3 }
          })
        )
      )
    )
  )

describe("fault suite", () => {
  it.live("10,000 orders at 20 % faults: all imported, nothing lost, nothing duplicated, fresh signatures", () =>
    runScenario({
      name: "20 % faults",
      tasks: 20,
      ordersPerTask: 500,
      chunk: 25,
      rates,
      policy: RetryPolicy.make({ maxAttempts: 10, baseDelay: "2 millis", maxDelay: "20 millis", deadline: "30 seconds" }),
      expectAllImported: true
    }), { timeout: 180_000 })

  it.live("harsh: 50 % faults and only 2 attempts — what fails is reported exactly, nothing lost or doubled", () =>
    runScenario({
      name: "harsh",
      tasks: 10,
      ordersPerTask: 200,
      chunk: 20,
      rates: {
        dropBeforeProcessing: 0.08,
        dropAfterProcessing: 0.1,
        httpStatus: 0.08,
        retCodeBurst: 0.08,
        truncatedBody: 0.08,
        badSignature: 0.08,
        latency: 0.1
      },
      policy: RetryPolicy.make({ maxAttempts: 2, baseDelay: "1 millis", maxDelay: "2 millis" }),
      expectAllImported: false
    }), { timeout: 180_000 })
})

/**
 * Hostile answers in the middle of an import, over `FetchHttpClient` (the
 * transport that would follow a redirect): `addBatchCall` chunks answered
 * in turn by a 302 to another host, an answer streaming 50 MB, a gzip bomb
 * inflating to 200 MB, and a genuine signed answer.
 */
describe("fault suite: hostile answers", () => {
  const MiB = 1024 * 1024
  const kinds = ["redirect", "oversize", "bomb", "ok"] as const

  it.live("redirects, oversize answers and gzip bombs fail their chunk with a typed error; every order is counted once", () =>
    Effect.gen(function*() {
      const bomb = yield* Effect.promise(() => gzipBomb(200))
      const elsewhere = yield* hostileServer((_, response) => {
        response.writeHead(200, { "content-type": "application/json" })
        response.end("{\"retCode\":0,\"retMsg\":\"ok\",\"responseID\":\"evil\",\"totalCount\":5,\"successCount\":5,\"errList\":[]}")
      })
      let chunks = 0
      const answeredBy = new Map<string, (typeof kinds)[number]>()
      const platform = yield* hostileServer((request, response) => {
        const json = JSON.parse(request.body)
        const callList: ReadonlyArray<{ readonly orderID: string }> = json.callInfoList.callList
        const kind = request.url.endsWith("/createAndCall") ? "ok" : kinds[chunks++ % kinds.length]!
        for (const order of callList) answeredBy.set(order.orderID, kind)
        if (kind === "redirect") {
          response.writeHead(302, { location: `${elsewhere.url}${request.url}` })
          return response.end()
        }
        if (kind === "oversize") return void streamHuge(response, 50 * MiB)
        if (kind === "bomb") {
          response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" })
          return response.end(bomb)
        }
        const body = Buffer.from(JSON.stringify({
          retCode: 0,
          retMsg: "ok",
          responseID: `resp-${chunks}`,
          taskID: "T-1",
          totalCount: callList.length,
          successCount: callList.length,
          errList: []
        }))
        response.writeHead(200, { "content-type": "application/json", ...signedHeaders(body, String(request.headers["requestid"])) })
        response.end(body)
      })
      const request = createAndCallRequest(45)
      const result = yield* CallbotApi.CallbotApi.pipe(
        Effect.flatMap((api) => api.createAndCall(request, { chunkSize: 5, concurrency: 2 })),
        Effect.provide(apiOn(platform.url, { retry: RetryPolicy.none, maxResponseBytes: MiB }, FetchHttpClient.layer))
      )
      const imported = [...answeredBy.values()].filter((kind) => kind === "ok").length
      expect(result.successCount).toBe(imported)
      expect(result.successCount + result.errList.length).toBe(45)
      // Each failed order names its request's typed error.
      for (const rejected of result.errList) {
        const kind = answeredBy.get(rejected.orderID ?? "")
        expect(kind).not.toBe("ok")
        expect(rejected.maybeImported).toBe(kind !== "redirect")
      }
      const tags = result.failures.map((f) => f.error._tag === "HttpStatusError"
        ? `${f.error.status} ${f.error.location}`
        : f.error._tag === "MalformedResponse" ? `cap ${f.error.maxResponseBytes}` : f.error._tag)
      expect(new Set(tags)).toEqual(new Set([`302 ${elsewhere.url}/callcentre/api/v3/addBatchCall`, `cap ${MiB}`]))
      expect(result.failures).toHaveLength(6)
      // No request went to the host the redirects pointed at.
      expect(elsewhere.received).toHaveLength(0)
    }).pipe(Effect.scoped), { timeout: 60_000 })
})
