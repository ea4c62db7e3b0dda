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
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as CallbotError from "../CallbotError.js"
import type { ChunkFailure } from "../CallbotApi.js"
import type { ExecuteError } from "../CallbotClient.js"
import * as RetryPolicy from "../RetryPolicy.js"
import * as Models from "../Models.js"
import * as Orders from "./orders.js"

type Order = Models.CallOrderWire

/** What every import answer carries (optional where the vendor is silent). */
export interface SendResult {
  readonly retMsg: string
  readonly responseID: string
  readonly successCount?: number | undefined
  readonly errList: ReadonlyArray<typeof Models.PhoneError.Type>
}

/** The merged outcome of one import. */
export interface Outcome<First> {
  /** Orders passed in. */
  readonly totalCount: number
  readonly successCount: number
  /** Client rejections (input order), then server and request rejections (request order). */
  readonly errList: ReadonlyArray<Models.RejectedOrder>
  readonly failures: ReadonlyArray<ChunkFailure>
  /** Requests that were answered with `retCode` 0. */
  readonly requests: number
  /** The first answer (of `first` when given, else of the first successful chunk). */
  readonly retMsg: string
  readonly responseID: string
  /** `first`'s whole answer, when `first` was given. */
  readonly first: Option.Option<First>
}

/** How one import runs. */
export interface Plan<First extends SendResult, E, R> {
  /** Public endpoint name, for `InvalidRequest`. */
  readonly endpoint: string
  readonly source: Stream.Stream<unknown, E, R>
  /**
   * Reject repeated orderIDs across the whole input (`true`: the input is an
   * array, already in memory) or only within each window of `chunkSize`
   * input orders (`false`: a stream, whose memory must stay flat).
   */
  readonly dedupeAll: boolean
  readonly chunkSize: number
  readonly concurrency: number
  /**
   * The request that must succeed before any other is sent (`createAndCall`
   * creates the task, `importBatchCall` starts the batch). Its failure fails
   * the whole import. `overflow: "fail"` refuses an input needing more than
   * this one request (checked before anything is sent) and does not halve it
   * on 4001.
   */
  readonly first?: {
    readonly send: (orders: ReadonlyArray<Order>) => Effect.Effect<First, ExecuteError>
    readonly overflow: "continue" | "fail"
    readonly endpoint: string
  } | undefined
  /** Sends every other chunk (`addBatchCall`). */
  readonly rest: (orders: ReadonlyArray<Order>) => Effect.Effect<SendResult, ExecuteError>
  readonly restEndpoint: string
  /** The orders, when they came as an array: one that fits one request skips the Stream machinery. */
  readonly array?: ReadonlyArray<unknown> | undefined
  /** Runs before each request with the orders it carries (warnings). */
  readonly inspect?: ((orders: ReadonlyArray<Order>) => Effect.Effect<void>) | undefined
  /**
   * How to settle an ambiguous failure (the platform may have acted) instead
   * of re-sending blindly or reporting orders that are in fact imported.
   * Absent: such failures are reported as they are.
   */
  readonly reconcile?: Reconcile<First> | undefined
}

/**
 * Reconciliation by idempotency keys: after an ambiguous failure, look up
 * what the platform has and send again only what it does not.
 */
export interface Reconcile<First> {
  /** The orderIDs among `orders` that the platform has (`listOrderDetail`). */
  readonly present: (orders: ReadonlyArray<Order>) => Effect.Effect<ReadonlySet<string>, ExecuteError>
  /**
   * After an ambiguous failure of `first`: `Some` with a stand-in answer
   * when it took effect (the task or batch exists) and the orders found, or
   * `None` when it did not and may be sent again.
   */
  readonly first?:
    | ((orders: ReadonlyArray<Order>) => Effect.Effect<
      Option.Option<{ readonly result: First; readonly present: ReadonlySet<string> }>,
      ExecuteError
    >)
    | undefined
  /** A fresh budget of waits between rounds (see `RetryPolicy.pauses`). */
  readonly pauses: Effect.Effect<(error: ExecuteError) => Effect.Effect<boolean>>
}

