import * as keyValueStore from "./internal/callback/keyValueStore.js";
import * as memoryStore from "./internal/callback/memoryStore.js";
import * as internal from "./internal/callback/replayStore.js";
/**
 * The store could not be read or written. The receiver answers such a
 * delivery with HTTP 503 (`retCode` 7), so the platform delivers it again
 * later, rather than risk running a handler twice.
 *
 * @since 0.1.0
 * @category errors
 */
export const ReplayStoreError = internal.ReplayStoreError;
/**
 * {@link Claim} constructors.
 *
 * @since 0.1.0
 * @category constructors
 */
export const Claim = internal.Claim;
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
export const ReplayStore = internal.tag;
/**
 * Builds an in-memory store outside of an Effect (the receiver's default).
 * Time comes from `Clock` on every call, so `TestClock` drives expiry. Memory
 * is bounded: expired entries are swept as new ones arrive (amortised), and
 * {@link MemoryOptions.maxEntries} caps the total.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unsafeMakeMemory = memoryStore.unsafeMakeMemory;
/**
 * Builds an in-memory {@link ReplayStore}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory = memoryStore.makeMemory;
/**
 * An in-memory {@link ReplayStore} for one process.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = memoryStore.layerMemory;
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
export const makeKeyValueStore = keyValueStore.makeKeyValueStore;
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
export const layerKeyValueStore = keyValueStore.layerKeyValueStore;
