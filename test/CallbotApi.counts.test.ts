/**
 * Import results reconciled with what was sent, against a hostile
 * "platform" (raw `node:http` on 127.0.0.1, signed answers): counts larger
 * than the orders sent, `errList` entries for phones never sent, a sent
 * phone listed several times. Every order sent is accounted for exactly
 * once; what the answer does not settle is reported, never lost.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Logger } from "effect"
import { CallbotApi, RetryPolicy } from "../src/index.js"
import { apiOn, hostileServer, signedHeaders } from "./support/hostile.js"
import { createAndCallRequest } from "./utils.js"

/** A platform answering every `createAndCall` with `answer(phones sent)`, signed. */
const platform = (answer: (phones: ReadonlyArray<string>) => Record<string, unknown>) =>
  hostileServer((request, response) => {
    const sent: ReadonlyArray<{ readonly userPhone: string }> = JSON.parse(request.body).callInfoList.callList
    const body = Buffer.from(JSON.stringify({
      retCode: 0,
      retMsg: "ok",
      responseID: "resp-hostile",
      taskID: "T-1",
      ...answer(sent.map((order) => order.userPhone))
    }))
    response.writeHead(200, {
      "content-type": "application/json",
      ...signedHeaders(body, String(request.headers["requestid"]))
    })
    response.end(body)
  })

const neverSent = Array.from({ length: 200 }, (_, i) => ({ phone: `86199${String(i).padStart(8, "0")}`, errMsg: "bad" }))

/** Runs `createAndCall` with 3 orders against `url`, collecting the warnings logged. */
const importThree = (url: string) => {
  const warnings: Array<string> = []
  const logger = Logger.make(({ logLevel, message }) => {
    if (logLevel._tag === "Warning") warnings.push(String(message))
  })
  const request = createAndCallRequest(3)
  return CallbotApi.CallbotApi.pipe(
    Effect.flatMap((api) => api.createAndCall(request)),
    Effect.map((result) => ({ result, warnings, request })),
    Effect.provide(apiOn(url, { retry: RetryPolicy.none, verifyResponses: "always" })),
    Effect.provide(Logger.replace(Logger.defaultLogger, logger))
  )
}

describe("import counts reconciled with the orders sent", () => {
  it.live("successCount 1,000,000 for 3 orders, 200 phones never sent and a sent phone listed three times: each of the 3 orders is counted once", () =>
    Effect.gen(function*() {
      const server = yield* platform((phones) => ({
        totalCount: 3,
        successCount: 1_000_000,
        errList: [...neverSent, ...[0, 1, 2].map(() => ({ phone: phones[0], errMsg: "blacklisted" }))]
      }))
      const { request, result, warnings } = yield* importThree(server.url)
      const [first, second, third] = request.callInfoList.callList
      expect(result.totalCount).toBe(3)
      expect(result.successCount).toBeLessThanOrEqual(3 - 1)
      // The rejection stands, once, with the platform's reason.
      const byServer = result.errList.filter((r) => r.rejectedBy === "server")
      expect(byServer).toEqual([expect.objectContaining({ phone: first!.userPhone, orderID: first!.orderID, errMsg: "blacklisted" })])
      // The answer contradicts itself about the other two: reported as maybe imported, not counted, not lost.
      const unknown = result.errList.filter((r) => r.rejectedBy === "request")
      expect(unknown.map((r) => r.orderID).sort()).toEqual([second!.orderID, third!.orderID].sort())
      expect(unknown.every((r) => r.maybeImported === true)).toBe(true)
      expect(result.successCount).toBe(0)
      expect(result.failures).toEqual([
        expect.objectContaining({ endpoint: "createAndCall", orders: 2, maybeImported: true })
      ])
      expect(result.failures[0]!.error._tag).toBe("MalformedResponse")
      // Every order exactly once.
      expect(result.successCount + result.errList.length).toBe(3)
      expect(warnings.join("\n")).toContain("200 errList entries name phones not sent")
      expect(warnings.join("\n")).toContain("2 errList entries repeat a phone")
      expect(result.taskID).toBe("T-1")
    }).pipe(Effect.scoped), { timeout: 20_000 })

  it.live("a consistent count with a sent phone listed three times and 200 phones never sent: one rejection, two imported", () =>
    Effect.gen(function*() {
      const server = yield* platform((phones) => ({
        totalCount: 3,
        successCount: 2,
        errList: [...[0, 1, 2].map(() => ({ phone: phones[1], errMsg: "blacklisted" })), ...neverSent]
      }))
      const { request, result, warnings } = yield* importThree(server.url)
      expect(result.successCount).toBe(2)
      expect(result.errList).toEqual([
        expect.objectContaining({ phone: request.callInfoList.callList[1]!.userPhone, rejectedBy: "server" })
      ])
      expect(result.failures).toEqual([])
      expect(warnings).toHaveLength(1)
    }).pipe(Effect.scoped), { timeout: 20_000 })

})
