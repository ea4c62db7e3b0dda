/**
 * The requests after the first one of an import (`addBatchCall`): each
 * chunk is sent in pieces no larger than what the platform has accepted so
 * far, a piece answered 4001 is halved, and an ambiguous failure is
 * reconciled before anything is sent again.
 */
import * as Chunk from "effect/Chunk";
import * as Effect from "effect/Effect";
import * as Either from "effect/Either";
import * as Ref from "effect/Ref";
import * as Stream from "effect/Stream";
import * as Retry from "../../retry/schedule.js";
import { answered, emptyMerged, failed, isAmbiguous, isTooMany, merge, partition, reconciled } from "./accounting.js";
/** Lowers the cap to half of a piece refused with 4001; answers the new cap. */
export const halve = (ctx, size) => Ref.updateAndGet(ctx.cap, (c) => Math.min(c, Math.ceil(size / 2)));
// After a request that followed an ambiguous one, the platform may
// refuse orders because the earlier request did import them: those
// found on the platform are imported, not rejected.
const confirmRejections = (reconcile, orders, merged) => {
    if (reconcile === undefined || merged.rejected.length === 0)
        return Effect.succeed(merged);
    const refused = new Set(merged.rejected.flatMap((r) => (r.orderID === undefined ? [] : [r.orderID])));
    return reconcile.present(orders.filter((o) => refused.has(o.orderID))).pipe(Effect.map((present) => {
        const rejected = merged.rejected.filter((r) => r.orderID === undefined || !present.has(r.orderID));
        return {
            ...merged,
            successCount: merged.successCount + (merged.rejected.length - rejected.length),
            rejected
        };
    }), Effect.orElseSucceed(() => merged));
};
// Sends one piece with `rest`; an ambiguous failure is reconciled:
// orders found on the platform count as imported, the others are sent
// again, round after round, within the retry policy's budget. A 4001
// hands the orders still pending back for halving.
const sendPiece = (ctx, piece) => Effect.suspend(() => {
    const reconcile = ctx.reconcile;
    let acc = emptyMerged();
    let pending = piece;
    let ambiguous = false;
    const settled = (merged) => ({ merged, tooMany: [] });
    const failedNow = (error, maybe) => settled(merge(acc, failed(ctx.restEndpoint, pending, error, maybe)));
    // Fails with the error after which the missing orders go again.
    const afterFailure = (error) => {
        if (isTooMany(error) && pending.length > 1)
            return Effect.succeed({ merged: acc, tooMany: pending });
        if (reconcile === undefined || !(ambiguous || isAmbiguous(error)))
            return Effect.succeed(failedNow(error));
        ambiguous = true;
        return Effect.flatMap(Effect.either(reconcile.present(pending)), (lookup) => {
            if (Either.isLeft(lookup))
                return Effect.succeed(failedNow(error));
            const { found, missing } = partition(pending, lookup.right);
            acc = merge(acc, reconciled(found.length));
            if (missing.length === 0)
                return Effect.succeed(settled(acc));
            pending = missing;
            return Effect.fail(error);
        });
    };
    const round = Effect.suspend(() => Effect.zipRight(ctx.inspect(pending), ctx.rest(pending))).pipe(Effect.matchEffect({
        onSuccess: (answer) => answered(ctx.restEndpoint, pending, answer).pipe(Effect.flatMap((merged) => (ambiguous ? confirmRejections(reconcile, pending, merged) : Effect.succeed(merged))), Effect.map((confirmed) => settled(merge(acc, confirmed)))),
        onFailure: afterFailure
    }));
    // The waits are used up: what is still missing is reported as not imported.
    const exhausted = (error) => Effect.succeed(failedNow(error, false));
    // Without reconciliation a round never asks to go again.
    return reconcile === undefined
        ? Effect.catchAll(round, exhausted)
        : Retry.rounds(reconcile.policy, Effect.map(round, Either.right), exhausted);
});
// Sends one chunk with `rest`, in pieces no larger than what the
// platform has accepted so far (re-read before each piece, so a 4001
// anywhere shrinks every later piece); never fails. A loop rather than a
// retry: each turn sends a different piece (halving changes the request).
export const sendChunk = (ctx, orders) => Effect.gen(function* () {
    let acc = emptyMerged();
    let pending = orders;
    while (pending.length > 0) {
        const size = yield* Ref.get(ctx.cap);
        const piece = pending.slice(0, size);
        const later = pending.slice(size);
        const { merged, tooMany } = yield* sendPiece(ctx, piece);
        acc = merge(acc, merged);
        if (tooMany.length > 0)
            yield* halve(ctx, tooMany.length);
        pending = [...tooMany, ...later];
    }
    return acc;
});
/** Sends every chunk of a stream, `concurrency` at a time, and folds the answers. */
export const sendChunks = (ctx, chunks, concurrency) => chunks.pipe(Stream.mapEffect((chunk) => sendChunk(ctx, Chunk.toReadonlyArray(chunk)), { concurrency }), Stream.runFold(emptyMerged(), merge));
