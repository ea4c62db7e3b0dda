/**
 * gzip with the Web Streams `CompressionStream` / `DecompressionStream`
 * (Node.js ≥ 18, Deno, Bun, browsers, workers), so the main entry stays free
 * of `node:zlib` and `@effect/platform-node`.
 */
import * as Effect from "effect/Effect";
/** Does this body start with the gzip magic bytes (`1f 8b`)? A JSON body never does. */
export const isGzip = (bytes) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
const pipeThrough = (bytes, transform) => new Response(new Blob([new Uint8Array(bytes)]).stream().pipeThrough(transform)).arrayBuffer().then((buffer) => new Uint8Array(buffer));
/** Compresses `bytes` as gzip. */
export const gzip = (bytes) => Effect.tryPromise({
    try: () => pipeThrough(bytes, new CompressionStream("gzip")),
    catch: (cause) => new Error(`gzip compression failed: ${String(cause)}`, { cause })
});
/**
 * How much compressed input is handed to the decompressor at a time. deflate
 * inflates at most about 1,032:1, so one slice yields at most ~4 MiB: the
 * decompressor holds no more than that beyond what its reader has taken.
 */
const INFLATE_SLICE = 4096;
/**
 * The bytes a gzip body inflates to, as a stream the reader pulls: the
 * compressed input is fed in small slices, only as fast as the output is
 * read, so a reader that stops (a size cap passed) stops the inflation and
 * memory stays bounded whatever the ratio.
 */
export const inflating = (bytes) => {
    let offset = 0;
    const source = new ReadableStream({
        pull: (controller) => {
            if (offset >= bytes.length)
                return controller.close();
            const end = Math.min(bytes.length, offset + INFLATE_SLICE);
            controller.enqueue(bytes.slice(offset, end));
            offset = end;
        }
    }, { highWaterMark: 0 });
    return source.pipeThrough(new DecompressionStream("gzip"));
};
