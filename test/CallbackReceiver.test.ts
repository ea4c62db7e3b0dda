/**
 * The callback receiver as a specification: dispatch per kind, replay
 * protection, handler failures and timeouts, and the HttpApp over real HTTP
 * (`NodeHttpServer.layerTest`) — every status it answers.
 */
import { HttpClient, HttpClientRequest, HttpRouter, HttpServer, type HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Clock, Context, Deferred, Duration, Effect, Fiber, Layer, Option, Ref, Schema, Stream, TestClock } from "effect"
import { expectTypeOf } from "vitest"
import { Callback, CallbotApi, ReplayStore, Signer } from "../src/index.js"
import * as Simulator from "../src/Simulator.js"
import {
  callBody,
  NOW_MILLIS,
  NOW_SECONDS,
  oldAccount,
  orderBody,
  signBody,
  signer,
  SignerLive,
  taskCallback
} from "./CallbackFixtures.js"
import { createAndCallRequest, simulatorWithApi } from "./utils.js"

const taskBody = Schema.encodeSync(Callback.TaskCallback)(taskCallback)

/** A log of handler runs: `kind:requestID`. */
const recorder = Effect.map(Ref.make<ReadonlyArray<string>>([]), (runs) => ({
  runs,
  record: (label: string) => (callback: Callback.Callback | Callback.UnknownCallback, delivery: Callback.Delivery) =>
    Ref.update(runs, (xs) => [...xs, `${label}:${callback._tag}:${delivery.requestID}`])
}))

const retCodeOf = (reply: Callback.Reply): number => JSON.parse(reply.body).retCode

const atNow = Effect.zipRight(TestClock.setTime(NOW_MILLIS), Effect.void)

