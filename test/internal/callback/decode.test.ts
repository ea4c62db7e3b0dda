/**
 * The receiver's shortcut for `callbackType` (a JSON integer answered without
 * the Schema) must give exactly what the `CallbackType` Schema gives.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { decodeCallbackType } from "../../../src/internal/callback/decode.js"
import { CallbackType } from "../../../src/internal/callback/models.js"

const viaSchema = Schema.decodeUnknownEither(CallbackType)

const sameAsSchema = (u: unknown) => {
  const fast = decodeCallbackType(u)
  const slow = viaSchema(u)
  expect(Either.isRight(fast)).toBe(Either.isRight(slow))
  if (Either.isRight(fast) && Either.isRight(slow)) expect(Object.is(fast.right, slow.right)).toBe(true)
}

describe("decodeCallbackType", () => {
  it("agrees with the CallbackType Schema on any number, numeric text or other JSON value", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer(),
          fc.double(),
          fc.constantFrom(-0, 2 ** 53, 2 ** 53 - 1, -(2 ** 53), Number.NaN, Infinity, -Infinity, 1.5),
          fc.integer().map(String),
          fc.string(),
          fc.constantFrom(null, undefined, true, "1", " 1", "1.0", "0x1", ""),
          fc.jsonValue()
        ),
        (u) => sameAsSchema(u)
      ),
      { numRuns: 5000 }
    )
  })
})
