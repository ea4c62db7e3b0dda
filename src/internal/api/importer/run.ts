/**
 * The chunked order import behind `createAndCall`, `addBatchCall` and
 * `importBatchCall`: validate orders one by one as they stream in, group the
 * valid ones into requests of at most `chunkSize`, send them with bounded
 * concurrency, halve a request answered `TooManyElements` (4001), and merge
 * every answer into one result.
 *
 * Memory stays flat for a `Stream` input: the stream is never collected, an
 * order is held only until its request is answered, and only rejections are
 * kept (they are part of the result).
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import type * as CallbotError from "../../../CallbotError.js"
import type { ExecuteError } from "../../../CallbotClient.js"
import type * as Models from "../../../Models.js"
import * as Orders from "../orders.js"
import { emptyMerged, type Merged, tooManyForOneRequest } from "./accounting.js"
import { sendFirst, withFirst } from "./first.js"
import type { FirstRequest, Order, Outcome, Plan, SendResult } from "./plan.js"
import { puller, startingWith } from "./pull.js"
import { type ImportContext, sendChunk, sendChunks } from "./rest.js"
import { makeResumer } from "./resume.js"

/** Validates orders one by one as they come, numbering them and keeping the rejections. */
interface Checker {
  readonly check: (raws: Iterable<unknown>) => Array<Order>
  readonly rejected: Array<Models.RejectedOrder>
  readonly total: () => number
}

const makeChecker = (dedupeAll: boolean, chunkSize: number, dedupePhones: boolean): Checker => {
  const rejected: Array<Models.RejectedOrder> = []
  let total = 0
  let seen = new Set<string>()
  let windowStart = 0
  // `dedupe: "phone"`: every distinct phone of the call, kept to its end.
  const phones = dedupePhones ? new Set<string>() : undefined
  const check = (raws: Iterable<unknown>): Array<Order> => {
    const valid: Array<Order> = []
    for (const raw of raws) {
      const index = total++
      if (!dedupeAll && index - windowStart >= chunkSize) {
        seen = new Set()
        windowStart = index
      }
      const checked = Orders.checkOrder(raw, index, seen)
      if (Either.isLeft(checked)) rejected.push(checked.left)
      else {
        const samePhone = phones === undefined ? undefined : Orders.duplicatePhone(checked.right, index, phones)
        if (samePhone === undefined) valid.push(checked.right)
        else rejected.push(samePhone)
      }
    }
    return valid
  }
  return { check, rejected, total: () => total }
}

const outcome = <First>(
  checker: Checker,
  merged: Merged,
  answer: { readonly retMsg: string; readonly responseID: string },
  first: Option.Option<First>,
  alreadyImported = 0
): Outcome<First> => ({
  totalCount: checker.total(),
  successCount: merged.successCount,
  alreadyImported,
  errList: [...checker.rejected, ...merged.rejected],
  failures: merged.failures,
  requests: merged.requests,
  retMsg: answer.retMsg,
  responseID: answer.responseID,
  first
})

/** The orders of one import: checked whole when they fit one request, else as a stream of chunks. */
interface Input<E, R> {
  readonly checker: Checker
  /** An array that fits one request, checked. */
  readonly single: ReadonlyArray<Order> | undefined
  /** The orders in checked chunks; built only when they are not {@link single}. */
  readonly chunks: () => Stream.Stream<Chunk.Chunk<Order>, E, R>
}

/**
 * An import with no first request (`addBatchCall`): every chunk goes with
 * `rest`, after the resume lookup when asked for.
 */
