/**
 * The API assembled from its parts: single requests, lists, split calls and
 * imports, each built from one context record.
 */
import * as Effect from "effect/Effect";
import * as CallbotClient from "../../CallbotClient.js";
import { makeContext } from "./context.js";
import * as Imports from "./imports.js";
import * as Lists from "./lists.js";
import * as Singles from "./singles.js";
import * as Split from "./split.js";
/**
 * The imports with their overloads: a `Stream` of orders carries its error
 * and requirements into the result; an array adds none.
 */
const imports = (ctx) => {
    function addBatchCall(input, perCall) {
        return Imports.addBatchCall(ctx, input, perCall);
    }
    function createAndCall(input, perCall) {
        return Imports.createAndCall(ctx, input, perCall);
    }
    function importBatchCall(input, perCall) {
        return Imports.importBatchCall(ctx, input, perCall);
    }
    return { addBatchCall, createAndCall, importBatchCall };
};
/** @internal */
export const makeWith = (apiOptions = {}) => Effect.map(CallbotClient.CallbotClient, (client) => {
    const ctx = makeContext(client, apiOptions);
    const mgrTaskStatus = Singles.mgrTaskStatus(ctx);
    return {
        ping: Singles.ping(ctx),
        createTask: Singles.createTask(ctx),
        ...imports(ctx),
        mgrTaskStatus,
        ...Singles.taskOperations(mgrTaskStatus),
        updateTask: Singles.updateTask(ctx),
        listTask: Lists.listTask(ctx),
        listCall: Lists.listCall(ctx),
        listOrder: Lists.listOrder(ctx),
        ...Lists.streams(ctx),
        stopOrder: Split.stopOrder(ctx),
        listOrderDetail: Split.listOrderDetail(ctx),
        exportBatchCall: Singles.exportBatchCall(ctx)
    };
});
