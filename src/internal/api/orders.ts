/**
 * Per-order validation and result merging for the endpoints that import
 * orders (`createAndCall`, `addBatchCall`, `importBatchCall`): one malformed
 * order is reported on its own and never sinks the rest of the list.
 */
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as CallbotError from "../../CallbotError.js"
import { formatIssues } from "../client/validation.js"
import * as Models from "../../Models.js"

// Orders are the hot path of every import (a million of them in a big
// campaign), so the common shape is checked by hand and only the rest goes
// through the Schema; `test/internal/api/orders.test.ts` checks that both agree.
const decodeOrderPreserving = Schema.decodeUnknownEither(Models.CallOrder, {
  errors: "all",
  onExcessProperty: "preserve"
})
// Without unknown keys "ignore" gives the same value as "preserve", and is
// about twice as fast.
const decodeOrderKnownKeys = Schema.decodeUnknownEither(Models.CallOrder, { errors: "all" })
const paramKeys: ReadonlySet<string> = new Set(Object.keys(Models.ScriptParam.fields))

const onlyKnownKeys = (u: unknown, known: ReadonlySet<string>): boolean => {
  if (typeof u !== "object" || u === null) return true
  for (const key in u) if (!known.has(key)) return false
  return true
}

// The fields of `Models.CallOrder`: an own-property check on this record is
// cheaper on the hot path than a `Set` lookup per key.
const orderFields: object = Models.CallOrder.fields

const onlyOrderKeys = (order: object): boolean => {
  for (const key in order) if (!Object.hasOwn(orderFields, key)) return false
  return true
}

const defaultString = (u: unknown): string | undefined => (u === undefined ? "" : typeof u === "string" ? u : undefined)

// One empty list for every order without params (the wire type is read-only).
const noParams: ReadonlyArray<typeof Models.ScriptParam.Type> = Object.freeze([])

/** Whether `s` has a character that is not white space (`s.trim() !== ""`). */
const notBlank = (s: string): boolean => {
  const first = s.charCodeAt(0)
  // A printable ASCII first character settles it without a trimmed copy.
  return (first > 0x20 && first < 0x7f) || s.trim().length > 0
}

/**
 * `Models.PHONE_PATTERN` (`^[1-9][0-9]{6,14}$`) by hand: 7 to 15 ASCII
 * digits, the first not 0. Property-tested against the pattern.
 *
 * @internal
 */
export const isPhone = (s: string): boolean => {
  const length = s.length
  if (length < 7 || length > 15) return false
  const first = s.charCodeAt(0)
  if (first < 0x31 || first > 0x39) return false
  for (let i = 1; i < length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x30 || c > 0x39) return false
  }
  return true
}

/** The common order shape (no params), checked by hand; `undefined` leaves the order to the Schema. */
const fastOrder = (order: object): Models.CallOrderWire | undefined => {
  const orderID: unknown = Reflect.get(order, "orderID")
  const userPhone: unknown = Reflect.get(order, "userPhone")
  if (typeof orderID !== "string" || !notBlank(orderID)) return undefined
  if (typeof userPhone !== "string" || !isPhone(userPhone)) return undefined
  const other = defaultString(Reflect.get(order, "other"))
  const userName = defaultString(Reflect.get(order, "userName"))
  const customerName = defaultString(Reflect.get(order, "customerName"))
  if (other === undefined || userName === undefined || customerName === undefined) return undefined
  const params: unknown = Reflect.get(order, "params")
  if (params !== undefined && !(Array.isArray(params) && params.length === 0)) return undefined
  return { orderID, userPhone, other, userName, customerName, params: noParams }
}

/** The order as the Schema would decode it when it has the common shape, else `undefined`. */
const fastPath = (order: unknown): Models.CallOrderWire | undefined =>
  typeof order === "object" && order !== null && onlyOrderKeys(order) ? fastOrder(order) : undefined

