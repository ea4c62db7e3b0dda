/**
 * The receiver against hostile or unlucky senders, over real HTTP
 * (`Callback.httpApp` on `NodeHttpServer`, 127.0.0.1, port 0) with a raw
 * `node:http` client written here: handlers that outlive the answer
 * deadline or the connection, a genuine callback replayed to another URL,
 * forged deliveries fishing for signed answers, and an algorithm downgrade.
 */
import { type HttpApp, HttpRouter, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { createServer, type IncomingHttpHeaders, request } from "node:http"
import { Callback, Signer } from "../src/index.js"
import { account, callBody, orderBody, signBody, signer, SignerLive } from "./CallbackFixtures.js"

interface Answer {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

interface Delivery {
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
}

/** A delivery signed now (real clock), with a given requestID if any. */
const fresh = (body: string | object, options: { readonly requestID?: string; readonly with?: Signer.Signer } = {}) =>
  signBody(body, { ...options, createTs: Math.floor(Date.now() / 1000) })

/**
 * Posts a delivery with a raw `node:http` request (no keep-alive). With
 * `hangUpWhen`, the socket is destroyed when that promise settles and the
 * result is `"hung up"`.
 */
const send = (port: number, path: string, delivery: Delivery, hangUpWhen?: Promise<void>) =>
  Effect.async<Answer | "hung up", Error>((resume) => {
    const req = request({
      host: "127.0.0.1",
      port,
      path,
      method: "POST",
      agent: false,
      headers: {
        ...delivery.headers,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(delivery.body))
      }
    })
    req.on("response", (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (chunk: Buffer) => chunks.push(chunk))
      res.on("end", () =>
        resume(Effect.succeed({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() })))
    })
    req.on("error", (error) => resume(hangUpWhen === undefined ? Effect.fail(error) : Effect.succeed("hung up")))
    req.end(delivery.body)
    void hangUpWhen?.then(() => req.destroy())
    return Effect.sync(() => req.destroy())
  }).pipe(Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error(`no answer from ${path}`) }))

const answered = (answer: Answer | "hung up"): Answer =>
  answer === "hung up" ? { status: 0, headers: {}, body: "{}" } : answer

const retOf = (answer: Answer) => {
  const json = JSON.parse(answer.body)
  return [answer.status, json.retCode, json.retMsg]
}

/** Serves `app` on 127.0.0.1, port 0; returns the port. Closed with the test's scope. */
const listen = <E, R>(app: HttpApp.Default<E, R>) =>
  Effect.gen(function*() {
    yield* HttpServer.serveEffect(app)
    const server = yield* HttpServer.HttpServer
    return server.address._tag === "TcpAddress" ? server.address.port : 0
  })

const Loopback = NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })

/** Redelivers until the answer is no longer 503 (bounded: 40 × 100 ms). */
const settle = (port: number, path: string, delivery: Delivery) =>
  Effect.gen(function*() {
    for (let i = 0; i < 40; i++) {
      const answer = answered(yield* send(port, path, delivery))
      if (answer.status !== 503) return answer
      yield* Effect.sleep("100 millis")
    }
    return yield* Effect.fail(new Error("the delivery stayed in flight"))
  })

