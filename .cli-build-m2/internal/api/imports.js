/**
 * The three order imports (`addBatchCall`, `createAndCall`,
 * `importBatchCall`): the request's header is validated, its orders read as
 * a stream, and the import planned for `./importer/run.ts`.
 */
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import * as Predicate from "effect/Predicate";
import * as Stream from "effect/Stream";
import * as Endpoints from "../../Endpoints.js";
import { validate } from "../client/validation.js";
import { importOptions } from "./context.js";
import * as Importer from "./importer/run.js";
import * as Orders from "./orders.js";
import { findTask, presentOrders, reconcilerFor } from "./reconcile.js";
import { warnAboutSmsRules } from "./singles.js";
const readPath = (u, path) => {
    let current = u;
    for (const key of path) {
        if (typeof current !== "object" || current === null || !(key in current))
            return undefined;
        current = Reflect.get(current, key);
    }
    return current;
};
const isStream = (u) => Predicate.hasProperty(u, Stream.StreamTypeId);
const orderSource = (endpoint, input) => {
    const callList = readPath(input, ["callInfoList", "callList"]);
    if (Array.isArray(callList)) {
        return Effect.succeed({ source: Stream.fromIterable(callList), isArray: true, array: callList });
    }
    if (isStream(callList)) {
        // The overloads tie this stream's E and R to the caller's; only the
        // runtime check above can tell it from an array.
        const source = Stream.suspend(() => unsafeStream(callList));
        return Effect.succeed({ source, isArray: false });
    }
    return Effect.fail(Orders.notAnArray(endpoint));
};
function unsafeStream(stream) {
    return stream;
}
/** Warns once per call when orders carry script params while `wholeTTS` is off. */
const paramsWarning = (endpoint, funcFlag) => {
    let warned = funcFlag.wholeTTS;
    return (orders) => Effect.suspend(() => {
        if (warned || !orders.some((order) => order.params.length > 0))
            return Effect.void;
        warned = true;
        return Effect.logWarning(`${endpoint}: orders carry script params but funcFlag.wholeTTS is false`);
    });
};
const callInfoHeader = (header) => ({
    orderCallbackUrl: header.callInfoList.orderCallbackUrl,
    callCallbackUrl: header.callInfoList.callCallbackUrl
});
const importResult = (outcome) => ({
    retCode: 0,
    retMsg: outcome.retMsg,
    responseID: outcome.responseID,
    totalCount: outcome.totalCount,
    successCount: outcome.successCount,
    errList: outcome.errList,
    failures: outcome.failures,
    requests: outcome.requests
});
const annotateImport = (userTaskID, outcome) => Effect.annotateCurrentSpan({
    "callbot.userTaskID": userTaskID,
    "callbot.orders": outcome.totalCount,
    "callbot.imported": outcome.successCount,
    "callbot.rejected": outcome.errList.length,
    "callbot.requests": outcome.requests,
    "callbot.failedRequests": outcome.failures.length
});
/**
 * What every import starts with, checked in this order: its options, its
 * header (with the callback URLs every request repeats) and its orders (the
 * plan's common part).
 */
