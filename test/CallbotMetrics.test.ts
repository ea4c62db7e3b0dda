/**
 * The SDK's metrics, read with `Metric.snapshot` after real flows: calls to
 * the simulator and to a hostile server over HTTP (requests, durations,
 * retries, orders) and callback deliveries of every outcome. Metrics are
 * process-wide, so each test reads the change it caused.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Metric, MetricState, Redacted } from "effect"
import { Callback, CallbotApi, ReplayStore, RetryPolicy } from "../src/index.js"
import * as Simulator from "../src/Simulator.js"
import { callBody, orderBody, signBody, SignerLive } from "./CallbackFixtures.js"
import { apiOn, hostileServer, signedHeaders } from "./support/hostile.js"
import { apiOnSimulator, createAndCallRequest } from "./utils.js"

type Tags = Readonly<Record<string, string>>

const matches = (labels: ReadonlyArray<{ readonly key: string; readonly value: string }>, tags: Tags) =>
  Object.entries(tags).every(([key, value]) => labels.some((l) => l.key === key && l.value === value))

/** The counter's value (or the histogram's sample count) for these tags, summed over matching series. */
const valueOf = (name: string, tags: Tags) =>
  Effect.map(Metric.snapshot, (pairs) =>
    pairs.reduce((sum, pair) => {
      if (pair.metricKey.name !== name || !matches(pair.metricKey.tags, tags)) return sum
      const state = pair.metricState
      if (MetricState.isCounterState(state)) return sum + Number(state.count)
      if (MetricState.isHistogramState(state)) return sum + state.count
      return sum
    }, 0))

/** Runs `effect` and answers how much each (name, tags) series grew meanwhile. */
const growth = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  series: ReadonlyArray<readonly [string, Tags]>
) =>
  Effect.gen(function*() {
    const before = yield* Effect.forEach(series, ([name, tags]) => valueOf(name, tags))
    yield* effect
    const after = yield* Effect.forEach(series, ([name, tags]) => valueOf(name, tags))
    return after.map((value, i) => value - (before[i] ?? 0))
  })

describe("request metrics", () => {
  it.live("a createAndCall counts one successful call, one duration sample and its orders by outcome", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const request = createAndCallRequest(3)
      const withInvalid = {
        ...request,
        callInfoList: {
          ...request.callInfoList,
          callList: [...request.callInfoList.callList, { orderID: `${request.userTaskID}-bad`, userPhone: "not a phone" }]
        }
      }
      const grown = yield* growth(api.createAndCall(withInvalid), [
        ["callbot_requests_total", { endpoint: "createAndCall", outcome: "success" }],
        ["callbot_request_duration_seconds", { endpoint: "createAndCall" }],
        ["callbot_orders_total", { endpoint: "createAndCall", outcome: "imported" }],
        ["callbot_orders_total", { endpoint: "createAndCall", outcome: "rejected" }],
        ["callbot_orders_total", { endpoint: "createAndCall", outcome: "failed" }]
      ])
      expect(grown).toEqual([1, 1, 3, 1, 0])
    }).pipe(Effect.provide(apiOnSimulator().pipe(Layer.provideMerge(Simulator.layer())))))

  it.live("a resumed import counts the orders it found as already_imported, not imported", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const request = createAndCallRequest(3)
      yield* api.createAndCall(request)
      const grown = yield* growth(api.createAndCall(request, { resume: true }), [
        ["callbot_orders_total", { endpoint: "createAndCall", outcome: "already_imported" }],
        ["callbot_orders_total", { endpoint: "createAndCall", outcome: "imported" }]
      ])
      expect(grown).toEqual([3, 0])
    }).pipe(Effect.provide(apiOnSimulator().pipe(Layer.provideMerge(Simulator.layer())))))

  it.live("a call that fails counts under the error's tag", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const grown = yield* growth(Effect.either(api.ping()), [
        // The wrong secret: the simulator's signed answer does not verify.
        ["callbot_requests_total", { endpoint: "ping", outcome: "ResponseSignatureError" }],
        ["callbot_requests_total", { endpoint: "ping", outcome: "success" }]
      ])
      expect(grown).toEqual([1, 0])
    }).pipe(Effect.provide(
      apiOnSimulator({ secretKey: Redacted.make("not-the-secret"), retry: RetryPolicy.none }).pipe(
        Layer.provideMerge(Simulator.layer())
      )
    )))

  it.live("a retried attempt counts under its reason; the call still counts once", () =>
    Effect.gen(function*() {
      const server = yield* hostileServer((request, response) => {
        if (server.received.length === 1) {
          response.writeHead(503)
          return response.end("busy")
        }
        const body = Buffer.from(JSON.stringify({ code: 0, msg: "ok", reqId: "r", data: "ping", timestamp: 1 }))
        response.writeHead(200, { "content-type": "application/json", ...signedHeaders(body, String(request.headers["requestid"])) })
        response.end(body)
      })
      const layer = apiOn(server.url, { retry: RetryPolicy.make({ baseDelay: "10 millis", jitter: false }) })
      const grown = yield* growth(
        Effect.flatMap(CallbotApi.CallbotApi, (api) => api.ping()).pipe(Effect.provide(layer)),
        [
          ["callbot_retries_total", { endpoint: "ping", reason: "HttpStatusError" }],
          ["callbot_requests_total", { endpoint: "ping", outcome: "success" }],
          ["callbot_request_duration_seconds", { endpoint: "ping" }]
        ]
      )
      expect(grown).toEqual([1, 1, 1])
      expect(server.received).toHaveLength(2)
    }).pipe(Effect.scoped))
})

describe("callback metrics", () => {
  const nowTs = () => Math.floor(Date.now() / 1000)
  const callbacks = (kind: string, outcome: string) => ["callbot_callbacks_total", { kind, outcome }] as const

  it.live("every delivery counts once, by kind and outcome", () =>
    Effect.gen(function*() {
      let fail = false
      const receiver = Callback.receiver({
        call: () => (fail ? Effect.fail("boom") : Effect.void),
        order: () => Effect.sleep("200 millis")
      }, { handlerTimeout: Duration.millis(50), maxBodyBytes: 4096, replayStore: ReplayStore.unsafeMakeMemory() })
      const call = signBody(callBody, { createTs: nowTs() })
      const flow = Effect.gen(function*() {
        yield* receiver.handle(call) // handled
        yield* receiver.handle(call) // duplicate
        yield* receiver.handle({ ...call, headers: { ...call.headers, sign: "0".repeat(32) } }) // rejected
        yield* receiver.handle({ headers: call.headers, body: "x".repeat(5000) }) // too large
        yield* receiver.handle(signBody("{not json", { createTs: nowTs() })) // malformed
        fail = true
        yield* receiver.handle(signBody(callBody, { createTs: nowTs() })) // handler failed
        yield* receiver.handle(signBody(orderBody, { createTs: nowTs() })) // timeout
      })
      const grown = yield* growth(flow, [
        callbacks("call", "handled"),
        callbacks("call", "duplicate"),
        callbacks("unknown", "rejected"),
        callbacks("unknown", "too_large"),
        callbacks("unknown", "malformed"),
        callbacks("call", "handler_failed"),
        callbacks("order", "timeout")
      ])
      expect(grown).toEqual([1, 1, 1, 1, 1, 1, 1])
    }).pipe(Effect.provide(SignerLive)))
})