describe("handlers run to their end (over HTTP)", () => {
  const slowHandlers = {
    "Effect.uninterruptible": (count: () => void) =>
      Effect.uninterruptible(Effect.zipRight(Effect.sync(count), Effect.sleep("900 millis"))),
    "Effect.promise that ignores interruption": (count: () => void) =>
      Effect.zipRight(Effect.sync(count), Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 900))))
  }
  for (const [name, slow] of Object.entries(slowHandlers)) {
    it.live(`a handler that succeeds after handlerTimeout is not run again on redelivery (${name})`, () =>
      Effect.gen(function*() {
        let runs = 0
        const port = yield* listen(
          HttpRouter.empty.pipe(
            HttpRouter.post("/callbot/call", Callback.httpApp({ call: () => slow(() => runs++) }, { handlerTimeout: "300 millis" }))
          )
        )
        const delivery = fresh(callBody)
        const started = Date.now()
        const first = answered(yield* send(port, "/callbot/call", delivery))
        expect(retOf(first)).toEqual([503, 7, "callback handler timed out"])
        expect(Date.now() - started).toBeLessThan(850)
        const meanwhile = answered(yield* send(port, "/callbot/call", delivery))
        expect(retOf(meanwhile)).toEqual([503, 7, "callback is being handled"])
        const later = yield* settle(port, "/callbot/call", delivery)
        expect(retOf(later)).toEqual([200, 0, "success"])
        expect(runs).toBe(1)
      }).pipe(Effect.provide(Layer.merge(Loopback, SignerLive)), Effect.scoped), { timeout: 15_000 })
  }

  it.live("a client that disconnects mid-handler does not stop it: redeliveries are in flight (503), then acknowledged without a second run", () =>
    Effect.gen(function*() {
      let runs = 0
      let interrupted = false
      let release = () => {}
      let signalStarted = () => {}
      const started = new Promise<void>((resolve) => (signalStarted = resolve))
      const gate = new Promise<void>((resolve) => (release = resolve))
      const handler = () =>
        Effect.sync(() => {
          runs++
          signalStarted()
        }).pipe(
          Effect.zipRight(Effect.promise(() => gate)),
          Effect.onInterrupt(() => Effect.sync(() => (interrupted = true)))
        )
      const port = yield* listen(
        HttpRouter.empty.pipe(HttpRouter.post("/callbot/call", Callback.httpApp({ call: handler }, { handlerTimeout: "2 seconds" })))
      )
      const delivery = fresh(callBody)
      expect(yield* send(port, "/callbot/call", delivery, started)).toBe("hung up")
      // Let the server see the connection close (it interrupts the request).
      yield* Effect.sleep("200 millis")
      const meanwhile = answered(yield* send(port, "/callbot/call", delivery))
      expect(retOf(meanwhile)).toEqual([503, 7, "callback is being handled"])
      release()
      const later = yield* settle(port, "/callbot/call", delivery)
      expect(retOf(later)).toEqual([200, 0, "success"])
      expect([runs, interrupted]).toEqual([1, false])
    }).pipe(Effect.provide(Layer.merge(Loopback, SignerLive)), Effect.scoped), { timeout: 15_000 })
})

describe("cross-receiver replay (over HTTP)", () => {
  for (const onTypeMismatch of [undefined, "accept"] as const) {
    it.live(`a genuine call callback handled at /callbot/call and replayed byte for byte to /callbot/order never runs the order handler (onTypeMismatch: ${onTypeMismatch ?? "default"})`, () =>
      Effect.gen(function*() {
        const runs: Array<string> = []
        const port = yield* listen(
          HttpRouter.empty.pipe(
            HttpRouter.post(
              "/callbot/order",
              Callback.httpApp({ order: (o) => Effect.sync(() => runs.push(`order:${o.orderID}`)) }, { expect: "order", onTypeMismatch })
            ),
            HttpRouter.post(
              "/callbot/call",
              Callback.httpApp({ call: (c) => Effect.sync(() => runs.push(`call:${c.orderID}`)) }, { expect: "call", onTypeMismatch })
            )
          )
        )
        const genuine = fresh(callBody)
        expect(answered(yield* send(port, "/callbot/call", genuine)).status).toBe(200)
        const replayed = answered(yield* send(port, "/callbot/order", genuine))
        // Refused as a contradicting callbackType, or acknowledged as the
        // duplicate it is (one store per account): never handled.
        expect(retOf(replayed)).toEqual(onTypeMismatch === undefined ? [400, 4, "callbackType does not match this receiver"] : [200, 0, "success"])
        expect(runs).toEqual([`call:${callBody.orderID}`])
      }).pipe(Effect.provide(Layer.merge(Loopback, SignerLive)), Effect.scoped), { timeout: 15_000 })
  }
})