const prologue = (ctx, endpoint, perCall, headerSchema, input, source) => Effect.flatMap(importOptions(ctx, endpoint, perCall), (opts) => Effect.flatMap(validate(endpoint, headerSchema, input), (header) => Effect.map(source, ({ array, isArray, source }) => ({
    opts,
    header,
    callInfo: callInfoHeader(header),
    orders: {
        endpoint,
        array,
        source,
        dedupeAll: isArray,
        chunkSize: opts.chunkSize,
        concurrency: opts.concurrency
    }
}))));
export const addBatchCall = (ctx, input, perCall) => Effect.gen(function* () {
    const endpoint = Endpoints.addBatchCall.name;
    const { callInfo, header, orders } = yield* prologue(ctx, endpoint, perCall, Endpoints.AddBatchCallHeader, input, orderSource(endpoint, input));
    const send = (callList) => ctx.client.execute(Endpoints.addBatchCall, { ...header, callInfoList: { ...callInfo, callList } });
    const outcome = yield* Importer.run({
        ...orders,
        rest: send,
        restEndpoint: endpoint,
        reconcile: yield* reconcilerFor(ctx.client, header.productID, header.userTaskID)
    });
    yield* annotateImport(header.userTaskID, outcome);
    return importResult(outcome);
}).pipe(Effect.withSpan("CallbotApi.addBatchCall"));
/** After an ambiguous `createAndCall`: the task exists (found by userTaskID), its missing orders go on with addBatchCall. */
const createdTask = (ctx, header) => (orders) => Effect.gen(function* () {
    const task = yield* findTask(ctx.client, header.productID, header.userTaskID);
    if (Option.isNone(task))
        return Option.none();
    const present = yield* presentOrders(ctx.client, header.productID, header.userTaskID)(orders);
    return Option.some({
        present,
        result: {
            retCode: 0,
            retMsg: "reconciled: the task exists",
            responseID: "",
            taskID: task.value.taskID,
            totalCount: orders.length,
            successCount: orders.filter((o) => present.has(o.orderID)).length,
            errList: []
        }
    });
});
export const createAndCall = (ctx, input, perCall) => Effect.gen(function* () {
    const endpoint = Endpoints.createAndCall.name;
    const { callInfo, header, orders } = yield* prologue(ctx, endpoint, perCall, Endpoints.CreateAndCallHeader, input, orderSource(endpoint, input));
    yield* warnAboutSmsRules(endpoint, header.funcFlag);
    const outcome = yield* Importer.run({
        ...orders,
        first: {
            endpoint,
            overflow: "continue",
            send: (callList) => ctx.client.execute(Endpoints.createAndCall, { ...header, callInfoList: { ...callInfo, callList } })
        },
        rest: (callList) => ctx.client.execute(Endpoints.addBatchCall, {
            productID: header.productID,
            userTaskID: header.userTaskID,
            callInfoList: { ...callInfo, callList }
        }),
        restEndpoint: Endpoints.addBatchCall.name,
        inspect: paramsWarning(endpoint, header.funcFlag),
        reconcile: yield* reconcilerFor(ctx.client, header.productID, header.userTaskID, createdTask(ctx, header))
    });
    yield* annotateImport(header.userTaskID, outcome);
    const created = Option.map(outcome.first, (first) => first.taskID);
    return {
        ...importResult(outcome),
        taskID: Option.getOrElse(created, () => "")
    };
}).pipe(Effect.withSpan("CallbotApi.createAndCall"));
/**
 * After an ambiguous `importBatchCall`: orders of this import found on the
 * platform mean the batch was created, and the missing ones are added to it.
 * None found: the import is sent again (it replaces the previous batch
 * either way).
 */
const createdBatch = (ctx, header) => (orders) => Effect.map(presentOrders(ctx.client, header.productID, header.userTaskID)(orders), (present) => {
    const successCount = orders.filter((o) => present.has(o.orderID)).length;
    return successCount === 0 ? Option.none() : Option.some({
        present,
        result: {
            retCode: 0,
            retMsg: "reconciled: the batch exists",
            responseID: "",
            totalCount: orders.length,
            successCount,
            errList: []
        }
    });
});
export const importBatchCall = (ctx, input, perCall) => Effect.gen(function* () {
    const endpoint = Endpoints.importBatchCall.name;
    const { callInfo, header, opts, orders } = yield* prologue(ctx, endpoint, perCall, Endpoints.AddBatchCallHeader, input, orderSource(endpoint, input));
    const outcome = yield* Importer.run({
        ...orders,
        first: {
            endpoint,
            overflow: opts.overflow === "addBatchCall" ? "continue" : "fail",
            send: (callList) => ctx.client.execute(Endpoints.importBatchCall, { ...header, callInfoList: { ...callInfo, callList } }, { gzipRequest: opts.gzip })
        },
        rest: (callList) => ctx.client.execute(Endpoints.addBatchCall, { ...header, callInfoList: { ...callInfo, callList } }),
        restEndpoint: Endpoints.addBatchCall.name,
        reconcile: yield* reconcilerFor(ctx.client, header.productID, header.userTaskID, createdBatch(ctx, header))
    });
    yield* annotateImport(header.userTaskID, outcome);
    const batchID = Option.getOrUndefined(Option.flatMapNullable(outcome.first, (first) => first.batchID));
    return {
        ...importResult(outcome),
        ...(batchID === undefined ? {} : { batchID })
    };
}).pipe(Effect.withSpan("CallbotApi.importBatchCall"));
