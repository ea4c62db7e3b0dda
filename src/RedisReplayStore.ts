/**
 * An exact {@link ReplayStore.ReplayStore} on Redis, for apps that run the
 * callback endpoint on several instances: a delivery redelivered to another
 * instance is recognised there, and a handler runs once across all of them.
 *
 * A separate entry point, `effect-callbot/redis`, so that apps without Redis
 * never load a Redis client. Needs `ioredis` ^5 (an optional peer
 * dependency).
 *
 * Every operation is one atomic step on the server:
 *
 * - `claim`: `SET key inflight:<token> NX PX ttl`, and in the same Lua
 *   script, when the key exists, whether it is done or in flight;
 * - `complete`: `SET key done:<token> PX ttl` (a success is final);
 * - `release` / `extend`: compare-and-delete / compare-and-`PEXPIRE` in Lua,
 *   only if the key still holds this claim's token.
 *
 * Scripts run with `EVALSHA`, falling back to `EVAL` when the server does
 * not know them (after a restart).
 *
 * When Redis is down or slower than `commandTimeout`, the store fails with
 * `ReplayStoreError`: the receiver answers HTTP 503 with `retCode` 7 and
 * does not run the handler; the platform delivers again later. When Redis is
 * back, deliveries are handled again, without a restart.
 *
 * @since 0.2.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as RedisClient from "./internal/redis/client.js"
import * as internal from "./internal/redis/store.js"
import type * as ReplayStore from "./ReplayStore.js"

/**
 * Options of the store over a client, yours or its own.
 *
 * @since 0.2.0
 * @category models
 */
export interface StoreOptions {
  /** Prefix of every key written. Default `"effect-callbot:replay:"`. */
  readonly keyPrefix?: string | undefined
  /**
   * How long one store operation waits for Redis before it fails (and the
   * delivery is answered 503). Default 1 second.
   */
  readonly commandTimeout?: Duration.DurationInput | undefined
}

/**
 * Options of {@link layer}: where Redis is, and the client's bounds.
 *
 * @since 0.2.0
 * @category models
 */
export interface Options extends StoreOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  readonly url: string | Redacted.Redacted<string>
  /** How long a connection attempt may take. Default 2 seconds. */
  readonly connectTimeout?: Duration.DurationInput | undefined
  /**
   * The longest wait between reconnection attempts (they start at 50 ms
   * and double). The client never gives up. Default 2 seconds.
   */
  readonly reconnectDelayMax?: Duration.DurationInput | undefined
  /**
   * How many reconnections a command sent before a disconnection waits
   * for before it fails (ioredis `maxRetriesPerRequest`). Default 1.
   */
  readonly maxRetriesPerRequest?: number | undefined
}

/**
 * What the store needs of an ioredis client (`Redis` or `Cluster`).
 *
 * @since 0.2.0
 * @category models
 */
export type Client = internal.StoreClient

/**
 * The default key prefix, `"effect-callbot:replay:"`.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultKeyPrefix: string = internal.defaultKeyPrefix

/**
 * A store over a client you own (it is not closed by the store).
 *
 * The store bounds each operation by `commandTimeout` itself; the client's
 * own options still decide whether a command sent while disconnected waits
 * in its offline queue (ioredis' default) or fails at once
 * (`enableOfflineQueue: false`, which {@link layer} uses).
 *
 * @since 0.2.0
 * @category constructors
 */
export const makeClient: (client: Client, options?: StoreOptions) => ReplayStore.ReplayStore = internal.makeStore

/**
 * A store with a client of its own, connected to `options.url` and quit
 * when the scope closes. It waits up to `connectTimeout` for the first
 * connection and does not fail when Redis is not there yet: the client
 * keeps reconnecting and the store fails until it succeeds.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<ReplayStore.ReplayStore, never, Scope.Scope> =>
  RedisClient.acquire(options).pipe(RedisClient.withStore(options))

/**
 * Provides `ReplayStore.ReplayStore` on Redis, with a client of its own
 * (see {@link make}).
 *
 * @example
 * ```ts
 * import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
 * import { HttpServer } from "@effect/platform"
 * import { Callback, Signer } from "effect-callbot"
 * import * as RedisReplayStore from "effect-callbot/redis"
 * import { Effect, Layer } from "effect"
 * import { createServer } from "node:http"
 *
 * const app = Callback.httpApp({ order: (order) => Effect.log(`order ${order.orderID} finished`) })
 *
 * // Run as many copies as you like: they share one Redis.
 * HttpServer.serve(app).pipe(
 *   Layer.provide(RedisReplayStore.layer({ url: "redis://redis.internal:6379" })),
 *   Layer.provide(Signer.layerConfig),
 *   Layer.provide(NodeHttpServer.layer(createServer, { port: 8080 })),
 *   Layer.launch,
 *   NodeRuntime.runMain
 * )
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layer: (options: Options) => Layer.Layer<ReplayStore.ReplayStore> = RedisClient.layer

/**
 * Provides `ReplayStore.ReplayStore` on Redis over a client you own (not
 * closed by the store; see {@link makeClient}).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerClient: (client: Client, options?: StoreOptions) => Layer.Layer<ReplayStore.ReplayStore> =
  RedisClient.layerClient
