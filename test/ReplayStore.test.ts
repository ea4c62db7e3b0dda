/**
 * ReplayStore as a specification: the shared contract (claim / complete /
 * release / extend, expiry on the Clock) run against the memory and
 * KeyValueStore implementations, bounded memory, and the KeyValueStore
 * implementation shared by several "instances".
 */
import { KeyValueStore } from "@effect/platform"
import { SystemError } from "@effect/platform/Error"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Option, Ref, TestClock } from "effect"
import { Callback, ReplayStore } from "../src/index.js"
import { NOW_MILLIS, orderBody, signBody, SignerLive } from "./CallbackFixtures.js"
import { claimed, replayStoreContract } from "./support/replayStoreContract.js"

const minute = Duration.minutes(1)

replayStoreContract({ name: "memory", make: ReplayStore.makeMemory(), time: { _tag: "test" } })
replayStoreContract({
  name: "KeyValueStore",
  make: ReplayStore.makeKeyValueStore().pipe(Effect.provide(KeyValueStore.layerMemory)),
  time: { _tag: "test" }
})

describe("ReplayStore.memory bounds", () => {
  it.effect("never holds more than maxEntries", () =>
    Effect.gen(function*() {
      const store = yield* ReplayStore.makeMemory({ maxEntries: 10 })
      for (let i = 0; i < 100; i++) yield* store.claim(`k${i}`, minute)
      expect(yield* store.size).toBeLessThanOrEqual(10)
      // The newest entries are the ones kept.
      expect(yield* store.claim("k99", minute)).toEqual(ReplayStore.Claim.inFlight)
    }))

  it.effect("sweeps expired entries as new ones arrive", () =>
    Effect.gen(function*() {
      const store = yield* ReplayStore.makeMemory()
      for (let i = 0; i < 3000; i++) yield* store.claim(`old${i}`, Duration.seconds(1))
      expect(yield* store.size).toBe(3000)
      yield* TestClock.adjust("2 seconds")
      for (let i = 0; i < 3000; i++) yield* store.claim(`new${i}`, minute)
      expect(yield* store.size).toBeLessThanOrEqual(3000 + 1)
      expect(yield* store.size).toBeGreaterThanOrEqual(3000)
    }))
})

describe("ReplayStore.keyValueStore", () => {
  it.effect("two instances over one KeyValueStore see each other's deliveries", () =>
    Effect.gen(function*() {
      const a = yield* ReplayStore.makeKeyValueStore()
      const b = yield* ReplayStore.makeKeyValueStore()
      const token = claimed(yield* a.claim("shared", minute))
      expect(yield* b.claim("shared", minute)).toEqual(ReplayStore.Claim.inFlight)
      yield* a.complete("shared", token, minute)
      expect(yield* b.claim("shared", minute)).toEqual(ReplayStore.Claim.done)
    }).pipe(Effect.provide(KeyValueStore.layerMemory)))

  it.effect("writes JSON entries under the prefix", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW_MILLIS)
      const kv = yield* KeyValueStore.KeyValueStore
      const store = yield* ReplayStore.makeKeyValueStore({ prefix: "cb:" })
      const token = claimed(yield* store.claim("k", minute))
      yield* store.complete("k", token, minute)
      const raw = yield* kv.get("cb:k")
      expect(Option.map(raw, JSON.parse)).toEqual(
        Option.some({ state: "done", expiresAt: NOW_MILLIS + 60_000, token })
      )
    }).pipe(Effect.provide(KeyValueStore.layerMemory)))

  it.effect("an unreadable entry is treated as absent", () =>
    Effect.gen(function*() {
      const kv = yield* KeyValueStore.KeyValueStore
      yield* kv.set("effect-callbot/replay/k", "{garbage")
      const store = yield* ReplayStore.makeKeyValueStore()
      expect((yield* store.claim("k", minute))._tag).toBe("Claimed")
    }).pipe(Effect.provide(KeyValueStore.layerMemory)))

  it.effect("removes the expired keys it wrote, so the backing store does not grow without bound", () =>
    Effect.gen(function*() {
      const kv = yield* KeyValueStore.KeyValueStore
      const store = yield* ReplayStore.makeKeyValueStore({ maxTracked: 8 })
      for (let i = 0; i < 8; i++) {
        const token = claimed(yield* store.claim(`k${i}`, minute))
        yield* store.complete(`k${i}`, token, Duration.seconds(1))
      }
      yield* TestClock.adjust("2 seconds")
      for (let i = 0; i < 8; i++) yield* store.claim(`fresh${i}`, minute)
      const size = yield* kv.size
      expect(size).toBeLessThan(16)
      for (let i = 0; i < 8; i++) expect((yield* store.claim(`k${i}`, minute))._tag).toBe("Claimed")
    }).pipe(Effect.provide(KeyValueStore.layerMemory)))

  it.effect("a failing KeyValueStore surfaces as ReplayStoreError", () =>
    Effect.gen(function*() {
      const failing = KeyValueStore.make({
        get: () => Effect.fail(new SystemError({ reason: "Unknown", module: "KeyValueStore", method: "get", description: "disk on fire" })),
        getUint8Array: () => Effect.succeed(Option.none()),
        set: () => Effect.void,
        remove: () => Effect.void,
        clear: Effect.void,
        size: Effect.succeed(0)
      })
      const store = yield* ReplayStore.makeKeyValueStore().pipe(
        Effect.provideService(KeyValueStore.KeyValueStore, failing)
      )
      const error = yield* Effect.flip(store.claim("k", minute))
      expect(error).toBeInstanceOf(ReplayStore.ReplayStoreError)
      expect(error.operation).toBe("claim")
      // A retry after the failure is not blocked by a stale local marker.
      const again = yield* Effect.flip(store.claim("k", minute))
      expect(again.operation).toBe("claim")
    }))

  it.effect("two receivers (two app instances) sharing a KeyValueStore run a handler once per requestID", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW_MILLIS)
      const runs = yield* Ref.make(0)
      const instanceA = Callback.receiver(() => Ref.update(runs, (n) => n + 1), {
        replayStore: yield* ReplayStore.makeKeyValueStore()
      })
      const instanceB = Callback.receiver(() => Ref.update(runs, (n) => n + 1), {
        replayStore: yield* ReplayStore.makeKeyValueStore()
      })
      const delivery = signBody(orderBody, { requestID: "across-instances" })
      expect((yield* instanceA.handle(delivery)).outcome._tag).toBe("Handled")
      const replay = yield* instanceB.handle(delivery)
      expect([replay.status, replay.outcome._tag]).toEqual([200, "Duplicate"])
      expect(yield* Ref.get(runs)).toBe(1)
    }).pipe(Effect.provide(Layer.merge(KeyValueStore.layerMemory, SignerLive))))

  it.effect("layerKeyValueStore provides the store to receivers through the context", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW_MILLIS)
      const runs = yield* Ref.make(0)
      const receiver = Callback.receiver(() => Ref.update(runs, (n) => n + 1))
      const delivery = signBody(orderBody)
      yield* receiver.handle(delivery)
      yield* receiver.handle(delivery)
      expect(yield* Ref.get(runs)).toBe(1)
      const kv = yield* KeyValueStore.KeyValueStore
      expect(yield* kv.size).toBe(1)
    }).pipe(
      Effect.provide(
        Layer.mergeAll(
          ReplayStore.layerKeyValueStore().pipe(Layer.provideMerge(KeyValueStore.layerMemory)),
          SignerLive
        )
      )
    ))
})
