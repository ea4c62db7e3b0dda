/**
 * The paged lists: one page per call, or every page as a `Stream`
 * (`Stream.paginateChunkEffect`, each page retried by the client).
 */
import * as Chunk from "effect/Chunk";
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import * as Stream from "effect/Stream";
import * as Endpoints from "../../Endpoints.js";
import { validate } from "../client/validation.js";
export const listTask = (ctx) => Effect.fn("CallbotApi.listTask")(function* (input = {}) {
    const wire = yield* validate(Endpoints.listTask.name, Endpoints.listTask.request, input);
    return yield* ctx.client.execute(Endpoints.listTask, wire);
});
export const listCall = (ctx) => Effect.fn("CallbotApi.listCall")(function* (input) {
    const wire = yield* validate(Endpoints.listCall.name, Endpoints.listCall.request, input);
    return yield* ctx.client.execute(Endpoints.listCall, wire, { acceptGzip: ctx.acceptGzip });
});
export const listOrder = (ctx) => Effect.fn("CallbotApi.listOrder")(function* (input) {
    const wire = yield* validate(Endpoints.listOrder.name, Endpoints.listOrder.request, input);
    return yield* ctx.client.execute(Endpoints.listOrder, wire);
});
/** Walks pages from 1 until a page shorter than `size` (an empty one included). */
const pages = (ctx, endpoint, input, items, executeOptions = {}) => Stream.unwrap(Effect.map(validate(endpoint.name, endpoint.request, input), (wire) => Stream.paginateChunkEffect(wire.page, (page) => Effect.map(ctx.client.execute(endpoint, { ...wire, page }, executeOptions).pipe(Effect.withSpan(`CallbotApi.${endpoint.name}`, { captureStackTrace: false, attributes: { "callbot.page": page } })), (response) => {
    const list = items(response);
    return [
        Chunk.fromIterable(list),
        list.length < wire.size ? Option.none() : Option.some(page + 1)
    ];
})))).pipe(Stream.withSpan(`CallbotApi.${endpoint.name}Stream`));
const withPaging = (ctx, input, options) => ({
    ...input,
    page: 1,
    size: options?.pageSize ?? ctx.pageSize
});
/** The three list streams. */
export const streams = (ctx) => ({
    listTaskStream: (input, options) => pages(ctx, Endpoints.listTask, withPaging(ctx, input, options), (r) => r.taskData),
    listCallStream: (input, options) => pages(ctx, Endpoints.listCall, withPaging(ctx, input, options), (r) => r.callList, { acceptGzip: ctx.acceptGzip }),
    listOrderStream: (input, options) => pages(ctx, Endpoints.listOrder, withPaging(ctx, input, options), (r) => r.orderList)
});