describe("Callback.receiver dispatch", () => {
  it.effect("runs the handler of each kind, once, with the delivery's requestID", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      const receiver = Callback.receiver({ task: record("task"), order: record("order"), call: record("call") })
      const replies = []
      for (const [body, requestID] of [[taskBody, "r-task"], [orderBody, "r-order"], [callBody, "r-call"]] as const) {
        replies.push(yield* receiver.handle(signBody(body, { requestID })))
      }
      expect(replies.map((r) => [r.status, retCodeOf(r), r.outcome._tag])).toEqual([
        [200, 0, "Handled"],
        [200, 0, "Handled"],
        [200, 0, "Handled"]
      ])
      expect(yield* Ref.get(runs)).toEqual([
        "task:TaskCallback:r-task",
        "order:OrderCallback:r-order",
        "call:CallCallback:r-call"
      ])
    }).pipe(Effect.provide(SignerLive)))

  it.effect("a single function handler receives every kind", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      const receiver = Callback.receiver(record("any"))
      for (const body of [taskBody, orderBody, callBody]) yield* receiver.handle(signBody(body, { requestID: "x" + Math.random() }))
      expect((yield* Ref.get(runs)).map((r) => r.split(":")[1])).toEqual(["TaskCallback", "OrderCallback", "CallCallback"])
    }).pipe(Effect.provide(SignerLive)))

  it.effect("kinds without a handler go to the fallback, and so do unknown callbackTypes", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      const receiver = Callback.receiver({ task: record("task"), fallback: record("fallback") })
      const order = yield* receiver.handle(signBody(orderBody, { requestID: "r1" }))
      const unknown = yield* receiver.handle(signBody({ ...orderBody, callbackType: 9 }, { requestID: "r2" }))
      expect([order.status, unknown.status]).toEqual([200, 200])
      expect(unknown.outcome).toEqual({ _tag: "Handled", kind: "unknown" })
      expect(yield* Ref.get(runs)).toEqual(["fallback:OrderCallback:r1", "fallback:UnknownCallback:r2"])
    }).pipe(Effect.provide(SignerLive)))

  it.effect("the fallback gets the parsed body of an unknown kind", () =>
    Effect.gen(function*() {
      yield* atNow
      const seen = yield* Deferred.make<Callback.Callback | Callback.UnknownCallback>()
      const receiver = Callback.receiver({ fallback: (cb) => Deferred.succeed(seen, cb) })
      yield* receiver.handle(signBody({ callbackType: "4", something: [1] }))
      const callback = yield* Deferred.await(seen)
      expect(callback).toEqual(new Callback.UnknownCallback({ callbackType: 4, body: { callbackType: "4", something: [1] } }))
    }).pipe(Effect.provide(SignerLive)))

  it.effect("with no handler and no fallback, a known kind is acknowledged (200) and an unknown one refused (400)", () =>
    Effect.gen(function*() {
      yield* atNow
      const receiver = Callback.receiver({ task: () => Effect.void })
      const order = yield* receiver.handle(signBody(orderBody))
      expect([order.status, retCodeOf(order), order.outcome]).toEqual([200, 0, { _tag: "Unhandled", kind: "order" }])
      const unknown = yield* receiver.handle(signBody({ ...orderBody, callbackType: 9 }))
      expect([unknown.status, retCodeOf(unknown), unknown.outcome._tag]).toEqual([400, 4, "Rejected"])
    }).pipe(Effect.provide(SignerLive)))

  it.effect("a per-URL receiver refuses a contradicting callbackType by default; with onTypeMismatch: \"accept\" the URL decides", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      const strict = Callback.receiver({ order: record("order"), task: record("task") }, { expect: "order" })
      const reply = yield* strict.handle(signBody({ ...orderBody, callbackType: 1 }))
      expect([reply.status, retCodeOf(reply), reply.outcome._tag]).toEqual([400, 4, "Rejected"])
      expect(yield* Ref.get(runs)).toEqual([])
      const lenient = Callback.receiver({ order: record("order"), task: record("task") }, {
        expect: "order",
        onTypeMismatch: "accept"
      })
      yield* lenient.handle(signBody({ ...orderBody, callbackType: 1 }, { requestID: "r" }))
      expect(yield* Ref.get(runs)).toEqual(["order:OrderCallback:r"])
    }).pipe(Effect.provide(SignerLive)))

  it.effect("never calls a handler for a bad signature, a stale createTs or a malformed body", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      const receiver = Callback.receiver(record("any"))
      const good = signBody(orderBody)
      const replies = [
        yield* receiver.handle({ headers: { ...good.headers, sign: "A".repeat(32) }, body: good.body }),
        yield* receiver.handle({ headers: good.headers, body: good.body.replace("order-1", "order-2") }),
        yield* receiver.handle(signBody(orderBody, { createTs: NOW_SECONDS - 301 })),
        yield* receiver.handle(signBody("{\"callbackType\":2}"))
      ]
      expect(replies.map((r) => [r.status, retCodeOf(r)])).toEqual([[401, 6], [401, 6], [401, 6], [400, 3]])
      expect(yield* Ref.get(runs)).toEqual([])
    }).pipe(Effect.provide(SignerLive)))

  it.effect("answers with a signed acknowledgement echoing the callback's requestID", () =>
    Effect.gen(function*() {
      yield* atNow
      const reply = yield* Callback.receiver(() => Effect.void).handle(signBody(orderBody, { requestID: "echo-me" }))
      expect(reply.headers.requestID).toBe("echo-me")
      const verified = yield* signer.verify({ headers: reply.headers, body: reply.body })
      expect(verified.requestID).toBe("echo-me")
      expect(JSON.parse(reply.body)).toMatchObject({ retCode: 0, retMsg: "success" })
      expect(JSON.parse(reply.body).responseID).toMatch(/^[0-9a-f]{32}$/)
    }).pipe(Effect.provide(SignerLive)))

  it.effect("accepts the previous secret during a rotation, and answers with the current one", () =>
    Effect.gen(function*() {
      yield* atNow
      const old = Signer.make(oldAccount)
      const receiver = Callback.receiver(() => Effect.void, { previousSigners: [old] })
      const reply = yield* receiver.handle(signBody(orderBody, { with: old }))
      expect(reply.status).toBe(200)
      yield* signer.verify({ headers: reply.headers, body: reply.body })
      const without = yield* Callback.receiver(() => Effect.void).handle(signBody(orderBody, { with: old }))
      expect(without.status).toBe(401)
    }).pipe(Effect.provide(SignerLive)))

  it.effect("a body over maxBodyBytes given to handle is refused with 413", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      const receiver = Callback.receiver(record("any"), { maxBodyBytes: 100 })
      const reply = yield* receiver.handle(signBody({ ...orderBody, other: "x".repeat(200) }))
      expect([reply.status, retCodeOf(reply), reply.headers.connection]).toEqual([413, 4001, "close"])
      expect(yield* Ref.get(runs)).toEqual([])
    }).pipe(Effect.provide(SignerLive)))
})

