/**
 * The requests after the first one of an import (`addBatchCall`): each
 * chunk is sent in pieces no larger than what the platform has accepted so
 * far, a piece answered 4001 is halved, and an ambiguous failure is
 * reconciled before anything is sent again.
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type { ExecuteError } from "../../../CallbotClient.js"
import * as Retry from "../../retry/schedule.js"
import {
  answered,
  emptyMerged,
  failed,
  isAmbiguous,
  isTooMany,
  merge,
  type Merged,
  partition,
  reconciled
} from "./accounting.js"
import type { Order, Reconcile, SendResult } from "./plan.js"

/** What the requests of one import share. */
export interface ImportContext<First> {
  readonly rest: (orders: ReadonlyArray<Order>) => Effect.Effect<SendResult, ExecuteError>
  readonly restEndpoint: string
  readonly reconcile: Reconcile<First> | undefined
  /** The largest piece to send: the chunk size, halved by every 4001. */
  readonly cap: Ref.Ref<number>
  /** Runs before each request with the orders it carries (warnings). */
  readonly inspect: (orders: ReadonlyArray<Order>) => Effect.Effect<void>
}

/** Lowers the cap to half of a piece refused with 4001; answers the new cap. */
export const halve = <First>(ctx: ImportContext<First>, size: number): Effect.Effect<number> =>
  Ref.updateAndGet(ctx.cap, (c) => Math.min(c, Math.ceil(size / 2)))

// After a request that followed an ambiguous one, the platform may
// refuse orders because the earlier request did import them: those
// found on the platform are imported, not rejected.
const confirmRejections = <First>(
  reconcile: Reconcile<First> | undefined,
  orders: ReadonlyArray<Order>,
  merged: Merged
): Effect.Effect<Merged> => {
  if (reconcile === undefined || merged.rejected.length === 0) return Effect.succeed(merged)
  const refused = new Set(merged.rejected.flatMap((r) => (r.orderID === undefined ? [] : [r.orderID])))
  return reconcile.present(orders.filter((o) => refused.has(o.orderID))).pipe(
    Effect.map((present) => {
      const rejected = merged.rejected.filter((r) => r.orderID === undefined || !present.has(r.orderID))
      return {
        ...merged,
        successCount: merged.successCount + (merged.rejected.length - rejected.length),
        rejected
      }
    }),
    Effect.orElseSucceed(() => merged)
  )
}

interface PieceSent {
  readonly merged: Merged
  /** The orders still pending when the platform answered 4001: to be halved. */
  readonly tooMany: ReadonlyArray<Order>
}

// Sends one piece with `rest`; an ambiguous failure is reconciled:
// orders found on the platform count as imported, the others are sent
// again, round after round, within the retry policy's budget. A 4001
// hands the orders still pending back for halving.
const sendPiece = <First>(ctx: ImportContext<First>, piece: ReadonlyArray<Order>): Effect.Effect<PieceSent> =>
  Effect.suspend(() => {
    const reconcile = ctx.reconcile
    let acc = emptyMerged()
    let pending = piece
    let ambiguous = false
    const settled = (merged: Merged): PieceSent => ({ merged, tooMany: [] })
    const failedNow = (error: ExecuteError, maybe?: boolean) =>
      settled(merge(acc, failed(ctx.restEndpoint, pending, error, maybe)))

    // Fails with the error after which the missing orders go again.
    const afterFailure = (error: ExecuteError): Effect.Effect<PieceSent, ExecuteError> => {
      if (isTooMany(error) && pending.length > 1) return Effect.succeed({ merged: acc, tooMany: pending })
      if (reconcile === undefined || !(ambiguous || isAmbiguous(error))) return Effect.succeed(failedNow(error))
      ambiguous = true
      return Effect.flatMap(Effect.either(reconcile.present(pending)), (lookup) => {
        if (Either.isLeft(lookup)) return Effect.succeed(failedNow(error))
        const { found, missing } = partition(pending, lookup.right)
        acc = merge(acc, reconciled(found.length))
        if (missing.length === 0) return Effect.succeed(settled(acc))
        pending = missing
        return Effect.fail(error)
      })
    }

    const round = Effect.suspend(() => Effect.zipRight(ctx.inspect(pending), ctx.rest(pending))).pipe(
      Effect.matchEffect({
        onSuccess: (answer) =>
          answered(ctx.restEndpoint, pending, answer).pipe(
            Effect.flatMap((merged) => (ambiguous ? confirmRejections(reconcile, pending, merged) : Effect.succeed(merged))),
            Effect.map((confirmed) => settled(merge(acc, confirmed)))
          ),
        onFailure: afterFailure
      })
    )
    // The waits are used up: what is still missing is reported as not imported.
    const exhausted = (error: ExecuteError) => Effect.succeed(failedNow(error, false))
    // Without reconciliation a round never asks to go again.
    return reconcile === undefined
      ? Effect.catchAll(round, exhausted)
      : Retry.rounds(reconcile.policy, Effect.map(round, Either.right), exhausted)
  })

