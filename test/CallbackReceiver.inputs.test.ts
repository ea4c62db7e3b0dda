/**
 * What senders and frameworks hand the receiver, and what it answers:
 * framework-shaped inputs to `handle` (a parsed object, `undefined`, an
 * `ArrayBuffer`, numeric headers) always end in a reply; the body is the
 * exact signed bytes (a byte order mark kept, a lossy string refused); and
 * over real HTTP, a sender that drips its body meets the read deadline, and
 * many stalled senders meet the bound on buffered bytes.
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Exit, Fiber, Layer, ManagedRuntime, Ref } from "effect"
import { createServer, request as httpRequest } from "node:http"
import { connect, type Socket } from "node:net"
import { Callback, Signer } from "../src/index.js"
import { callBody, signBody, signer, SignerLive } from "./CallbackFixtures.js"
import { listen } from "./support/listen.js"

const nowSeconds = () => Math.floor(Date.now() / 1000)
const signedNow = (body: string | object, requestID?: string) =>
  signBody(body, { createTs: nowSeconds(), ...(requestID === undefined ? {} : { requestID }) })

const retCodeOf = (reply: { readonly body: string }): number => JSON.parse(reply.body).retCode

/** A receiver that counts handler runs. */
const counting = Effect.map(Ref.make(0), (runs) => ({
  runs,
  receiver: (options?: Callback.ReceiverOptions) =>
    Callback.receiver(() => Ref.update(runs, (n) => n + 1), options)
}))

describe("Callback.receiver(...).handle with framework-shaped input", () => {
  it.live("answers 400 without running the handler for a body that is not bytes or text", () =>
    Effect.gen(function*() {
      const { receiver, runs } = yield* counting
      const signed = signedNow(callBody)
      const handle = (input: unknown) =>
        Effect.exit(Reflect.apply(receiver().handle, undefined, [input]) as Effect.Effect<Callback.Reply>)
      const inputs: ReadonlyArray<unknown> = [
        { headers: signed.headers, body: JSON.parse(signed.body) }, // express.json() ran first
        { headers: signed.headers, body: {} }, // express.json() on a request without a content type
        { headers: signed.headers, body: undefined },
        { headers: signed.headers, body: null },
        { headers: signed.headers, body: 42 },
        { headers: signed.headers },
        undefined,
        null,
        "a string is not a delivery"
      ]
      for (const input of inputs) {
        const exit = yield* handle(input)
        expect(Exit.isSuccess(exit), String(input)).toBe(true)
        if (Exit.isSuccess(exit)) {
          expect(exit.value.status).toBe(400)
          expect(retCodeOf(exit.value)).toBe(3)
          expect(exit.value.outcome._tag).toBe("Rejected")
        }
      }
      expect(yield* Ref.get(runs)).toBe(0)
    }).pipe(Effect.provide(SignerLive)))

  it.live("reads an ArrayBuffer or any typed-array view as the body's bytes", () =>
    Effect.gen(function*() {
      const { receiver, runs } = yield* counting
      const r = receiver()
      const first = signedNow(callBody)
      const bytes = new TextEncoder().encode(first.body)
      const viaArrayBuffer = yield* r.handle({ headers: first.headers, body: bytes.slice().buffer })
      const second = signedNow(callBody)
      const padded = new Uint8Array([0, 0, ...new TextEncoder().encode(second.body)])
      const viaDataView = yield* Reflect.apply(r.handle, undefined, [{
        headers: second.headers,
        body: new DataView(padded.buffer, 2)
      }]) as Effect.Effect<Callback.Reply>
      expect([viaArrayBuffer.status, viaDataView.status]).toEqual([200, 200])
      expect(yield* Ref.get(runs)).toBe(2)
    }).pipe(Effect.provide(SignerLive)))

  it.live("reads numeric and repeated header values as text instead of dying", () =>
    Effect.gen(function*() {
      const { receiver, runs } = yield* counting
      const r = receiver()
      const signed = signedNow(callBody)
      const numeric = { ...signed.headers, createTs: Number(signed.headers.createTs) }
      const ok = yield* Reflect.apply(r.handle, undefined, [{ headers: numeric, body: signed.body }]) as Effect.Effect<
        Callback.Reply
      >
      expect(ok.status).toBe(200)
      const repeated = signedNow(callBody)
      const doubled = { ...repeated.headers, sign: [String(repeated.headers.sign), String(repeated.headers.sign)] }
      const refused = yield* r.handle({ headers: doubled, body: repeated.body })
      expect(refused.status).toBe(401)
      const odd = signedNow(callBody)
      const weird = { ...odd.headers, uuid: { toString: () => odd.headers.uuid }, extra: Symbol("x") }
      const missing = yield* Reflect.apply(r.handle, undefined, [{ headers: weird, body: odd.body }]) as Effect.Effect<
        Callback.Reply
      >
      expect([missing.status, retCodeOf(missing)]).toEqual([401, 6001])
      const hostile = new Proxy({}, {
        ownKeys: () => {
          throw new Error("hostile headers")
        }
      })
      const unreadable = yield* r.handle({ headers: hostile, body: odd.body })
      expect([unreadable.status, retCodeOf(unreadable)]).toEqual([401, 6001])
      const fetchHeaders = signedNow(callBody)
      const viaFetch = yield* r.handle({ headers: new Headers(fetchHeaders.headers), body: fetchHeaders.body })
      expect(viaFetch.status).toBe(200)
      expect(yield* Ref.get(runs)).toBe(2)
    }).pipe(Effect.provide(SignerLive)))

  it.live("a server that hands handle a parsed body keeps running and answers 400", () =>
    Effect.gen(function*() {
      const { receiver, runs } = yield* counting
      const r = receiver()
      const runtime = ManagedRuntime.make(SignerLive)
      yield* Effect.addFinalizer(() => runtime.disposeEffect)
      // What Express 4 with express.json() in front does: the body is parsed
      // when the content type is JSON, `{}` when there is none.
      const server = createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8")
          const body: unknown = req.headers["content-type"] === "application/json" ? JSON.parse(text) : {}
          runtime.runPromise(Reflect.apply(r.handle, undefined, [{ headers: req.headers, body }]) as Effect.Effect<
            Callback.Reply,
            never,
            never
          >).then((reply) => res.writeHead(reply.status, reply.headers).end(reply.body))
        })
      })
      const port = yield* listen(server)
      const signed = signedNow(callBody)
      const withoutType = yield* post(port, signed.headers, signed.body)
      const asJson = yield* post(port, { ...signed.headers, "content-type": "application/json" }, signed.body)
      expect([withoutType.status, asJson.status]).toEqual([400, 400])
      expect(JSON.parse(withoutType.body).retCode).toBe(3)
      expect(server.listening).toBe(true)
      expect(yield* Ref.get(runs)).toBe(0)
    }).pipe(Effect.scoped))
})