/** The Schema's decode, for an order the fast path left to it (cheaper when no key is unknown). */
const decodeBySchema = (order: unknown): Either.Either<Models.CallOrderWire, ParseResult.ParseError> => {
  if (typeof order === "object" && order !== null && onlyOrderKeys(order)) {
    const params: unknown = Reflect.get(order, "params")
    if (!Array.isArray(params) || params.every((p) => onlyKnownKeys(p, paramKeys))) return decodeOrderKnownKeys(order)
  }
  return decodeOrderPreserving(order)
}

/** Decodes one order exactly as `Models.CallOrder` with `onExcessProperty: "preserve"` would. */
export const decodeOrder = (order: unknown): Either.Either<Models.CallOrderWire, ParseResult.ParseError> => {
  const fast = fastPath(order)
  return fast === undefined ? decodeBySchema(order) : Either.right(fast)
}

const stringField = (u: unknown, key: string): string | undefined => {
  if (typeof u !== "object" || u === null || !(key in u)) return undefined
  const value: unknown = Reflect.get(u, key)
  return typeof value === "string" ? value : undefined
}

/** The orders that passed validation, and those that did not, in input order. */
export interface CheckedOrders {
  readonly valid: Array<Models.CallOrderWire>
  readonly rejected: Array<Models.RejectedOrder>
}

/**
 * Validates one order, the `index`-th of the caller's list. `seen` carries
 * the orderIDs already accepted, so a repeated one is rejected.
 */
export const checkOrder = (
  order: unknown,
  index: number,
  seen: Set<string>
): Either.Either<Models.CallOrderWire, Models.RejectedOrder> => {
  const fast = fastPath(order)
  if (fast !== undefined) {
    // One lookup: the set grows only when the orderID is new.
    const before = seen.size
    seen.add(fast.orderID)
    if (seen.size > before) return Either.right(fast)
  }
  const decoded = fast === undefined ? decodeBySchema(order) : Either.right(fast)
  if (Either.isLeft(decoded)) {
    const issues = formatIssues(decoded.left)
    return Either.left(
      new Models.RejectedOrder({
        phone: stringField(order, "userPhone") ?? "",
        orderID: stringField(order, "orderID"),
        errMsg: issues.map((i) => `callList[${index}]${i.field === "" ? "" : `.${i.field}`}: ${i.description}`).join(
          "; "
        ),
        rejectedBy: "client"
      })
    )
  }
  if (seen.has(decoded.right.orderID)) {
    return Either.left(
      new Models.RejectedOrder({
        phone: decoded.right.userPhone,
        orderID: decoded.right.orderID,
        errMsg: `callList[${index}].orderID: ${JSON.stringify(decoded.right.orderID)} appears more than once`,
        rejectedBy: "client"
      })
    )
  }
  seen.add(decoded.right.orderID)
  return Either.right(decoded.right)
}

/**
 * The rejection of a valid order whose phone an earlier order of the call
 * already has (`dedupe: "phone"`); `undefined` when the phone is new, which
 * is then remembered in `phones`.
 */
export const duplicatePhone = (
  order: Models.CallOrderWire,
  index: number,
  phones: Set<string>
): Models.RejectedOrder | undefined => {
  if (!phones.has(order.userPhone)) {
    phones.add(order.userPhone)
    return undefined
  }
  return new Models.RejectedOrder({
    phone: order.userPhone,
    orderID: order.orderID,
    errMsg: `callList[${index}].userPhone: duplicate phone (an earlier order of this call has ${order.userPhone})`,
    rejectedBy: "client"
  })
}

/**
 * Validates orders one by one. `seen` carries the orderIDs already accepted
 * (across chunks of one call), so a duplicate is rejected wherever it is.
 */
export const checkOrders = (
  orders: Iterable<unknown>,
  seen: Set<string> = new Set(),
  offset = 0
): CheckedOrders => {
  const valid: Array<Models.CallOrderWire> = []
  const rejected: Array<Models.RejectedOrder> = []
  let index = offset
  for (const order of orders) {
    const checked = checkOrder(order, index, seen)
    if (Either.isLeft(checked)) rejected.push(checked.left)
    else valid.push(checked.right)
    index++
  }
  return { valid, rejected }
}

