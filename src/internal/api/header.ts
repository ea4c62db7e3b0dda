/**
 * The header of an import request (everything but its orders), validated
 * by its Schema, with the Schema's answers remembered. Campaigns send the
 * same task definition again and again, with only `userTaskID` changing,
 * and decoding the task header costs about 50 µs, the largest part of the
 * API layer's work on a small request.
 *
 * The remembered answer is the Schema's own. It is keyed by the JSON of the
 * header with `userTaskID` set to a placeholder. It is used only for plain
 * JSON data: strings, booleans, finite numbers other than `-0`, `null`,
 * arrays and plain objects. For those, equal JSON means structurally equal
 * input, so the Schema would answer the same. `userTaskID` is then decoded
 * on its own with the field's schema. The header's fields are checked
 * independently of each other, so the header passes exactly when both
 * parts do. Any other input, any failure, and any header with a JSON text
 * longer than {@link MAX_KEY_LENGTH} go through the Schema as they are, so
 * errors are reported exactly as before. `test/internal/api/header.test.ts`
 * checks this against the Schema.
 */
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Endpoints from "../../Endpoints.js"
import * as Models from "../../Models.js"
import { decodePreserving } from "../client/validation.js"

/** Headers whose JSON is longer (a long list of SMS rules, say) are not remembered. */
const MAX_KEY_LENGTH = 8192

/** Distinct task definitions remembered per header schema; the oldest is forgotten first. */
const MAX_ENTRIES = 64

const PLACEHOLDER = "-"

/** Whether `u` is plain JSON data (see the module's comment), at most `depth` levels deep. */
const isPlainJson = (u: unknown, depth: number): boolean => {
  if (u === null || typeof u === "string" || typeof u === "boolean") return true
  if (typeof u === "number") return Number.isFinite(u) && !Object.is(u, -0)
  if (typeof u !== "object" || depth > 16) return false
  if (Array.isArray(u)) {
    for (let i = 0; i < u.length; i++) {
      if (!(i in u) || !isPlainJson(u[i], depth + 1)) return false
    }
    return true
  }
  const proto: unknown = Object.getPrototypeOf(u)
  if (proto !== Object.prototype && proto !== null) return false
  if (Object.getOwnPropertySymbols(u).length > 0) return false
  for (const key of Object.keys(u)) {
    if (!isPlainJson(Reflect.get(u, key), depth + 1)) return false
  }
  return true
}

const decodeUserTaskID = Schema.decodeUnknownEither(Models.NonBlankString)

/** @internal */
export type Decode<H> = (input: unknown) => Either.Either<H, ParseResult.ParseError>

/** `decode` (the Schema's), with its answers for plain headers remembered as described above. */
const remembering = <H extends { readonly userTaskID: string }>(decode: Decode<H>): Decode<H> => {
  const remembered = new Map<string, H>()
  return (input) => {
    if (typeof input !== "object" || input === null || !("userTaskID" in input)) return decode(input)
    const userTaskID = decodeUserTaskID(input.userTaskID)
    if (Either.isLeft(userTaskID) || !isPlainJson(input, 0)) return decode(input)
    const key = JSON.stringify({ ...input, userTaskID: PLACEHOLDER })
    if (key.length > MAX_KEY_LENGTH) return decode(input)
    const known = remembered.get(key)
    if (known !== undefined) return Either.right({ ...known, userTaskID: userTaskID.right })
    const decoded = decode(input)
    if (Either.isRight(decoded)) {
      if (remembered.size >= MAX_ENTRIES) {
        const oldest = remembered.keys().next()
        if (oldest.done !== true) remembered.delete(oldest.value)
      }
      // Shared by later calls: nothing may change it.
      remembered.set(key, deepFreeze(decoded.right))
    }
    return decoded
  }
}

const deepFreeze = <A>(value: A): A => {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const key of Object.keys(value)) deepFreeze(Reflect.get(value, key))
  }
  return value
}

/** The header of `createAndCall` (the task and its callback URLs), decoded as `decodePreserving` would. */
export const decodeCreateAndCallHeader: Decode<typeof Endpoints.CreateAndCallHeader.Type> = remembering(
  decodePreserving(Endpoints.CreateAndCallHeader)
)

/** The header of `addBatchCall` and `importBatchCall`, decoded as `decodePreserving` would. */
export const decodeAddBatchCallHeader: Decode<typeof Endpoints.AddBatchCallHeader.Type> = remembering(
  decodePreserving(Endpoints.AddBatchCallHeader)
)
