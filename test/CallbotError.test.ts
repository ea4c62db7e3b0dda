import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { CallbotError } from "../src/index.js"
import { documentedRetCodes } from "./utils.js"

const documented = documentedRetCodes

describe("CallbotError.fromRetCode", () => {
  it("has one class per documented retCode and UnknownRetCode for the rest", () => {
    expect(documented.map(([code]) => code).sort()).toEqual([...CallbotError.RetCode.literals].sort())
    for (const [retCode, tag] of documented) {
      const error = CallbotError.fromRetCode({ retCode, retMsg: "m", responseID: "r", requestID: "q", endpoint: "ping" })
      expect(error._tag).toBe(tag)
      expect(error).toMatchObject({ retCode, retMsg: "m", responseID: "r", requestID: "q", endpoint: "ping" })
      expect(error.message).toBe(`ping: retCode ${retCode} (m), responseID r`)
    }
    for (const retCode of [8, 999, 4002, -3]) {
      expect(CallbotError.fromRetCode({ retCode, retMsg: "", responseID: "" })._tag).toBe("UnknownRetCode")
    }
  })
})

describe("CallbotError schema", () => {
  it("round-trips every error class through JSON (for RPC and journals)", () => {
    const errors: ReadonlyArray<CallbotError.CallbotError> = [
      ...documented.map(([retCode]) => CallbotError.fromRetCode({ retCode, retMsg: "m", responseID: "r" })),
      CallbotError.fromRetCode({ retCode: 77, retMsg: "?", responseID: "r" }),
      new CallbotError.InvalidRequest({
        endpoint: "createAndCall",
        field: "userTaskID",
        description: "is missing",
        issues: [new CallbotError.ValidationIssue({ field: "userTaskID", description: "is missing" })]
      }),
      new CallbotError.TransportError({ endpoint: "ping", reason: "Timeout", description: "t", sent: true }),
      new CallbotError.HttpStatusError({ endpoint: "ping", status: 503, body: "b", retryAfter: 3 }),
      new CallbotError.MalformedResponse({ endpoint: "ping", description: "d", body: "b" }),
      new CallbotError.ResponseSignatureError({ endpoint: "ping", reason: "RequestIDMismatch", requestID: "q" })
    ]
    const encode = Schema.encodeSync(Schema.parseJson(CallbotError.CallbotError))
    const decode = Schema.decodeSync(Schema.parseJson(CallbotError.CallbotError))
    for (const error of errors) {
      const decoded = decode(encode(error))
      expect(decoded).toEqual(error)
      expect(decoded).toBeInstanceOf(error.constructor)
    }
  })

  it("InvalidRequest names the field and counts the other issues in its message", () => {
    const error = new CallbotError.InvalidRequest({
      endpoint: "createAndCall",
      field: "taskCreateSetting.startupType",
      description: "Expected 1 | 2 | 3, actual 4",
      issues: [
        new CallbotError.ValidationIssue({ field: "taskCreateSetting.startupType", description: "x" }),
        new CallbotError.ValidationIssue({ field: "sceneID", description: "y" })
      ]
    })
    expect(error.message).toBe(
      "createAndCall: invalid request: taskCreateSetting.startupType: Expected 1 | 2 | 3, actual 4 (+1 more)"
    )
  })
})
