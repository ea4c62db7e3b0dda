/**
 * An answer's body read under the client's size cap: the bytes received
 * and, for a gzip body, the bytes it inflates to, each counted as they
 * stream in and refused as soon as they pass the cap (a declared
 * `Content-Length` over it is refused before anything is read).
 */
import * as Headers from "@effect/platform/Headers";
import * as Data from "effect/Data";
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import * as Stream from "effect/Stream";
import * as Gzip from "./gzip.js";
/**
 * The default cap on one answer, 32 MiB. The largest documented answers are
 * `exportBatchCall` (a whole batch, unpaged) and `listCall` pages: at about
 * 1–2 KiB of JSON per call record, 32 MiB holds an export of some 20,000
 * calls and is a hundred times a 1,000-row page, while staying far below
 * what one JavaScript string can hold (~512 MiB).
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** The body passed the cap: `bytes` is how many were seen (or declared) when it was refused. */
export class TooLarge extends Data.TaggedError("TooLarge") {
}
const concat = (parts, total) => {
    if (parts.length === 1 && parts[0] !== undefined)
        return parts[0];
    const out = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
        out.set(part, offset);
        offset += part.length;
    }
    return out;
};
/** Collects a byte stream, failing (and so ending the stream) as soon as it passes `cap` bytes. */
const collect = (stream, cap, inflated) => Effect.suspend(() => {
    const parts = [];
    let total = 0;
    return Stream.runForEach(stream, (part) => {
        total += part.length;
        if (total > cap)
            return Effect.fail(new TooLarge({ bytes: total, inflated }));
        parts.push(part);
        return Effect.void;
    }).pipe(Effect.map(() => concat(parts, total)));
});
const declaredLength = (headers) => Option.match(Headers.get(headers, "content-length"), {
    onNone: () => undefined,
    onSome: (value) => (/^\s*\d+\s*$/.test(value) ? Number(value) : undefined)
});
/**
 * The bytes of an answer as received, at most `cap`. A body of a declared
 * length within the cap and no `Content-Encoding` (the usual small JSON
 * answer) is read in one go: the transport delivers no more than declared.
 * Anything else (chunked, or decompressed by the transport as `fetch`
 * does) is streamed and counted.
 */
export const readCapped = (response, cap) => {
    const declared = declaredLength(response.headers);
    if (declared !== undefined && declared > cap)
        return Effect.fail(new TooLarge({ bytes: declared, inflated: false }));
    if (declared !== undefined && Option.isNone(Headers.get(response.headers, "content-encoding"))) {
        return Effect.map(response.arrayBuffer, (buffer) => new Uint8Array(buffer));
    }
    return collect(response.stream, cap, false);
};
/** Inflates a gzip body as a stream, at most `cap` inflated bytes. */
export const gunzipCapped = (bytes, cap) => collect(Stream.fromReadableStream({
    evaluate: () => Gzip.inflating(bytes),
    onError: (cause) => new Error(`gzip decompression failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
}), cap, true);
