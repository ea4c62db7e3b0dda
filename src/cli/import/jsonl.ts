/**
 * A `.jsonl` import file as a stream of rows: one order object per line,
 * read line by line. A line that is not a JSON object becomes a row the
 * import rejects with the reason, without stopping.
 */
import { Either, Schema, Stream } from "effect"
import { createInterface } from "node:readline"
import type { Readable } from "node:stream"
import type { Row } from "./orders.js"
import { ReadFailed } from "./progress.js"

const OrderLine = Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
const decodeLine = Schema.decodeUnknownEither(OrderLine)

/** A row, or the reason a line is not one. */
export type Line = Row | { readonly row: number; readonly invalid: string }

// The reader is made when the stream is first pulled: readline starts reading at once and would drop
// the lines that come before anyone iterates.
export const rows = (input: Readable): Stream.Stream<Line, ReadFailed> =>
  Stream.suspend(() => {
  const lines = createInterface({ input, crlfDelay: Infinity })
  input.on("error", (error) => lines.emit("error", error))
  return Stream.fromAsyncIterable(lines, (error) => new ReadFailed({ message: String(error instanceof Error ? error.message : error) }))
    .pipe(
      Stream.filter((line) => line.trim() !== ""),
      Stream.zipWithIndex,
      Stream.map(([line, index]): Line => {
        const decoded = decodeLine(line)
        return Either.isRight(decoded)
          ? { row: index + 1, fields: decoded.right }
          : { row: index + 1, invalid: "not a JSON object" }
      })
    )
  })
