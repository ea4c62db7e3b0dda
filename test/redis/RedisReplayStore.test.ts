/**
 * The Redis replay store against a real `redis-server` (started by the test
 * on a free loopback port): the shared ReplayStore contract, the atomic
 * scripts across clients, EVALSHA after a script flush, and what happens
 * when Redis dies, hangs and comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Schedule } from "effect"
import { Redis } from "ioredis"
import * as RedisReplayStore from "../../src/RedisReplayStore.js"
import { ReplayStore } from "../../src/index.js"
import { type RedisServer, skipRedis, startRedis } from "../support/redisServer.js"
import { claimed, replayStoreContract } from "../support/replayStoreContract.js"

const minute = Duration.minutes(1)
let server: RedisServer | undefined
let prefixes = 0
const freshPrefix = () => `test-${process.pid}-${++prefixes}:`
const url = () => {
  if (server === undefined) throw new Error("redis-server was not started")
  return server.url
}
const redis = () => {
  if (server === undefined) throw new Error("redis-server was not started")
  return server
}
/** Claims `key` as soon as Redis answers again (5 s at most). */
const claimWhenBack = (store: ReplayStore.ReplayStore, key: string) =>
  store.claim(key, minute).pipe(Effect.retry({ times: 100, schedule: Schedule.spaced("50 millis") }))

const isStoreError = (exit: Exit.Exit<unknown, unknown>, operation: string) =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error instanceof ReplayStore.ReplayStoreError &&
  exit.cause.error.operation === operation

/** A raw client for looking at what the store wrote (closed by the scope). */
const rawClient = Effect.acquireRelease(
  Effect.sync(() => new Redis(url(), { lazyConnect: false, maxRetriesPerRequest: 1 })),
  (client) => Effect.sync(() => client.disconnect())
)

