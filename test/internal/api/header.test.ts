/**
 * The import headers' remembered decoding must answer exactly as the
 * Schema (`decodePreserving`) does, for any input and in any order of
 * calls: the first call with a task definition, the later ones that hit
 * what was remembered, definitions past the memory's size, and inputs that
 * are not plain JSON.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import type * as ParseResult from "effect/ParseResult"
import { formatIssues } from "../../../src/CallbotClient.js"
import * as Endpoints from "../../../src/Endpoints.js"
import * as Header from "../../../src/internal/api/header.js"
import { decodePreserving } from "../../../src/internal/client/validation.js"

const outcome = (result: Either.Either<unknown, ParseResult.ParseError>) =>
  Either.isRight(result)
    ? { ok: result.right }
    : { issues: formatIssues(result.left).map((i) => `${i.field}: ${i.description}`) }

const odd = fc.constantFrom<unknown>(undefined, Number.NaN, -0, Infinity, new Date(0), null, [], {}, () => 1)
const maybe = <A>(arb: fc.Arbitrary<A>) => fc.oneof({ arbitrary: arb, weight: 8 }, { arbitrary: odd, weight: 1 })
const hours = fc.oneof(fc.constantFrom("9,10,11", "", "9, 10", "24", "9,9"), fc.array(fc.integer({ min: -1, max: 24 }), { maxLength: 3 }))

const taskCreateSetting = fc.record(
  {
    strategyName: maybe(fc.constantFrom("默认策略", " ", "s")),
    startupType: maybe(fc.constantFrom(1, 2, 3, 4)),
    startupAt: maybe(fc.constantFrom(0, 1_700_000_000, -1, 1.5)),
    zoneSecond: maybe(fc.constantFrom(28800, 0, -43200, 50401, 1.5)),
    dialAtWeekDay: maybe(fc.oneof(fc.constantFrom("1,2,3,4,5", "1,8", ""), fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 3 }))),
    dialAtUpHour: maybe(hours),
    dialAtDownHour: maybe(hours),
    maxRingTime: maybe(fc.constantFrom(30, 0)),
    routeID: maybe(fc.constantFrom("", "r1")),
    maxCall: maybe(fc.constantFrom(1, 5, 0)),
    // Few names, so that definitions repeat and the memory is hit; many, so that it is filled past its size.
    taskName: maybe(fc.oneof(fc.constantFrom("task", ""), fc.integer({ min: 0, max: 120 }).map((n) => `t${n}`))),
    taskCallbackUrl: maybe(fc.constantFrom("http://127.0.0.1:9/task", "ftp://x", "not a url")),
    extra: fc.string({ maxLength: 3 })
  },
  { requiredKeys: ["startupType", "zoneSecond", "dialAtWeekDay", "dialAtUpHour", "dialAtDownHour", "maxRingTime", "maxCall", "taskName", "taskCallbackUrl"] }
)

const header = fc.record(
  {
    productID: maybe(fc.constantFrom("callbot", "other")),
    userTaskID: maybe(fc.oneof(fc.constantFrom("", "  "), fc.uuid())),
    sceneID: maybe(fc.constantFrom("scene-1", "")),
    taskCreateSetting: maybe(taskCreateSetting),
    funcFlag: maybe(
      fc.record(
        {
          taskKeep: maybe(fc.boolean()),
          wholeTTS: maybe(fc.boolean()),
          smsEnable: maybe(fc.boolean()),
          smsFuncFlag: maybe(fc.constantFrom([], [{ smsID: "sms-1" }], [{ smsID: "" }]))
        },
        { requiredKeys: [] }
      )
    ),
    callInfoList: maybe(
      fc.record({
        orderCallbackUrl: maybe(fc.constantFrom("http://127.0.0.1:9/order", "x")),
        callCallbackUrl: maybe(fc.constantFrom("http://127.0.0.1:9/call"))
      })
    ),
    vendorField: fc.string({ maxLength: 2 })
  },
  { requiredKeys: ["userTaskID", "taskCreateSetting"] }
)

/** A valid task definition (no userTaskID yet): the shape most calls send. */
const definition = fc.record({
  sceneID: fc.constantFrom("scene-1", "scene-2"),
  taskCreateSetting: fc.record({
    startupType: fc.constantFrom(1, 3),
    startupAt: fc.constantFrom(0, 1_700_000_000),
    zoneSecond: fc.constantFrom(28800, 0),
    dialAtWeekDay: fc.constantFrom("1,2,3,4,5", "1, 2", [1, 2, 3]),
    dialAtUpHour: fc.constantFrom("9,10,11", "9"),
    dialAtDownHour: fc.constantFrom("", "14"),
    maxRingTime: fc.constantFrom(30, 45),
    maxCall: fc.constantFrom(1, 5),
    taskName: fc.constantFrom("task", "1970-01-01T00:00:00.000Z"),
    taskCallbackUrl: fc.constant("http://127.0.0.1:9/task")
  }),
  callInfoList: fc.constant({ orderCallbackUrl: "http://127.0.0.1:9/order", callCallbackUrl: "http://127.0.0.1:9/call" })
})

