/**
 * Fault injection: a seeded, reproducible decision per request. The n-th
 * request that fault mode considers draws from the stream `fault|n` of the
 * seed, so the same seed and the same request sequence give the same faults.
 */
import * as Random from "./random.js";
/** Every {@link FaultKind}, in the order their rates are laid out on `[0, 1)`. */
export const faultKinds = [
    "latency",
    "dropBeforeProcessing",
    "dropAfterProcessing",
    "httpStatus",
    "retCodeBurst",
    "truncatedBody",
    "badSignature"
];
const emptyStats = () => ({
    considered: 0,
    latency: 0,
    dropBeforeProcessing: 0,
    dropAfterProcessing: 0,
    httpStatus: 0,
    retCodeBurst: 0,
    truncatedBody: 0,
    badSignature: 0
});
const clamp01 = (n) => (n === undefined || !(n > 0) ? 0 : Math.min(1, n));
/** Builds a fault injector; `undefined` options give one that never injects. */
export const make = (options) => {
    const stats = emptyStats();
    const count = (kind) => {
        stats[kind]++;
    };
    if (options === undefined) {
        return { decide: () => undefined, stats: () => ({ ...stats }), count };
    }
    const seed = options.seed ?? 1;
    const rates = options.rates ?? {};
    const exclusive = faultKinds.filter((k) => k !== "latency");
    const raw = exclusive.map((k) => clamp01(rates[k]));
    const sum = raw.reduce((a, b) => a + b, 0);
    const scaled = sum > 1 ? raw.map((r) => r / sum) : raw;
    const latencyRate = clamp01(rates.latency);
    const latencyMillis = options.latencyMillis ?? [100, 1000];
    const httpStatuses = options.httpStatuses !== undefined && options.httpStatuses.length > 0
        ? options.httpStatuses
        : [500, 502, 503, 504, 429];
    const retCodes = options.retCodes !== undefined && options.retCodes.length > 0 ? options.retCodes : [5, 7, 5001];
    const maxBurst = Math.max(1, Math.floor(options.maxBurst ?? 3));
    const appliedRate = clamp01(options.internalErrorAppliedRate ?? 0.5);
    const retryAfter = options.retryAfterSeconds ?? 1;
    const endpoints = options.endpoints === undefined ? undefined : new Set(options.endpoints);
    let index = 0;
    let burst;
    const decide = (endpoint) => {
        if (endpoints !== undefined && !endpoints.has(endpoint))
            return undefined;
        const n = index++;
        stats.considered++;
        const draw = Random.stream(seed, `fault|${n}`);
        const uLatency = draw();
        const uKind = draw();
        const uParam = draw();
        const uParam2 = draw();
        const uApplied = draw();
        const uLatencyAmount = draw();
        const latency = uLatency < latencyRate ? Random.inRange(uLatencyAmount, latencyMillis) : undefined;
        if (latency !== undefined)
            count("latency");
        if (burst !== undefined && burst.remaining > 0) {
            burst.remaining--;
            const code = burst.code;
            if (burst.remaining === 0)
                burst = undefined;
            count("retCodeBurst");
            return { index: n, latencyMillis: latency, kind: "retCodeBurst", retCode: code, applied: code === 5001 && uApplied < appliedRate };
        }
        let acc = 0;
        let kind;
        for (let i = 0; i < exclusive.length; i++) {
            acc += scaled[i] ?? 0;
            if (uKind < acc) {
                kind = exclusive[i];
                break;
            }
        }
        if (kind === undefined)
            return latency === undefined ? undefined : { index: n, latencyMillis: latency, kind: undefined };
        count(kind);
        switch (kind) {
            case "httpStatus": {
                const status = httpStatuses[Random.between(uParam, 0, httpStatuses.length - 1)] ?? 503;
                return {
                    index: n,
                    latencyMillis: latency,
                    kind,
                    httpStatus: status,
                    retryAfterSeconds: status === 429 || status === 503 ? retryAfter : undefined
                };
            }
            case "retCodeBurst": {
                const code = retCodes[Random.between(uParam, 0, retCodes.length - 1)] ?? 7;
                const length = Random.between(uParam2, 1, maxBurst);
                if (length > 1)
                    burst = { code, remaining: length - 1 };
                return { index: n, latencyMillis: latency, kind, retCode: code, applied: code === 5001 && uApplied < appliedRate };
            }
            default:
                return { index: n, latencyMillis: latency, kind };
        }
    };
    return { decide, stats: () => ({ ...stats }), count };
};
