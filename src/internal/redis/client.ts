/**
 * The Redis client the store owns (`RedisReplayStore.layer`): bounded
 * timeouts, no offline queue, capped reconnect backoff, connection events
 * logged through Effect (never an unhandled `'error'`), and `QUIT` when the
 * scope closes.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import { Redis, type RedisOptions } from "ioredis"
import type * as RedisReplayStore from "../../RedisReplayStore.js"
import type * as ReplayStore from "../../ReplayStore.js"
import { tag } from "../callback/replayStore.js"
import { defaultCommandTimeout, makeStore, type StoreClient } from "./store.js"

const millis = (input: Duration.DurationInput | undefined, fallback: Duration.Duration): number =>
  Math.max(1, Math.ceil(Duration.toMillis(Duration.decode(input ?? fallback))))

/**
 * The ioredis options the store's client runs with.
 *
 * @internal
 */
export const clientOptions = (options: RedisReplayStore.Options): RedisOptions => {
  const reconnectMax = millis(options.reconnectDelayMax, Duration.seconds(2))
  return {
    connectTimeout: millis(options.connectTimeout, Duration.seconds(2)),
    commandTimeout: millis(options.commandTimeout, defaultCommandTimeout),
    maxRetriesPerRequest: Math.max(0, Math.floor(options.maxRetriesPerRequest ?? 1)),
    // A delivery waits for Redis no longer than the command timeout: no
    // queue while disconnected, and no resend of a command whose answer was
    // lost (the receiver has answered 503 by then).
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    // Reconnect forever, 50 ms doubling up to the cap.
    retryStrategy: (attempt) => Math.min(reconnectMax, 50 * 2 ** Math.min(attempt - 1, 16)),
    lazyConnect: true
  }
}

/** Logs connection trouble once per outage (then at debug), and the recovery. */
const watch = (client: Redis, runtime: Runtime.Runtime<never>): void => {
  const log = Runtime.runFork(runtime)
  let down = false
  client.on("error", (error: Error) => {
    log(
      down
        ? Effect.logDebug("replay store: Redis still unreachable", error.message)
        : Effect.logWarning("replay store: Redis connection error; deliveries are answered 503 until it is back", error.message)
    )
    down = true
  })
  client.on("ready", () => {
    if (down) log(Effect.logInfo("replay store: Redis connection restored"))
    down = false
  })
}

const close = (client: Redis, timeout: number): Effect.Effect<void> =>
  Effect.tryPromise(() => client.quit()).pipe(
    Effect.timeout(timeout),
    Effect.ignore,
    Effect.ensuring(Effect.sync(() => client.disconnect()))
  )

/**
 * A connected client, quit when the scope closes. Waits up to
 * `connectTimeout` for the first connection; when Redis is not there yet,
 * the client keeps trying in the background and the store fails until it
 * is (the receiver answers 503), so an app can start before its Redis.
 *
 * @internal
 */
export const acquire = (options: RedisReplayStore.Options): Effect.Effect<Redis, never, Scope.Scope> => {
  const settings = clientOptions(options)
  const url = Redacted.isRedacted(options.url) ? Redacted.value(options.url) : options.url
  return Effect.acquireRelease(
    Effect.gen(function*() {
      const runtime = yield* Effect.runtime<never>()
      const client = new Redis(url, settings)
      watch(client, runtime)
      const connected = yield* Effect.tryPromise(() => client.connect()).pipe(
        Effect.timeout(settings.connectTimeout ?? 2000),
        Effect.either
      )
      if (connected._tag === "Left") {
        yield* Effect.logWarning("replay store: Redis not reachable yet; retrying in the background")
      }
      return client
    }),
    (client) => close(client, settings.connectTimeout ?? 2000)
  )
}

/** @internal */
export const withStore = (options: RedisReplayStore.StoreOptions) =>
<E, R>(client: Effect.Effect<Redis, E, R>): Effect.Effect<ReplayStore.ReplayStore, E, R> =>
  Effect.map(client, (redis) => makeStore(redis, options))

/** @internal */
export const layer = (options: RedisReplayStore.Options): Layer.Layer<ReplayStore.ReplayStore> =>
  Layer.scoped(tag, acquire(options).pipe(withStore(options)))

/** @internal */
export const layerClient = (
  client: StoreClient,
  options: RedisReplayStore.StoreOptions = {}
): Layer.Layer<ReplayStore.ReplayStore> => Layer.sync(tag, () => makeStore(client, options))
