/**
 * `Callback.httpApp` on a Node server reads a request nobody has read from
 * the request's own events; under the platform's own body cap
 * (`HttpIncomingMessage.withMaxBodySize`) it leaves the read to the
 * platform, as it always did, so that cap still holds.
 *
 * (Without the fallback, the body below would be read whole from the
 * events and handled: the receiver's own cap is 1 MiB.)
 */
import { HttpClient, HttpClientRequest, HttpIncomingMessage, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { Callback } from "../src/index.js"
import { callBody, signBody, SignerLive } from "./CallbackFixtures.js"

const deliver = (body: string, headers: Record<string, string>) =>
  Effect.flatMap(HttpClient.HttpClient, (client) =>
    client.execute(
      HttpClientRequest.post("/callbot").pipe(
        HttpClientRequest.bodyText(body, "application/json"),
        HttpClientRequest.setHeaders(headers)
      )
    ))

describe("Callback.httpApp on NodeHttpServer", () => {
  it.live("answers a delivery read from the request's events, and runs its handler once", () =>
    Effect.gen(function*() {
      let handled = 0
      yield* HttpServer.serveEffect(Callback.httpApp({ call: () => Effect.sync(() => handled++) }))
      const signed = signBody(callBody, { createTs: Math.floor(Date.now() / 1000) })
      const response = yield* deliver(signed.body, signed.headers)
      expect(response.status).toBe(200)
      expect(yield* response.json).toMatchObject({ retCode: 0 })
      const again = yield* deliver(signed.body, signed.headers)
      expect(again.status).toBe(200)
      expect(handled).toBe(1)
    }).pipe(Effect.provide(Layer.mergeAll(NodeHttpServer.layerTest, SignerLive)), Effect.scoped))

  it.live("keeps the platform's own body cap: a body over it is refused (400, or the connection closed)", () =>
    Effect.gen(function*() {
      let handled = 0
      const app = Callback.httpApp({ call: () => Effect.sync(() => handled++) }).pipe(
        HttpIncomingMessage.withMaxBodySize(Option.some(64))
      )
      yield* HttpServer.serveEffect(app)
      const over = signBody(callBody, { createTs: Math.floor(Date.now() / 1000) })
      expect(over.body.length).toBeGreaterThan(64)
      const refused = yield* Effect.either(deliver(over.body, over.headers))
      // The platform stops reading at its cap; on Node that may close the connection.
      expect(refused._tag === "Left" || refused.right.status === 400).toBe(true)
      expect(handled).toBe(0)
    }).pipe(Effect.provide(Layer.mergeAll(NodeHttpServer.layerTest, SignerLive)), Effect.scoped))
})
