/**
 * Reading a callback body once, as bytes, with a size cap.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Budget from "./budget.js"

/** What reading a body needs of its receiver. @internal */
export interface BodyLimits {
  readonly maxBodyBytes: number
  /** How long the whole body may take to arrive. */
  readonly readTimeout: Duration.Duration
  readonly budget: Budget.Budget
}

/** @internal */
export type BodyResult =
  | { readonly _tag: "Body"; readonly bytes: Uint8Array }
  | {
    readonly _tag: "TooLarge"
    /** The declared `Content-Length`, when that is how we knew. */
    readonly contentLength: number | undefined
  }
  | { readonly _tag: "Unreadable" }
  /** The receiver's budget of buffered bytes has no room for this body now. */
  | { readonly _tag: "Busy" }

/**
 * Reads the whole body once, answering `TooLarge` as soon as it is known to
 * exceed `maxBytes`:
 *
 * - from `Content-Length`, before reading anything (a body within the limit
 *   is then read in one go: the transport stops at the declared length);
 * - otherwise (chunked) by counting: past the cap nothing more is kept. The
 *   reader then discards up to `maxBytes` more so that a modestly oversized
 *   body still gets a clean 413 (on Node, abandoning a request stream mid-way
 *   destroys the socket), and stops reading altogether beyond that.
 *
 * What is kept is taken from `budget` for `lease` first (a declared length
 * up front, chunks as they come); `Busy` when it has no room. The caller
 * gives the lease back once the delivery is answered.
 *
 * @internal
 */
export const readBody = (
  request: HttpServerRequest.HttpServerRequest,
  maxBytes: number,
  budget: Budget.Budget,
  lease: Budget.Lease
): Effect.Effect<BodyResult> =>
  Effect.suspend(() => {
    const declared = Option.getOrUndefined(Headers.get(request.headers, "content-length"))
    if (declared !== undefined && /^\s*\d+\s*$/.test(declared)) {
      const length = Number(declared)
      if (length > maxBytes) return Effect.succeed<BodyResult>({ _tag: "TooLarge", contentLength: length })
      if (!Budget.take(budget, lease, length)) return Effect.succeed<BodyResult>({ _tag: "Busy" })
      // The HTTP layer frames the body by its Content-Length, so at most
      // `length` bytes arrive: read them in one go (much cheaper than a
      // Stream, notably for Fetch requests).
      return request.arrayBuffer.pipe(
        Effect.map((buffer): BodyResult =>
          buffer.byteLength > maxBytes
            ? { _tag: "TooLarge", contentLength: length }
            : { _tag: "Body", bytes: new Uint8Array(buffer) }
        ),
        Effect.catchAll(() => Effect.succeed<BodyResult>({ _tag: "Unreadable" }))
      )
    }
    const chunks: Array<Uint8Array> = []
    let size = 0
    let discarded = 0
    let over = false
    let busy = false
    return request.stream.pipe(
      Stream.runForEachWhile((chunk) =>
        Effect.sync(() => {
          if (over) {
            discarded += chunk.length
            return discarded <= maxBytes
          }
          if (size + chunk.length > maxBytes) {
            over = true
            chunks.length = 0
            discarded = size + chunk.length - maxBytes
            return discarded <= maxBytes
          }
          if (!Budget.take(budget, lease, chunk.length)) {
            busy = true
            chunks.length = 0
            return false
          }
          chunks.push(chunk)
          size += chunk.length
          return true
        })
      ),
      Effect.map((): BodyResult => {
        if (over) return { _tag: "TooLarge", contentLength: undefined }
        if (busy) return { _tag: "Busy" }
        if (chunks.length === 1 && chunks[0] !== undefined) return { _tag: "Body", bytes: chunks[0] }
        const bytes = new Uint8Array(size)
        let offset = 0
        for (const chunk of chunks) {
          bytes.set(chunk, offset)
          offset += chunk.length
        }
        return { _tag: "Body", bytes }
      }),
      Effect.catchAll(() => Effect.succeed<BodyResult>({ _tag: "Unreadable" }))
    )
  })
