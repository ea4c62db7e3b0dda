import { kindOf } from "./kinds.js";
import { UnknownCallback } from "./models.js";
const bind = (handlers, kind, callback) => {
    const handler = handlers[kind];
    return handler === undefined ? undefined : (delivery) => handler(callback, delivery);
};
/**
 * The handler that runs `callback`, bound to it; `undefined` when none does
 * (the receiver then acknowledges and logs).
 *
 * @internal
 */
export const pickHandler = (handlers, callback) => {
    if (typeof handlers === "function") {
        return callback instanceof UnknownCallback ? undefined : (delivery) => handlers(callback, delivery);
    }
    const run = callback._tag === "UnknownCallback" ? undefined : bind(handlers, kindOf(callback), callback);
    if (run !== undefined)
        return run;
    const fallback = handlers.fallback;
    return fallback === undefined ? undefined : (delivery) => fallback(callback, delivery);
};
/** Does the receiver take callbacks of an unknown `callbackType`? @internal */
export const hasFallback = (handlers) => typeof handlers !== "function" && handlers.fallback !== undefined;
