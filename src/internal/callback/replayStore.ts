/**
 * What every replay store shares: the service tag, the error, the claim
 * answers and the claim token.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Schema from "effect/Schema"
import type * as ReplayStore from "../../ReplayStore.js"

/** @internal */
export class ReplayStoreError extends Schema.TaggedError<ReplayStoreError>()("ReplayStoreError", {
  operation: Schema.Literal("claim", "complete", "release", "extend"),
  description: Schema.String
}) {
  override get message() {
    return `replay store: ${this.operation} failed: ${this.description}`
  }
}

/** @internal */
export const Claim: {
  readonly claimed: (token: string) => ReplayStore.Claim
  readonly inFlight: ReplayStore.Claim
  readonly done: ReplayStore.Claim
} = {
  claimed: (token) => ({ _tag: "Claimed", token }),
  inFlight: { _tag: "InFlight" },
  done: { _tag: "Done" }
}

/** @internal */
export const tag: Context.Tag<ReplayStore.ReplayStore, ReplayStore.ReplayStore> = Context.GenericTag<
  ReplayStore.ReplayStore
>("effect-callbot/ReplayStore")

/** A fresh claim token. @internal */
export const makeToken = (): string => globalThis.crypto.randomUUID()

/** An entry as both stores keep it. @internal */
export interface Entry {
  readonly state: "inflight" | "done"
  readonly expiresAt: number
  readonly token: string
}
