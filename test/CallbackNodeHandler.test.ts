/**
 * `Callback.nodeHandler` over real HTTP on 127.0.0.1: every status the
 * HttpApp answers, answered the same by the Node listener (each delivery
 * is sent to both); the same replay behaviour; the read deadline and the
 * buffered-bytes budget; and a `req.body` a framework has read already.
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Fiber, Layer, Ref } from "effect"
import { createServer, type IncomingMessage, request as httpRequest, type ServerResponse } from "node:http"
import { connect } from "node:net"
import { Callback, ReplayStore, Signer } from "../src/index.js"
import { callBody, signBody, signer } from "./CallbackFixtures.js"
import { listen } from "./support/listen.js"

const nowSeconds = () => Math.floor(Date.now() / 1000)
const signedNow = (body: string | object, options: { createTs?: number; requestID?: string } = {}) =>
  signBody(body, { createTs: options.createTs ?? nowSeconds(), ...(options.requestID ? { requestID: options.requestID } : {}) })

interface Answer {
  readonly status: number
  readonly headers: Record<string, string | Array<string> | undefined>
  readonly body: string
}

/** Posts `body` (chunked when `chunked`); 0 when the connection closed without an answer. */
const post = (port: number, headers: Record<string, string>, body: string, chunked = false) =>
  Effect.async<Answer>((resume) => {
    const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/callbot", headers }, (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (chunk: Buffer) => chunks.push(chunk))
      res.on("end", () =>
        resume(Effect.succeed({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() })))
    })
    req.on("error", () => resume(Effect.succeed({ status: 0, headers: {}, body: "" })))
    if (chunked) {
      req.setHeader("transfer-encoding", "chunked")
      req.write(body)
      req.end()
    } else req.end(body)
  }).pipe(Effect.timeout("5 seconds"))

type Handler = Callback.Handler<Callback.Callback, unknown>