interface Merged {
  readonly successCount: number
  readonly rejected: Array<Models.RejectedOrder>
  readonly failures: Array<ChunkFailure>
  readonly requests: number
  readonly firstAnswer: Option.Option<{ readonly retMsg: string; readonly responseID: string }>
}

const emptyMerged = (): Merged => ({
  successCount: 0,
  rejected: [],
  failures: [],
  requests: 0,
  firstAnswer: Option.none()
})

const merge = (a: Merged, b: Merged): Merged => {
  // `a` is the accumulator, owned by this import: appending in place keeps
  // the fold linear however many chunks there are.
  for (const r of b.rejected) a.rejected.push(r)
  for (const f of b.failures) a.failures.push(f)
  return {
    successCount: a.successCount + b.successCount,
    rejected: a.rejected,
    failures: a.failures,
    requests: a.requests + b.requests,
    firstAnswer: Option.orElse(a.firstAnswer, () => b.firstAnswer)
  }
}

/** Whether the platform may have acted on a request that failed with `error`. */
export const maybeImported = (error: ExecuteError): boolean => {
  switch (error._tag) {
    case "TransportError":
      return error.sent
    case "HttpStatusError":
      return error.status >= 500
    case "MalformedResponse":
    case "ResponseSignatureError":
    case "GeneralError":
    case "InternalServerError":
    case "UnknownRetCode":
      return true
    default:
      return false
  }
}

const isTooMany = (error: ExecuteError): error is CallbotError.TooManyElements => error._tag === "TooManyElements"

const splitAt = <A>(items: ReadonlyArray<A>, n: number): [ReadonlyArray<A>, ReadonlyArray<A>] => [
  items.slice(0, n),
  items.slice(n)
]

/** The merged answer of one successful request. */
const answered = (orders: ReadonlyArray<Order>, result: SendResult): Merged => {
  const rejected = Orders.serverRejections(orders, result.errList)
  return {
    successCount: result.successCount ?? Math.max(0, orders.length - result.errList.length),
    rejected,
    failures: [],
    requests: 1,
    firstAnswer: Option.some({ retMsg: result.retMsg, responseID: result.responseID })
  }
}

const isAmbiguous = (error: ExecuteError): boolean => RetryPolicy.classify(error) === "ambiguous"

const partition = (orders: ReadonlyArray<Order>, present: ReadonlySet<string>) => {
  const found: Array<Order> = []
  const missing: Array<Order> = []
  for (const order of orders) (present.has(order.orderID) ? found : missing).push(order)
  return { found, missing }
}

/** Orders found on the platform by reconciliation: imported, by no answer of ours. */
const reconciled = (found: number): Merged => ({
  successCount: found,
  rejected: [],
  failures: [],
  requests: 0,
  firstAnswer: Option.none()
})

/** One failed request: its orders are reported, not lost. */
const failed = (
  endpoint: string,
  orders: ReadonlyArray<Order>,
  error: ExecuteError,
  maybe: boolean = maybeImported(error)
): Merged => {
  const reason = `${endpoint} request failed: ${error._tag}: ${error.message}` +
    (maybe ? " (the platform may have imported it: check with listOrder before re-sending)" : "")
  return {
    successCount: 0,
    rejected: orders.map((order) =>
      new Models.RejectedOrder({
        phone: order.userPhone,
        orderID: order.orderID,
        errMsg: reason,
        rejectedBy: "request",
        maybeImported: maybe
      })
    ),
    failures: [{ endpoint, error, orders: orders.length, maybeImported: maybe }],
    requests: 0,
    firstAnswer: Option.none()
  }
}

