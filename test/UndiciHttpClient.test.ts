/**
 * `effect-callbot/undici`: an `HttpClient` straight on an undici
 * `Dispatcher`, checked over real HTTP on 127.0.0.1. The SDK works on it
 * end to end; it keeps the platform's spans (with `sign` redacted) and
 * interruption (a timed-out attempt closes its connection); its answers
 * read the same however they are read. The hostile-server suite
 * (`CallbotClient.hostile.test.ts`) runs over it as well.
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Layer, Stream } from "effect"
import { Agent } from "undici"
import { CallbotApi } from "../src/index.js"
import * as Simulator from "../src/Simulator.js"
import * as UndiciHttpClient from "../src/UndiciHttpClient.js"
import { hostileServer } from "./support/hostile.js"
import * as Telemetry from "./support/telemetry.js"
import { createAndCallRequest } from "./utils.js"

const apiOnSimulator = Layer.unwrapEffect(
  Effect.map(Simulator.Simulator, (simulator) =>
    CallbotApi.layer({ baseUrl: simulator.baseUrl, ...Simulator.testAccount }))
).pipe(Layer.provide(UndiciHttpClient.layer))

describe("UndiciHttpClient", () => {
  it.live("carries the SDK end to end: createAndCall against the simulator, every order imported and signed", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Simulator.Simulator
      const request = createAndCallRequest(7)
      const result = yield* api.createAndCall(request)
      expect(result).toMatchObject({ totalCount: 7, successCount: 7, errList: [], failures: [] })
      const seen = (yield* sim.requests).filter((r) => r.endpoint === "createAndCall")
      expect(seen.map((r) => [r.signatureValid, r.retCode])).toEqual([[true, 0]])
      expect((yield* sim.orders).filter((o) => o.userTaskID === request.userTaskID)).toHaveLength(7)
    }).pipe(
      Effect.provide(apiOnSimulator),
      Effect.provide(Simulator.layer({ deliverCallbacks: false }))
    ))

  it.live("keeps the platform's http.client span, with the sign header redacted", () =>
    Effect.gen(function*() {
      const api = yield* CallbotApi.CallbotApi
      const telemetry = yield* Telemetry.Telemetry
      yield* api.createAndCall(createAndCallRequest(2))
      const http = telemetry.spans.filter((s) => s.kind === "client" && s.name.startsWith("http.client"))
      expect(http.map((s) => s.name)).toEqual(["http.client POST"])
      const span = http[0]
      expect(span?.attributes.get("http.request.header.sign")).toBe("<redacted>")
      expect(span?.attributes.get("http.response.status_code")).toBe(200)
      expect(String(span?.attributes.get("url.full"))).toMatch(/\/callcentre\/api\/v3\/createAndCall$/)
    }).pipe(
      Effect.provide(apiOnSimulator),
      Effect.provide(Simulator.layer({ deliverCallbacks: false })),
      Effect.provide(Telemetry.layer)
    ))

  it.live("an attempt that times out is interrupted and its connection closed (no answer is awaited)", () =>
    Effect.gen(function*() {
      let closed = 0
      const server = yield* hostileServer((_request, response) => {
        // Never answers; counts the connections the client gives up.
        response.on("close", () => closed++)
      })
      const ping = Effect.flatMap(CallbotApi.CallbotApi, (api) => api.ping({ data: "x" })).pipe(
        Effect.provide(
          CallbotApi.layer({ baseUrl: server.url, ...Simulator.testAccount, timeout: Duration.millis(300) }).pipe(
            Layer.provide(UndiciHttpClient.layer)
          )
        )
      )
      const error = yield* Effect.flip(ping.pipe(Effect.timeout(Duration.seconds(20))))
      expect(error._tag === "TransportError" ? [error._tag, error.reason] : [error._tag]).toEqual(["TransportError", "Timeout"])
      // Every attempt (ping is retried) reached the server and was dropped by the client.
      expect(server.received.length).toBeGreaterThanOrEqual(1)
      yield* Effect.sleep(Duration.millis(100))
      expect(closed).toBe(server.received.length)
    }).pipe(Effect.scoped))

  it.live("answers read the same however they are read: text twice, json, arrayBuffer, stream, headers, cookies", () =>
    Effect.gen(function*() {
      const server = yield* hostileServer((request, response) => {
        response.writeHead(201, { "content-type": "application/json", "x-seen": request.body, "set-cookie": "a=1; Path=/" })
        response.end("{\"ok\":true}")
      })
      const http = yield* HttpClient.HttpClient
      const post = HttpClientRequest.post(`${server.url}/x`).pipe(HttpClientRequest.bodyText("hello", "text/plain"))
      const response = yield* http.execute(post)
      expect(response.status).toBe(201)
      expect(response.headers["x-seen"]).toBe("hello")
      expect(response.cookies.cookies["a"]?.value).toBe("1")
      expect(yield* response.text).toBe("{\"ok\":true}")
      expect(yield* response.text).toBe("{\"ok\":true}")
      expect(yield* response.json).toEqual({ ok: true })
      expect(new TextDecoder().decode(yield* response.arrayBuffer)).toBe("{\"ok\":true}")

      const streamed = yield* http.execute(post)
      const parts = yield* Stream.runCollect(streamed.stream)
      expect(Buffer.concat(Chunk.toReadonlyArray(parts)).toString("utf8")).toBe("{\"ok\":true}")
    }).pipe(Effect.scoped, Effect.provide(UndiciHttpClient.layer)))

  it.live("sends every kind of body: bytes, text, none, a Stream and a form", () =>
    Effect.gen(function*() {
      const server = yield* hostileServer((request, response) => {
        response.writeHead(200, { "content-type": "text/plain" })
        response.end(`${request.headers["content-type"] ?? "-"}|${request.body}`)
      })
      const http = yield* HttpClient.HttpClient
      const echo = (request: HttpClientRequest.HttpClientRequest) =>
        Effect.flatMap(http.execute(request), (response) => response.text)
      const url = `${server.url}/echo`
      expect(yield* echo(HttpClientRequest.post(url).pipe(HttpClientRequest.bodyUint8Array(new Uint8Array([104, 105])))))
        .toBe("application/octet-stream|hi")
      expect(yield* echo(HttpClientRequest.post(url).pipe(HttpClientRequest.bodyText("plain", "text/plain")))).toBe(
        "text/plain|plain"
      )
      expect(yield* echo(HttpClientRequest.get(url))).toBe("-|")
      const stream = Stream.make("a", "b", "c").pipe(Stream.encodeText)
      expect(yield* echo(HttpClientRequest.post(url).pipe(HttpClientRequest.bodyStream(stream, { contentType: "text/plain" }))))
        .toBe("text/plain|abc")
      const form = new FormData()
      form.append("field", "value")
      const formEcho = yield* echo(HttpClientRequest.post(url).pipe(HttpClientRequest.bodyFormData(form)))
      expect(formEcho).toMatch(/^multipart\/form-data; boundary=.*\|[\s\S]*name="field"[\s\S]*value/)
    }).pipe(Effect.scoped, Effect.provide(UndiciHttpClient.layer)))

  it.live("make runs on a dispatcher the caller owns (and leaves it open)", () =>
    Effect.gen(function*() {
      const server = yield* hostileServer((_request, response) => {
        response.writeHead(200, { "content-type": "text/plain" })
        response.end("mine")
      })
      const agent = new Agent({ connections: 1 })
      const http = UndiciHttpClient.make(agent)
      const text = yield* Effect.flatMap(http.execute(HttpClientRequest.get(`${server.url}/a`)), (r) => r.text)
      expect(text).toBe("mine")
      expect(agent.destroyed).toBe(false)
      yield* Effect.promise(() => agent.close())
    }).pipe(Effect.scoped))
})
