/**
 * The replay store over `@effect/platform`'s `KeyValueStore`, so several app
 * instances can share one set of seen deliveries (see `makeKeyValueStore` on
 * the face for its limits).
 *
 * @internal
 */
import * as KeyValueStore from "@effect/platform/KeyValueStore";
import * as Clock from "effect/Clock";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Either from "effect/Either";
import * as Layer from "effect/Layer";
import * as Option from "effect/Option";
import * as Schema from "effect/Schema";
import { Claim, makeToken, ReplayStoreError, tag } from "./replayStore.js";
const StoredEntry = Schema.parseJson(Schema.Struct({
    state: Schema.Literal("inflight", "done"),
    expiresAt: Schema.Number,
    token: Schema.String
}));
const decodeEntry = Schema.decodeUnknownEither(StoredEntry);
const encodeEntry = (entry) => JSON.stringify(entry);
const describe = (error) => error.message;
/** @internal */
export const makeKeyValueStore = (options = {}) => Effect.map(KeyValueStore.KeyValueStore, (kv) => {
    const prefix = options.prefix ?? "effect-callbot/replay/";
    const maxTracked = Math.max(1, Math.floor(options.maxTracked ?? 100_000));
    // Keys claimed by this instance and not yet completed or released.
    const local = new Map();
    // Keys this instance wrote, with their expiry, oldest write first.
    const tracked = new Map();
    let nextSweepAt = Math.min(1024, maxTracked);
    const fail = (operation) => (error) => new ReplayStoreError({ operation, description: describe(error) });
    const read = (storeKey, now) => Effect.map(kv.get(storeKey), (value) => Option.flatMap(value, (text) => {
        const entry = decodeEntry(text);
        // An unreadable entry is treated as absent and overwritten.
        return Either.isRight(entry) && entry.right.expiresAt > now ? Option.some(entry.right) : Option.none();
    }));
    const sweep = (now) => Effect.gen(function* () {
        const expired = [];
        for (const [storeKey, expiresAt] of tracked) {
            if (expiresAt <= now)
                expired.push(storeKey);
        }
        for (const storeKey of expired) {
            tracked.delete(storeKey);
            // Only remove what is still expired: another instance may have
            // rewritten the key since.
            const current = yield* read(storeKey, now);
            if (Option.isNone(current))
                yield* kv.remove(storeKey);
        }
        for (const storeKey of tracked.keys()) {
            if (tracked.size < maxTracked)
                break;
            tracked.delete(storeKey);
        }
        nextSweepAt = Math.min(maxTracked, Math.max(1024, tracked.size * 2));
    });
    const track = (storeKey, expiresAt, now) => Effect.suspend(() => {
        tracked.delete(storeKey);
        tracked.set(storeKey, expiresAt);
        return tracked.size >= nextSweepAt ? sweep(now) : Effect.void;
    });
    const claim = (key, ttl) => {
        const storeKey = prefix + key;
        return Effect.flatMap(Clock.currentTimeMillis, (now) => {
            const expiresAt = now + Duration.toMillis(ttl);
            // Checked and set in one synchronous step: exact for duplicates on
            // this instance. The local marker expires like the stored one.
            const held = local.get(storeKey);
            if (held !== undefined && held > now)
                return Effect.succeed(Claim.inFlight);
            local.set(storeKey, expiresAt);
            return Effect.gen(function* () {
                const current = yield* read(storeKey, now);
                if (Option.isSome(current))
                    return current.value.state === "done" ? Claim.done : Claim.inFlight;
                const token = makeToken();
                yield* kv.set(storeKey, encodeEntry({ state: "inflight", expiresAt, token }));
                const after = yield* read(storeKey, now);
                if (Option.isNone(after) || after.value.token !== token)
                    return Claim.inFlight;
                yield* track(storeKey, expiresAt, now);
                return Claim.claimed(token);
            }).pipe(Effect.onExit((exit) => Effect.sync(() => {
                if (exit._tag === "Failure" || exit.value._tag !== "Claimed")
                    local.delete(storeKey);
            })), Effect.mapError(fail("claim")));
        });
    };
    const complete = (key, token, ttl) => {
        const storeKey = prefix + key;
        return Effect.gen(function* () {
            const now = yield* Clock.currentTimeMillis;
            const expiresAt = now + Duration.toMillis(ttl);
            yield* kv.set(storeKey, encodeEntry({ state: "done", expiresAt, token }));
            yield* track(storeKey, expiresAt, now);
        }).pipe(Effect.ensuring(Effect.sync(() => local.delete(storeKey))), Effect.mapError(fail("complete")));
    };
    const release = (key, token) => {
        const storeKey = prefix + key;
        return Effect.gen(function* () {
            const now = yield* Clock.currentTimeMillis;
            const current = yield* read(storeKey, now);
            if (Option.isSome(current) && current.value.state === "inflight" && current.value.token === token) {
                yield* kv.remove(storeKey);
                tracked.delete(storeKey);
            }
        }).pipe(Effect.ensuring(Effect.sync(() => local.delete(storeKey))), Effect.mapError(fail("release")));
    };
    const extend = (key, token, ttl) => {
        const storeKey = prefix + key;
        return Effect.gen(function* () {
            const now = yield* Clock.currentTimeMillis;
            const current = yield* read(storeKey, now);
            if (Option.isNone(current) || current.value.state !== "inflight" || current.value.token !== token)
                return;
            const expiresAt = now + Duration.toMillis(ttl);
            yield* kv.set(storeKey, encodeEntry({ state: "inflight", expiresAt, token }));
            if (local.has(storeKey))
                local.set(storeKey, expiresAt);
            yield* track(storeKey, expiresAt, now);
        }).pipe(Effect.mapError(fail("extend")));
    };
    return tag.of({ claim, complete, release, extend });
});
/** @internal */
export const layerKeyValueStore = (options = {}) => Layer.effect(tag, makeKeyValueStore(options));