/** The platform's `errList` matched back to the orders sent, and the entries that could not be. */
export interface ServerRejections {
  /** At most one per order sent. */
  readonly rejected: Array<Models.RejectedOrder>
  /** Entries for phones that no order of the request carried. */
  readonly notSent: number
  /** Entries beyond the number of orders sent with their phone (a phone listed again). */
  readonly repeated: number
  /**
   * The orders sent that no entry rejects, one per order; `orderID` is
   * unknown where the phone's rejections did not say which of its orders
   * they meant.
   */
  readonly unrejected: () => Array<{ readonly phone: string; readonly orderID: string | undefined }>
}

/**
 * Turns the platform's `errList` (phones only) into {@link Models.RejectedOrder}s,
 * at most one per order sent. A phone sent in exactly one order names that
 * order; when several sent orders share the phone, the one whose orderID the
 * platform's message mentions is chosen, and otherwise `orderID` stays
 * unknown rather than guessed. An entry for a phone never sent, or one more
 * than the orders sent with that phone, is not an order of ours: it is
 * counted, not listed.
 */
export const serverRejections = (
  sent: ReadonlyArray<Models.CallOrderWire>,
  errList: ReadonlyArray<typeof Models.PhoneError.Type>
): ServerRejections => {
  // Most answers reject nothing: the orders sent are then all unrejected, with no map to build.
  if (errList.length === 0) {
    return {
      rejected: [],
      notSent: 0,
      repeated: 0,
      unrejected: () => sent.map((order) => ({ phone: order.userPhone, orderID: order.orderID }))
    }
  }
  const byPhone = new Map<string, { readonly ids: Array<string>; slots: number }>()
  for (const order of sent) {
    const entry = byPhone.get(order.userPhone)
    if (entry === undefined) byPhone.set(order.userPhone, { ids: [order.orderID], slots: 1 })
    else {
      entry.ids.push(order.orderID)
      entry.slots++
    }
  }
  const rejected: Array<Models.RejectedOrder> = []
  let notSent = 0
  let repeated = 0
  for (const err of errList) {
    const entry = byPhone.get(err.phone)
    if (entry === undefined) notSent++
    else if (entry.slots === 0) repeated++
    else {
      entry.slots--
      const candidates = entry.ids
      const mentioned = candidates.filter((id) => err.errMsg.includes(id))
      const orderID = candidates.length === 1 ? candidates[0] : mentioned.length === 1 ? mentioned[0] : undefined
      if (orderID !== undefined) candidates.splice(candidates.indexOf(orderID), 1)
      rejected.push(new Models.RejectedOrder({ phone: err.phone, errMsg: err.errMsg, orderID, rejectedBy: "server" }))
    }
  }
  // Built only when asked (a contradictory answer): most answers need the counts alone.
  const unrejected = () => {
    const out: Array<{ readonly phone: string; readonly orderID: string | undefined }> = []
    for (const [phone, { ids, slots }] of byPhone) {
      if (ids.length === slots) for (const orderID of ids) out.push({ phone, orderID })
      else for (let i = 0; i < slots; i++) out.push({ phone, orderID: undefined })
    }
    return out
  }
  return { rejected, notSent, repeated, unrejected }
}

/** The `InvalidRequest` for a request none of whose orders is valid. */
export const noValidOrders = (
  endpoint: string,
  rejected: ReadonlyArray<Models.RejectedOrder>
): CallbotError.InvalidRequest => {
  const issues = rejected.map((r) =>
    new CallbotError.ValidationIssue({ field: "callInfoList.callList", description: r.errMsg })
  )
  return new CallbotError.InvalidRequest({
    endpoint,
    field: "callInfoList.callList",
    description: rejected.length === 0
      ? "must contain at least one order"
      : `none of the ${rejected.length} orders is valid; first: ${rejected[0]?.errMsg ?? ""}`,
    issues
  })
}

/** The `InvalidRequest` for a `callList` that is not an array. */
export const notAnArray = (endpoint: string): CallbotError.InvalidRequest => {
  const issue = new CallbotError.ValidationIssue({
    field: "callInfoList.callList",
    description: "must be an array of orders"
  })
  return new CallbotError.InvalidRequest({ endpoint, ...issue, issues: [issue] })
}
