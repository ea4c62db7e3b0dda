/**
 * Replay protection for the callback receiver: a store of the callback
 * `requestID`s already seen, with an expiry.
 *
 * The receiver (`Callback.httpApp` / `Callback.receiver`) asks the store to
 * {@link ReplayStore.claim claim} a delivery before it runs your handler:
 *
 * - `Claimed` — first time seen: the handler runs. When it succeeds the
 *   receiver marks the key {@link ReplayStore.complete done}; when it fails
 *   or times out it {@link ReplayStore.release releases} the key, so a
 *   redelivery runs the handler again.
 * - `InFlight` — the same delivery is being handled right now (a concurrent
 *   duplicate): the receiver answers "busy, retry" without running the handler.
 * - `Done` — already handled successfully: the receiver acknowledges without
 *   running the handler again.
 *
 * Two implementations ship: {@link layerMemory} (the default, one process,
 * bounded memory) and {@link layerKeyValueStore} over `@effect/platform`'s
 * `KeyValueStore`, so several instances of an app can share one store. The
 * interface is small on purpose: a store with an atomic "set if absent"
 * (Redis `SET key value NX PX ttl`, a SQL unique key) implements it exactly.
 *
 * @since 0.1.0
 */
import type * as KeyValueStore from "@effect/platform/KeyValueStore"
import type * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as keyValueStore from "./internal/callback/keyValueStore.js"
import * as memoryStore from "./internal/callback/memoryStore.js"
import * as internal from "./internal/callback/replayStore.js"

/**
 * The store could not be read or written. The receiver answers such a
 * delivery with HTTP 503 (`retCode` 7), so the platform delivers it again
 * later, rather than risk running a handler twice.
 *
 * @since 0.1.0
 * @category errors
 */
export const ReplayStoreError: typeof internal.ReplayStoreError = internal.ReplayStoreError

/**
 * @since 0.1.0
 * @category errors
 */
export type ReplayStoreError = internal.ReplayStoreError

/**
 * The answer to {@link ReplayStore.claim}.
 *
 * @since 0.1.0
 * @category models
 */
export type Claim =
  | { readonly _tag: "Claimed"; readonly token: string }
  | { readonly _tag: "InFlight" }
  | { readonly _tag: "Done" }

/**
 * {@link Claim} constructors.
 *
 * @since 0.1.0
 * @category constructors
 */
export const Claim: {
  readonly claimed: (token: string) => Claim
  readonly inFlight: Claim
  readonly done: Claim
} = internal.Claim

/**
 * A store of seen deliveries. Keys are opaque strings (the receiver uses
 * `<uuid>/<requestID>`); every entry has a time to live.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReplayStore {
  /**
   * Marks `key` as in flight for `ttl` unless it is already in flight or
   * done. The `ttl` bounds how long a crashed handler blocks redeliveries.
   */
  readonly claim: (key: string, ttl: Duration.Duration) => Effect.Effect<Claim, ReplayStoreError>
  /** Marks `key` as done for `ttl`: the handler succeeded. */
  readonly complete: (key: string, token: string, ttl: Duration.Duration) => Effect.Effect<void, ReplayStoreError>
  /**
   * Forgets an in-flight claim (the handler failed), so a redelivery may run
   * the handler again. Does nothing when the claim is no longer `token`'s.
   */
  readonly release: (key: string, token: string) => Effect.Effect<void, ReplayStoreError>
  /**
   * Pushes the expiry of `token`'s in-flight claim to `ttl` from now; does
   * nothing when the claim is no longer `token`'s (done, released, expired).
   * The receiver calls it while a handler outlives its claim's first `ttl`
   * (past `handlerTimeout`, or after the client went away), so a redelivery
   * never runs a handler that is still running. A store without it keeps
   * each claim for the `ttl` given to {@link claim} only.
   *
   * @since 0.2.0
   */
  readonly extend?:
    | ((key: string, token: string, ttl: Duration.Duration) => Effect.Effect<void, ReplayStoreError>)
    | undefined
}

/**
 * The {@link ReplayStore} service. Provide it to share one store between
 * app instances (with {@link layerKeyValueStore}). A receiver with no store
 * in its context and none in its options uses the process-wide in-memory
 * store of the account (one per `uuid`, shared by every such receiver, so a
 * delivery handled at one URL is a duplicate at every other).
 *
 * @since 0.1.0
 * @category services
 */