class Db extends Context.Tag("test/Db")<Db, { readonly save: (id: string) => Effect.Effect<void> }>() {}

describe("Callback.httpApp types", () => {
  it("the services handlers need become requirements of the app; per-kind handlers get their own kind", () => {
    const app = Callback.httpApp({
      task: (task) => Effect.flatMap(Db, (db) => db.save(task.taskID)),
      call: (call) => {
        expectTypeOf(call).toEqualTypeOf<Callback.CallCallback>()
        return Effect.void
      }
    })
    expectTypeOf(app).toEqualTypeOf<
      Effect.Effect<
        HttpServerResponse.HttpServerResponse,
        never,
        Signer.Signer | Db | HttpServerRequest.HttpServerRequest
      >
    >()
    const single = Callback.httpApp((callback) => {
      expectTypeOf(callback).toEqualTypeOf<Callback.Callback>()
      return Effect.void
    })
    expectTypeOf(single).toEqualTypeOf<
      Effect.Effect<HttpServerResponse.HttpServerResponse, never, Signer.Signer | HttpServerRequest.HttpServerRequest>
    >()
  })
})

describe("Callback.receiver failures and retries", () => {
  it.effect("a failing handler gets 500 with retCode 5001, and runs again on redelivery", () =>
    Effect.gen(function*() {
      yield* atNow
      const attempts = yield* Ref.make(0)
      const receiver = Callback.receiver(() =>
        Effect.flatMap(Ref.updateAndGet(attempts, (n) => n + 1), (n) => (n === 1 ? Effect.fail("db down") : Effect.void))
      )
      const delivery = signBody(callBody, { requestID: "retry-me" })
      const first = yield* receiver.handle(delivery)
      expect([first.status, retCodeOf(first), first.outcome._tag]).toEqual([500, 5001, "HandlerFailed"])
      const second = yield* receiver.handle(delivery)
      expect([second.status, retCodeOf(second), second.outcome._tag]).toEqual([200, 0, "Handled"])
      const third = yield* receiver.handle(delivery)
      expect([third.status, retCodeOf(third), third.outcome._tag]).toEqual([200, 0, "Duplicate"])
      expect(yield* Ref.get(attempts)).toBe(2)
    }).pipe(Effect.provide(SignerLive)))

  it.effect("a handler that dies (or throws) is a 500 too, not a crash", () =>
    Effect.gen(function*() {
      yield* atNow
      const dies = yield* Callback.receiver(() => Effect.die(new Error("boom"))).handle(signBody(callBody))
      expect([dies.status, retCodeOf(dies)]).toEqual([500, 5001])
      const throws = yield* Callback.receiver((): Effect.Effect<void> => {
        // A handler written as a plain function that throws before returning an Effect.
        return JSON.parse("{")
      }).handle(signBody(callBody))
      expect([throws.status, retCodeOf(throws)]).toEqual([500, 5001])
    }).pipe(Effect.provide(SignerLive)))

  it.effect("a handler that interrupts itself is a failure (500), not a dropped request", () =>
    Effect.gen(function*() {
      yield* atNow
      const runs = yield* Ref.make(0)
      const receiver = Callback.receiver(() => Effect.zipRight(Ref.update(runs, (n) => n + 1), Effect.interrupt))
      const delivery = signBody(callBody, { requestID: "self-interrupt" })
      const first = yield* receiver.handle(delivery)
      expect([first.status, retCodeOf(first), first.outcome._tag]).toEqual([500, 5001, "HandlerFailed"])
      yield* receiver.handle(delivery)
      expect(yield* Ref.get(runs)).toBe(2)
    }).pipe(Effect.provide(SignerLive)))

  it.effect("a request interrupted while its handler runs does not stop the handler: in flight until it ends, then done", () =>
    Effect.gen(function*() {
      yield* atNow
      const started = yield* Deferred.make<void>()
      const gate = yield* Deferred.make<void>()
      const finished = yield* Deferred.make<void>()
      const runs = yield* Ref.make(0)
      const receiver = Callback.receiver(() =>
        Ref.update(runs, (n) => n + 1).pipe(
          Effect.zipRight(Deferred.succeed(started, undefined)),
          Effect.zipRight(Deferred.await(gate)),
          Effect.zipRight(Deferred.succeed(finished, undefined))
        )
      )
      const delivery = signBody(callBody, { requestID: "client-gone" })
      const fiber = yield* Effect.fork(receiver.handle(delivery))
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      const meanwhile = yield* receiver.handle(delivery)
      expect([meanwhile.status, retCodeOf(meanwhile), meanwhile.outcome._tag]).toEqual([503, 7, "InFlight"])
      yield* Deferred.succeed(gate, undefined)
      yield* Deferred.await(finished)
      yield* Effect.yieldNow()
      const later = yield* receiver.handle(delivery)
      expect([later.status, later.outcome._tag]).toEqual([200, "Duplicate"])
      expect(yield* Ref.get(runs)).toBe(1)
    }).pipe(Effect.provide(SignerLive)))

  it.effect("a handler still running at handlerTimeout is answered 503 (retCode 7) and runs on: a late success is done, a late failure released", () =>
    Effect.gen(function*() {
      yield* atNow
      const attempts = yield* Ref.make(0)
      const interrupted = yield* Ref.make(false)
      // Attempt 1 (slow-ok) succeeds late, attempt 2 (slow-fail) fails late, attempt 3 succeeds at once.
      const receiver = Callback.receiver(
        () =>
          Effect.flatMap(Ref.updateAndGet(attempts, (n) => n + 1), (n) =>
            n === 3 ? Effect.void : Effect.sleep("15 seconds").pipe(
              Effect.onInterrupt(() => Ref.set(interrupted, true)),
              Effect.zipRight(n === 2 ? Effect.fail("late failure") : Effect.void)
            )),
        { handlerTimeout: "10 seconds" }
      )
      for (const requestID of ["slow-ok", "slow-fail"]) {
        const delivery = signBody(orderBody, { requestID })
        const fiber = yield* Effect.fork(receiver.handle(delivery))
        yield* TestClock.adjust("9 seconds")
        expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
        yield* TestClock.adjust("1 second")
        const first = yield* Fiber.join(fiber)
        expect([first.status, retCodeOf(first), first.outcome._tag]).toEqual([503, 7, "HandlerTimedOut"])
        const meanwhile = yield* receiver.handle(delivery)
        expect([meanwhile.status, meanwhile.outcome._tag]).toEqual([503, "InFlight"])
        yield* TestClock.adjust("5 seconds")
        const after = yield* receiver.handle(delivery)
        expect(after.outcome._tag).toBe(requestID === "slow-ok" ? "Duplicate" : "Handled")
      }
      // slow-ok ran once; slow-fail ran, failed late, and ran again on redelivery.
      expect(yield* Ref.get(attempts)).toBe(3)
      expect(yield* Ref.get(interrupted)).toBe(false)
    }).pipe(Effect.provide(SignerLive)))

  it.effect("a claim outlives its first time to live while the handler runs (the receiver extends it)", () =>
    Effect.gen(function*() {
      yield* atNow
      const gate = yield* Deferred.make<void>()
      const runs = yield* Ref.make(0)
      for (const handlerTimeout of ["1 second", Duration.infinity] as const) {
        const receiver = Callback.receiver(() => Effect.zipRight(Ref.update(runs, (n) => n + 1), Deferred.await(gate)), {
          handlerTimeout,
          replayStore: ReplayStore.unsafeMakeMemory()
        })
        // The platform's redeliveries carry a fresh createTs.
        const requestID = Signer.makeRequestID()
        const deliver = Effect.map(Clock.currentTimeMillis, (now) =>
          signBody(orderBody, { requestID, createTs: Math.floor(now / 1000) }))
        const fiber = yield* Effect.fork(Effect.flatMap(deliver, receiver.handle))
        yield* Effect.yieldNow()
        // Far past handlerTimeout + 30 s and past the replay TTL (600 s).
        for (let i = 0; i < 8; i++) {
          yield* TestClock.adjust("5 minutes")
          expect((yield* Effect.flatMap(deliver, receiver.handle)).outcome._tag).toBe("InFlight")
        }
        yield* Fiber.interrupt(fiber)
      }
      expect(yield* Ref.get(runs)).toBe(2)
      yield* Deferred.succeed(gate, undefined)
    }).pipe(Effect.provide(SignerLive)))

  it.effect("with handlerTimeout: Duration.infinity the answer waits for the handler, however long", () =>
    Effect.gen(function*() {
      yield* atNow
      const receiver = Callback.receiver(() => Effect.sleep("2 hours"), { handlerTimeout: Duration.infinity })
      const fiber = yield* Effect.fork(receiver.handle(signBody(orderBody)))
      yield* TestClock.adjust("119 minutes")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 minute")
      expect((yield* Fiber.join(fiber)).outcome._tag).toBe("Handled")
    }).pipe(Effect.provide(SignerLive)))

  it.effect("the default handler timeout is 30 seconds", () =>
    Effect.gen(function*() {
      yield* atNow
      const gate = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(Callback.receiver(() => Deferred.await(gate)).handle(signBody(orderBody)))
      yield* TestClock.adjust("29 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(fiber)).status).toBe(503)
      yield* Deferred.succeed(gate, undefined)
    }).pipe(Effect.provide(SignerLive)))
})

describe("Callback.receiver replay protection", () => {
  it.effect("a replayed requestID is acknowledged 200 without running the handler again", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      const receiver = Callback.receiver(record("any"))
      const delivery = signBody(callBody, { requestID: "once" })
      const replies = [yield* receiver.handle(delivery), yield* receiver.handle(delivery)]
      expect(replies.map((r) => [r.status, retCodeOf(r), r.outcome._tag])).toEqual([
        [200, 0, "Handled"],
        [200, 0, "Duplicate"]
      ])
      expect(yield* Ref.get(runs)).toEqual(["any:CallCallback:once"])
    }).pipe(Effect.provide(SignerLive)))

  it.effect("the same callback under a new requestID does run again (handlers must be idempotent by business key)", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      const receiver = Callback.receiver(record("any"))
      yield* receiver.handle(signBody(callBody, { requestID: "a" }))
      yield* receiver.handle(signBody(callBody, { requestID: "b" }))
      expect((yield* Ref.get(runs)).length).toBe(2)
    }).pipe(Effect.provide(SignerLive)))

  it.effect("a duplicate arriving while the first is in flight is answered 503 and not run", () =>
    Effect.gen(function*() {
      yield* atNow
      const gate = yield* Deferred.make<void>()
      const started = yield* Deferred.make<void>()
      const runs = yield* Ref.make(0)
      const receiver = Callback.receiver(() =>
        Ref.update(runs, (n) => n + 1).pipe(
          Effect.zipRight(Deferred.succeed(started, undefined)),
          Effect.zipRight(Deferred.await(gate))
        )
      )
      const delivery = signBody(orderBody, { requestID: "concurrent" })
      const first = yield* Effect.fork(receiver.handle(delivery))
      yield* Deferred.await(started)
      const duplicate = yield* receiver.handle(delivery)
      expect([duplicate.status, retCodeOf(duplicate), duplicate.outcome._tag]).toEqual([503, 7, "InFlight"])
      yield* Deferred.succeed(gate, undefined)
      expect((yield* Fiber.join(first)).status).toBe(200)
      const later = yield* receiver.handle(delivery)
      expect(later.outcome._tag).toBe("Duplicate")
      expect(yield* Ref.get(runs)).toBe(1)
    }).pipe(Effect.provide(SignerLive)))

  it.effect("many concurrent copies of one delivery run the handler exactly once", () =>
    Effect.gen(function*() {
      yield* atNow
      const runs = yield* Ref.make(0)
      const receiver = Callback.receiver(() => Effect.zipRight(Ref.update(runs, (n) => n + 1), Effect.sleep("1 second")))
      const delivery = signBody(orderBody, { requestID: "storm" })
      const fiber = yield* Effect.fork(Effect.all(Array.from({ length: 20 }, () => receiver.handle(delivery)), { concurrency: "unbounded" }))
      yield* TestClock.adjust("1 second")
      const replies = yield* Fiber.join(fiber)
      expect(replies.filter((r) => r.outcome._tag === "Handled").length).toBe(1)
      expect(replies.filter((r) => r.outcome._tag === "InFlight").length).toBe(19)
      expect(yield* Ref.get(runs)).toBe(1)
    }).pipe(Effect.provide(SignerLive)))

  it.effect("a handled requestID is remembered at least as long as its createTs is inside the window", () =>
    Effect.gen(function*() {
      yield* atNow
      const runs = yield* Ref.make(0)
      const store = yield* ReplayStore.makeMemory()
      // A replay TTL shorter than the window is raised to what the window needs.
      const receiver = Callback.receiver(() => Ref.update(runs, (n) => n + 1), { replayStore: store, replayTtl: "1 second" })
      const delivery = signBody(orderBody, { requestID: "window", createTs: NOW_SECONDS + 200 })
      yield* receiver.handle(delivery)
      yield* TestClock.adjust("499 seconds")
      expect((yield* receiver.handle(delivery)).outcome._tag).toBe("Duplicate")
      yield* TestClock.adjust("2 seconds")
      const stale = yield* receiver.handle(delivery)
      expect(stale.outcome._tag === "Rejected" && stale.outcome.error._tag).toBe("CallbackOutsideWindow")
      expect(yield* Ref.get(runs)).toBe(1)
    }).pipe(Effect.provide(SignerLive)))

  it.effect("replayStore: \"none\" turns the protection off", () =>
    Effect.gen(function*() {
      yield* atNow
      const runs = yield* Ref.make(0)
      const receiver = Callback.receiver(() => Ref.update(runs, (n) => n + 1), { replayStore: "none" })
      const delivery = signBody(orderBody)
      yield* receiver.handle(delivery)
      yield* receiver.handle(delivery)
      expect(yield* Ref.get(runs)).toBe(2)
    }).pipe(Effect.provide(SignerLive)))

  it.effect("receivers share the ReplayStore provided in context", () =>
    Effect.gen(function*() {
      yield* atNow
      const runs = yield* Ref.make(0)
      const a = Callback.receiver(() => Ref.update(runs, (n) => n + 1))
      const b = Callback.receiver(() => Ref.update(runs, (n) => n + 1))
      const delivery = signBody(orderBody)
      yield* a.handle(delivery)
      expect((yield* b.handle(delivery)).outcome._tag).toBe("Duplicate")
      expect(yield* Ref.get(runs)).toBe(1)
    }).pipe(Effect.provide(Layer.merge(SignerLive, ReplayStore.layerMemory()))))

  it.effect("an unavailable store answers 503 and does not run the handler", () =>
    Effect.gen(function*() {
      yield* atNow
      const runs = yield* Ref.make(0)
      const broken: ReplayStore.ReplayStore = {
        claim: () => Effect.fail(new ReplayStore.ReplayStoreError({ operation: "claim", description: "connection refused" })),
        complete: () => Effect.void,
        release: () => Effect.void
      }
      const reply = yield* Callback.receiver(() => Ref.update(runs, (n) => n + 1), { replayStore: broken }).handle(
        signBody(orderBody)
      )
      expect([reply.status, retCodeOf(reply), reply.outcome._tag]).toEqual([503, 7, "StoreUnavailable"])
      expect(yield* Ref.get(runs)).toBe(0)
    }).pipe(Effect.provide(SignerLive)))
})

