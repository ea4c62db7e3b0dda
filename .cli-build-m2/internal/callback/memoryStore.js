/**
 * The in-memory replay store: one process, bounded memory, time from
 * `Clock` on every call (so `TestClock` drives expiry).
 *
 * @internal
 */
import * as Clock from "effect/Clock";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import { Claim, makeToken, tag } from "./replayStore.js";
/** @internal */
export const unsafeMakeMemory = (options = {}) => {
    const maxEntries = Math.max(1, Math.floor(options.maxEntries ?? 100_000));
    const entries = new Map();
    let nextSweepAt = Math.min(1024, maxEntries);
    const sweep = (now) => {
        for (const [key, entry] of entries) {
            if (entry.expiresAt <= now)
                entries.delete(key);
        }
        // Map iteration is insertion order and every write re-inserts, so the
        // first keys are the least recently written.
        for (const key of entries.keys()) {
            if (entries.size < maxEntries)
                break;
            entries.delete(key);
        }
        nextSweepAt = Math.min(maxEntries, Math.max(1024, entries.size * 2));
    };
    const write = (key, entry, now) => {
        entries.delete(key);
        if (entries.size >= nextSweepAt)
            sweep(now);
        entries.set(key, entry);
    };
    const live = (key, now) => {
        const entry = entries.get(key);
        if (entry === undefined)
            return undefined;
        if (entry.expiresAt <= now) {
            entries.delete(key);
            return undefined;
        }
        return entry;
    };
    return {
        claim: (key, ttl) => Effect.map(Clock.currentTimeMillis, (now) => {
            const entry = live(key, now);
            if (entry !== undefined)
                return entry.state === "done" ? Claim.done : Claim.inFlight;
            const token = makeToken();
            write(key, { state: "inflight", expiresAt: now + Duration.toMillis(ttl), token }, now);
            return Claim.claimed(token);
        }),
        complete: (key, token, ttl) => Effect.map(Clock.currentTimeMillis, (now) => {
            write(key, { state: "done", expiresAt: now + Duration.toMillis(ttl), token }, now);
        }),
        release: (key, token) => Effect.sync(() => {
            const entry = entries.get(key);
            if (entry !== undefined && entry.state === "inflight" && entry.token === token)
                entries.delete(key);
        }),
        extend: (key, token, ttl) => Effect.map(Clock.currentTimeMillis, (now) => {
            const entry = live(key, now);
            if (entry !== undefined && entry.state === "inflight" && entry.token === token) {
                write(key, { ...entry, expiresAt: now + Duration.toMillis(ttl) }, now);
            }
        }),
        size: Effect.sync(() => entries.size)
    };
};
/** @internal */
export const makeMemory = (options = {}) => Effect.sync(() => unsafeMakeMemory(options));
/** @internal */
export const layerMemory = (options = {}) => Layer.sync(tag, () => unsafeMakeMemory(options));
