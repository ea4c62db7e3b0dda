/**
 * The secret key never shows: not in errors (message, JSON, stack, Cause),
 * not in services or layers, not in span attributes, events or exits, not in
 * log lines. Every flow below runs under a recording tracer and logger; then
 * everything they recorded is rendered and searched.
 */
import { HttpClient, HttpClientRequest, HttpRouter, HttpServer } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigProvider, Effect, Exit, Layer, Redacted } from "effect"
import { inspect } from "node:util"
import { Callback, CallbotApi, CallbotClient, RetryPolicy, Signer } from "../src/index.js"
import * as Simulator from "../src/Simulator.js"
import * as Telemetry from "./support/telemetry.js"
import { createAndCallRequest } from "./utils.js"

const SECRET = "S3CR3T-k3y-d0-n0t-l3ak-7f1c"
const WRONG_SECRET = "WR0NG-s3cr3t-n0t-l3ak-either"
const account: Simulator.Account = { uuid: "secrets-uuid", secretKey: Redacted.make(SECRET) }

const taskCallbackBody = JSON.stringify({
  callbackType: 1,
  userTaskID: "t",
  taskID: "T",
  sceneID: "s",
  taskStatus: 2,
  createTs: 1,
  taskStat: {
    answerOrderCount: 0,
    finishOrderCount: 0,
    totalOrderCount: 1,
    finishRate: 0,
    totalAnswerCall: 0,
    totalCall: 0,
    answerRate: 0
  }
})

const renderError = (e: unknown): string =>
  [
    String(e),
    JSON.stringify(e),
    e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : "",
    inspect(e, { depth: 10 }),
    Cause.pretty(Cause.fail(e))
  ].join("\n")

const apiLayer = (secretKey: string, options: Partial<CallbotApi.Options> = {}) =>
  Layer.unwrapEffect(
    Effect.map(Simulator.Simulator, (sim) =>
      CallbotApi.layer({ baseUrl: sim.baseUrl, uuid: account.uuid, secretKey: Redacted.make(secretKey), ...options }))
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))