// ---------------------------------------------------------------------------
// Over real HTTP
// ---------------------------------------------------------------------------

const serve = <R>(app: Effect.Effect<HttpServerResponse.HttpServerResponse, never, R>) =>
  HttpServer.serveEffect(app)

const post = (
  body: string | Uint8Array,
  headers: Record<string, string>,
  contentType: string | undefined = "application/json"
) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const request = HttpClientRequest.post("/callbot").pipe(
      typeof body === "string"
        ? HttpClientRequest.bodyText(body, contentType)
        : HttpClientRequest.bodyUint8Array(body, contentType),
      HttpClientRequest.setHeaders(headers)
    )
    const response = yield* client.execute(request)
    const text = yield* response.text
    return { status: response.status, body: text, headers: response.headers }
  })

/** Raw `fetch` to the test server, for content types HttpClient always sets. */
const fetchRaw = (body: string, headers: Record<string, string>) =>
  Effect.gen(function*() {
    const server = yield* HttpServer.HttpServer
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    return yield* Effect.promise(async () => {
      const response = await fetch(`http://127.0.0.1:${port}/callbot`, {
        method: "POST",
        headers,
        body: new TextEncoder().encode(body)
      })
      return { status: response.status, body: await response.text() }
    })
  })

const Http = Layer.merge(NodeHttpServer.layerTest, SignerLive)

