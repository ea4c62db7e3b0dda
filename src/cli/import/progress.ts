/**
 * The counters of an import and their display: a live bar on stderr when it
 * is a TTY (rows read, sent, accepted, rejected, rate, ETA — redrawn in
 * place), nothing live otherwise; a summary at the end.
 */
import { Data, Duration, Effect, Fiber, Schedule } from "effect"
import * as Output from "../output.js"

/** The import file could not be read (or a CSV row could not be parsed). */
export class ReadFailed extends Data.TaggedError("ReadFailed")<{ readonly message: string }> {}

/** What happened so far. Mutated in place by the import (one writer per field). */
export interface Counters {
  read: number
  sent: number
  accepted: number
  alreadyImported: number
  rejected: number
  failed: number
  /** Bytes of the file consumed, and its size, for the ETA. */
  bytesRead: () => number
  readonly fileBytes: number
  readonly startedAt: number
}

export const makeCounters = (fileBytes: number, bytesRead: () => number): Counters => ({
  read: 0,
  sent: 0,
  accepted: 0,
  alreadyImported: 0,
  rejected: 0,
  failed: 0,
  bytesRead,
  fileBytes,
  startedAt: Date.now()
})

const formatNumber = (n: number) => Math.round(n).toLocaleString("en-US")

const formatSeconds = (seconds: number) =>
  !Number.isFinite(seconds) ? "?" : seconds < 60 ? `${Math.ceil(seconds)}s` : `${Math.floor(seconds / 60)}m${Math.ceil(seconds % 60)}s`

/** One line of the live view. */
export const line = (c: Counters, now: number): string => {
  const elapsed = Math.max((now - c.startedAt) / 1000, 0.001)
  const rate = c.read / elapsed
  const fraction = c.fileBytes > 0 ? Math.min(c.bytesRead() / c.fileBytes, 1) : 0
  const width = 20
  const filled = Math.round(fraction * width)
  const eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : Number.POSITIVE_INFINITY
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.floor(fraction * 100)}% ` +
    `read ${formatNumber(c.read)} · sent ${formatNumber(c.sent)} · accepted ${formatNumber(c.accepted + c.alreadyImported)} · ` +
    `rejected ${formatNumber(c.rejected)}${c.failed > 0 ? ` · failed ${formatNumber(c.failed)}` : ""} · ` +
    `${formatNumber(rate)} rows/s · ETA ${formatSeconds(eta)}`
}

const draw = (c: Counters) =>
  Effect.sync(() => {
    process.stderr.write(`\r\x1b[2K${line(c, Date.now())}`)
  })

/** Runs `effect` with a live progress bar on stderr when it is a TTY. */
export const withProgress = <A, E, R>(c: Counters, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  !Output.isTty() ? effect : Effect.gen(function*() {
    const fiber = yield* Effect.fork(Effect.repeat(draw(c), Schedule.spaced(Duration.millis(200))))
    const finish = Fiber.interrupt(fiber).pipe(
      Effect.zipRight(draw(c)),
      Effect.zipRight(Effect.sync(() => process.stderr.write("\n")))
    )
    return yield* Effect.ensuring(effect, finish)
  })
