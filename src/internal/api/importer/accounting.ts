/**
 * Result accounting of an import: each request's answer (or failure) as a
 * `Merged` value, folded into one.
 */
import * as Option from "effect/Option"
import type * as CallbotApi from "../../../CallbotApi.js"
import * as CallbotError from "../../../CallbotError.js"
import type { ExecuteError } from "../../../CallbotClient.js"
import * as Models from "../../../Models.js"
import * as RetryPolicy from "../../../RetryPolicy.js"
import * as Orders from "../orders.js"
import type { Order, SendResult } from "./plan.js"

/** What some requests of an import add up to. */
export interface Merged {
  readonly successCount: number
  readonly rejected: Array<Models.RejectedOrder>
  readonly failures: Array<CallbotApi.ChunkFailure>
  readonly requests: number
  readonly firstAnswer: Option.Option<{ readonly retMsg: string; readonly responseID: string }>
}

export const emptyMerged = (): Merged => ({
  successCount: 0,
  rejected: [],
  failures: [],
  requests: 0,
  firstAnswer: Option.none()
})

export const merge = (a: Merged, b: Merged): Merged => {
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

export const isTooMany = (error: ExecuteError): error is CallbotError.TooManyElements =>
  error._tag === "TooManyElements"

export const isAmbiguous = (error: ExecuteError): boolean => RetryPolicy.classify(error) === "ambiguous"

export const splitAt = <A>(items: ReadonlyArray<A>, n: number): [ReadonlyArray<A>, ReadonlyArray<A>] => [
  items.slice(0, n),
  items.slice(n)
]

/** The orders the platform has (`present`) and those it does not. */
export const partition = (orders: ReadonlyArray<Order>, present: ReadonlySet<string>) => {
  const found: Array<Order> = []
  const missing: Array<Order> = []
  for (const order of orders) (present.has(order.orderID) ? found : missing).push(order)
  return { found, missing }
}

/** The merged answer of one successful request. */
export const answered = (orders: ReadonlyArray<Order>, result: SendResult): Merged => {
  const rejected = Orders.serverRejections(orders, result.errList)
  return {
    successCount: result.successCount ?? Math.max(0, orders.length - result.errList.length),
    rejected,
    failures: [],
    requests: 1,
    firstAnswer: Option.some({ retMsg: result.retMsg, responseID: result.responseID })
  }
}

/** Orders found on the platform by reconciliation: imported, by no answer of ours. */
export const reconciled = (found: number): Merged => ({
  successCount: found,
  rejected: [],
  failures: [],
  requests: 0,
  firstAnswer: Option.none()
})

/** One failed request: its orders are reported, not lost. */
export const failed = (
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

export const tooManyForOneRequest = (endpoint: string, chunkSize: number): CallbotError.InvalidRequest => {
  const issue = new CallbotError.ValidationIssue({
    field: "callInfoList.callList",
    description: `has more than ${chunkSize} valid orders, which would take several ${endpoint} requests; ` +
      `each ${endpoint} starts a new batch and deletes the undialled numbers of the previous one. ` +
      `Raise chunkSize, or pass overflow: "addBatchCall" to add the rest to the new batch's task with addBatchCall`
  })
  return new CallbotError.InvalidRequest({ endpoint, ...issue, issues: [issue] })
}