describe("the body is exactly what was signed", () => {
  it.live("a leading UTF-8 byte order mark stays in Delivery.body and the callback still decodes", () =>
    Effect.gen(function*() {
      const bodies = yield* Ref.make<ReadonlyArray<string>>([])
      const r = Callback.receiver((_callback, delivery) => Ref.update(bodies, (xs) => [...xs, delivery.body]))
      const text = "\uFEFF" + JSON.stringify(callBody)
      const signed = signedNow(text)
      const reply = yield* r.handle({ headers: signed.headers, body: new TextEncoder().encode(text) })
      expect(reply.status).toBe(200)
      const [seen] = yield* Ref.get(bodies)
      expect(seen).toBe(text)
      expect(seen?.charCodeAt(0)).toBe(0xfeff)
    }).pipe(Effect.provide(SignerLive)))

  it.live("a text with a lone surrogate is refused; the same text with U+FFFD is handled", () =>
    Effect.gen(function*() {
      const { receiver, runs } = yield* counting
      const r = receiver()
      const exact = JSON.stringify({ ...callBody, orderID: "ord-\uFFFD" })
      // JSON.stringify escapes a lone surrogate; a framework's decoded text may not.
      const lossy = exact.replace("\uFFFD", "\uD800")
      // Both encode to the same UTF-8, so they carry the same signature.
      const signedLossy = signedNow(lossy, "lossy-1")
      const signedExact = signedNow(exact, "lossy-1")
      expect(signedLossy.headers.sign).toBe(signedExact.headers.sign)
      const refused = yield* r.handle(signedLossy)
      expect([refused.status, retCodeOf(refused)]).toEqual([400, 3])
      const handled = yield* r.handle(signedExact)
      expect(handled.status).toBe(200)
      expect(yield* Ref.get(runs)).toBe(1)
    }).pipe(Effect.provide(SignerLive)))
})

// ---------------------------------------------------------------------------
// Over real HTTP: raw sockets against Callback.httpApp on 127.0.0.1
// ---------------------------------------------------------------------------

const post = (port: number, headers: Record<string, string>, body: string) =>
  Effect.async<{ readonly status: number; readonly body: string }>((resume) => {
    const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/callbot", headers }, (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (chunk: Buffer) => chunks.push(chunk))
      res.on("end", () => resume(Effect.succeed({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() })))
    })
    req.on("error", (error) => resume(Effect.die(error)))
    req.end(body)
  })

