/**
 * What every operation of the API reads: the signed client and the layer's
 * options, resolved once; and the per-call options checked against them.
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import * as Endpoints from "../../Endpoints.js";
import { invalidRequest } from "../client/validation.js";
/** @internal */
export const DEFAULT_CHUNK_SIZE = 500;
/** @internal */
export const DEFAULT_CONCURRENCY = 4;
const PositiveInt = Schema.Int.pipe(Schema.positive({ message: () => "must be a positive integer" }));
const ImportOptionsSchema = Schema.Struct({
    chunkSize: PositiveInt,
    concurrency: PositiveInt,
    overflow: Schema.Literal("fail", "addBatchCall"),
    gzip: Schema.Boolean
});
export const makeContext = (client, apiOptions) => ({
    client,
    defaults: {
        chunkSize: apiOptions.chunkSize ?? DEFAULT_CHUNK_SIZE,
        concurrency: apiOptions.concurrency ?? DEFAULT_CONCURRENCY,
        overflow: "fail",
        gzip: apiOptions.gzipImport ?? false
    },
    pageSize: apiOptions.pageSize ?? Endpoints.DEFAULT_PAGE_SIZE,
    acceptGzip: apiOptions.acceptGzip ?? true
});
/** A call's options over the layer's; a bad value is an `InvalidRequest` naming `options.<field>`. */
export const importOptions = (ctx, endpoint, perCall) => Effect.mapError(Schema.decodeUnknown(ImportOptionsSchema, { errors: "all" })({
    chunkSize: perCall?.chunkSize ?? ctx.defaults.chunkSize,
    concurrency: perCall?.concurrency ?? ctx.defaults.concurrency,
    overflow: perCall?.overflow ?? ctx.defaults.overflow,
    gzip: perCall?.gzip ?? ctx.defaults.gzip
}), (error) => invalidRequest(endpoint, error, "options"));
/** `items` in pieces of at most `size`. */
export const pieces = (items, size) => {
    const out = [];
    for (let i = 0; i < items.length; i += size)
        out.push(items.slice(i, i + size));
    return out;
};
