/**
 * Resuming an import across runs (`resume: true`): the task is looked up by
 * its `userTaskID` before anything is sent, and when it exists each chunk's
 * orders are looked up by their `orderID`s (the lookups of `./reconcile.ts`,
 * the same ones that settle an ambiguous answer within a run).
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { ExecuteError } from "../../CallbotClient.js"
import * as CallbotError from "../../CallbotError.js"
import * as Endpoints from "../../Endpoints.js"
import type * as Models from "../../Models.js"
import type { ApiContext } from "./context.js"
import type { Resume } from "./importer/plan.js"
import { findTask, presentOrders } from "./reconcile.js"

/** A task an earlier run created, and the per-chunk lookup of its orders. */
export interface ResumedTask {
  readonly task: Models.TaskInfo
  readonly resume: Resume
}

/**
 * The task of `userTaskID` with the lookup of its orders, if the platform
 * has the task (`None`: nothing of it can be held, nothing to look up).
 */
export const existingTask = (
  ctx: ApiContext,
  productID: typeof Models.PRODUCT_ID,
  userTaskID: string
): Effect.Effect<Option.Option<ResumedTask>, ExecuteError> =>
  Effect.map(findTask(ctx.client, productID, userTaskID), (task) =>
    Option.map(task, (task): ResumedTask => ({
      task,
      resume: { present: presentOrders(ctx.client, productID, userTaskID), endpoint: Endpoints.listOrderDetail.name }
    })))

/**
 * A `createAndCall` refused with `InvalidParameterValue` (4) because its
 * `userTaskID` exists: the same error, with a message that says how to go
 * on. Any other error, or a task that cannot be found, is left as it is.
 */
export const hintResume = (ctx: ApiContext, productID: typeof Models.PRODUCT_ID, userTaskID: string) =>
<E>(error: E): Effect.Effect<never, E | CallbotError.InvalidParameterValue> => {
  if (!(error instanceof CallbotError.InvalidParameterValue)) return Effect.fail(error)
  return findTask(ctx.client, productID, userTaskID).pipe(
    Effect.option,
    Effect.flatMap((found) =>
      Effect.fail(
        Option.isSome(Option.flatten(found))
          ? CallbotError.InvalidParameterValue.fromFields({
            retMsg: `${error.retMsg}; task ${JSON.stringify(userTaskID)} exists: ` +
              "pass { resume: true } to continue the import (only the orders the platform does not hold are sent)",
            responseID: error.responseID,
            requestID: error.requestID,
            endpoint: error.endpoint
          })
          : error
      )
    )
  )
}

/** The `InvalidRequest` for `resume` on `importBatchCall` (each one replaces the batch: nothing to resume). */
export const resumeRefused = (endpoint: string): CallbotError.InvalidRequest => {
  const issue = new CallbotError.ValidationIssue({
    field: "options.resume",
    description: `is not supported by ${endpoint} (each one starts a new batch); ` +
      "resume with createAndCall or addBatchCall"
  })
  return new CallbotError.InvalidRequest({ endpoint, ...issue, issues: [issue] })
}
