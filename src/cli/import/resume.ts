/**
 * `--resume`: which orders of a chunk the platform does not hold yet.
 *
 * Looks the chunk's orderIDs up with `listOrderDetail` (the API sends them
 * at most 500 per request) and keeps only the missing ones. This is the one
 * place resuming is decided: once `createAndCall` / `addBatchCall` take
 * `{ resume: true }` themselves, this lookup goes and the import passes that
 * option instead (see `sendChunk` in `run.ts`).
 */
import { Effect } from "effect"
import type * as CallbotApi from "../../CallbotApi.js"
import type * as CallbotError from "../../CallbotError.js"
import type * as Models from "../../Models.js"

export interface Remaining {
  readonly toSend: ReadonlyArray<Models.CallOrderInput>
  /** How many of the chunk the platform holds already. */
  readonly alreadyImported: number
}

export const remaining = (
  api: CallbotApi.CallbotApi,
  userTaskID: string,
  chunk: ReadonlyArray<Models.CallOrderInput>
): Effect.Effect<Remaining, CallbotError.CallbotError> =>
  api.listOrderDetail({ userTaskID, orderList: chunk.map((order) => order.orderID) }).pipe(
    Effect.map((answer) => {
      const held = new Set(answer.orderDetailList.map((order) => order.orderID))
      const toSend = chunk.filter((order) => !held.has(order.orderID))
      return { toSend, alreadyImported: chunk.length - toSend.length }
    })
  )
