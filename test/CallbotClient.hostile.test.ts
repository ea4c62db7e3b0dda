/**
 * The signed client against a hostile "platform" on 127.0.0.1: answers too
 * large to read, gzip bombs, redirects to another host, and a `Retry-After`
 * that asks for years. Each server is raw `node:http`, closed when its test
 * ends; sizes stay small enough for a shared machine.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { CallbotApi, CallbotClient, RetryPolicy } from "../src/index.js"
import { apiOn, gzipBomb, hostileServer, signedHeaders, streamHuge, transports } from "./support/hostile.js"
import { createAndCallRequest } from "./utils.js"

const MiB = 1024 * 1024

const ping = (layer: Layer.Layer<CallbotApi.CallbotApi>) =>
  Effect.flatMap(CallbotApi.CallbotApi, (api) => Effect.either(api.ping())).pipe(Effect.provide(layer))

const once = { retry: RetryPolicy.none } as const

describe("response size cap", () => {
  it.live("an answer streaming past maxResponseBytes is a MalformedResponse naming the cap, and is not read to its end", () =>
    Effect.gen(function*() {
      let written = () => 0
      const server = yield* hostileServer((_, response) => {
        written = streamHuge(response, 50 * MiB)
      })
      const answer = yield* ping(apiOn(server.url, { ...once, maxResponseBytes: MiB }))
      expect(answer._tag).toBe("Left")
      if (answer._tag === "Left") {
        expect(answer.left).toMatchObject({ _tag: "MalformedResponse", endpoint: "ping", maxResponseBytes: MiB, body: "" })
      }
      // The client stopped reading: the server got nowhere near its 50 MB.
      yield* Effect.sleep("50 millis")
      expect(written()).toBeLessThan(16 * MiB)
    }).pipe(Effect.scoped), { timeout: 20_000 })

  it.live("a declared Content-Length over the default cap (32 MiB) is refused before any of the body is read", () =>
    Effect.gen(function*() {
      const server = yield* hostileServer((_, response) => {
        response.writeHead(200, { "content-type": "application/json", "content-length": String(33 * MiB) })
        // Starts the body and stalls: a client that waited for it would time out.
        response.write("{\"code\":0,")
      })
      const started = Date.now()
      const answer = yield* ping(apiOn(server.url, { ...once, timeout: "5 seconds" }))
      expect(answer._tag).toBe("Left")
      if (answer._tag === "Left") {
        expect(answer.left).toMatchObject({ _tag: "MalformedResponse", maxResponseBytes: 32 * MiB })
      }
      expect(Date.now() - started).toBeLessThan(3000)
      expect(CallbotClient.DEFAULT_MAX_RESPONSE_BYTES).toBe(32 * MiB)
    }).pipe(Effect.scoped), { timeout: 20_000 })
})

describe("gzip bombs", () => {
  for (const [name, transport] of transports.slice(0, 2)) {
    it.live(`a gzip answer inflating to 200 MB is a MalformedResponse under the same cap, memory bounded (${name})`, () =>
      Effect.gen(function*() {
        const bomb = yield* Effect.promise(() => gzipBomb(200))
        expect(bomb.length).toBeLessThan(400 * 1024)
        const server = yield* hostileServer((_, response) => {
          response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" })
          response.end(bomb)
        })
        const before = process.memoryUsage().rss
        const answer = yield* ping(apiOn(server.url, { ...once, maxResponseBytes: MiB }, transport))
        const grown = process.memoryUsage().rss - before
        expect(answer._tag).toBe("Left")
        if (answer._tag === "Left") {
          expect(answer.left).toMatchObject({ _tag: "MalformedResponse", maxResponseBytes: MiB })
        }
        expect(grown).toBeLessThan(100 * MiB)
      }).pipe(Effect.scoped), { timeout: 30_000 })
  }

  it.live("a gzip body sent without Content-Encoding is inflated under the cap too, never a defect", () =>
    Effect.gen(function*() {
      const bomb = yield* Effect.promise(() => gzipBomb(200))
      const server = yield* hostileServer((_, response) => {
        response.writeHead(200, { "content-type": "application/json", "content-length": String(bomb.length) })
        response.end(bomb)
      })
      // The default cap: the bomb is stopped at 32 MiB of inflated bytes.
      const exit = yield* Effect.exit(ping(apiOn(server.url, once)))
      expect(exit._tag).toBe("Success")
      if (exit._tag === "Success" && exit.value._tag === "Left") {
        expect(exit.value.left).toMatchObject({ _tag: "MalformedResponse", maxResponseBytes: 32 * MiB })
      } else expect.fail("expected a MalformedResponse")
    }).pipe(Effect.scoped), { timeout: 30_000 })
})

describe("redirects", () => {
  for (const [name, transport] of transports) {
    it.live(`no redirect is followed: every 3xx is an HttpStatusError naming its Location, and the other host sees nothing (${name})`, () =>
      Effect.gen(function*() {
        const elsewhere = yield* hostileServer((_, response) => {
          const body = JSON.stringify({
            retCode: 0,
            retMsg: "ok",
            responseID: "evil",
            taskID: "T-evil",
            totalCount: 1,
            successCount: 1,
            errList: []
          })
          response.writeHead(200, { "content-type": "application/json" })
          response.end(body)
        })
        for (const status of [301, 302, 303, 307, 308]) {
          const platform = yield* hostileServer((_, response) => {
            response.writeHead(status, { location: `${elsewhere.url}/callcentre/api/v3/createAndCall` })
            response.end()
          })
          const error = yield* CallbotApi.CallbotApi.pipe(
            Effect.flatMap((api) => Effect.flip(api.createAndCall(createAndCallRequest(1)))),
            Effect.provide(apiOn(platform.url, {}, transport))
          )
          expect(error).toMatchObject({
            _tag: "HttpStatusError",
            status,
            location: `${elsewhere.url}/callcentre/api/v3/createAndCall`
          })
          expect(error.message).toContain(elsewhere.url)
          // Not retried, not reconciled: the one request, and nothing sent elsewhere.
          expect(platform.received).toHaveLength(1)
          const sign = String(platform.received[0]!.headers["sign"])
          expect(JSON.stringify(error)).not.toContain(sign)
          expect(JSON.stringify(error)).not.toContain("sim-secret-key")
        }
        expect(elsewhere.received).toHaveLength(0)
      }).pipe(Effect.scoped), { timeout: 30_000 })
  }
})

describe("Retry-After", () => {
  it.live("an HTTP-date Retry-After far in the future waits only the policy's maxDelay, then retries", () =>
    Effect.gen(function*() {
      const server = yield* hostileServer((request, response) => {
        if (server.received.length === 1) {
          response.writeHead(503, { "retry-after": "Fri, 01 Jan 2100 00:00:00 GMT" })
          return response.end("busy")
        }
        const body = Buffer.from(JSON.stringify({ code: 0, msg: "ok", reqId: "r", data: "ping", timestamp: 1 }))
        response.writeHead(200, {
          "content-type": "application/json",
          ...signedHeaders(body, String(request.headers["requestid"]))
        })
        response.end(body)
      })
      const started = Date.now()
      const answer = yield* ping(apiOn(server.url, {
        retry: RetryPolicy.make({ maxDelay: "50 millis", jitter: false, deadline: "10 seconds" })
      }))
      expect(answer._tag).toBe("Right")
      expect(server.received).toHaveLength(2)
      expect(Date.now() - started).toBeLessThan(3000)
    }).pipe(Effect.scoped), { timeout: 20_000 })
})

