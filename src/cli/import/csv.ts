/**
 * A `.csv` import file as a stream of rows: header row first, fields quoted
 * as RFC 4180 says (commas, quotes and newlines inside quotes), parsed by
 * `csv-parse` as the file streams in — never loaded whole.
 */
import { parse } from "csv-parse"
import { Stream } from "effect"
import type { Readable } from "node:stream"
import type { Row } from "./orders.js"
import { ReadFailed } from "./progress.js"

export const rows = (input: Readable): Stream.Stream<Row, ReadFailed> =>
  Stream.suspend(() => {
  const parser = input.pipe(parse({ columns: true, bom: true, skip_empty_lines: true, trim: false }))
  input.on("error", (error) => parser.destroy(error))
  return Stream.fromAsyncIterable(parser, (error) => new ReadFailed({ message: String(error instanceof Error ? error.message : error) }))
    .pipe(Stream.zipWithIndex, Stream.map(([fields, index]): Row => ({ row: index + 1, fields: recordOf(fields) })))
  })

const recordOf = (value: unknown): Readonly<Record<string, unknown>> => {
  const record: Record<string, unknown> = {}
  if (typeof value === "object" && value !== null) {
    for (const [key, field] of Object.entries(value)) record[key] = field
  }
  return record
}