const tooManyForOneRequest = (endpoint: string, chunkSize: number): CallbotError.InvalidRequest => {
  const issue = new CallbotError.ValidationIssue({
    field: "callInfoList.callList",
    description: `has more than ${chunkSize} valid orders, which would take several ${endpoint} requests; ` +
      `each ${endpoint} starts a new batch and deletes the undialled numbers of the previous one. ` +
      `Raise chunkSize, or pass overflow: "addBatchCall" to add the rest to the new batch's task with addBatchCall`
  })
  return new CallbotError.InvalidRequest({ endpoint, ...issue, issues: [issue] })
}

/** Runs one import. */
export const run = <First extends SendResult, E, R>(
  plan: Plan<First, E, R>
): Effect.Effect<Outcome<First>, E | ExecuteError | CallbotError.InvalidRequest, R> =>
  Effect.suspend(() => {
    const clientRejected: Array<Models.RejectedOrder> = []
    let total = 0
    let seen = new Set<string>()
    let windowStart = 0

    const check = (raws: Iterable<unknown>): Array<Order> => {
      const valid: Array<Order> = []
      for (const raw of raws) {
        const index = total++
        if (!plan.dedupeAll && index - windowStart >= plan.chunkSize) {
          seen = new Set()
          windowStart = index
        }
        const checked = Orders.checkOrder(raw, index, seen)
        if (Either.isLeft(checked)) clientRejected.push(checked.left)
        else valid.push(checked.right)
      }
      return valid
    }

    const validChunks: Stream.Stream<Chunk.Chunk<Order>, E, R> = plan.source.pipe(
      Stream.mapChunks((chunk) => Chunk.unsafeFromArray(check(chunk))),
      Stream.grouped(plan.chunkSize)
    )

    // An array that fits one request skips the Stream machinery (most calls).
    const single = plan.array !== undefined && plan.array.length <= plan.chunkSize ? check(plan.array) : undefined

    return Effect.gen(function*() {
      const outcome = (
        merged: Merged,
        answer: { readonly retMsg: string; readonly responseID: string },
        first: Option.Option<First>
      ): Outcome<First> => ({
        totalCount: total,
        successCount: merged.successCount,
        errList: [...clientRejected, ...merged.rejected],
        failures: merged.failures,
        requests: merged.requests,
        retMsg: answer.retMsg,
        responseID: answer.responseID,
        first
      })

      const cap = yield* Ref.make(plan.chunkSize)
      const halve = (size: number) => Ref.updateAndGet(cap, (c) => Math.min(c, Math.ceil(size / 2)))
      const inspect = plan.inspect ?? (() => Effect.void)

      const reconcile = plan.reconcile

      // After a request that followed an ambiguous one, the platform may
      // refuse orders because the earlier request did import them: those
      // found on the platform are imported, not rejected.
      const confirmRejections = (orders: ReadonlyArray<Order>, merged: Merged): Effect.Effect<Merged> => {
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

      // Sends one piece with `rest`; an ambiguous failure is reconciled:
      // orders found on the platform count as imported, the others are sent
      // again, round after round, within the retry policy's budget. A 4001
      // hands the orders still pending back for halving.
      const sendPiece = (
        piece: ReadonlyArray<Order>
      ): Effect.Effect<{ readonly merged: Merged; readonly tooMany: ReadonlyArray<Order> }> =>
        Effect.gen(function*() {
          let acc = emptyMerged()
          let pending = piece
          let ambiguous = false
          const pause = reconcile === undefined ? undefined : yield* reconcile.pauses
          while (true) {
            const sent = yield* Effect.either(Effect.zipRight(inspect(pending), plan.rest(pending)))
            if (Either.isRight(sent)) {
              const merged = answered(pending, sent.right)
              acc = merge(acc, ambiguous ? yield* confirmRejections(pending, merged) : merged)
              return { merged: acc, tooMany: [] }
            }
            const error = sent.left
            if (isTooMany(error) && pending.length > 1) return { merged: acc, tooMany: pending }
            if (reconcile === undefined || pause === undefined || !(ambiguous || isAmbiguous(error))) {
              return { merged: merge(acc, failed(plan.restEndpoint, pending, error)), tooMany: [] }
            }
            ambiguous = true
            const lookup = yield* Effect.either(reconcile.present(pending))
            if (Either.isLeft(lookup)) {
              return { merged: merge(acc, failed(plan.restEndpoint, pending, error)), tooMany: [] }
            }
            const { found, missing } = partition(pending, lookup.right)
            acc = merge(acc, reconciled(found.length))
            if (missing.length === 0) return { merged: acc, tooMany: [] }
            pending = missing
            if (!(yield* pause(error))) {
              return { merged: merge(acc, failed(plan.restEndpoint, pending, error, false)), tooMany: [] }
            }
          }
        })

      // Sends one chunk with `rest`, in pieces no larger than what the
      // platform has accepted so far (re-read before each piece, so a 4001
      // anywhere shrinks every later piece); never fails.
      const sendChunk = (orders: ReadonlyArray<Order>): Effect.Effect<Merged> =>
        Effect.gen(function*() {
          let acc = emptyMerged()
          let pending: ReadonlyArray<Order> = orders
          while (pending.length > 0) {
            const size = yield* Ref.get(cap)
            const piece = pending.slice(0, size)
            const later = pending.slice(size)
            const { merged, tooMany } = yield* sendPiece(piece)
            acc = merge(acc, merged)
            if (tooMany.length > 0) yield* halve(tooMany.length)
            pending = [...tooMany, ...later]
          }
          return acc
        })

      const runRest = (chunks: Stream.Stream<Chunk.Chunk<Order>, E, R>) =>
        chunks.pipe(
          Stream.mapEffect((chunk) => sendChunk(Chunk.toReadonlyArray(chunk)), { concurrency: plan.concurrency }),
          Stream.runFold(emptyMerged(), merge)
        )

      const first = plan.first
      if (first === undefined) {
        const merged = single === undefined
          ? yield* runRest(validChunks)
          : single.length === 0
          ? emptyMerged()
          : yield* sendChunk(single)
        // Nothing went through (no answer and nothing found by reconciliation).
        if (merged.requests === 0 && merged.successCount === 0) {
          const firstFailure = merged.failures[0]
          // Nothing went through: fail with the error itself (nothing is lost).
          if (firstFailure !== undefined) return yield* Effect.fail(firstFailure.error)
          return yield* Effect.fail(Orders.noValidOrders(plan.endpoint, clientRejected))
        }
        return outcome(merged, Option.getOrElse(merged.firstAnswer, () => ({ retMsg: "", responseID: "" })), Option.none())
      }

      type FirstSent = {
        readonly result: First
        readonly sent: ReadonlyArray<Order>
        readonly leftover: ReadonlyArray<Order>
        /** Settled by reconciliation: no answer of the platform's was read. */
        readonly reconciled: boolean
      }

      // Sends the first request once; an ambiguous failure is reconciled:
      // if it took effect, the orders it did not carry over go with `rest`;
      // if it did not, it is sent again within the retry policy's budget.
      const sendFirstOnce = (orders: ReadonlyArray<Order>): Effect.Effect<FirstSent, ExecuteError> =>
        Effect.gen(function*() {
          const settle = reconcile?.first
          const pause = reconcile === undefined ? undefined : yield* reconcile.pauses
          let ambiguous = false
          while (true) {
            const sent = yield* Effect.either(Effect.zipRight(inspect(orders), first.send(orders)))
            if (Either.isRight(sent)) return { result: sent.right, sent: orders, leftover: [], reconciled: false }
            const error = sent.left
            if (settle === undefined || pause === undefined || !(ambiguous || isAmbiguous(error))) {
              return yield* Effect.fail(error)
            }
            ambiguous = true
            const found = yield* Effect.mapError(settle(orders), () => error)
            if (Option.isSome(found)) {
              const { found: present, missing } = partition(orders, found.value.present)
              return { result: found.value.result, sent: present, leftover: missing, reconciled: true }
            }
            if (!(yield* pause(error))) return yield* Effect.fail(error)
          }
        })

      // Sends the first request, halving on 4001 (when allowed); the orders
      // halved away are returned to go with `rest`.
      const sendFirst = (orders: ReadonlyArray<Order>): Effect.Effect<FirstSent, ExecuteError> =>
        sendFirstOnce(orders).pipe(
          Effect.catchIf(
            (error) => first.overflow === "continue" && isTooMany(error) && orders.length > 1,
            () =>
              Effect.flatMap(halve(orders.length), (size) => {
                const [now, later] = splitAt(orders, size)
                return Effect.map(sendFirst(now), (r) => ({ ...r, leftover: [...r.leftover, ...later] }))
              })
          )
        )

      const withFirst = (firstSent: FirstSent, rest: Merged): Outcome<First> => {
        const firstMerged = firstSent.reconciled
          ? { ...answered(firstSent.sent, firstSent.result), requests: 0 }
          : answered(firstSent.sent, firstSent.result)
        return outcome(merge(firstMerged, rest), firstSent.result, Option.some(firstSent.result))
      }

      if (single !== undefined) {
        if (single.length === 0) return yield* Effect.fail(Orders.noValidOrders(plan.endpoint, clientRejected))
        const firstSent = yield* sendFirst(single)
        const rest = firstSent.leftover.length === 0 ? emptyMerged() : yield* sendChunk(firstSent.leftover)
        return withFirst(firstSent, rest)
      }

      return yield* Effect.scoped(Effect.gen(function*() {
        // A pull rather than `Stream.peel`: peel turns an error of the source
        // into a defect when the source goes through `grouped` (effect 3.x).
        const next = yield* puller(validChunks)
        const head = yield* next
        if (Option.isNone(head)) return yield* Effect.fail(Orders.noValidOrders(plan.endpoint, clientRejected))
        if (first.overflow === "fail") {
          // Look before sending: an import cannot be taken back.
          const second = yield* next
          if (Option.isSome(second)) return yield* Effect.fail(tooManyForOneRequest(first.endpoint, plan.chunkSize))
        }
        const rest: Stream.Stream<Chunk.Chunk<Order>, E, R> = Stream.repeatEffectOption(
          Effect.flatMap(Effect.mapError(next, Option.some), (o) => Option.isSome(o) ? Effect.succeed(o.value) : Effect.fail(Option.none()))
        )
        const firstSent = yield* sendFirst(Chunk.toReadonlyArray(head.value))
        const remaining = firstSent.leftover.length === 0
          ? rest
          : Stream.concat(Stream.make(Chunk.fromIterable(firstSent.leftover)), rest)
        return withFirst(firstSent, yield* runRest(remaining))
      }))
    })
  })

/**
 * Reads a stream one element at a time: `none` once it has ended (and on
 * every read after).
 */
const puller = <A, E, R>(
  stream: Stream.Stream<A, E, R>
): Effect.Effect<Effect.Effect<Option.Option<A>, E, R>, never, R | Scope.Scope> =>
  Effect.map(Stream.toPull(stream), (pull) => {
    let buffer: Chunk.Chunk<A> = Chunk.empty()
    let done = false
    const next: Effect.Effect<Option.Option<A>, E, R> = Effect.suspend(() => {
      const item = Chunk.head(buffer)
      if (Option.isSome(item)) {
        buffer = Chunk.drop(buffer, 1)
        return Effect.succeed(item)
      }
      if (done) return Effect.succeed(Option.none())
      return pull.pipe(
        Effect.matchEffect({
          onFailure: Option.match({
            onNone: () => {
              done = true
              return Effect.succeed(Option.none<A>())
            },
            onSome: (error) => Effect.fail(error)
          }),
          onSuccess: (chunk) => {
            buffer = chunk
            return next
          }
        })
      )
    })
    return next
  })
