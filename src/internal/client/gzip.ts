/**
 * gzip with the Web Streams `CompressionStream` / `DecompressionStream`
 * (Node.js ≥ 18, Deno, Bun, browsers, workers), so the main entry stays free
 * of `node:zlib` and `@effect/platform-node`.
 */
import * as Effect from "effect/Effect"

/** Does this body start with the gzip magic bytes (`1f 8b`)? A JSON body never does. */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b

const pipeThrough = (
  bytes: Uint8Array,
  transform: CompressionStream | DecompressionStream
): Promise<Uint8Array> =>
  new Response(new Blob([new Uint8Array(bytes)]).stream().pipeThrough(transform)).arrayBuffer().then((buffer) =>
    new Uint8Array(buffer)
  )

/** Compresses `bytes` as gzip. */
export const gzip = (bytes: Uint8Array): Effect.Effect<Uint8Array, Error> =>
  Effect.tryPromise({
    try: () => pipeThrough(bytes, new CompressionStream("gzip")),
    catch: (cause) => new Error(`gzip compression failed: ${String(cause)}`, { cause })
  })

/** Decompresses a gzip body; fails on corrupt or truncated data. */
export const gunzip = (bytes: Uint8Array): Effect.Effect<Uint8Array, Error> =>
  Effect.tryPromise({
    try: () => pipeThrough(bytes, new DecompressionStream("gzip")),
    catch: (cause) => new Error(`gzip decompression failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  })