type Definition = typeof definition extends fc.Arbitrary<infer A> ? A : never

/**
 * Changes to a definition: none (most), an invalid value, or a "JSON twin":
 * a value that is not plain JSON but has the same JSON as a valid one
 * (`-0`, `undefined`, a `Date`, an object with `toJSON`), which must not be
 * answered from memory.
 */
const change = fc.constantFrom<(d: Definition) => unknown>(
  (d) => d,
  (d) => d,
  (d) => d,
  (d) => ({ ...d, taskCreateSetting: { ...d.taskCreateSetting, startupAt: -0 } }),
  (d) => ({ ...d, taskCreateSetting: { ...d.taskCreateSetting, zoneSecond: d.taskCreateSetting.zoneSecond === 0 ? -0 : 0 } }),
  (d) => ({ ...d, taskCreateSetting: { ...d.taskCreateSetting, routeID: undefined } }),
  (d) => ({ ...d, taskCreateSetting: { ...d.taskCreateSetting, taskName: new Date(0) } }),
  (d) => ({ ...d, sceneID: { toJSON: () => d.sceneID } }),
  (d) => ({ ...d, taskCreateSetting: { ...d.taskCreateSetting, maxCall: 0 } }),
  (d) => ({ ...d, taskCreateSetting: { ...d.taskCreateSetting, dialAtUpHour: "" } }),
  (d) => ({ ...d, extra: [1, , 3] })
)

/** Calls made with a few definitions, each with its own userTaskID (sometimes blank). */
const calls = fc.tuple(fc.array(definition, { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(fc.nat(), change, fc.oneof({ arbitrary: fc.uuid(), weight: 9 }, { arbitrary: fc.constantFrom("", " "), weight: 1 })), { minLength: 1, maxLength: 60 }))
  .map(([definitions, picks]) =>
    picks.map(([i, f, userTaskID]) => {
      const picked = definitions[i % definitions.length] ?? definitions[0]
      const changed = picked === undefined ? {} : f(picked)
      return typeof changed === "object" && changed !== null ? { ...changed, userTaskID } : changed
    })
  )

describe("import headers, decoded with the Schema's answers remembered", () => {
  const cases = [
    ["createAndCall", Header.decodeCreateAndCallHeader, decodePreserving(Endpoints.CreateAndCallHeader)],
    ["addBatchCall", Header.decodeAddBatchCallHeader, decodePreserving(Endpoints.AddBatchCallHeader)]
  ] as const
  for (const [name, decode, reference] of cases) {
    it(`answer as the Schema for every ${name} header, call after call`, () =>
      fc.assert(
        fc.property(fc.array(header, { minLength: 1, maxLength: 150 }), (inputs) => {
          for (const input of inputs) expect(outcome(decode(input))).toEqual(outcome(reference(input)))
        }),
        { numRuns: 200 }
      ))
  }

  it("answer as the Schema for calls that repeat a definition, JSON twins and invalid values among them", () => {
    const reference = decodePreserving(Endpoints.CreateAndCallHeader)
    let valid = 0
    let all = 0
    fc.assert(
      fc.property(calls, (inputs) => {
        for (const input of inputs) {
          const expected = outcome(reference(input))
          all++
          if ("ok" in expected) valid++
          expect(outcome(Header.decodeCreateAndCallHeader(input))).toEqual(expected)
        }
      }),
      { numRuns: 300 }
    )
    // Most calls were valid, so the memory was used, not only filled.
    expect(valid / all).toBeGreaterThan(0.4)
  })

  it("give every call its own userTaskID, and a remembered answer cannot be changed", () => {
    const base = {
      userTaskID: "first",
      sceneID: "scene-1",
      taskCreateSetting: {
        startupType: 1,
        zoneSecond: 28800,
        dialAtWeekDay: [1, 2, 3],
        dialAtUpHour: "9, 10",
        dialAtDownHour: "",
        maxRingTime: 30,
        maxCall: 1,
        taskName: "remembered",
        taskCallbackUrl: "http://127.0.0.1:9/task"
      },
      callInfoList: { orderCallbackUrl: "http://127.0.0.1:9/order", callCallbackUrl: "http://127.0.0.1:9/call" }
    }
    const first = Header.decodeCreateAndCallHeader(base)
    const second = Header.decodeCreateAndCallHeader({ ...base, userTaskID: "second" })
    expect(Either.map(first, (h) => h.userTaskID)).toEqual(Either.right("first"))
    expect(Either.map(second, (h) => h.userTaskID)).toEqual(Either.right("second"))
    // The normalised lists come from the Schema, and the shared parts are frozen.
    expect(Either.map(second, (h) => [h.taskCreateSetting.dialAtWeekDay, h.taskCreateSetting.dialAtUpHour])).toEqual(
      Either.right(["1,2,3", "9,10"])
    )
    expect(Either.map(second, (h) => Object.isFrozen(h.taskCreateSetting))).toEqual(Either.right(true))
  })
})
