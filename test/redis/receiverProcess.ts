/**
 * One receiver instance, as its own process: `Callback.httpApp` on
 * `NodeHttpServer` (127.0.0.1, port 0) with `RedisReplayStore.layer` on
 * `REDIS_URL`. Prints `LISTENING <port>` once it serves, and
 * `RAN <requestID>` each time its handler runs (after a short pause, so
 * that concurrent posts overlap it). Started by the multi-instance test.
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Effect, Layer, Logger, LogLevel, Redacted } from "effect"
import { createServer } from "node:http"
import * as Callback from "../../src/Callback.js"
import * as RedisReplayStore from "../../src/RedisReplayStore.js"
import * as Signer from "../../src/Signer.js"

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379"
// The test account's (see CallbackFixtures.ts; not imported, to start fast).
const SignerLive = Signer.layer({ uuid: "cb-test-uuid", secretKey: Redacted.make(process.env.CALLBOT_SECRET ?? "") })

const app = Callback.httpApp((_callback, delivery) =>
  Effect.sleep("100 millis").pipe(
    Effect.zipRight(Effect.sync(() => process.stdout.write(`RAN ${delivery.requestID}\n`)))
  )
)

const announce = Layer.effectDiscard(
  Effect.flatMap(HttpServer.HttpServer, (server) =>
    Effect.sync(() =>
      process.stdout.write(`LISTENING ${server.address._tag === "TcpAddress" ? server.address.port : 0}\n`)
    ))
)

HttpServer.serve(app).pipe(
  Layer.merge(announce),
  Layer.provide(RedisReplayStore.layer({ url: redisUrl, reconnectDelayMax: "200 millis", commandTimeout: "500 millis" })),
  Layer.provide(SignerLive),
  Layer.provide(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
  Layer.provide(Logger.minimumLogLevel(LogLevel.Error)),
  Layer.launch,
  NodeRuntime.runMain
)