/** Serves `app` on 127.0.0.1 with the real Node server (for the scope); yields its port. */
const serveOn = (app: Callback.Receiver<never>["httpApp"]) =>
  Effect.gen(function*() {
    const context = yield* Layer.build(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
    const server = Context.get(context, HttpServer.HttpServer)
    yield* server.serve(Effect.provideService(app, Signer.Signer, signer))
    return server.address._tag === "TcpAddress" ? server.address.port : 0
  })

interface RawAnswer {
  readonly text: string
  /** Milliseconds from the first byte sent to the socket's close. */
  readonly closedAfter: number
}

/** A raw client: sends `head`, then `drip` one byte every `everyMillis`, and collects what comes back until close. */
const rawSender = (
  port: number,
  head: string,
  drip: { readonly bytes: number; readonly everyMillis: number; readonly piece?: string }
) =>
  Effect.async<RawAnswer>((resume) => {
    const started = Date.now()
    const socket: Socket = connect(port, "127.0.0.1")
    let text = ""
    let sent = 0
    const timer = setInterval(() => {
      if (sent++ < drip.bytes && socket.writable) socket.write(drip.piece ?? "x")
    }, drip.everyMillis)
    socket.on("connect", () => socket.write(head))
    socket.on("data", (chunk) => (text += chunk.toString()))
    socket.on("error", () => undefined)
    socket.on("close", () => {
      clearInterval(timer)
      resume(Effect.succeed({ text, closedAfter: Date.now() - started }))
    })
    return Effect.sync(() => {
      clearInterval(timer)
      socket.destroy()
    })
  })

const headOf = (signed: { readonly headers: Record<string, string> }, framing: string) =>
  `POST /callbot HTTP/1.1\r\nhost: 127.0.0.1\r\n${
    Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")
  }${framing}\r\n`

/** The status answered, or 0 when the connection was closed without an answer. */
const statusOf = (answer: RawAnswer): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer.text)?.[1] ?? 0)

/**
 * What a delivery cut off by the read deadline gets: a 408, or (on Node,
 * where stopping the read destroys the request) the connection closed.
 */
const cutOff = [0, 408]

describe("Callback.httpApp and slow or stalled senders, over HTTP", () => {
  it.live("a body dripped a byte at a time is cut off at the read deadline (408 or the connection closed)", () =>
    Effect.gen(function*() {
      const { receiver, runs } = yield* counting
      const port = yield* serveOn(receiver({ readTimeout: Duration.millis(600) }).httpApp)
      const signed = signedNow(callBody)
      const declared = yield* rawSender(port, headOf(signed, `content-length: ${signed.body.length}\r\n`), {
        bytes: 1000,
        everyMillis: 100
      }).pipe(Effect.timeout("5 seconds"))
      expect(cutOff).toContain(statusOf(declared))
      expect(declared.closedAfter).toBeGreaterThanOrEqual(550)
      expect(declared.closedAfter).toBeLessThan(3000)
      const chunked = yield* rawSender(port, headOf(signed, "transfer-encoding: chunked\r\n") + "1\r\nx\r\n", {
        bytes: 1000,
        everyMillis: 100,
        piece: "1\r\nx\r\n"
      }).pipe(Effect.timeout("5 seconds"))
      expect(cutOff).toContain(statusOf(chunked))
      expect(chunked.closedAfter).toBeLessThan(3000)
      // The receiver still answers a sender that sends its body in time.
      const fresh = signedNow(callBody)
      const ok = yield* post(port, fresh.headers, fresh.body)
      expect(ok.status).toBe(200)
      expect(yield* Ref.get(runs)).toBe(1)
    }).pipe(Effect.scoped))

  it.live("deliveries that do not fit the buffered-bytes budget are answered 503 without being read", () =>
    Effect.gen(function*() {
      const { receiver, runs } = yield* counting
      const signed = signedNow(callBody)
      const size = Buffer.byteLength(signed.body)
      // Room for one body of this size, not two.
      const port = yield* serveOn(
        receiver({ maxBufferedBytes: size + Math.floor(size / 2), readTimeout: Duration.seconds(2) }).httpApp
      )
      const stalled = yield* Effect.fork(
        rawSender(port, headOf(signed, `content-length: ${size}\r\n`) + signed.body.slice(0, 10), {
          bytes: 0,
          everyMillis: 1000
        })
      )
      yield* Effect.sleep("200 millis")
      const second = signedNow(callBody)
      const busy = yield* post(port, second.headers, second.body)
      expect(busy.status).toBe(503)
      expect(JSON.parse(busy.body).retCode).toBe(7)
      // Once the stalled delivery has been cut off, its bytes are given back.
      const answer = yield* Fiber.join(stalled)
      expect(cutOff).toContain(statusOf(answer))
      expect(answer.closedAfter).toBeLessThan(4000)
      const third = signedNow(callBody)
      const ok = yield* post(port, third.headers, third.body)
      expect(ok.status).toBe(200)
      expect(yield* Ref.get(runs)).toBe(1)
    }).pipe(Effect.scoped))
})
