/**
 * The SDK's spans as an operator sees them through OpenTelemetry
 * (`@effect/opentelemetry` with the SDK's in-memory exporter): a
 * `createAndCall` against the simulator and a callback delivery over real
 * HTTP, the shape of their span trees, and that no exported attribute holds
 * the `sign` header or the secret.
 */
import { HttpClient, HttpClientRequest, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { NodeSdk } from "@effect/opentelemetry"
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { Callback, CallbotApi } from "../src/index.js"
import * as Simulator from "../src/Simulator.js"
import { callBody, SECRET, signBody, SignerLive } from "./CallbackFixtures.js"
import { createAndCallRequest, simulatorWithApi } from "./utils.js"

const exporterLayer = (exporter: InMemorySpanExporter) =>
  NodeSdk.layer(() => ({
    resource: { serviceName: "effect-callbot-test" },
    spanProcessor: new SimpleSpanProcessor(exporter)
  }))

const idOf = (span: ReadableSpan) => span.spanContext().spanId
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId

/** The chain of span names from `span` up to its root. */
const ancestry = (spans: ReadonlyArray<ReadableSpan>, span: ReadableSpan): Array<string> => {
  const byId = new Map(spans.map((s) => [idOf(s), s]))
  const names: Array<string> = []
  let current: ReadableSpan | undefined = span
  while (current !== undefined) {
    names.push(current.name)
    const parent = parentOf(current)
    current = parent === undefined ? undefined : byId.get(parent)
  }
  return names.reverse()
}

/** Every attribute and event of every span, as one text. */
const exportedText = (spans: ReadonlyArray<ReadableSpan>): string =>
  JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })))

const forbiddenIn = (spans: ReadonlyArray<ReadableSpan>, secrets: ReadonlyArray<string>) => {
  const text = exportedText(spans)
  return secrets.filter((secret) => text.includes(secret))
}

describe("spans exported with @effect/opentelemetry", () => {
  it.live("a createAndCall is API call → client call → attempt → HTTP, with no sign header or secret", () => {
    const exporter = new InMemorySpanExporter()
    return Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const result = yield* api.createAndCall(createAndCallRequest(3))
      expect(result.successCount).toBe(3)
      yield* Effect.sleep("50 millis")
      const spans = exporter.getFinishedSpans()
      const http = spans.find((s) => s.name.startsWith("http.client"))
      expect(http, spans.map((s) => s.name).join(", ")).toBeDefined()
      if (http === undefined) return
      expect(ancestry(spans, http)).toEqual([
        "CallbotApi.createAndCall",
        "CallbotClient.createAndCall",
        "CallbotClient.attempt",
        http.name
      ])
      const requestHeaders = Object.keys(http.attributes).filter((k) => k.startsWith("http.request.header."))
      expect(requestHeaders).toContain("http.request.header.sign")
      expect(http.attributes["http.request.header.sign"]).toBe("<redacted>")
      const secret = Redacted.value(Simulator.testAccount.secretKey)
      expect(forbiddenIn(spans, [secret])).toEqual([])
      // No 32-hex-character MD5 signature anywhere in what was exported.
      expect(exportedText(spans)).not.toMatch(/"[0-9A-F]{32}"/)
    }).pipe(
      Effect.provide(Layer.mergeAll(simulatorWithApi(), exporterLayer(exporter)))
    )
  })

  it.live("a callback delivery is HTTP server → Callback.httpApp → Callback.receive → Callback.handler", () => {
    const exporter = new InMemorySpanExporter()
    return Effect.gen(function*() {
      // The server's own span records the request headers: `sign` is
      // redacted there because Signer.layer is provided to it.
      yield* HttpServer.serveEffect(Callback.httpApp({ call: () => Effect.void }))
      const signed = signBody(callBody, { createTs: Math.floor(Date.now() / 1000) })
      // The sender stands in for the platform: its own spans are not ours.
      const client = (yield* HttpClient.HttpClient).pipe(HttpClient.withTracerDisabledWhen(() => true))
      const response = yield* client.execute(
        HttpClientRequest.post("/callbot").pipe(
          HttpClientRequest.bodyText(signed.body, "application/json"),
          HttpClientRequest.setHeaders(signed.headers)
        )
      )
      expect(response.status).toBe(200)
      yield* Effect.sleep("100 millis")
      const spans = exporter.getFinishedSpans()
      const handler = spans.find((s) => s.name === "Callback.handler")
      expect(handler, spans.map((s) => s.name).join(", ")).toBeDefined()
      if (handler === undefined) return
      const chain = ancestry(spans, handler)
      expect(chain.slice(-3)).toEqual(["Callback.httpApp", "Callback.receive", "Callback.handler"])
      expect(chain[chain.length - 4]).toMatch(/^http\.server/)
      expect(handler.attributes["callbot.kind"]).toBe("call")
      const leaking = spans.filter((s) => forbiddenIn([s], [SECRET, String(signed.headers.sign)]).length > 0)
      expect(leaking.map((s) => s.name)).toEqual([])
    }).pipe(
      Effect.provide(Layer.mergeAll(NodeHttpServer.layerTest, SignerLive, exporterLayer(exporter))),
      Effect.scoped
    )
  })

  it.live("Callback.verify is one span under the caller's, ended with the verification's outcome", () => {
    const exporter = new InMemorySpanExporter()
    return Effect.gen(function*() {
      const signed = signBody(callBody, { createTs: Math.floor(Date.now() / 1000) })
      yield* Callback.verify(signed).pipe(Effect.withSpan("caller"))
      const forged = { ...signed, headers: { ...signed.headers, sign: "0".repeat(32) } }
      yield* Effect.flip(Callback.verify(forged)).pipe(Effect.withSpan("caller"))
      yield* Effect.sleep("50 millis")
      const spans = exporter.getFinishedSpans()
      const verifications = spans.filter((s) => s.name === "Callback.verify")
      expect(verifications.map((s) => ancestry(spans, s))).toEqual([
        ["caller", "Callback.verify"],
        ["caller", "Callback.verify"]
      ])
      // Nothing runs under it: it is a leaf.
      expect(spans.filter((s) => verifications.some((v) => parentOf(s) === idOf(v)))).toEqual([])
      // OpenTelemetry's status codes: 1 ok, 2 error.
      expect(verifications.map((s) => s.status.code)).toEqual([1, 2])
      expect(forbiddenIn(spans, [SECRET, String(signed.headers.sign)])).toEqual([])
    }).pipe(Effect.provide(Layer.mergeAll(SignerLive, exporterLayer(exporter))))
  })
})
