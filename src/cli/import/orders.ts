/**
 * Rows of an import file as orders: the vendor's order fields by name
 * (`orderID`, `userPhone`, `userName`, `customerName`, `other`), every
 * other column a script parameter `{ name, value }`, and an `orderID`
 * derived from the user task ID, the row number and the phone when the row
 * has none — so that a re-run recognises the same rows.
 */
import { createHash } from "node:crypto"
import type * as Models from "../../Models.js"

/** One row read from the file (1-based `row`, counting data rows only). */
export interface Row {
  readonly row: number
  readonly fields: Readonly<Record<string, unknown>>
}

const orderFields = new Set(["orderID", "userPhone", "userName", "customerName", "other", "params"])

const text = (value: unknown): string =>
  value === undefined || value === null ? "" : typeof value === "string" ? value : String(value)

/** The orderID of a row without one: stable across runs for the same task, row and phone. */
export const derivedOrderID = (userTaskID: string, row: number, phone: string): string =>
  createHash("sha256").update(`${userTaskID}\n${row}\n${phone}`).digest("hex").slice(0, 32)

const paramsOf = (fields: Readonly<Record<string, unknown>>): Array<{ name: string; value: string }> => {
  const given = fields["params"]
  const params: Array<{ name: string; value: string }> = Array.isArray(given)
    ? given.flatMap((p: unknown) =>
      typeof p === "object" && p !== null && "name" in p ? [{ name: text(p.name), value: "value" in p ? text(p.value) : "" }] : []
    )
    : []
  for (const [name, value] of Object.entries(fields)) {
    if (!orderFields.has(name)) params.push({ name, value: text(value) })
  }
  return params
}

/** The order of a row, as `createAndCall` / `addBatchCall` take it. */
export const orderOf = (userTaskID: string, row: Row): Models.CallOrderInput => {
  const userPhone = text(row.fields["userPhone"]).trim()
  const given = text(row.fields["orderID"]).trim()
  return {
    orderID: given === "" ? derivedOrderID(userTaskID, row.row, userPhone) : given,
    userPhone,
    userName: text(row.fields["userName"]),
    customerName: text(row.fields["customerName"]),
    other: text(row.fields["other"]),
    params: paramsOf(row.fields)
  }
}
