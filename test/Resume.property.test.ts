/**
 * The resume property, on the in-memory test kit: for any list and any
 * split of it into orders the platform already holds and orders it does
 * not, a resumed `createAndCall` sends exactly the second part (each order
 * once, in no particular order) and reports the first as `alreadyImported`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import { CallbotApi } from "../src/index.js"
import * as Testing from "../src/Testing.js"
import { createAndCallRequest } from "./utils.js"

const sentOrderIDs = (requests: ReadonlyArray<{ readonly endpoint: string; readonly body: string }>) =>
  requests.filter((r) => r.endpoint === "createAndCall" || r.endpoint === "addBatchCall")
    .flatMap((r): Array<string> => JSON.parse(r.body).callInfoList.callList.map((o: { orderID: string }) => o.orderID))

const caseOf = fc.record({
  held: fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
  chunkSize: fc.integer({ min: 1, max: 12 }),
  concurrency: fc.integer({ min: 1, max: 4 })
})

const runCase = ({ chunkSize, concurrency, held }: { held: Array<boolean>; chunkSize: number; concurrency: number }) =>
  Effect.gen(function*() {
    const api = yield* CallbotApi.CallbotApi
    const sim = yield* Testing.SimulatorState
    const request = createAndCallRequest(held.length)
    const list = request.callInfoList.callList
    const already = list.filter((_, i) => held[i])
    const notYet = list.filter((_, i) => !held[i])
    // What an earlier run left: the held part (no task at all when it is empty).
    if (already.length > 0) {
      yield* api.createAndCall({ ...request, callInfoList: { ...request.callInfoList, callList: already } })
    }
    const from = (yield* sim.requests).length
    const result = yield* api.createAndCall(request, { resume: true, chunkSize, concurrency })
    const sent = sentOrderIDs((yield* sim.requests).slice(from))
    const creations = yield* sim.creations
    expect([...sent].sort()).toEqual(notYet.map((o) => o.orderID).sort())
    expect(result).toMatchObject({ totalCount: list.length, successCount: list.length, alreadyImported: already.length })
    expect(result.errList).toEqual([])
    expect([...creations.resent.values()]).toEqual([])
    expect(list.every((o) => creations.orders.get(o.orderID) === 1)).toBe(true)
  }).pipe(Effect.provide(Testing.layer({ deliverCallbacks: false })))

describe("resume property", () => {
  it("for any split into already held and not yet, resume sends exactly the second part", async () => {
    await fc.assert(fc.asyncProperty(caseOf, (c) => Effect.runPromise(runCase(c))), { numRuns: 60, seed: 20261201 })
  }, 60_000)
})
