/**
 * The resume step of an import (`resume: true`): before a chunk is sent, its
 * orders are looked up on the platform and only those it does not hold go
 * out, so a run that follows a crashed one dials nobody twice.
 *
 * The lookup is per chunk, inside the chunk's slot of the import's bounded
 * concurrency: memory stays flat for any list length (nothing is collected
 * across chunks but the count of orders found).
 */
import * as Effect from "effect/Effect"
import { failed, merge, type Merged, partition, reconciled } from "./accounting.js"
import type { Order, Resume } from "./plan.js"

/** The per-chunk step of a resumed import, and the count of orders it found. */
export interface Resumer {
  readonly chunk: (orders: ReadonlyArray<Order>) => Effect.Effect<Merged>
  readonly alreadyImported: () => number
}

/**
 * Wraps `send` (a chunk's normal sending) with the lookup of `resume`.
 * Found orders count as imported (`successCount`) and as already imported;
 * a lookup that fails for good reports the whole chunk as failed, with
 * `maybeImported: true` (an earlier run may have sent any of it), and sends
 * none of it: a blind send could dial someone twice.
 */
export const makeResumer = (resume: Resume, send: (orders: ReadonlyArray<Order>) => Effect.Effect<Merged>): Resumer => {
  let alreadyImported = 0
  const chunk = (orders: ReadonlyArray<Order>): Effect.Effect<Merged> =>
    resume.present(orders).pipe(
      Effect.matchEffect({
        onFailure: (error) => Effect.succeed(failed(resume.endpoint, orders, error, true)),
        onSuccess: (present) => {
          const { found, missing } = partition(orders, present)
          alreadyImported += found.length
          const held = reconciled(found.length)
          return missing.length === 0 ? Effect.succeed(held) : Effect.map(send(missing), (sent) => merge(held, sent))
        }
      })
    )
  return { chunk, alreadyImported: () => alreadyImported }
}