/** The same handler and options behind `httpApp` (NodeHttpServer) and `nodeHandler` (node:http). */
const both = (handler: Handler, options: Callback.ReceiverOptions = {}) =>
  Effect.gen(function*() {
    const context = yield* Layer.build(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
    const server = Context.get(context, HttpServer.HttpServer)
    yield* server.serve(Effect.provideService(Callback.httpApp(handler, options), Signer.Signer, signer))
    const appPort = server.address._tag === "TcpAddress" ? server.address.port : 0
    const listener = yield* Effect.provideService(Callback.nodeHandler(handler, options), Signer.Signer, signer)
    const nodePort = yield* listen(createServer(listener))
    return { appPort, nodePort }
  })

const runs = Effect.map(Ref.make(0), (count) => ({ count, handler: () => Ref.update(count, (n) => n + 1) }))

describe("Callback.nodeHandler over HTTP", () => {
  it.live("answers every status the HttpApp answers, with the same retCode and signing", () =>
    Effect.gen(function*() {
      const slow = Duration.millis(150)
      const handler: Handler = (callback) =>
        callback.callbackType === 2
          ? Effect.fail("boom")
          : "callInfoDetail" in callback && callback.callInfoDetail?.callID === "slow"
          ? Effect.sleep("400 millis")
          : Effect.void
      const { appPort, nodePort } = yield* both(handler, {
        maxBodyBytes: 4096,
        handlerTimeout: slow,
        replayStore: ReplayStore.unsafeMakeMemory()
      })
      const good = () => signedNow(callBody)
      const slowCall = () => signedNow({ ...callBody, callInfoDetail: { ...callBody.callInfoDetail, callID: "slow" } })
      const cases: Array<[string, () => { headers: Record<string, string>; body: string; chunked?: boolean }, number]> = [
        ["handled", good, 200],
        ["missing header", () => ({ ...good(), headers: { ...good().headers, sign: "" } }), 401],
        ["bad signature", () => ({ ...good(), headers: { ...good().headers, sign: "0".repeat(32) } }), 401],
        ["outside the window", () => signedNow(callBody, { createTs: nowSeconds() - 3600 }), 401],
        ["malformed body", () => signedNow("{not json"), 400],
        ["unknown callbackType", () => signedNow({ ...callBody, callbackType: 9 }), 400],
        ["declared body too large", () => signedNow({ ...callBody, pad: "x".repeat(5000) }), 413],
        ["chunked body too large", () => ({ ...signedNow({ ...callBody, pad: "x".repeat(5000) }), chunked: true }), 413],
        ["chunked body", () => ({ ...good(), chunked: true }), 200],
        ["handler failed", () => signedNow({ ...callBody, callbackType: 2 }), 500],
        ["handler timed out", slowCall, 503]
      ]
      for (const [name, make, status] of cases) {
        const toApp = make()
        const toNode = make()
        const fromApp = yield* post(appPort, toApp.headers, toApp.body, toApp.chunked)
        const fromNode = yield* post(nodePort, toNode.headers, toNode.body, toNode.chunked)
        expect([name, fromApp.status]).toEqual([name, status])
        expect([name, fromNode.status]).toEqual([name, status])
        expect([name, JSON.parse(fromNode.body).retCode]).toEqual([name, JSON.parse(fromApp.body).retCode])
        expect([name, fromNode.headers["sign"] === undefined]).toEqual([name, fromApp.headers["sign"] === undefined])
      }
    }).pipe(Effect.scoped), { timeout: 20_000 })

  it.live("a replayed requestID is acknowledged without running the handler again, as with the HttpApp", () =>
    Effect.gen(function*() {
      const { count, handler } = yield* runs
      const listener = yield* Effect.provideService(
        Callback.nodeHandler(handler, { replayStore: ReplayStore.unsafeMakeMemory() }),
        Signer.Signer,
        signer
      )
      const port = yield* listen(createServer(listener))
      const signed = signedNow(callBody)
      const first = yield* post(port, signed.headers, signed.body)
      const again = yield* post(port, signed.headers, signed.body)
      expect([first.status, again.status]).toEqual([200, 200])
      expect(yield* Ref.get(count)).toBe(1)
      const fresh = signedNow(callBody)
      expect((yield* post(port, fresh.headers, fresh.body)).status).toBe(200)
      expect(yield* Ref.get(count)).toBe(2)
    }).pipe(Effect.scoped))

  it.live("a body dripped slower than the read deadline is answered 408 and the connection closed", () =>
    Effect.gen(function*() {
      const { count, handler } = yield* runs
      const listener = yield* Effect.provideService(
        Callback.nodeHandler(handler, { readTimeout: Duration.millis(300) }),
        Signer.Signer,
        signer
      )
      const port = yield* listen(createServer(listener))
      const signed = signedNow(callBody)
      const started = Date.now()
      const answer = yield* Effect.async<string>((resume) => {
        const socket = connect(port, "127.0.0.1")
        let text = ""
        const head = `POST /callbot HTTP/1.1\r\nhost: x\r\n${
          Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")
        }content-length: ${signed.body.length}\r\n\r\n`
        const timer = setInterval(() => socket.writable && socket.write("x"), 100)
        socket.on("connect", () => socket.write(head))
        socket.on("data", (chunk) => (text += chunk.toString()))
        socket.on("error", () => undefined)
        socket.on("close", () => {
          clearInterval(timer)
          resume(Effect.succeed(text))
        })
        return Effect.sync(() => {
          clearInterval(timer)
          socket.destroy()
        })
      }).pipe(Effect.timeout("5 seconds"))
      expect(answer).toMatch(/^HTTP\/1\.1 408/)
      expect(Date.now() - started).toBeGreaterThanOrEqual(250)
      expect(yield* Ref.get(count)).toBe(0)
    }).pipe(Effect.scoped))

  it.live("a delivery that does not fit the buffered-bytes budget is answered 503 without being read", () =>
    Effect.gen(function*() {
      const { count, handler } = yield* runs
      const signed = signedNow(callBody)
      const size = Buffer.byteLength(signed.body)
      const listener = yield* Effect.provideService(
        Callback.nodeHandler(handler, { maxBufferedBytes: size + Math.floor(size / 2), readTimeout: "1 second" }),
        Signer.Signer,
        signer
      )
      const port = yield* listen(createServer(listener))
      // A sender that declares its body and stalls holds the budget.
      const stalled = yield* Effect.fork(Effect.async<void>((resume) => {
        const socket = connect(port, "127.0.0.1")
        socket.on("connect", () =>
          socket.write(`POST /callbot HTTP/1.1\r\nhost: x\r\ncontent-length: ${size}\r\n\r\n${signed.body.slice(0, 10)}`))
        socket.on("error", () => undefined)
        socket.resume()
        socket.on("close", () => resume(Effect.void))
        return Effect.sync(() => socket.destroy())
      }))
      yield* Effect.sleep("150 millis")
      const second = signedNow(callBody)
      const busy = yield* post(port, second.headers, second.body)
      expect(busy.status).toBe(503)
      expect(JSON.parse(busy.body).retCode).toBe(7)
      // Once the stalled delivery is cut off at the read deadline, its bytes are given back.
      yield* Fiber.join(stalled).pipe(Effect.timeout("4 seconds"))
      const third = signedNow(callBody)
      expect((yield* post(port, third.headers, third.body)).status).toBe(200)
      expect(yield* Ref.get(count)).toBe(1)
    }).pipe(Effect.scoped))

  it.live("takes req.body when a framework has read it already: a raw Buffer is verified, a parsed object is a 400", () =>
    Effect.gen(function*() {
      const { count, handler } = yield* runs
      const listener = yield* Effect.provideService(Callback.nodeHandler(handler), Signer.Signer, signer)
      // What express.raw() (or express.json()) does before the route.
      const framework = (parse: boolean) => (req: IncomingMessage, res: ServerResponse) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          const raw = Buffer.concat(chunks)
          listener(Object.assign(req, { body: parse ? JSON.parse(raw.toString()) : raw }), res)
        })
      }
      const rawPort = yield* listen(createServer(framework(false)))
      const parsedPort = yield* listen(createServer(framework(true)))
      const signed = signedNow(callBody)
      const fromRaw = yield* post(rawPort, signed.headers, signed.body)
      expect(fromRaw.status).toBe(200)
      expect(fromRaw.headers["sign"]).toBeDefined()
      const other = signedNow(callBody)
      const fromParsed = yield* post(parsedPort, other.headers, other.body)
      expect(fromParsed.status).toBe(400)
      expect(JSON.parse(fromParsed.body).retCode).toBe(3)
      expect(yield* Ref.get(count)).toBe(1)
    }).pipe(Effect.scoped))
})
