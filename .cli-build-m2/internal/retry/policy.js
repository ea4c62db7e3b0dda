/**
 * The retry policy as data: classification of failed attempts, the policy
 * constructor and the per-call override.
 */
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as FiberRef from "effect/FiberRef";
import { dual } from "effect/Function";
import * as Option from "effect/Option";
import * as Schedule from "effect/Schedule";
const retryableStatus = new Set([429, 502, 503, 504]);
/** @internal */
export const classify = (error) => {
    switch (error._tag) {
        case "SystemBusy":
        case "ServerMaintenance":
        case "BatchImportInProgress":
            return "transient";
        case "InternalServerError":
        case "MalformedResponse":
        case "ResponseSignatureError":
            return "ambiguous";
        case "HttpStatusError":
            return retryableStatus.has(error.status) ? "transient" : error.status === 500 ? "ambiguous" : "permanent";
        case "TransportError":
            return error.reason === "InvalidUrl" || error.reason === "Encode"
                ? "permanent"
                : error.sent
                    ? "ambiguous"
                    : "transient";
        default:
            return "permanent";
    }
};
/**
 * The delay `Retry-After` asks for, cut to the policy's `maxDelay`: a
 * platform (or anything in between) cannot park a call for days.
 */
export const cappedRetryAfter = (policy, error) => {
    const max = policy.maxDelay;
    const asked = retryAfter(error);
    return max === undefined ? asked : Option.map(asked, (ra) => Duration.min(ra, max));
};
/** @internal */
export const retryAfter = (error) => error._tag === "HttpStatusError" && error.retryAfter !== undefined
    ? Option.some(Duration.seconds(error.retryAfter))
    : Option.none();
/** @internal */
export const make = (options = {}) => {
    const maxDelay = Duration.decode(options.maxDelay ?? Duration.seconds(10));
    const backoff = Schedule.exponential(options.baseDelay ?? Duration.millis(200), options.factor ?? 2).pipe((s) => (options.jitter === false ? s : Schedule.jittered(s)), Schedule.modifyDelay((_, delay) => Duration.min(delay, maxDelay)));
    return {
        maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? 5)),
        deadline: Duration.decode(options.deadline ?? Duration.seconds(60)),
        schedule: options.schedule ?? backoff,
        retryAmbiguous: options.retryAmbiguous ?? false,
        timeout: options.timeout === undefined ? undefined : Duration.decode(options.timeout),
        reconcile: options.reconcile ?? true,
        maxDelay
    };
};
/** @internal */
export const currentPolicy = FiberRef.unsafeMake(Option.none());
/** @internal */
export const withPolicy = dual(2, (effect, policy) => Effect.locally(effect, currentPolicy, Option.some(policy)));
/** @internal */
export const shouldRetry = (policy, info, error) => {
    switch (classify(error)) {
        case "transient":
            return true;
        case "ambiguous":
            return info.idempotent || policy.retryAmbiguous;
        case "permanent":
            return false;
    }
};
