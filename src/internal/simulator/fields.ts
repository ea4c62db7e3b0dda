/**
 * Hand-written validation of untrusted request bodies, following the vendor's
 * `retCode` table: `2` missing parameter, `3` format error (wrong JSON type),
 * `4` invalid value. It is deliberately independent of the SDK's schemas.
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"

/** A rejection: the first problem found in a body. */
export class Rejection {
  constructor(readonly retCode: number, readonly retMsg: string) {}
}

export const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** Reads fields of an untrusted JSON body, keeping the first problem. */
export class Fields {
  rejection: Rejection | undefined = undefined

  /** The first problem so far (a method, so that type narrowing does not stick across checks). */
  problem(): Rejection | undefined {
    return this.rejection
  }

  reject(retCode: number, retMsg: string): void {
    if (this.rejection === undefined) this.rejection = new Rejection(retCode, retMsg)
  }

  /** `undefined` when absent or `null`; records a missing-parameter rejection when `required`. */
  private get(o: unknown, key: string, path: string, required: boolean): unknown {
    if (!isRecord(o)) return undefined
    const value: unknown = o[key]
    if (value === undefined || value === null) {
      if (required) this.reject(2, `missing parameter: ${path}`)
      return undefined
    }
    return value
  }

  has(o: unknown, key: string): boolean {
    return isRecord(o) && o[key] !== undefined && o[key] !== null
  }

  object(o: unknown, key: string, path = key): Record<string, unknown> {
    return this.optObject(o, key, path, true) ?? {}
  }

  optObject(o: unknown, key: string, path = key, required = false): Record<string, unknown> | undefined {
    const v = this.get(o, key, path, required)
    if (isRecord(v)) return { ...v }
    if (v !== undefined) this.reject(3, `${path} must be an object`)
    return undefined
  }

  array(o: unknown, key: string, path = key): ReadonlyArray<unknown> {
    return this.optArray(o, key, path, true) ?? []
  }

  optArray(o: unknown, key: string, path = key, required = false): ReadonlyArray<unknown> | undefined {
    const v = this.get(o, key, path, required)
    if (Array.isArray(v)) return v
    if (v !== undefined) this.reject(3, `${path} must be an array`)
    return undefined
  }

  string(o: unknown, key: string, path = key): string {
    return this.optString(o, key, path, true) ?? ""
  }

  optString(o: unknown, key: string, path = key, required = false): string | undefined {
    const v = this.get(o, key, path, required)
    if (typeof v === "string") return v
    if (v !== undefined) this.reject(3, `${path} must be a string`)
    return undefined
  }

  integer(o: unknown, key: string, path = key): number {
    return this.optInteger(o, key, path, true) ?? 0
  }

  optInteger(o: unknown, key: string, path = key, required = false): number | undefined {
    const v = this.get(o, key, path, required)
    if (typeof v === "number" && Number.isInteger(v)) return v
    if (v !== undefined) this.reject(3, `${path} must be an integer`)
    return undefined
  }

  optNumber(o: unknown, key: string, path = key, required = false): number | undefined {
    const v = this.get(o, key, path, required)
    if (typeof v === "number" && Number.isFinite(v)) return v
    if (v !== undefined) this.reject(3, `${path} must be a number`)
    return undefined
  }

  boolean(o: unknown, key: string, path = key): boolean {
    return this.optBoolean(o, key, path, true) ?? false
  }

  optBoolean(o: unknown, key: string, path = key, required = false): boolean | undefined {
    const v = this.get(o, key, path, required)
    if (typeof v === "boolean") return v
    if (v !== undefined) this.reject(3, `${path} must be a boolean`)
    return undefined
  }

  /** An array of strings, or `undefined` when absent / `null`. */
  optStrings(o: unknown, key: string, path = key, required = false): ReadonlyArray<string> | undefined {
    const items = this.optArray(o, key, path, required)
    if (items === undefined) return undefined
    const out: Array<string> = []
    items.forEach((item, i) => {
      if (typeof item === "string") out.push(item)
      else this.reject(3, `${path}[${i}] must be a string`)
    })
    return out
  }

  /** An array of integers, or `undefined` when absent / `null`. */
  optIntegers(o: unknown, key: string, path = key): ReadonlyArray<number> | undefined {
    const items = this.optArray(o, key, path)
    if (items === undefined) return undefined
    const out: Array<number> = []
    items.forEach((item, i) => {
      if (typeof item === "number" && Number.isInteger(item)) out.push(item)
      else this.reject(3, `${path}[${i}] must be an integer`)
    })
    return out
  }

  value(ok: boolean, path: string, message: string): void {
    if (!ok) this.reject(4, `invalid value: ${path}: ${message}`)
  }

  notBlank(value: string | undefined, path: string): void {
    if (value !== undefined && value.trim() === "") this.reject(2, `missing parameter: ${path}`)
  }
}

/** Parses a comma-separated list of integers in `[min, max]`; `undefined` when malformed. */
export const parseIntList = (s: string, min: number, max: number): ReadonlyArray<number> | undefined => {
  if (s.trim() === "") return []
  const out: Array<number> = []
  for (const item of s.split(",")) {
    if (!/^\s*\d{1,2}\s*$/.test(item)) return undefined
    const n = Number(item)
    if (n < min || n > max) return undefined
    out.push(n)
  }
  return out
}

/** `JSON.parse` as an `Option`. */
export const parseJson = (text: string): Option.Option<unknown> =>
  Either.getRight(Either.try((): unknown => JSON.parse(text)))

/** Digits only, country code first, 7–15 digits, not starting with 0. */
export const phonePattern = /^[1-9][0-9]{6,14}$/

/** An absolute http(s) URL. */
export const isHttpUrl = (s: string): boolean => /^https?:\/\//i.test(s) && URL.canParse(s)