// Sends one chunk with `rest`, in pieces no larger than what the
// platform has accepted so far (re-read before each piece, so a 4001
// anywhere shrinks every later piece); never fails. A loop rather than a
// retry: each turn sends a different piece (halving changes the request).
export const sendChunk = <First>(ctx: ImportContext<First>, orders: ReadonlyArray<Order>): Effect.Effect<Merged> =>
  Effect.gen(function*() {
    let acc = emptyMerged()
    let pending: ReadonlyArray<Order> = orders
    while (pending.length > 0) {
      const size = yield* Ref.get(ctx.cap)
      const piece = pending.slice(0, size)
      const later = pending.slice(size)
      const { merged, tooMany } = yield* sendPiece(ctx, piece)
      acc = merge(acc, merged)
      if (tooMany.length > 0) yield* halve(ctx, tooMany.length)
      pending = [...tooMany, ...later]
    }
    return acc
  })

/** The next chunk of an import, `none` once there are no more. */
export type NextChunk<E, R> = Effect.Effect<Option.Option<Chunk.Chunk<Order>>, E, R>

/**
 * Sends every chunk `next` yields with `send` (default {@link sendChunk}),
 * `concurrency` at a time, and folds the answers in the order the chunks
 * came (so `errList` follows the caller's order).
 *
 * `concurrency` workers each take the next chunk when they are free, one
 * take at a time: no chunk is pulled before a worker can send it, and no
 * fiber is forked per chunk (`Stream.mapEffect` with a concurrency did
 * both, at about 1 µs per order in a 1M-order import).
 */
export const sendChunks = <First, E, R>(
  ctx: ImportContext<First>,
  next: NextChunk<E, R>,
  concurrency: number,
  send: (orders: ReadonlyArray<Order>) => Effect.Effect<Merged> = (orders) => sendChunk(ctx, orders)
): Effect.Effect<Merged, E, R> =>
  Effect.flatMap(Effect.makeSemaphore(1), (lock) =>
    Effect.suspend(() => {
      const folder = inOrder()
      let taken = 0
      const take = lock.withPermits(1)(
        Effect.map(next, Option.map((chunk) => ({ index: taken++, orders: Chunk.toReadonlyArray(chunk) })))
      )
      // Each worker loops until the chunks run out (stack-safe: a flatMap chain).
      const worker: Effect.Effect<void, E, R> = Effect.flatMap(take, (chunk) =>
        Option.isNone(chunk)
          ? Effect.void
          : Effect.flatMap(send(chunk.value.orders), (answer) => {
            folder.add(chunk.value.index, answer)
            return worker
          }))
      const workers = Array.from({ length: Math.max(1, concurrency) }, () => worker)
      return Effect.map(Effect.all(workers, { concurrency: "unbounded", discard: true }), folder.result)
    }))

/** Folds answers numbered 0, 1, 2, … in that order, whatever order they arrive in. */
const inOrder = () => {
  let merged = emptyMerged()
  let nextIndex = 0
  // Answers that came before an earlier one: at most one per other worker.
  const early = new Map<number, Merged>()
  return {
    add: (index: number, answer: Merged): void => {
      early.set(index, answer)
      for (let ready = early.get(nextIndex); ready !== undefined; ready = early.get(nextIndex)) {
        early.delete(nextIndex)
        merged = merge(merged, ready)
        nextIndex++
      }
    },
    result: (): Merged => merged
  }
}
