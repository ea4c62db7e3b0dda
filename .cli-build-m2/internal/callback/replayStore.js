/**
 * What every replay store shares: the service tag, the error, the claim
 * answers and the claim token.
 *
 * @internal
 */
import * as Context from "effect/Context";
import * as Schema from "effect/Schema";
/** @internal */
export class ReplayStoreError extends Schema.TaggedError()("ReplayStoreError", {
    operation: Schema.Literal("claim", "complete", "release", "extend"),
    description: Schema.String
}) {
    get message() {
        return `replay store: ${this.operation} failed: ${this.description}`;
    }
}
/** @internal */
export const Claim = {
    claimed: (token) => ({ _tag: "Claimed", token }),
    inFlight: { _tag: "InFlight" },
    done: { _tag: "Done" }
};
/** @internal */
export const tag = Context.GenericTag("effect-callbot/ReplayStore");
/** A fresh claim token. @internal */
export const makeToken = () => globalThis.crypto.randomUUID();
