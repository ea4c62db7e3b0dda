/**
 * Reading a callback body from a Node.js request's own events, under the
 * size cap, the read deadline and the buffered-bytes budget: what
 * `nodeHandler` does, and what the HttpApp does when the platform's request
 * is a Node request nobody has read yet (no Stream, no child fiber for the
 * deadline).
 *
 * @internal
 */
import type * as Http from "node:http"
import * as Duration from "effect/Duration"
import type { BodyLimits, BodyResult } from "./body.js"
import * as Budget from "./budget.js"

/** What reading a body gives: the limits' answer, or the read deadline passed. @internal */
export type ReadResult = BodyResult | { readonly _tag: "TimedOut" }

const tooLarge = (contentLength: number | undefined): ReadResult => ({ _tag: "TooLarge", contentLength })

const declaredLength = (req: Http.IncomingMessage): number | undefined => {
  const value = req.headers["content-length"]
  return typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined
}

/**
 * Reads the whole body once, as `readBody` does for the HttpApp: a declared
 * length over the cap or over the budget is refused before anything is
 * read; a chunked body is counted (past the cap nothing more is kept, up to
 * `maxBodyBytes` more is discarded for a clean 413, and reading stops beyond
 * that); the read deadline runs from here. `done` is called once, unless
 * the returned `cancel` is called first (it stops the read and destroys the
 * request, as an interrupted read of the platform's does).
 *
 * @internal
 */
export const readRequest = (
  req: Http.IncomingMessage,
  limits: BodyLimits,
  lease: Budget.Lease,
  done: (result: ReadResult) => void
): () => void => {
  const max = limits.maxBodyBytes
  const declared = declaredLength(req)
  if (declared !== undefined && declared > max) return answered(done, tooLarge(declared))
  if (declared !== undefined && !Budget.take(limits.budget, lease, declared)) return answered(done, { _tag: "Busy" })
  const chunks: Array<Buffer> = []
  let size = 0
  let discarded = 0
  let over = false
  let finished = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const stop = (): boolean => {
    if (finished) return false
    finished = true
    if (timer !== undefined) clearTimeout(timer)
    req.removeListener("data", onData)
    req.removeListener("end", onEnd)
    req.removeListener("error", onError)
    req.removeListener("close", onError)
    return true
  }
  const finish = (result: ReadResult) => {
    if (stop()) done(result)
  }
  const onData = (chunk: Buffer) => {
    if (over) {
      discarded += chunk.length
      if (discarded > max) finish(tooLarge(undefined))
      return
    }
    if (size + chunk.length > max) {
      over = true
      chunks.length = 0
      discarded = size + chunk.length - max
      if (discarded > max) finish(tooLarge(undefined))
      return
    }
    if (declared === undefined && !Budget.take(limits.budget, lease, chunk.length)) {
      chunks.length = 0
      return finish({ _tag: "Busy" })
    }
    chunks.push(chunk)
    size += chunk.length
  }
  const onEnd = () => {
    if (over) return finish(tooLarge(undefined))
    const first = chunks[0]
    finish({ _tag: "Body", bytes: chunks.length === 1 && first !== undefined ? first : Buffer.concat(chunks, size) })
  }
  // An error, or the connection closed before the end: nothing to answer well.
  const onError = () => finish({ _tag: "Unreadable" })
  req.on("data", onData)
  req.on("end", onEnd)
  req.on("error", onError)
  req.on("close", onError)
  if (Duration.isFinite(limits.readTimeout)) {
    timer = setTimeout(() => finish({ _tag: "TimedOut" }), Duration.toMillis(limits.readTimeout))
  }
  return () => {
    if (stop()) req.destroy()
  }
}

/** Answers `done` at once; nothing to cancel. */
const answered = (done: (result: ReadResult) => void, result: ReadResult): () => void => {
  done(result)
  return () => {}
}

const isObject = (u: unknown): u is Record<PropertyKey, unknown> => typeof u === "object" && u !== null

/**
 * Is `source` (a platform request's) a Node.js request whose body nobody
 * has started to read? Then its events carry the whole body.
 *
 * @internal
 */
export const isUnreadRequest = (source: unknown): source is Http.IncomingMessage =>
  isObject(source) && typeof source["on"] === "function" && typeof source["removeListener"] === "function" &&
  typeof source["destroy"] === "function" && isObject(source["headers"]) &&
  source["readableDidRead"] === false && source["readableEnded"] === false