export const ReplayStore: Context.Tag<ReplayStore, ReplayStore> = internal.tag

/**
 * Options of the in-memory store.
 *
 * @since 0.1.0
 * @category models
 */
export interface MemoryOptions {
  /**
   * Hard cap on the number of entries. Expired entries are swept first; if
   * the store is still full, the oldest entries are dropped (which re-opens a
   * replay window for them, so size it above your peak deliveries per replay
   * TTL). Default 100,000.
   */
  readonly maxEntries?: number | undefined
}

/**
 * An in-memory {@link ReplayStore} that can report its size (for tests and
 * metrics).
 *
 * @since 0.1.0
 * @category models
 */
export interface MemoryReplayStore extends ReplayStore {
  /** Number of entries currently held, expired ones included until swept. */
  readonly size: Effect.Effect<number>
}

/**
 * Builds an in-memory store outside of an Effect (the receiver's default).
 * Time comes from `Clock` on every call, so `TestClock` drives expiry. Memory
 * is bounded: expired entries are swept as new ones arrive (amortised), and
 * {@link MemoryOptions.maxEntries} caps the total.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unsafeMakeMemory: (options?: MemoryOptions) => MemoryReplayStore = memoryStore.unsafeMakeMemory

/**
 * Builds an in-memory {@link ReplayStore}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: (options?: MemoryOptions) => Effect.Effect<MemoryReplayStore> = memoryStore.makeMemory

/**
 * An in-memory {@link ReplayStore} for one process.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: (options?: MemoryOptions) => Layer.Layer<ReplayStore> = memoryStore.layerMemory

/**
 * Options of the `KeyValueStore`-backed store.
 *
 * @since 0.1.0
 * @category models
 */
export interface KeyValueStoreOptions {
  /** Prefix of every key written. Default `"effect-callbot/replay/"`. */
  readonly prefix?: string | undefined
  /**
   * How many keys this instance remembers for sweeping (see
   * {@link makeKeyValueStore}). Default 100,000.
   */
  readonly maxTracked?: number | undefined
}

/**
 * Builds a {@link ReplayStore} on top of the `KeyValueStore` in context
 * (`KeyValueStore.layerFileSystem`, a Redis- or database-backed
 * implementation, or `KeyValueStore.layerMemory` in tests), so that several
 * app instances share one set of seen deliveries.
 *
 * Limits, because `KeyValueStore` has neither expiry nor an atomic
 * "set if absent":
 *
 * - Expiry is checked on read; entries are JSON `{ state, expiresAt, token }`.
 *   Each instance remembers the keys it wrote (up to `maxTracked`) and
 *   removes them once expired, so the backing store does not grow without
 *   bound while the instance runs. Keys written by an instance that stopped
 *   stay until read again: prefer a backend with native expiry.
 * - Concurrent duplicates on the **same** instance are exact (a local
 *   in-flight set). Across instances, `claim` writes and then reads back its
 *   token, which narrows but does not close the race between two instances
 *   claiming the same key at the same moment. For a strict guarantee,
 *   implement {@link ReplayStore} on an atomic "set if absent".
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeKeyValueStore: (
  options?: KeyValueStoreOptions
) => Effect.Effect<ReplayStore, never, KeyValueStore.KeyValueStore> = keyValueStore.makeKeyValueStore

/**
 * A {@link ReplayStore} over the `KeyValueStore` in context; see
 * {@link makeKeyValueStore} for its guarantees.
 *
 * @example
 * ```ts
 * import { ReplayStore } from "effect-callbot"
 * import { KeyValueStore } from "@effect/platform"
 * import { NodeContext } from "@effect/platform-node"
 * import { Layer } from "effect"
 *
 * const SharedReplayStore = ReplayStore.layerKeyValueStore().pipe(
 *   Layer.provide(KeyValueStore.layerFileSystem("/var/lib/myapp/callbot-replay")),
 *   Layer.provide(NodeContext.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerKeyValueStore: (
  options?: KeyValueStoreOptions
) => Layer.Layer<ReplayStore, never, KeyValueStore.KeyValueStore> = keyValueStore.layerKeyValueStore
