/**
 * The signed client's transport options: gzip in both directions through
 * `execute` and through the exposed `httpClient`, and the `ping` envelope.
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { gunzipSync } from "node:zlib"
import { CallbotClient, Endpoints, Signer } from "../src/index.js"
import type { Recorded } from "./fixtures/endpoints.js"
import { defaultAnswer, mockAccount, mockPlatform } from "./fixtures/endpoints.js"

const withClient = <A, E>(
  f: (client: CallbotClient.CallbotClient, recorded: ReadonlyArray<Recorded>) => Effect.Effect<A, E>,
  answer = defaultAnswer
) => {
  const mock = mockPlatform(answer)
  return Effect.flatMap(CallbotClient.CallbotClient, (client) => f(client, mock.recorded)).pipe(Effect.provide(mock.layer()))
}

const signatureOf = (request: Recorded, body: string | Uint8Array) =>
  Signer.signature({
    ...mockAccount,
    body,
    createTs: request.headers["createts"] ?? "",
    requestID: request.headers["requestid"] ?? "",
    algorithm: "MD5"
  })

describe("execute", () => {
  it.effect("gzipRequest: compressed on the wire, signed over the JSON", () =>
    withClient((client, recorded) =>
      Effect.gen(function*() {
        const wire = { productID: "callbot" as const, userTaskID: "t", page: 1, size: 10, queryConditions: {} }
        yield* client.execute(Endpoints.listTask, wire, { gzipRequest: true })
        const sent = recorded[0]!
        expect(sent.headers["content-encoding"]).toBe("gzip")
        const json = new TextDecoder().decode(gunzipSync(sent.wire))
        expect(json).toBe(JSON.stringify(wire))
        expect(signatureOf(sent, json)).toBe(sent.headers["sign"])
        expect(signatureOf(sent, sent.wire)).not.toBe(sent.headers["sign"])
      })
    ))

  it.effect("acceptGzip overrides the endpoint's default either way", () =>
    withClient((client, recorded) =>
      Effect.gen(function*() {
        const list = { productID: "callbot" as const, userTaskID: "t", options: {}, page: 1, size: 10 }
        yield* client.execute(Endpoints.listCall, list, { acceptGzip: false })
        yield* client.execute(Endpoints.listOrder, list, { acceptGzip: true })
        yield* client.execute(Endpoints.listCall, list)
        expect(recorded.map((r) => r.headers["accept-encoding"])).toEqual([undefined, "gzip", "gzip"])
      })
    ))

  it.effect("a body some transport already inflated (fetch keeps Content-Encoding) is read as is", () =>
    withClient(
      (client) =>
        Effect.map(
          client.execute(Endpoints.exportBatchCall, { productID: "callbot" as const, userTaskID: "t" }),
          (answer) => expect(answer).toMatchObject({ batchID: "B-1", totalCount: 0 })
        ),
      () => ({
        gzip: false,
        headers: { "content-encoding": "gzip" },
        body: { retCode: 0, retMsg: "ok", responseID: "r", totalCount: 0, batchID: "B-1", callList: [] }
      })
    ))

  it.effect("the ping envelope: code 0 decodes, code ≠ 0 is the retCode's error", () =>
    withClient(
      (client) =>
        Effect.gen(function*() {
          const ok = yield* client.execute(Endpoints.ping, { data: "ok" })
          expect(ok.data).toBe("ok")
          const error = yield* Effect.flip(client.execute(Endpoints.ping, { data: "fail" }))
          expect(error).toMatchObject({ _tag: "AccountNotFound", retCode: 6002, retMsg: "nope", responseID: "q-1", endpoint: "ping" })
        }),
      (request) =>
        request.json.data === "fail"
          ? { body: { data: "", timestamp: 1, code: 6002, msg: "nope", reqId: "q-1" } }
          : defaultAnswer(request)
    ))
})

describe("httpClient", () => {
  it.effect("a request marked Content-Encoding: gzip is signed over its plain body, then compressed", () =>
    withClient((client, recorded) =>
      Effect.gen(function*() {
        const body = "{\"productID\":\"callbot\",\"userTaskID\":\"t\"}"
        yield* client.httpClient.execute(
          HttpClientRequest.post("/callcentre/api/v3/exportBatchCall").pipe(
            HttpClientRequest.bodyText(body, "application/json"),
            HttpClientRequest.setHeader("content-encoding", "gzip")
          )
        )
        const sent = recorded[0]!
        expect(sent.url.href).toBe("http://platform.test/callcentre/api/v3/exportBatchCall")
        expect(new TextDecoder().decode(gunzipSync(sent.wire))).toBe(body)
        expect(signatureOf(sent, body)).toBe(sent.headers["sign"])
      })
    ))

  it.effect("without the marker the body goes out as signed", () =>
    withClient((client, recorded) =>
      Effect.gen(function*() {
        const body = "{\"data\":\"x\"}"
        yield* client.httpClient.execute(
          HttpClientRequest.post("/callcentre/api/v3/ping").pipe(HttpClientRequest.bodyText(body, "application/json"))
        )
        expect(new TextDecoder().decode(recorded[0]!.wire)).toBe(body)
        expect(signatureOf(recorded[0]!, body)).toBe(recorded[0]!.headers["sign"])
      })
    ))
})