describe("Callback.httpApp over HTTP", () => {
  it.scoped("200 for a signed callback, with a signed { retCode: 0 } answer", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      yield* serve(Callback.httpApp(record("any")))
      const signed = signBody(callBody, { requestID: "http-1" })
      const response = yield* post(signed.body, signed.headers)
      expect(response.status).toBe(200)
      expect(JSON.parse(response.body).retCode).toBe(0)
      const verified = yield* signer.verify({ headers: response.headers, body: response.body })
      expect(verified.requestID).toBe("http-1")
      expect(yield* Ref.get(runs)).toEqual(["any:CallCallback:http-1"])
    }).pipe(Effect.provide(Http)))

  it.scoped("401 for a bad signature or a missing header; the handler is never called", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      yield* serve(Callback.httpApp(record("any")))
      const signed = signBody(orderBody)
      const bad = yield* post(signed.body, { ...signed.headers, sign: "0".repeat(32) })
      expect([bad.status, JSON.parse(bad.body).retCode]).toEqual([401, 6])
      const { sign: _, ...unsigned } = signed.headers
      const missing = yield* post(signed.body, unsigned)
      expect([missing.status, JSON.parse(missing.body).retCode]).toEqual([401, 6001])
      const tampered = yield* post(signed.body.replace("true", "false"), signed.headers)
      expect(tampered.status).toBe(401)
      expect(yield* Ref.get(runs)).toEqual([])
    }).pipe(Effect.provide(Http)))

  it.scoped("400 for a signed body that is not a callback", () =>
    Effect.gen(function*() {
      yield* atNow
      yield* serve(Callback.httpApp(() => Effect.void))
      const signed = signBody("{\"callbackType\":3,\"orderID\":1}")
      const response = yield* post(signed.body, signed.headers)
      expect([response.status, JSON.parse(response.body).retCode]).toEqual([400, 3])
    }).pipe(Effect.provide(Http)))

  it.scoped("413 from Content-Length before reading, and from counting a chunked body", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      yield* serve(Callback.httpApp(record("any"), { maxBodyBytes: 64 * 1024 }))
      const big = signBody({ ...orderBody, other: "x".repeat(100 * 1024) })
      const declared = yield* post(big.body, big.headers)
      expect([declared.status, JSON.parse(declared.body).retCode]).toEqual([413, 4001])

      const client = yield* HttpClient.HttpClient
      const chunk = new TextEncoder().encode("x".repeat(16 * 1024))
      const chunked = yield* client.execute(
        HttpClientRequest.post("/callbot").pipe(
          HttpClientRequest.bodyStream(Stream.fromChunk(Chunk.makeBy(6, () => chunk))),
          HttpClientRequest.setHeaders(big.headers)
        )
      )
      expect(chunked.status).toBe(413)
      expect(JSON.parse(yield* chunked.text).retCode).toBe(4001)
      expect(yield* Ref.get(runs)).toEqual([])
    }).pipe(Effect.provide(Http)))

  it.scoped("a chunked body far over the cap is not read to the end (the connection is dropped or 413)", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      yield* serve(Callback.httpApp(record("any"), { maxBodyBytes: 16 * 1024 }))
      const client = yield* HttpClient.HttpClient
      const chunk = new Uint8Array(64 * 1024)
      // 64 MiB offered; the receiver stops after at most twice the cap.
      const outcome = yield* client.execute(
        HttpClientRequest.post("/callbot").pipe(
          HttpClientRequest.bodyStream(Stream.fromChunk(Chunk.makeBy(1024, () => chunk))),
          HttpClientRequest.setHeaders(signBody("{}").headers)
        )
      ).pipe(Effect.map((r) => r.status), Effect.catchAll(() => Effect.succeed("dropped" as const)))
      expect([413, "dropped"]).toContain(outcome)
      expect(yield* Ref.get(runs)).toEqual([])
    }).pipe(Effect.provide(Http)))

  it.scoped("500 with a non-zero retCode when the handler fails", () =>
    Effect.gen(function*() {
      yield* atNow
      yield* serve(Callback.httpApp({ call: () => Effect.fail("nope") }))
      const signed = signBody(callBody)
      const response = yield* post(signed.body, signed.headers)
      expect([response.status, JSON.parse(response.body).retCode]).toEqual([500, 5001])
    }).pipe(Effect.provide(Http)))

  it.scoped("a replay over HTTP gets 200 without a second handler run", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      yield* serve(Callback.httpApp(record("any")))
      const signed = signBody(orderBody, { requestID: "replayed" })
      const first = yield* post(signed.body, signed.headers)
      const second = yield* post(signed.body, signed.headers)
      expect([first.status, second.status]).toEqual([200, 200])
      expect(JSON.parse(second.body).retCode).toBe(0)
      expect(yield* Ref.get(runs)).toEqual(["any:OrderCallback:replayed"])
    }).pipe(Effect.provide(Http)))

  it.scoped("the window follows the server's Clock (TestClock here)", () =>
    Effect.gen(function*() {
      yield* atNow
      yield* serve(Callback.httpApp(() => Effect.void))
      const signed = signBody(orderBody, { createTs: NOW_SECONDS })
      yield* TestClock.adjust("301 seconds")
      const stale = yield* post(signed.body, signed.headers)
      expect([stale.status, JSON.parse(stale.body).retCode]).toEqual([401, 6])
      const fresh = signBody(orderBody, { createTs: NOW_SECONDS + 301 })
      expect((yield* post(fresh.body, fresh.headers)).status).toBe(200)
    }).pipe(Effect.provide(Http)))

  it.scoped("ignores the content type: JSON with a charset, text/plain, or none at all", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      yield* serve(Callback.httpApp(record("any")))
      for (const contentType of ["application/json; charset=UTF-8", "text/plain", "application/x-www-form-urlencoded"]) {
        const signed = signBody(orderBody)
        expect((yield* post(signed.body, signed.headers, contentType)).status).toBe(200)
      }
      const none = signBody(orderBody)
      expect((yield* fetchRaw(none.body, none.headers)).status).toBe(200)
      expect((yield* Ref.get(runs)).length).toBe(4)
    }).pipe(Effect.provide(Http)))

  it.scoped("per-URL receivers on one router", () =>
    Effect.gen(function*() {
      yield* atNow
      const { record, runs } = yield* recorder
      yield* HttpServer.serveEffect(
        HttpRouter.empty.pipe(
          HttpRouter.post("/task", Callback.httpApp({ task: record("task") }, { expect: "task" })),
          HttpRouter.post("/order", Callback.httpApp({ order: record("order") }, { expect: "order", onTypeMismatch: "accept" }))
        )
      )
      const client = yield* HttpClient.HttpClient
      // The vendor's order example says callbackType 1: with "accept", the URL decides.
      const signed = signBody({ ...orderBody, callbackType: 1 }, { requestID: "by-url" })
      const response = yield* client.execute(
        HttpClientRequest.post("/order").pipe(HttpClientRequest.bodyText(signed.body), HttpClientRequest.setHeaders(signed.headers))
      )
      expect(response.status).toBe(200)
      expect(yield* Ref.get(runs)).toEqual(["order:OrderCallback:by-url"])
    }).pipe(Effect.provide(Http)))
})