const signatureHeaders = ["sign", "requestid", "uuid", "createts", "algorithm"]

describe("answers to unverified deliveries are not signed (over HTTP)", () => {
  it.live("forged, stale, oversized or unsigned deliveries get answers with no signature headers; a verified malformed body gets a signed one", () =>
    Effect.gen(function*() {
      let runs = 0
      const port = yield* listen(
        HttpRouter.empty.pipe(
          HttpRouter.post("/callbot", Callback.httpApp(() => Effect.sync(() => runs++), { maxBodyBytes: 2048 }))
        )
      )
      const good = fresh(orderBody)
      const { sign: _, ...unsigned } = good.headers
      const forged: ReadonlyArray<readonly [string, Delivery, number]> = [
        ["a wrong signature", { body: good.body, headers: { ...good.headers, sign: "0".repeat(32) } }, 401],
        ["a tampered body", { body: good.body.replace("order-1", "order-X"), headers: good.headers }, 401],
        ["no sign header", { body: good.body, headers: unsigned }, 401],
        ["a stale createTs", signBody(orderBody, { createTs: Math.floor(Date.now() / 1000) - 3600 }), 401],
        ["a requestID that is not a token", fresh(orderBody, { requestID: "r".repeat(200) }), 401],
        ["a body over the cap", { body: JSON.stringify({ ...orderBody, pad: "x".repeat(4096) }), headers: good.headers }, 413]
      ]
      for (const [label, delivery, status] of forged) {
        const answer = answered(yield* send(port, "/callbot", delivery))
        expect([label, answer.status]).toEqual([label, status])
        expect([label, signatureHeaders.filter((h) => h in answer.headers)]).toEqual([label, []])
      }
      const malformed = fresh("{\"callbackType\":3,\"orderID\":1}", { requestID: "verified-but-malformed" })
      const answer = answered(yield* send(port, "/callbot", malformed))
      expect(retOf(answer)[0]).toBe(400)
      const verified = yield* signer.verify({
        headers: answer.headers,
        body: answer.body
      })
      expect(verified.requestID).toBe("verified-but-malformed")
      expect(runs).toBe(0)
    }).pipe(Effect.provide(Layer.merge(Loopback, SignerLive)), Effect.scoped), { timeout: 15_000 })
})

describe("no algorithm downgrade (over HTTP)", () => {
  it.live("a SHA256 account refuses an MD5-signed callback carrying algorithm: MD5, and accepts it with algorithms: [SHA256, MD5]", () =>
    Effect.gen(function*() {
      const runs: Array<string> = []
      const record = (path: string) => () => Effect.sync(() => runs.push(path))
      const port = yield* listen(
        HttpRouter.empty.pipe(
          HttpRouter.post("/strict", Callback.httpApp(record("strict"))),
          HttpRouter.post("/switching", Callback.httpApp(record("switching"), { algorithms: ["SHA256", "MD5"] }))
        )
      )
      const md5 = (requestID: string) => {
        const delivery = fresh(orderBody, { requestID })
        return { body: delivery.body, headers: { ...delivery.headers, algorithm: "MD5" } }
      }
      const sha = Signer.make({ ...account, algorithm: "SHA256" })
      const refused = answered(yield* send(port, "/strict", md5("downgrade-1")))
      expect(retOf(refused)).toEqual([401, 6, "invalid signature"])
      expect(answered(yield* send(port, "/strict", fresh(orderBody, { with: sha }))).status).toBe(200)
      const accepted = answered(yield* send(port, "/switching", md5("downgrade-2")))
      expect(accepted.status).toBe(200)
      expect(runs).toEqual(["strict", "switching"])
      // The plain MD5 signer (no header) is the sanity check of the fixture.
      expect(signer.algorithm).toBe("MD5")
    }).pipe(
      Effect.provide(Layer.merge(Loopback, Signer.layer({ ...account, algorithm: "SHA256" }))),
      Effect.scoped
    ), { timeout: 15_000 })
})
