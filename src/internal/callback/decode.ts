/**
 * Decoding a verified body: JSON object → `callbackType` → the kind (from
 * the body, or the receiver's `expect`) → that kind's schema, with the
 * top-level fields the schema does not know kept aside.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as Callback from "../../Callback.js"
import { CallbackMalformedBody, CallbackTypeMismatch, CallbackUnknownType, type DecodeFailure } from "./errors.js"
import { type Callback as AnyCallback, decodeAs, kindOfType, kinds } from "./kinds.js"
import { CallbackType, UnknownCallback } from "./models.js"

const decodeCallbackTypeSchema = Schema.decodeUnknownEither(CallbackType)

/**
 * `CallbackType`'s decode, with its common case (a JSON integer: `Schema.Int`
 * accepts exactly the safe integers) answered without the Schema; anything
 * else goes to it. Property-tested against the Schema.
 *
 * @internal
 */
export const decodeCallbackType = (u: unknown): Either.Either<number, ParseResult.ParseError> =>
  typeof u === "number" && Number.isSafeInteger(u) ? Either.right(u) : decodeCallbackTypeSchema(u)

const truncate = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max)}…` : s)

const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`)).join("")

/**
 * A decoding failure as a {@link CallbackMalformedBody}.
 *
 * Issue messages quote the offending value; keep them short (bodies may hold
 * phone numbers) and never let formatting a hostile value take us down.
 *
 * @internal
 */
export const malformed = (
  error: ParseResult.ParseError,
  prefix: ReadonlyArray<PropertyKey> = []
): CallbackMalformedBody =>
  Either.match(
    Either.try(() => ParseResult.ArrayFormatter.formatErrorSync(error)),
    {
      onLeft: () => new CallbackMalformedBody({ description: "the body does not match the callback schema" }),
      onRight: (issues) => {
        const first = issues[0]
        const lines = issues.slice(0, 5).map((issue) =>
          `${formatPath([...prefix, ...issue.path]) || "(body)"}: ${truncate(issue.message, 160)}`
        )
        const more = issues.length > 5 ? ` (+${issues.length - 5} more)` : ""
        return new CallbackMalformedBody({
          description: lines.join("; ") + more,
          path: first === undefined ? "" : formatPath([...prefix, ...first.path])
        })
      }
    }
  )

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const parseObject = (text: string): Either.Either<Record<string, unknown>, CallbackMalformedBody> =>
  Either.try({
    try: (): unknown => JSON.parse(text),
    catch: () => new CallbackMalformedBody({ description: "the body is not valid JSON" })
  }).pipe(
    Either.flatMap((json) =>
      isRecord(json)
        ? Either.right(json)
        : Either.left(new CallbackMalformedBody({ description: "the body is not a JSON object" }))
    )
  )

const extraFields = (json: Record<string, unknown>, known: Readonly<Record<string, unknown>>) => {
  const extra: Record<string, unknown> = {}
  for (const key of Object.keys(json)) {
    // As `Object.fromEntries` would: a `__proto__` field is a field.
    if (!Object.hasOwn(known, key)) {
      Object.defineProperty(extra, key, { value: json[key], enumerable: true, configurable: true, writable: true })
    }
  }
  return extra
}

/**
 * What decoding tells the receiver: the callback (an {@link UnknownCallback}
 * only with `allowUnknown`), its extra fields, and whether its
 * `callbackType` named another kind than the receiver's `expect`.
 *
 * @internal
 */
export interface DecodedBody extends Callback.Decoded<AnyCallback | UnknownCallback> {
  readonly mismatch: boolean
}

/**
 * Options of {@link decodeBody}: with `allowUnknown` (the receiver has a
 * `fallback`), an unknown `callbackType` decodes to an {@link UnknownCallback}.
 *
 * @internal
 */
export interface DecodeBodyOptions extends Callback.DecodeOptions {
  readonly allowUnknown?: boolean
}

const missingType = () => new CallbackMalformedBody({ description: "callbackType: is missing", path: "callbackType" })

/**
 * Plain code rather than `Either.gen`: this runs for every delivery.
 *
 * @internal
 */
export const decodeBody = (
  text: string,
  options: DecodeBodyOptions
): Either.Either<DecodedBody, DecodeFailure> => {
  const parsed = parseObject(text)
  if (Either.isLeft(parsed)) return Either.left(parsed.left)
  const json = parsed.right
  if (!Object.hasOwn(json, "callbackType")) return Either.left(missingType())
  const decodedType = decodeCallbackType(json.callbackType)
  if (Either.isLeft(decodedType)) return Either.left(malformed(decodedType.left, ["callbackType"]))
  const callbackType = decodedType.right
  const named = kindOfType(callbackType)
  const kind = options.expect ?? named
  if (kind === undefined) {
    return options.allowUnknown === true
      ? Either.right({ callback: new UnknownCallback({ callbackType, body: json }, true), extra: {}, mismatch: false })
      : Either.left(new CallbackUnknownType({ callbackType }))
  }
  const mismatch = options.expect !== undefined && named !== options.expect
  if (mismatch && options.onTypeMismatch !== "accept") {
    return Either.left(new CallbackTypeMismatch({ expected: kind, callbackType }))
  }
  const callback = decodeAs(kind, json)
  if (Either.isLeft(callback)) return Either.left(malformed(callback.left))
  return Either.right({ callback: callback.right, extra: extraFields(json, kinds[kind].schema.fields), mismatch })
}

/** @internal */
export const decode = (
  body: string,
  options: Callback.DecodeOptions = {}
): Either.Either<AnyCallback, DecodeFailure> =>
  Either.flatMap(decodeBody(body, options), ({ callback }) =>
    callback instanceof UnknownCallback
      ? Either.left(new CallbackUnknownType({ callbackType: callback.callbackType }))
      : Either.right(callback))
