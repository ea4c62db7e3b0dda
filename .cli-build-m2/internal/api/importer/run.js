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
import * as Chunk from "effect/Chunk";
import * as Effect from "effect/Effect";
import * as Either from "effect/Either";
import * as Option from "effect/Option";
import * as Ref from "effect/Ref";
import * as Stream from "effect/Stream";
import * as Orders from "../orders.js";
import { emptyMerged, tooManyForOneRequest } from "./accounting.js";
import { sendFirst, withFirst } from "./first.js";
import { puller, remaining } from "./pull.js";
import { sendChunk, sendChunks } from "./rest.js";
const makeChecker = (dedupeAll, chunkSize) => {
    const rejected = [];
    let total = 0;
    let seen = new Set();
    let windowStart = 0;
    const check = (raws) => {
        const valid = [];
        for (const raw of raws) {
            const index = total++;
            if (!dedupeAll && index - windowStart >= chunkSize) {
                seen = new Set();
                windowStart = index;
            }
            const checked = Orders.checkOrder(raw, index, seen);
            if (Either.isLeft(checked))
                rejected.push(checked.left);
            else
                valid.push(checked.right);
        }
        return valid;
    };
    return { check, rejected, total: () => total };
};
const outcome = (checker, merged, answer, first) => ({
    totalCount: checker.total(),
    successCount: merged.successCount,
    errList: [...checker.rejected, ...merged.rejected],
    failures: merged.failures,
    requests: merged.requests,
    retMsg: answer.retMsg,
    responseID: answer.responseID,
    first
});
/** An import with no first request (`addBatchCall`): every chunk goes with `rest`. */
const runRestOnly = (ctx, plan, input) => Effect.gen(function* () {
    const { checker, single } = input;
    const merged = single === undefined
        ? yield* sendChunks(ctx, input.chunks, plan.concurrency)
        : single.length === 0
            ? emptyMerged()
            : yield* sendChunk(ctx, single);
    // Nothing went through (no answer and nothing found by reconciliation).
    if (merged.requests === 0 && merged.successCount === 0) {
        const firstFailure = merged.failures[0];
        // Nothing went through: fail with the error itself (nothing is lost).
        if (firstFailure !== undefined)
            return yield* Effect.fail(firstFailure.error);
        return yield* Effect.fail(Orders.noValidOrders(plan.endpoint, checker.rejected));
    }
    const answer = Option.getOrElse(merged.firstAnswer, () => ({ retMsg: "", responseID: "" }));
    return outcome(checker, merged, answer, Option.none());
});
/** An import whose first request must succeed before the rest go with `rest`. */
const runWithFirst = (ctx, plan, first, input) => {
    const { checker, single } = input;
    if (single !== undefined) {
        return Effect.gen(function* () {
            if (single.length === 0)
                return yield* Effect.fail(Orders.noValidOrders(plan.endpoint, checker.rejected));
            const firstSent = yield* sendFirst(ctx, first, single);
            const rest = firstSent.leftover.length === 0 ? emptyMerged() : yield* sendChunk(ctx, firstSent.leftover);
            const merged = yield* withFirst(first.endpoint, firstSent, rest);
            return outcome(checker, merged, firstSent.result, Option.some(firstSent.result));
        });
    }
    return Effect.scoped(Effect.gen(function* () {
        // A pull rather than `Stream.peel`: peel turns an error of the source
        // into a defect when the source goes through `grouped` (effect 3.x).
        const next = yield* puller(input.chunks);
        const head = yield* next;
        if (Option.isNone(head))
            return yield* Effect.fail(Orders.noValidOrders(plan.endpoint, checker.rejected));
        if (first.overflow === "fail") {
            // Look before sending: an import cannot be taken back.
            const second = yield* next;
            if (Option.isSome(second))
                return yield* Effect.fail(tooManyForOneRequest(first.endpoint, plan.chunkSize));
        }
        const firstSent = yield* sendFirst(ctx, first, Chunk.toReadonlyArray(head.value));
        const rest = firstSent.leftover.length === 0
            ? remaining(next)
            : Stream.concat(Stream.make(Chunk.fromIterable(firstSent.leftover)), remaining(next));
        const merged = yield* withFirst(first.endpoint, firstSent, yield* sendChunks(ctx, rest, plan.concurrency));
        return outcome(checker, merged, firstSent.result, Option.some(firstSent.result));
    }));
};
/** Runs one import. */
export const run = (plan) => Effect.suspend(() => {
    const checker = makeChecker(plan.dedupeAll, plan.chunkSize);
    const chunks = plan.source.pipe(Stream.mapChunks((chunk) => Chunk.unsafeFromArray(checker.check(chunk))), Stream.grouped(plan.chunkSize));
    // An array that fits one request skips the Stream machinery (most calls).
    const single = plan.array !== undefined && plan.array.length <= plan.chunkSize ? checker.check(plan.array) : undefined;
    const input = { checker, single, chunks };
    return Effect.flatMap(Ref.make(plan.chunkSize), (cap) => {
        const ctx = {
            rest: plan.rest,
            restEndpoint: plan.restEndpoint,
            reconcile: plan.reconcile,
            cap,
            inspect: plan.inspect ?? (() => Effect.void)
        };
        return plan.first === undefined ? runRestOnly(ctx, plan, input) : runWithFirst(ctx, plan, plan.first, input);
    });
});
