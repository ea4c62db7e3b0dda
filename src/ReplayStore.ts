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
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/**
 * The store could not be read or written. The receiver answers such a
 * delivery with HTTP 503 (`retCode` 7), so the platform delivers it again
 * later, rather than risk running a handler twice.
 *
 * @since 0.1.0
 * @category errors
 */
export class ReplayStoreError extends Schema.TaggedError<ReplayStoreError>()("ReplayStoreError", {
  operation: Schema.Literal("claim", "complete", "release"),
  description: Schema.String
}) {
  override get message() {
    return `replay store: ${this.operation} failed: ${this.description}`
  }
}

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
} = {
  claimed: (token) => ({ _tag: "Claimed", token }),
  inFlight: { _tag: "InFlight" },
  done: { _tag: "Done" }
}

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
}

/**
 * The {@link ReplayStore} service. Provide it to share one store between
 * receivers (or between app instances, with {@link layerKeyValueStore}); a
 * receiver with no store in its context and none in its options uses a
 * private in-memory store.
 *
 * @since 0.1.0
 * @category services
 */
export const ReplayStore: Context.Tag<ReplayStore, ReplayStore> = Context.GenericTag<ReplayStore>(
  "effect-callbot/ReplayStore"
)

const makeToken = (): string => globalThis.crypto.randomUUID()

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

interface MemoryEntry {
  readonly state: "inflight" | "done"
  readonly expiresAt: number
  readonly token: string
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
export const unsafeMakeMemory = (options: MemoryOptions = {}): MemoryReplayStore => {
  const maxEntries = Math.max(1, Math.floor(options.maxEntries ?? 100_000))
  const entries = new Map<string, MemoryEntry>()
  let nextSweepAt = Math.min(1024, maxEntries)

  const sweep = (now: number) => {
    for (const [key, entry] of entries) {
      if (entry.expiresAt <= now) entries.delete(key)
    }
    // Map iteration is insertion order and every write re-inserts, so the
    // first keys are the least recently written.
    for (const key of entries.keys()) {
      if (entries.size < maxEntries) break
      entries.delete(key)
    }
    nextSweepAt = Math.min(maxEntries, Math.max(1024, entries.size * 2))
  }

  const write = (key: string, entry: MemoryEntry, now: number) => {
    entries.delete(key)
    if (entries.size >= nextSweepAt) sweep(now)
    entries.set(key, entry)
  }

  const live = (key: string, now: number): MemoryEntry | undefined => {
    const entry = entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= now) {
      entries.delete(key)
      return undefined
    }
    return entry
  }

  return {
    claim: (key, ttl) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const entry = live(key, now)
        if (entry !== undefined) return entry.state === "done" ? Claim.done : Claim.inFlight
        const token = makeToken()
        write(key, { state: "inflight", expiresAt: now + Duration.toMillis(ttl), token }, now)
        return Claim.claimed(token)
      }),
    complete: (key, token, ttl) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        write(key, { state: "done", expiresAt: now + Duration.toMillis(ttl), token }, now)
      }),
    release: (key, token) =>
      Effect.sync(() => {
        const entry = entries.get(key)
        if (entry !== undefined && entry.state === "inflight" && entry.token === token) entries.delete(key)
      }),
    size: Effect.sync(() => entries.size)
  }
}

