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

// How the platform may word "this userTaskID exists" (its messages are not
// documented): the ID itself, the field's name, or "exists" in English or Chinese.
const saysTaskExists = (retMsg: string, userTaskID: string): boolean => {
  const lower = retMsg.toLowerCase()
  return retMsg.includes(userTaskID) || lower.includes("usertaskid") || lower.includes("exist") ||
    retMsg.includes("已存在") || retMsg.includes("重复")
}

/**
 * A `createAndCall` refused with `InvalidParameterValue` (4) whose message
 * says the `userTaskID` exists: the same error, with a message that says how
 * to go on. Read from the answer alone (no lookup: a refused call sends
 * nothing more); any other error is left as it is.
 */
export const hintResume = (userTaskID: string) => <E>(error: E): Effect.Effect<never, E | CallbotError.InvalidParameterValue> =>
  Effect.fail(
    error instanceof CallbotError.InvalidParameterValue && saysTaskExists(error.retMsg, userTaskID)
      ? CallbotError.InvalidParameterValue.fromFields({
        retMsg: `${error.retMsg}; if task ${JSON.stringify(userTaskID)} is an earlier run's, ` +
          "pass { resume: true } to continue the import (only the orders the platform does not hold are sent)",
        responseID: error.responseID,
        requestID: error.requestID,
        endpoint: error.endpoint
      })
      : error
  )

/** The `InvalidRequest` for `resume` on `importBatchCall` (each one replaces the batch: nothing to resume). */
export const resumeRefused = (endpoint: string): CallbotError.InvalidRequest => {
  const issue = new CallbotError.ValidationIssue({
    field: "options.resume",
    description: `is not supported by ${endpoint} (each one starts a new batch); ` +
      "resume with createAndCall or addBatchCall"
  })
  return new CallbotError.InvalidRequest({ endpoint, ...issue, issues: [issue] })
}