const runRestOnly = <First, E, R>(
  ctx: ImportContext<First>,
  plan: Plan<SendResult, E, R>,
  input: Input<E, R>
): Effect.Effect<Outcome<First>, E | ExecuteError | CallbotError.InvalidRequest, R> =>
  Effect.gen(function*() {
    const { checker, single } = input
    const plain = (orders: ReadonlyArray<Order>) => sendChunk(ctx, orders)
    const resumer = plan.resume === undefined ? undefined : makeResumer(plan.resume, plain)
    const send = resumer?.chunk ?? plain
    const merged = single === undefined
      ? yield* Effect.scoped(Effect.flatMap(puller(input.chunks()), (next) => sendChunks(ctx, next, plan.concurrency, send)))
      : single.length === 0
      ? emptyMerged()
      : yield* send(single)
    // Nothing went through (no answer and nothing found by reconciliation).
    if (merged.requests === 0 && merged.successCount === 0) {
      const firstFailure = merged.failures[0]
      // Nothing went through: fail with the error itself (nothing is lost).
      if (firstFailure !== undefined) return yield* Effect.fail(firstFailure.error)
      return yield* Effect.fail(Orders.noValidOrders(plan.endpoint, checker.rejected))
    }
    const answer = Option.getOrElse(merged.firstAnswer, () => ({ retMsg: "", responseID: "" }))
    return outcome<First>(checker, merged, answer, Option.none(), resumer?.alreadyImported())
  })

/** An import whose first request must succeed before the rest go with `rest`. */
const runWithFirst = <First extends SendResult, E, R>(
  ctx: ImportContext<First>,
  plan: Plan<First, E, R>,
  first: FirstRequest<First>,
  input: Input<E, R>
): Effect.Effect<Outcome<First>, E | ExecuteError | CallbotError.InvalidRequest, R> => {
  const { checker, single } = input
  if (single !== undefined) {
    return Effect.gen(function*() {
      if (single.length === 0) return yield* Effect.fail(Orders.noValidOrders(plan.endpoint, checker.rejected))
      const firstSent = yield* sendFirst(ctx, first, single)
      const rest = firstSent.leftover.length === 0 ? emptyMerged() : yield* sendChunk(ctx, firstSent.leftover)
      const merged = yield* withFirst(first.endpoint, firstSent, rest)
      return outcome(checker, merged, firstSent.result, Option.some(firstSent.result))
    })
  }
  return Effect.scoped(Effect.gen(function*() {
    // A pull rather than `Stream.peel`: peel turns an error of the source
    // into a defect when the source goes through `grouped` (effect 3.x).
    const next = yield* puller(input.chunks())
    const head = yield* next
    if (Option.isNone(head)) return yield* Effect.fail(Orders.noValidOrders(plan.endpoint, checker.rejected))
    if (first.overflow === "fail") {
      // Look before sending: an import cannot be taken back.
      const second = yield* next
      if (Option.isSome(second)) return yield* Effect.fail(tooManyForOneRequest(first.endpoint, plan.chunkSize))
    }
    const firstSent = yield* sendFirst(ctx, first, Chunk.toReadonlyArray(head.value))
    const rest = firstSent.leftover.length === 0 ? next : startingWith(Chunk.fromIterable(firstSent.leftover), next)
    const merged = yield* withFirst(first.endpoint, firstSent, yield* sendChunks(ctx, rest, plan.concurrency))
    return outcome(checker, merged, firstSent.result, Option.some(firstSent.result))
  }))
}

/** Runs one import. */
export const run = <First extends SendResult, E, R>(
  plan: Plan<First, E, R>
): Effect.Effect<Outcome<First>, E | ExecuteError | CallbotError.InvalidRequest, R> =>
  Effect.suspend(() => {
    const checker = makeChecker(plan.dedupeAll, plan.chunkSize, plan.dedupePhones === true)
    const chunks = (): Stream.Stream<Chunk.Chunk<Order>, E, R> =>
      plan.source.pipe(
        Stream.mapChunks((chunk) => Chunk.unsafeFromArray(checker.check(chunk))),
        Stream.grouped(plan.chunkSize)
      )
    // An array that fits one request skips the Stream machinery (most calls).
    const single = plan.array !== undefined && plan.array.length <= plan.chunkSize ? checker.check(plan.array) : undefined
    const input: Input<E, R> = { checker, single, chunks }
    return Effect.flatMap(Ref.make(plan.chunkSize), (cap) => {
      const ctx: ImportContext<First> = {
        rest: plan.rest,
        restEndpoint: plan.restEndpoint,
        reconcile: plan.reconcile,
        cap,
        inspect: plan.inspect ?? (() => Effect.void)
      }
      return plan.first === undefined ? runRestOnly(ctx, plan, input) : runWithFirst(ctx, plan, plan.first, input)
    })
  })