describe.skipIf(skipRedis)("RedisReplayStore", () => {
  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(async () => {
    await server?.stop()
  })

  replayStoreContract({
    name: "Redis",
    make: Effect.suspend(() => RedisReplayStore.make({ url: url(), keyPrefix: freshPrefix() })),
    time: { _tag: "live", unitMillis: 25, marginMillis: 250 }
  })

  it.scopedLive("two instances (two clients) racing for the same deliveries: exactly one claim per key", () =>
    Effect.gen(function*() {
      const keyPrefix = freshPrefix()
      const a = yield* RedisReplayStore.make({ url: url(), keyPrefix })
      const b = yield* RedisReplayStore.make({ url: url(), keyPrefix })
      const keys = Array.from({ length: 50 }, (_, i) => `delivery-${i}`)
      const claims = yield* Effect.all(keys.flatMap((key) => [a.claim(key, minute), b.claim(key, minute)]), {
        concurrency: "unbounded"
      })
      expect(claims.filter((claim) => claim._tag === "Claimed").length).toBe(keys.length)
      expect(claims.filter((claim) => claim._tag === "InFlight").length).toBe(keys.length)
      for (let i = 0; i < keys.length; i++) {
        expect([claims[2 * i]?._tag, claims[2 * i + 1]?._tag].sort()).toEqual(["Claimed", "InFlight"])
      }
    }))

  it.scopedLive("writes inflight:<token> then done:<token> under the prefix, each with a PX expiry", () =>
    Effect.gen(function*() {
      const raw = yield* rawClient
      const store = yield* RedisReplayStore.make({ url: url(), keyPrefix: "cb:" })
      const token = claimed(yield* store.claim("acct/req-1", Duration.seconds(30)))
      expect(yield* Effect.promise(() => raw.get("cb:acct/req-1"))).toBe(`inflight:${token}`)
      const inflightTtl = yield* Effect.promise(() => raw.pttl("cb:acct/req-1"))
      expect(inflightTtl).toBeGreaterThan(25_000)
      expect(inflightTtl).toBeLessThanOrEqual(30_000)
      yield* store.complete("acct/req-1", token, Duration.minutes(10))
      expect(yield* Effect.promise(() => raw.get("cb:acct/req-1"))).toBe(`done:${token}`)
      expect(yield* Effect.promise(() => raw.pttl("cb:acct/req-1"))).toBeGreaterThan(590_000)
      const extend = store.extend
      if (extend === undefined) return expect.fail("the Redis store implements extend")
      const second = claimed(yield* store.claim("acct/req-2", Duration.seconds(5)))
      yield* extend("acct/req-2", second, Duration.seconds(60))
      expect(yield* Effect.promise(() => raw.pttl("cb:acct/req-2"))).toBeGreaterThan(55_000)
      yield* Effect.promise(() => raw.del("cb:acct/req-1", "cb:acct/req-2"))
    }))

  it.scopedLive("runs its scripts again after the server forgot them (SCRIPT FLUSH: EVALSHA falls back to EVAL)", () =>
    Effect.gen(function*() {
      const raw = yield* rawClient
      const store = yield* RedisReplayStore.make({ url: url(), keyPrefix: freshPrefix() })
      const first = claimed(yield* store.claim("k", minute))
      yield* Effect.promise(() => raw.script("FLUSH"))
      expect(yield* store.claim("k", minute)).toEqual(ReplayStore.Claim.inFlight)
      yield* Effect.promise(() => raw.script("FLUSH"))
      yield* store.release("k", first)
      expect((yield* store.claim("k", minute))._tag).toBe("Claimed")
    }))

  it.scopedLive("layerClient uses the app's own client and leaves it open", () =>
    Effect.gen(function*() {
      const client = yield* rawClient
      const keyPrefix = freshPrefix()
      const token = yield* Effect.gen(function*() {
        const store = yield* ReplayStore.ReplayStore
        const token = claimed(yield* store.claim("k", minute))
        yield* store.complete("k", token, minute)
        return token
      }).pipe(Effect.provide(RedisReplayStore.layerClient(client, { keyPrefix })))
      expect(client.status).toBe("ready")
      expect(yield* Effect.promise(() => client.get(`${keyPrefix}k`))).toBe(`done:${token}`)
    }))

  it.live("layer quits its own client when its scope closes", () =>
    Effect.gen(function*() {
      const raw = yield* rawClient
      yield* Effect.promise(() => raw.ping())
      const clients = Effect.promise(() => raw.client("LIST")).pipe(
        Effect.map((list) => String(list).trim().split("\n").length)
      )
      const before = yield* clients
      yield* Effect.gen(function*() {
        const store = yield* ReplayStore.ReplayStore
        claimed(yield* store.claim("k", minute))
        expect(yield* clients).toBe(before + 1)
      }).pipe(Effect.provide(RedisReplayStore.layer({ url: url(), keyPrefix: freshPrefix() })))
      // QUIT is answered before the server drops the connection: give it a moment.
      yield* Effect.sleep("100 millis")
      expect(yield* clients).toBe(before)
    }).pipe(Effect.scoped))

  it.scopedLive("Redis killed: every operation fails fast with ReplayStoreError; restarted: the same store works again", () =>
    Effect.gen(function*() {
      const store = yield* RedisReplayStore.make({ url: url(), keyPrefix: freshPrefix() })
      const token = claimed(yield* store.claim("k", minute))
      yield* Effect.promise(() => redis().kill())
      // Reconnection attempts are spaced out by now (backoff): a queued command would wait for one.
      yield* Effect.sleep("1 second")
      const started = Date.now()
      const claim = yield* Effect.exit(store.claim("other", minute))
      const complete = yield* Effect.exit(store.complete("k", token, minute))
      const release = yield* Effect.exit(store.release("k", token))
      expect(isStoreError(claim, "claim")).toBe(true)
      expect(isStoreError(complete, "complete")).toBe(true)
      expect(isStoreError(release, "release")).toBe(true)
      // No offline queue: a dead Redis is an immediate failure, not a wait of up to commandTimeout (1 s).
      expect(Date.now() - started).toBeLessThan(300)
      yield* Effect.promise(() => redis().restart())
      // Back within the reconnect cap (2 s), with no new client.
      const again = yield* claimWhenBack(store, "other")
      expect(again._tag).toBe("Claimed")
    }), 20_000)

  it.scopedLive("Redis that stops answering: an operation fails with ReplayStoreError after commandTimeout", () =>
    Effect.gen(function*() {
      const store = yield* RedisReplayStore.make({ url: url(), keyPrefix: freshPrefix(), commandTimeout: "300 millis" })
      claimed(yield* store.claim("k", minute))
      redis().pause()
      yield* Effect.addFinalizer(() => Effect.sync(() => redis().resume()))
      const started = Date.now()
      const exit = yield* Effect.exit(store.claim("k2", minute))
      const waited = Date.now() - started
      redis().resume()
      expect(isStoreError(exit, "claim")).toBe(true)
      expect(waited).toBeGreaterThanOrEqual(250)
      expect(waited).toBeLessThan(2000)
      const again = yield* claimWhenBack(store, "k3")
      expect(again._tag).toBe("Claimed")
    }), 20_000)

  it.scopedLive("an app can start before its Redis: the store fails until Redis is up, then works", () =>
    Effect.gen(function*() {
      yield* Effect.promise(() => redis().kill())
      const store = yield* RedisReplayStore.make({
        url: url(),
        keyPrefix: freshPrefix(),
        connectTimeout: "300 millis",
        reconnectDelayMax: "200 millis"
      })
      expect(isStoreError(yield* Effect.exit(store.claim("k", minute)), "claim")).toBe(true)
      yield* Effect.promise(() => redis().restart())
      const claim = yield* claimWhenBack(store, "k")
      expect(claim._tag).toBe("Claimed")
    }), 20_000)
})
