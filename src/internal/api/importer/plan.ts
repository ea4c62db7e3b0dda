/**
 * What one order import is told (`Plan`) and what it answers (`Outcome`).
 */
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Stream from "effect/Stream"
import type * as CallbotApi from "../../../CallbotApi.js"
import type { ExecuteError } from "../../../CallbotClient.js"
import type * as Models from "../../../Models.js"
import type * as RetryPolicy from "../../../RetryPolicy.js"

/** A valid order, as sent. */
export type Order = Models.CallOrderWire

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
  readonly failures: ReadonlyArray<CallbotApi.ChunkFailure>
  /** Requests that were answered with `retCode` 0. */
  readonly requests: number
  /** Orders found on the platform by {@link Plan.resume} and not sent. */
  readonly alreadyImported: number
  /** The first answer (of `first` when given, else of the first successful chunk). */
  readonly retMsg: string
  readonly responseID: string
  /** `first`'s whole answer, when `first` was given. */
  readonly first: Option.Option<First>
}

/** The request that must succeed before any other is sent (see {@link Plan.first}). */
export interface FirstRequest<First> {
  readonly send: (orders: ReadonlyArray<Order>) => Effect.Effect<First, ExecuteError>
  readonly overflow: "continue" | "fail"
  readonly endpoint: string
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
  /** Reject a valid order whose phone an earlier order of the call has (`dedupe: "phone"`). */
  readonly dedupePhones?: boolean | undefined
  /**
   * Look each chunk's orders up before sending it and send only those the
   * platform does not hold (`resume: true`, see `./resume.ts`).
   */
  readonly resume?: Resume | undefined
  /**
   * The request that must succeed before any other is sent (`createAndCall`
   * creates the task, `importBatchCall` starts the batch). Its failure fails
   * the whole import. `overflow: "fail"` refuses an input needing more than
   * this one request (checked before anything is sent) and does not halve it
   * on 4001.
   */
  readonly first?: FirstRequest<First> | undefined
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
  /** The policy whose waits separate the rounds (a fresh budget for each request). */
  readonly policy: RetryPolicy.RetryPolicy
}

/** The lookup of `resume`: what an earlier run left on the platform. */
export interface Resume {
  /** The orderIDs among `orders` that the platform holds (`listOrderDetail`, retried like every read). */
  readonly present: (orders: ReadonlyArray<Order>) => Effect.Effect<ReadonlySet<string>, ExecuteError>
  /** The endpoint of the lookup, for the failures it reports. */
  readonly endpoint: string
}