/**
 * Builds an in-memory {@link ReplayStore}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory = (options: MemoryOptions = {}): Effect.Effect<MemoryReplayStore> =>
  Effect.sync(() => unsafeMakeMemory(options))

/**
 * An in-memory {@link ReplayStore} for one process.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (options: MemoryOptions = {}): Layer.Layer<ReplayStore> =>
  Layer.sync(ReplayStore, () => unsafeMakeMemory(options))

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

const StoredEntry = Schema.parseJson(Schema.Struct({
  state: Schema.Literal("inflight", "done"),
  expiresAt: Schema.Number,
  token: Schema.String
}))
const decodeEntry = Schema.decodeUnknownEither(StoredEntry)
const encodeEntry = (entry: MemoryEntry): string => JSON.stringify(entry)

const describe = (error: { readonly message: string }): string => error.message

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
export const makeKeyValueStore = (
  options: KeyValueStoreOptions = {}
): Effect.Effect<ReplayStore, never, KeyValueStore.KeyValueStore> =>
  Effect.map(KeyValueStore.KeyValueStore, (kv) => {
    const prefix = options.prefix ?? "effect-callbot/replay/"
    const maxTracked = Math.max(1, Math.floor(options.maxTracked ?? 100_000))
    // Keys claimed by this instance and not yet completed or released.
    const local = new Map<string, number>()
    // Keys this instance wrote, with their expiry, oldest write first.
    const tracked = new Map<string, number>()
    let nextSweepAt = Math.min(1024, maxTracked)

    const fail = (operation: ReplayStoreError["operation"]) => (error: { readonly message: string }) =>
      new ReplayStoreError({ operation, description: describe(error) })

    const read = (storeKey: string, now: number) =>
      Effect.map(kv.get(storeKey), (value) =>
        Option.flatMap(value, (text) => {
          const entry = decodeEntry(text)
          // An unreadable entry is treated as absent and overwritten.
          return Either.isRight(entry) && entry.right.expiresAt > now ? Option.some(entry.right) : Option.none()
        }))

    const sweep = (now: number) =>
      Effect.gen(function*() {
        const expired: Array<string> = []
        for (const [storeKey, expiresAt] of tracked) {
          if (expiresAt <= now) expired.push(storeKey)
        }
        for (const storeKey of expired) {
          tracked.delete(storeKey)
          // Only remove what is still expired: another instance may have
          // rewritten the key since.
          const current = yield* read(storeKey, now)
          if (Option.isNone(current)) yield* kv.remove(storeKey)
        }
        for (const storeKey of tracked.keys()) {
          if (tracked.size < maxTracked) break
          tracked.delete(storeKey)
        }
        nextSweepAt = Math.min(maxTracked, Math.max(1024, tracked.size * 2))
      })

    const track = (storeKey: string, expiresAt: number, now: number) =>
      Effect.suspend(() => {
        tracked.delete(storeKey)
        tracked.set(storeKey, expiresAt)
        return tracked.size >= nextSweepAt ? sweep(now) : Effect.void
      })

    const claim: ReplayStore["claim"] = (key, ttl) => {
      const storeKey = prefix + key
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const expiresAt = now + Duration.toMillis(ttl)
        // Checked and set in one synchronous step: exact for duplicates on
        // this instance. The local marker expires like the stored one.
        const held = local.get(storeKey)
        if (held !== undefined && held > now) return Effect.succeed(Claim.inFlight)
        local.set(storeKey, expiresAt)
        return Effect.gen(function*() {
          const current = yield* read(storeKey, now)
          if (Option.isSome(current)) return current.value.state === "done" ? Claim.done : Claim.inFlight
          const token = makeToken()
          yield* kv.set(storeKey, encodeEntry({ state: "inflight", expiresAt, token }))
          const after = yield* read(storeKey, now)
          if (Option.isNone(after) || after.value.token !== token) return Claim.inFlight
          yield* track(storeKey, expiresAt, now)
          return Claim.claimed(token)
        }).pipe(
          Effect.onExit((exit) =>
            Effect.sync(() => {
              if (exit._tag === "Failure" || exit.value._tag !== "Claimed") local.delete(storeKey)
            })
          ),
          Effect.mapError(fail("claim"))
        )
      })
    }

    const complete: ReplayStore["complete"] = (key, token, ttl) => {
      const storeKey = prefix + key
      return Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const expiresAt = now + Duration.toMillis(ttl)
        yield* kv.set(storeKey, encodeEntry({ state: "done", expiresAt, token }))
        yield* track(storeKey, expiresAt, now)
      }).pipe(
        Effect.ensuring(Effect.sync(() => local.delete(storeKey))),
        Effect.mapError(fail("complete"))
      )
    }

    const release: ReplayStore["release"] = (key, token) => {
      const storeKey = prefix + key
      return Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const current = yield* read(storeKey, now)
        if (Option.isSome(current) && current.value.state === "inflight" && current.value.token === token) {
          yield* kv.remove(storeKey)
          tracked.delete(storeKey)
        }
      }).pipe(
        Effect.ensuring(Effect.sync(() => local.delete(storeKey))),
        Effect.mapError(fail("release"))
      )
    }

    return ReplayStore.of({ claim, complete, release })
  })

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
export const layerKeyValueStore = (
  options: KeyValueStoreOptions = {}
): Layer.Layer<ReplayStore, never, KeyValueStore.KeyValueStore> =>
  Layer.effect(ReplayStore, makeKeyValueStore(options))
