/**
 * The contract every ReplayStore must pass (memory, KeyValueStore, Redis):
 * the claim / complete / release / extend protocol and expiry, as ONE suite
 * run against each store.
 *
 * Time is either the TestClock (stores that read `Clock`: exact to the
 * millisecond) or the wall clock (Redis expires keys on its own clock: the
 * checks keep a margin on each side of a deadline).
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, TestClock } from "effect"
import type * as Scope from "effect/Scope"
import { ReplayStore } from "../../src/index.js"

export interface ContractTarget {
  readonly name: string
  /** A fresh, empty store (its own key space). */
  readonly make: Effect.Effect<ReplayStore.ReplayStore, never, Scope.Scope>
  /**
   * `test`: the store reads `Clock`, time moves with `TestClock.adjust`,
   * one unit is a second and deadlines are exact. `live`: time is real, one
   * unit is `unitMillis` and every deadline is checked `marginMillis` before
   * and after.
   */
  readonly time: { readonly _tag: "test" } | { readonly _tag: "live"; readonly unitMillis: number; readonly marginMillis: number }
}

/** A claim's token, or a failed expectation. */
export const claimed = (claim: ReplayStore.Claim): string => {
  if (claim._tag !== "Claimed") throw new Error(`expected Claimed, got ${claim._tag}`)
  return claim.token
}

export const replayStoreContract = (target: ContractTarget): void => {
  const live = target.time._tag === "live"
  const unit = target.time._tag === "live" ? target.time.unitMillis : 1000
  // Test clock: 1 ms before a deadline, then exactly at it.
  const before = target.time._tag === "live" ? target.time.marginMillis : 1
  const after = target.time._tag === "live" ? target.time.marginMillis : 0
  const units = (n: number) => Duration.millis(n * unit)
  const advance = (millis: number) => live ? Effect.sleep(Duration.millis(millis)) : TestClock.adjust(Duration.millis(millis))
  const test = live ? it.scopedLive : it.scoped
  const { make } = target

  describe(`ReplayStore contract (${target.name})`, () => {
    test("a first claim is granted; a second one sees the delivery in flight", () =>
      Effect.gen(function*() {
        const store = yield* make
        expect((yield* store.claim("k", units(60)))._tag).toBe("Claimed")
        expect(yield* store.claim("k", units(60))).toEqual(ReplayStore.Claim.inFlight)
        expect((yield* store.claim("other", units(60)))._tag).toBe("Claimed")
      }))

    test("after complete, the key is Done until its TTL ends, then free again", () =>
      Effect.gen(function*() {
        const store = yield* make
        const token = claimed(yield* store.claim("k", units(60)))
        yield* store.complete("k", token, units(20))
        expect(yield* store.claim("k", units(60))).toEqual(ReplayStore.Claim.done)
        yield* advance(20 * unit - before)
        expect(yield* store.claim("k", units(60))).toEqual(ReplayStore.Claim.done)
        yield* advance(before + after)
        expect((yield* store.claim("k", units(60)))._tag).toBe("Claimed")
      }))

    test("release frees an in-flight claim (a failed handler may run again)", () =>
      Effect.gen(function*() {
        const store = yield* make
        const token = claimed(yield* store.claim("k", units(60)))
        yield* store.release("k", token)
        expect((yield* store.claim("k", units(60)))._tag).toBe("Claimed")
      }))

    test("release with someone else's token, or of a done key, changes nothing", () =>
      Effect.gen(function*() {
        const store = yield* make
        const token = claimed(yield* store.claim("k", units(60)))
        yield* store.release("k", "not-the-token")
        expect(yield* store.claim("k", units(60))).toEqual(ReplayStore.Claim.inFlight)
        yield* store.complete("k", token, units(60))
        yield* store.release("k", token)
        expect(yield* store.claim("k", units(60))).toEqual(ReplayStore.Claim.done)
      }))

    test("an in-flight claim expires (a crashed handler does not block redelivery forever)", () =>
      Effect.gen(function*() {
        const store = yield* make
        claimed(yield* store.claim("k", units(40)))
        yield* advance(40 * unit - before)
        expect(yield* store.claim("k", units(60))).toEqual(ReplayStore.Claim.inFlight)
        yield* advance(before + after)
        expect((yield* store.claim("k", units(60)))._tag).toBe("Claimed")
      }))

    test("a release after the claim expired and was taken again leaves the new claim alone", () =>
      Effect.gen(function*() {
        const store = yield* make
        const first = claimed(yield* store.claim("k", units(10)))
        yield* advance(10 * unit + after)
        claimed(yield* store.claim("k", units(60)))
        yield* store.release("k", first)
        expect(yield* store.claim("k", units(60))).toEqual(ReplayStore.Claim.inFlight)
      }))

    test("a success recorded after the claim expired still marks the delivery done", () =>
      Effect.gen(function*() {
        const store = yield* make
        const token = claimed(yield* store.claim("k", units(10)))
        yield* advance(10 * unit + after)
        yield* store.complete("k", token, units(60))
        expect(yield* store.claim("k", units(60))).toEqual(ReplayStore.Claim.done)
      }))

    test("extend pushes back the expiry of the owner's in-flight claim only", () =>
      Effect.gen(function*() {
        const store = yield* make
        const extend = store.extend
        if (extend === undefined) return expect.fail("the shipped stores implement extend")
        const token = claimed(yield* store.claim("k", units(60)))
        yield* advance(50 * unit)
        yield* extend("k", token, units(60))
        yield* extend("k", "someone else", Duration.millis(1))
        // Past the first expiry (60), before the extended one (110).
        yield* advance(60 * unit - before)
        expect(yield* store.claim("k", units(60))).toEqual(ReplayStore.Claim.inFlight)
        yield* advance(before + after)
        expect((yield* store.claim("k", units(60)))._tag).toBe("Claimed")
        // Extending a done key leaves it done (its own TTL, not the claim's).
        const other = claimed(yield* store.claim("d", units(10)))
        yield* store.complete("d", other, units(60))
        yield* extend("d", other, units(10))
        yield* advance(10 * unit + after)
        expect(yield* store.claim("d", units(60))).toEqual(ReplayStore.Claim.done)
      }))

    test("concurrent claims of one key: exactly one wins", () =>
      Effect.gen(function*() {
        const store = yield* make
        const claims = yield* Effect.all(Array.from({ length: 25 }, () => store.claim("hot", units(60))), {
          concurrency: "unbounded"
        })
        expect(claims.filter((c) => c._tag === "Claimed").length).toBe(1)
        expect(claims.filter((c) => c._tag === "InFlight").length).toBe(24)
      }))
  })
}
