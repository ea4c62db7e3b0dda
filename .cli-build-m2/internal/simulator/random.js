/**
 * Seeded, reproducible randomness for the simulator. Every decision draws from
 * a stream keyed by what it decides (a call of an order, the n-th request), so
 * the same seed gives the same outcomes whatever order fibers run in.
 */
/** FNV-1a over the UTF-16 code units of `s`. */
export const hash32 = (s) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) {
        h ^= s.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
};
/** A stream of uniform numbers in `[0, 1)` (mulberry32) for `seed` and `key`. */
export const stream = (seed, key) => {
    let state = (hash32(key) ^ Math.imul((Math.trunc(seed) >>> 0) + 0x9e3779b9, 0x85ebca6b)) >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
};
/** An integer in `[min, max]` (inclusive) from a uniform draw. */
export const between = (u, min, max) => {
    const lo = Math.min(min, max);
    const hi = Math.max(min, max);
    return lo + Math.min(hi - lo, Math.floor(u * (hi - lo + 1)));
};
/** Draws from a {@link Range}. */
export const inRange = (u, range) => typeof range === "number" ? range : between(u, range[0], range[1]);