describe("the secret key never appears", () => {
  it.live("in errors, services, layers, spans and logs of every flow", () =>
    Effect.gen(function*() {
      const rendered: Array<string> = []
      const errors: Array<unknown> = []
      const sim = yield* Simulator.Simulator

      // --- API flows with the right secret ------------------------------
      yield* Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        const client = yield* CallbotClient.CallbotClient
        const signer = yield* Signer.Signer
        rendered.push(inspect(api, { depth: 10 }), inspect(client, { depth: 10 }), inspect(signer, { depth: 10 }))
        rendered.push(JSON.stringify(signer), JSON.stringify(api) ?? "")

        const ok = yield* api.createAndCall(createAndCallRequest(2))
        rendered.push(JSON.stringify(ok), inspect(ok, { depth: 10 }))

        const scripted: ReadonlyArray<Simulator.ScriptedAnswer> = [
          Simulator.ScriptedAnswer.RetCode({ retCode: 6 }),
          Simulator.ScriptedAnswer.RetCode({ retCode: 7 }),
          Simulator.ScriptedAnswer.HttpStatus({ status: 500, body: "boom" }),
          Simulator.ScriptedAnswer.Malformed({ body: "not json" }),
          Simulator.ScriptedAnswer.BadSignature(),
          Simulator.ScriptedAnswer.WrongRequestID()
        ]
        for (const answer of scripted) {
          yield* sim.script(answer)
          errors.push(yield* Effect.flip(api.createAndCall(createAndCallRequest(1))))
        }
        errors.push(
          yield* Effect.flip(api.createAndCall({ ...createAndCallRequest(1), sceneID: "" }))
        )
      }).pipe(Effect.provide(apiLayer(SECRET, { retry: RetryPolicy.none })))

      // --- retries (span events) and reconciliation after a dropped answer --
      yield* Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode: 7 }), { times: 2 })
        yield* api.createAndCall(createAndCallRequest(1))
        yield* sim.script(Simulator.ScriptedAnswer.RetCode({ retCode: 5001 }))
        rendered.push(inspect(yield* api.createAndCall(createAndCallRequest(2)), { depth: 10 }))
      }).pipe(Effect.provide(apiLayer(SECRET, { retry: RetryPolicy.make({ baseDelay: "1 millis" }) })))

      // --- API with a wrong secret: the platform refuses it -------------
      yield* Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        errors.push(yield* Effect.flip(api.createAndCall(createAndCallRequest(1))))
      }).pipe(Effect.provide(apiLayer(WRONG_SECRET)))

      // --- a transport failure -------------------------------------------
      yield* Effect.gen(function*() {
        const api = yield* CallbotApi.CallbotApi
        errors.push(yield* Effect.flip(api.createAndCall(createAndCallRequest(1))))
      }).pipe(
        Effect.provide(
          CallbotApi.layer({ baseUrl: "http://127.0.0.1:9", uuid: account.uuid, secretKey: account.secretKey }).pipe(
            Layer.provide(NodeHttpClient.layerUndici)
          )
        )
      )

      // --- configuration errors -----------------------------------------
      const configExit = yield* Effect.exit(
        Layer.build(
          CallbotApi.layerConfig.pipe(
            Layer.provide(NodeHttpClient.layerUndici),
            Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(
              new Map([["CALLBOT_UUID", "u"], ["CALLBOT_SECRET_KEY", SECRET], ["CALLBOT_ALGORITHM", "nope"]])
            )))
          )
        ).pipe(Effect.scoped)
      )
      expect(Exit.isFailure(configExit)).toBe(true)
      if (Exit.isFailure(configExit)) rendered.push(Cause.pretty(configExit.cause), inspect(configExit, { depth: 10 }))

      // --- the callback receiver ----------------------------------------
      yield* Effect.gen(function*() {
        const signer = yield* Signer.Signer
        const client = yield* HttpClient.HttpClient
        yield* Signer.redactSignHeader(HttpServer.serveEffect(
          HttpRouter.empty.pipe(
            HttpRouter.post("/cb", Callback.httpApp(() => Effect.fail(new Error(`handler failed (${Math.random()})`))))
          )
        ))
        const body = taskCallbackBody
        const signed = yield* Callback.sign(body)
        const post = (headers: Record<string, string>) =>
          Signer.redactSignHeader(client.execute(HttpClientRequest.post("/cb").pipe(
            HttpClientRequest.bodyText(body, "application/json"),
            HttpClientRequest.setHeaders(headers)
          )))
        const failed = yield* post(signed.headers)
        expect(failed.status).toBe(500)
        const forged = yield* post({ ...signed.headers, sign: "0".repeat(32) })
        expect(forged.status).toBe(401)
        errors.push(yield* Effect.flip(Callback.verify({ headers: { ...signed.headers, sign: "0".repeat(32) }, body })))
        rendered.push(inspect(signer, { depth: 10 }))
      }).pipe(
        Effect.scoped,
        Effect.provide(NodeHttpServer.layerTest),
        Effect.provide(Signer.layer(account))
      )

      // --- render everything ------------------------------------------------
      expect(errors.length).toBeGreaterThanOrEqual(10)
      rendered.push(...errors.map(renderError))
      rendered.push(String(account.secretKey), JSON.stringify(account), inspect(account, { depth: 10 }))
      rendered.push(inspect(CallbotApi.layer({ uuid: "u", secretKey: Redacted.make(SECRET) }), { depth: 10 }))
      rendered.push(inspect(Signer.layer({ uuid: "u", secretKey: Redacted.make(SECRET) }), { depth: 10 }))

      const telemetry = yield* Telemetry.Telemetry
      const spans = telemetry.spans.map(Telemetry.renderSpan)
      expect(spans.length).toBeGreaterThan(10)
      expect(telemetry.logs.length).toBeGreaterThan(0)
      rendered.push(...spans, ...telemetry.logs)

      const everything = rendered.join("\n")
      expect(everything).not.toContain(SECRET)
      expect(everything).not.toContain(WRONG_SECRET)

      // HTTP spans record headers — the SDK's requests, the simulator's server
      // and the callback receiver — but the `sign` header only as <redacted>.
      const httpSpans = telemetry.spans.filter((s) => s.attributes.has("http.request.header.sign"))
      expect(httpSpans.filter((s) => s.kind === "client").length).toBeGreaterThan(5)
      expect(httpSpans.filter((s) => s.kind === "server").length).toBeGreaterThan(5)
      for (const span of httpSpans) {
        expect([span.name, span.attributes.get("http.request.header.sign")]).toEqual([span.name, "<redacted>"])
      }
      const sentSignatures = (yield* sim.requests).map((r) => r.headers["sign"] ?? "").filter((s) => s !== "")
      expect(sentSignatures.length).toBeGreaterThan(5)
      // No span attribute anywhere holds a signature that was sent.
      const attributes = telemetry.spans.flatMap((span) => [...span.attributes.values()].map(String)).join("\n")
      for (const signature of sentSignatures) expect(attributes).not.toContain(signature)
    }).pipe(
      Effect.provide(Simulator.layer({ deliverCallbacks: false, accounts: [account] })),
      Effect.provide(Telemetry.layer)
    ))
})

describe("Signer.redactSignHeaderLayer", () => {
  it.live("keeps incoming signatures out of the spans of a server started as a layer", () =>
    Effect.gen(function*() {
      const telemetry = yield* Telemetry.Telemetry
      const client = yield* HttpClient.HttpClient
      const signed = yield* Callback.sign(taskCallbackBody)
      const response = yield* Signer.redactSignHeader(client.execute(
        HttpClientRequest.post("/cb").pipe(
          HttpClientRequest.bodyText(signed.body, "application/json"),
          HttpClientRequest.setHeaders(signed.headers)
        )
      ))
      expect(response.status).toBe(200)
      const server = telemetry.spans.filter((s) => s.kind === "server" && s.attributes.has("http.request.header.sign"))
      expect(server.length).toBe(1)
      expect(server[0]!.attributes.get("http.request.header.sign")).toBe("<redacted>")
    }).pipe(
      Effect.provide(
        HttpServer.serve(HttpRouter.empty.pipe(HttpRouter.post("/cb", Callback.httpApp({ task: () => Effect.void })))).pipe(
          Signer.redactSignHeaderLayer,
          Layer.provideMerge(NodeHttpServer.layerTest),
          Layer.provideMerge(Signer.layer(account))
        )
      ),
      Effect.provide(Telemetry.layer)
    ))
})
