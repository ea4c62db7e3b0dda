/**
 * The callback-kind table: each kind (`task`, `order`, `call`, as the
 * receiver's handlers name them) with its `callbackType` value, the `_tag` of
 * its decoded class and its schema. Every mapping between them — type to
 * kind, kind to type, tag to kind, kind to decoder, encoder and handler, the
 * discriminated `Callback` union — is derived from this one table.
 *
 * @internal
 */
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { decodeTask } from "./fastDecode.js"
import { CallCallback, CallbackKind, OrderCallback, TaskCallback, type UnknownCallback } from "./models.js"

// Extra top-level fields are kept aside by the decoder (see `decode.ts`),
// not rejected.
const decodeOptions = { errors: "all", onExcessProperty: "ignore" } as const

const row = <
  const T extends number,
  const Tag extends string,
  A extends { readonly _tag: Tag },
  I,
  S extends Schema.Schema<A, I> & { readonly fields: Schema.Struct.Fields }
>(callbackType: T, tag: Tag, schema: S & Schema.Schema<A, I>) => {
  // Kept as `S` (the class itself), so that what is derived from it — the
  // `Callback` union — has the types the face documents.
  const self: S = schema
  return {
    callbackType,
    tag,
    schema: self,
    /** Decodes a parsed JSON object as this kind. */
    decode: Schema.decodeUnknownEither<A, I>(schema, decodeOptions),
    /** Encodes a callback of this kind back to its JSON object. */
    encode: Schema.encodeUnknownEither<A, I>(schema)
  }
}

/**
 * The table. `_tag` must be the one the schema's class declares (checked by
 * the compiler).
 *
 * @internal
 */
export const kinds = {
  task: row(1, "TaskCallback", TaskCallback),
  order: row(2, "OrderCallback", OrderCallback),
  call: row(3, "CallCallback", CallCallback)
} as const satisfies { readonly [K in CallbackKind]: unknown }

type Kinds = typeof kinds

/** The decoded callback of kind `K`. @internal */
export type CallbackOf<K extends CallbackKind> = Schema.Schema.Type<Kinds[K]["schema"]>

/** Any documented callback: `TaskCallback | OrderCallback | CallCallback`. @internal */
export type Callback = CallbackOf<CallbackKind>

/** @internal */
export const CallbackTypes = {
  Task: kinds.task.callbackType,
  Order: kinds.order.callbackType,
  Call: kinds.call.callbackType
} as const

const kindByType: ReadonlyMap<number, CallbackKind> = new Map(
  CallbackKind.literals.map((kind): readonly [number, CallbackKind] => [kinds[kind].callbackType, kind])
)

const kindByTag: ReadonlyMap<string, CallbackKind> = new Map(
  CallbackKind.literals.map((kind): readonly [string, CallbackKind] => [kinds[kind].tag, kind])
)

/** @internal */
export const kindOfType = (callbackType: number): CallbackKind | undefined => kindByType.get(callbackType)

/** @internal */
export const typeOfKind = (kind: CallbackKind): Kinds[CallbackKind]["callbackType"] => kinds[kind].callbackType

/**
 * The kind of a decoded callback (`"unknown"` for an {@link UnknownCallback}).
 * Every documented callback's `_tag` is in the table: the table is what
 * {@link Callback} is made of.
 *
 * @internal
 */
export function kindOf(callback: Callback): CallbackKind
export function kindOf(callback: Callback | UnknownCallback): CallbackKind | "unknown"
export function kindOf(callback: Callback | UnknownCallback): CallbackKind | "unknown" {
  return kindByTag.get(callback._tag) ?? "unknown"
}

const withType = (type: number) => (callback: { readonly callbackType: number }) => callback.callbackType === type

/** @internal */
export const Callback = Schema.Union(
  kinds.task.schema.pipe(Schema.filter(withType(kinds.task.callbackType))),
  kinds.order.schema.pipe(Schema.filter(withType(kinds.order.callbackType))),
  kinds.call.schema.pipe(Schema.filter(withType(kinds.call.callbackType)))
).annotations({ identifier: "Callback" })

/** @internal */
export const CallbackFromJson = Schema.parseJson(Callback)

/**
 * Decodes a parsed JSON object as kind `kind` (a well-formed task callback
 * without the Schema: see `fastDecode.ts`).
 *
 * @internal
 */
export const decodeAs = (
  kind: CallbackKind,
  json: unknown
): Either.Either<Callback, ParseResult.ParseError> => {
  const fast = kind === "task" ? decodeTask(json) : undefined
  return fast === undefined ? kinds[kind].decode(json) : Either.right(fast)
}