describe("Callback.httpApp with the simulator", () => {
  it.live("verifies and decodes every callback the simulator delivers", () =>
    Effect.gen(function*() {
      const received = yield* Ref.make<ReadonlyArray<string>>([])
      yield* HttpServer.serveEffect(
        Callback.httpApp((callback) => Ref.update(received, (xs) => [...xs, callback._tag]))
      )
      const server = yield* HttpServer.HttpServer
      const port = server.address._tag === "TcpAddress" ? server.address.port : 0
      const base = `http://127.0.0.1:${port}`
      const api = yield* CallbotApi.CallbotApi
      const sim = yield* Simulator.Simulator
      const request = createAndCallRequest(2)
      yield* api.createAndCall({
        ...request,
        taskCreateSetting: { ...request.taskCreateSetting, taskCallbackUrl: `${base}/task`, startupType: 3 },
        callInfoList: { ...request.callInfoList, orderCallbackUrl: `${base}/order`, callCallbackUrl: `${base}/call` }
      })
      const deliveries = yield* sim.awaitCallbacks(1).pipe(Effect.timeout("10 seconds"))
      expect(deliveries.length).toBeGreaterThan(0)
      for (const delivery of deliveries) {
        expect([delivery.kind, delivery.status, delivery.retCode]).toEqual([delivery.kind, 200, 0])
      }
      expect((yield* Ref.get(received)).length).toBeGreaterThan(0)
    }).pipe(
      Effect.provide(Layer.mergeAll(NodeHttpServer.layerTest, simulatorWithApi())),
      Effect.scoped
    ))
})
