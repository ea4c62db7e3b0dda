/**
 * Hand-written validation of untrusted request bodies, following the vendor's
 * `retCode` table: `2` missing parameter, `3` format error (wrong JSON type),
 * `4` invalid value. It is deliberately independent of the SDK's schemas.
 */
import * as Either from "effect/Either";
import * as Option from "effect/Option";
/** A rejection: the first problem found in a body. */
export class Rejection {
    retCode;
    retMsg;
    constructor(retCode, retMsg) {
        this.retCode = retCode;
        this.retMsg = retMsg;
    }
}
export const isRecord = (u) => typeof u === "object" && u !== null && !Array.isArray(u);
/** Reads fields of an untrusted JSON body, keeping the first problem. */
export class Fields {
    rejection = undefined;
    /** The first problem so far (a method, so that type narrowing does not stick across checks). */
    problem() {
        return this.rejection;
    }
    reject(retCode, retMsg) {
        if (this.rejection === undefined)
            this.rejection = new Rejection(retCode, retMsg);
    }
    /** `undefined` when absent or `null`; records a missing-parameter rejection when `required`. */
    get(o, key, path, required) {
        if (!isRecord(o))
            return undefined;
        const value = o[key];
        if (value === undefined || value === null) {
            if (required)
                this.reject(2, `missing parameter: ${path}`);
            return undefined;
        }
        return value;
    }
    has(o, key) {
        return isRecord(o) && o[key] !== undefined && o[key] !== null;
    }
    object(o, key, path = key) {
        return this.optObject(o, key, path, true) ?? {};
    }
    optObject(o, key, path = key, required = false) {
        const v = this.get(o, key, path, required);
        if (isRecord(v))
            return { ...v };
        if (v !== undefined)
            this.reject(3, `${path} must be an object`);
        return undefined;
    }
    array(o, key, path = key) {
        return this.optArray(o, key, path, true) ?? [];
    }
    optArray(o, key, path = key, required = false) {
        const v = this.get(o, key, path, required);
        if (Array.isArray(v))
            return v;
        if (v !== undefined)
            this.reject(3, `${path} must be an array`);
        return undefined;
    }
    string(o, key, path = key) {
        return this.optString(o, key, path, true) ?? "";
    }
    optString(o, key, path = key, required = false) {
        const v = this.get(o, key, path, required);
        if (typeof v === "string")
            return v;
        if (v !== undefined)
            this.reject(3, `${path} must be a string`);
        return undefined;
    }
    integer(o, key, path = key) {
        return this.optInteger(o, key, path, true) ?? 0;
    }
    optInteger(o, key, path = key, required = false) {
        const v = this.get(o, key, path, required);
        if (typeof v === "number" && Number.isInteger(v))
            return v;
        if (v !== undefined)
            this.reject(3, `${path} must be an integer`);
        return undefined;
    }
    optNumber(o, key, path = key, required = false) {
        const v = this.get(o, key, path, required);
        if (typeof v === "number" && Number.isFinite(v))
            return v;
        if (v !== undefined)
            this.reject(3, `${path} must be a number`);
        return undefined;
    }
    boolean(o, key, path = key) {
        return this.optBoolean(o, key, path, true) ?? false;
    }
    optBoolean(o, key, path = key, required = false) {
        const v = this.get(o, key, path, required);
        if (typeof v === "boolean")
            return v;
        if (v !== undefined)
            this.reject(3, `${path} must be a boolean`);
        return undefined;
    }
    /** An array of strings, or `undefined` when absent / `null`. */
    optStrings(o, key, path = key, required = false) {
        const items = this.optArray(o, key, path, required);
        if (items === undefined)
            return undefined;
        const out = [];
        items.forEach((item, i) => {
            if (typeof item === "string")
                out.push(item);
            else
                this.reject(3, `${path}[${i}] must be a string`);
        });
        return out;
    }
    /** An array of integers, or `undefined` when absent / `null`. */
    optIntegers(o, key, path = key) {
        const items = this.optArray(o, key, path);
        if (items === undefined)
            return undefined;
        const out = [];
        items.forEach((item, i) => {
            if (typeof item === "number" && Number.isInteger(item))
                out.push(item);
            else
                this.reject(3, `${path}[${i}] must be an integer`);
        });
        return out;
    }
    value(ok, path, message) {
        if (!ok)
            this.reject(4, `invalid value: ${path}: ${message}`);
    }
    notBlank(value, path) {
        if (value !== undefined && value.trim() === "")
            this.reject(2, `missing parameter: ${path}`);
    }
}
/** Parses a comma-separated list of integers in `[min, max]`; `undefined` when malformed. */
export const parseIntList = (s, min, max) => {
    if (s.trim() === "")
        return [];
    const out = [];
    for (const item of s.split(",")) {
        if (!/^\s*\d{1,2}\s*$/.test(item))
            return undefined;
        const n = Number(item);
        if (n < min || n > max)
            return undefined;
        out.push(n);
    }
    return out;
};
/** `JSON.parse` as an `Option`. */
export const parseJson = (text) => Either.getRight(Either.try(() => JSON.parse(text)));
/** Digits only, country code first, 7–15 digits, not starting with 0. */
export const phonePattern = /^[1-9][0-9]{6,14}$/;
/** An absolute http(s) URL. */
export const isHttpUrl = (s) => /^https?:\/\//i.test(s) && URL.canParse(s);
