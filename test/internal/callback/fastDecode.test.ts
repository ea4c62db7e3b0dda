/**
 * The receiver's shortcut for task callbacks (a well-formed body decoded
 * without the Schema) must give exactly what the `TaskCallback` Schema gives,
 * and leave to it everything it does not take.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { decodeTask } from "../../../src/internal/callback/fastDecode.js"
import { decodeAs, kinds } from "../../../src/internal/callback/kinds.js"
import { TaskCallback } from "../../../src/internal/callback/models.js"

const viaSchema = kinds.task.decode

/** Values of every type, JSON or not, including the awkward numbers. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, 2 ** 53, 2 ** 53 - 1, -(2 ** 53), Number.NaN, Infinity, -Infinity, 1.5, 1e21),
  fc.integer().map(String),
  fc.string(),
  fc.constantFrom(null, undefined, true, false, "1", " 1", "1.0", "", [], {}),
  fc.jsonValue()
)

const statKeys = [
  "answerOrderCount",
  "finishOrderCount",
  "totalOrderCount",
  "finishRate",
  "totalAnswerCall",
  "totalCall",
  "answerRate"
] as const

const number = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.constantFrom(-0, 0.4, Number.NaN, Infinity))

const wellFormedStat = fc.record(Object.fromEntries(statKeys.map((k) => [k, number])))

const wellFormed = fc.record({
  callbackType: fc.oneof(fc.constant(1), fc.integer(), fc.maxSafeInteger()),
  userTaskID: fc.string(),
  taskID: fc.string(),
  sceneID: fc.string(),
  taskStatus: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.maxSafeInteger()),
  createTs: number,
  taskStat: wellFormedStat
})

type Mutable = Record<string, unknown>

const isMutable = (u: unknown): u is Mutable => typeof u === "object" && u !== null && !Array.isArray(u)

/** A well-formed body with some fields (its own or taskStat's) replaced, removed or added. */
const perturbed = fc.tuple(
  wellFormed,
  fc.array(
    fc.tuple(
      fc.boolean(),
      fc.constantFrom(
        "callbackType",
        "userTaskID",
        "taskID",
        "sceneID",
        "taskStatus",
        "createTs",
        "taskStat",
        "extra",
        "__proto__",
        ...statKeys
      ),
      fc.oneof(anyValue, fc.constant("<remove>"))
    ),
    { maxLength: 3 }
  )
).map(([body, changes]) => {
  const out: Mutable = { ...body, taskStat: { ...body.taskStat } }
  for (const [inStat, key, value] of changes) {
    const stat = out["taskStat"]
    const target: Mutable = inStat && isMutable(stat) ? stat : out
    if (value === "<remove>") delete target[key]
    else Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true })
  }
  return out
})

const sameAsSchema = (u: unknown) => {
  const fast = decodeTask(u)
  const slow = viaSchema(u)
  if (fast !== undefined) {
    expect(Either.isRight(slow)).toBe(true)
    if (Either.isRight(slow)) {
      expect(fast).toBeInstanceOf(TaskCallback)
      expect(fast).toStrictEqual(slow.right)
      expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.right))
      expect(Object.keys(fast.taskStat)).toEqual(Object.keys(slow.right.taskStat))
    }
  }
  // What the receiver uses: the shortcut when it answers, the Schema otherwise.
  const used = decodeAs("task", u)
  expect(Either.isRight(used)).toBe(Either.isRight(slow))
  if (Either.isRight(used) && Either.isRight(slow)) expect(used.right).toStrictEqual(slow.right)
  if (Either.isLeft(used) && Either.isLeft(slow)) expect(used.left.message).toBe(slow.left.message)
}

describe("decodeTask", () => {
  it("agrees with the TaskCallback Schema on well-formed bodies, and takes them", () => {
    fc.assert(
      fc.property(wellFormed, (body) => {
        sameAsSchema(body)
        expect(decodeTask(body)).toBeDefined()
      }),
      { numRuns: 2000 }
    )
  })

  it("agrees with the TaskCallback Schema on bodies with fields replaced, removed or added", () => {
    fc.assert(fc.property(perturbed, sameAsSchema), { numRuns: 5000 })
  })

  it("agrees with the TaskCallback Schema on any value and any JSON object", () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, fc.object(), fc.dictionary(fc.string(), anyValue)), sameAsSchema),
      { numRuns: 3000 }
    )
  })
})
