/**
 * Sending the chunks of an import: `concurrency` workers take chunks as they
 * become free, no chunk is read before a worker can send it, and the answers
 * are folded in the order the chunks came, whatever order they end in.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Deferred, Effect, Option, Ref } from "effect"
import { emptyMerged, type Merged } from "../../../../src/internal/api/importer/accounting.js"
import type { Order } from "../../../../src/internal/api/importer/plan.js"
import { type ImportContext, type NextChunk, sendChunks } from "../../../../src/internal/api/importer/rest.js"
import { Models } from "../../../../src/index.js"

const order = (i: number): Order => ({
  orderID: `o-${i}`,
  userPhone: `8613800000${String(i).padStart(3, "0")}`,
  other: "",
  userName: "",
  customerName: "",
  params: []
})

/** A chunk source of `count` chunks of one order each; `reads` counts the chunks read. */
const chunks = (count: number) =>
  Effect.map(Ref.make(0), (reads) => {
    const next: NextChunk<never, never> = Ref.modify(reads, (n) =>
      n < count ? [Option.some(Chunk.of(order(n))), n + 1] : [Option.none(), n])
    return { next, reads }
  })

/** The answer to a chunk: its one order rejected, so the fold's order shows in `rejected`. */
const rejecting = (orders: ReadonlyArray<Order>): Merged => ({
  ...emptyMerged(),
  requests: 1,
  rejected: orders.map((o) => new Models.RejectedOrder({ phone: o.userPhone, orderID: o.orderID, errMsg: "x", rejectedBy: "server" }))
})

const context = Effect.map(Ref.make(500), (cap): ImportContext<never> => ({
  rest: () => Effect.dieMessage("the tests pass their own send"),
  restEndpoint: "addBatchCall",
  reconcile: undefined,
  cap,
  inspect: () => Effect.void
}))

describe("sendChunks", () => {
  it.live("folds the answers in the chunks' order when later chunks are answered first", () =>
    Effect.gen(function*() {
      const ctx = yield* context
      const { next } = yield* chunks(6)
      // Chunk i is answered after (6 - i) × 10 ms: the last one first.
      const send = (orders: ReadonlyArray<Order>) => {
        const i = Number(orders[0]?.orderID.slice(2))
        return Effect.as(Effect.sleep(`${(6 - i) * 10} millis`), rejecting(orders))
      }
      const merged = yield* sendChunks(ctx, next, 3, send)
      expect(merged.rejected.map((r) => r.orderID)).toEqual(["o-0", "o-1", "o-2", "o-3", "o-4", "o-5"])
      expect(merged.requests).toBe(6)
    }))

  it.live("reads no chunk before a worker is free to send it", () =>
    Effect.gen(function*() {
      const ctx = yield* context
      const { next, reads } = yield* chunks(10)
      const release = yield* Deferred.make<void>()
      const inFlight = yield* Ref.make(0)
      const send = (orders: ReadonlyArray<Order>) =>
        Ref.update(inFlight, (n) => n + 1).pipe(
          Effect.zipRight(Deferred.await(release)),
          Effect.ensuring(Ref.update(inFlight, (n) => n - 1)),
          Effect.as(rejecting(orders))
        )
      const fiber = yield* Effect.fork(sendChunks(ctx, next, 4, send))
      yield* Effect.sleep("50 millis")
      expect(yield* Ref.get(reads)).toBe(4)
      expect(yield* Ref.get(inFlight)).toBe(4)
      yield* Deferred.succeed(release, undefined)
      const merged = yield* fiber
      expect(merged.rejected).toHaveLength(10)
      // Ten chunks, then the end of the source read once by each of the four workers.
      expect(yield* Ref.get(reads)).toBe(10)
    }))

  it.effect("fails with the source's error", () =>
    Effect.gen(function*() {
      const ctx = yield* context
      const next: NextChunk<string, never> = Effect.fail("the list broke")
      const error = yield* Effect.flip(sendChunks(ctx, next, 2, (orders) => Effect.succeed(rejecting(orders))))
      expect(error).toBe("the list broke")
    }))

  it.effect("with nothing to send, is the empty answer", () =>
    Effect.gen(function*() {
      const ctx = yield* context
      const merged = yield* sendChunks(ctx, Effect.succeed(Option.none()), 4, () => Effect.dieMessage("nothing to send"))
      expect(merged).toEqual(emptyMerged())
    }))
})
