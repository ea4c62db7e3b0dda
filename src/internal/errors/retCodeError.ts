/**
 * The class factory behind the retCode errors of `CallbotError`: one named
 * class per documented code, each declared in one line, with the fields,
 * message and code-to-class lookup they share written here once.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/** The fields of every answer that carried a non-zero `retCode`. */
export const apiFields = {
  /** What the platform said. */
  retMsg: Schema.String,
  /** The platform's trace ID for this response: quote it to vendor support. */
  responseID: Schema.String,
  /** The `requestID` header the request was sent with. */
  requestID: Schema.optional(Schema.String),
  /** The endpoint that answered, e.g. `createAndCall`. */
  endpoint: Schema.optional(Schema.String)
}

/** What a retCode error is built from, besides its code. */
export type ApiFields = Schema.Struct.Constructor<typeof apiFields>

/** The message of every retCode error: endpoint, code, the platform's words and its trace ID. */
export const describeApiError = (e: {
  readonly retCode: number
  readonly retMsg: string
  readonly responseID: string
  readonly endpoint?: string | undefined
}): string =>
  `${e.endpoint === undefined ? "" : `${e.endpoint}: `}retCode ${e.retCode}` +
  `${e.retMsg === "" ? "" : ` (${e.retMsg})`}, responseID ${e.responseID === "" ? "-" : e.responseID}`

/** The schema fields of the error class for one code. */
export type RetCodeFields<Tag extends string, Code extends number> =
  & { readonly _tag: Schema.tag<Tag>; readonly retCode: Schema.Literal<[Code]> }
  & typeof apiFields

/** The class of one documented retCode: a `Schema.TaggedError` that knows its code. */
export interface RetCodeErrorClass<Self, Tag extends string, Code extends number>
  extends Schema.TaggedErrorClass<Self, Tag, RetCodeFields<Tag, Code>>
{
  /** The `retCode` this class stands for. */
  readonly retCode: Code
  /** Builds the error from the answer's fields (the code is the class's own). */
  readonly fromFields: (fields: ApiFields) => Self
}

/**
 * `class SystemBusy extends RetCodeError<SystemBusy>()("SystemBusy", 7) {}`.
 *
 * The overload states the precise class type: inside a generic function
 * TypeScript cannot resolve `Schema.TaggedError<Self>()`'s conditional return
 * type, so the implementation builds the class over a concrete `Self` and the
 * declaration says what each caller gets (the same shape, with its own Self).
 */
export function RetCodeError<Self>(): <Tag extends string, Code extends number>(
  tag: Tag,
  retCode: Code
) => RetCodeErrorClass<Self, Tag, Code>
export function RetCodeError() {
  return (tag: string, retCode: number) =>
    class RetCodeErrorBase extends Schema.TaggedError<{ readonly _tag: string }>()(tag, {
      retCode: Schema.Literal(retCode),
      ...apiFields
    }) {
      static readonly retCode = retCode
      static fromFields(this: typeof RetCodeErrorBase, fields: ApiFields) {
        return new this({ ...fields, retCode })
      }
      override get message() {
        return describeApiError(this)
      }
    }
}

/**
 * The codes of a list of retCode classes, as a tuple of their literal types
 * (what `Schema.Literal` needs to stay precise). `Array.prototype.map` types
 * its result as a plain array, so the overload states the tuple.
 */
export function codesOf<const T extends ReadonlyArray<{ readonly retCode: number }>>(
  classes: T
): { readonly [K in keyof T]: T[K]["retCode"] }
export function codesOf(classes: ReadonlyArray<{ readonly retCode: number }>): ReadonlyArray<number> {
  return classes.map((error) => error.retCode)
}
