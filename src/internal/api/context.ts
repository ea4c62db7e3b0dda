/**
 * What every operation of the API reads: the signed client and the layer's
 * options, resolved once; and the per-call options checked against them.
 */
import type * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type * as CallbotApi from "../../CallbotApi.js"
import type * as CallbotClient from "../../CallbotClient.js"
import type * as CallbotError from "../../CallbotError.js"
import * as Endpoints from "../../Endpoints.js"
import { invalidRequest } from "../client/validation.js"

/** @internal */
export const DEFAULT_CHUNK_SIZE = 500

/** @internal */
export const DEFAULT_CONCURRENCY = 4

const PositiveInt = Schema.Int.pipe(Schema.positive({ message: () => "must be a positive integer" }))

const ImportOptionsSchema = Schema.Struct({
  chunkSize: PositiveInt,
  concurrency: PositiveInt,
  overflow: Schema.Literal("fail", "addBatchCall"),
  gzip: Schema.Boolean,
  resume: Schema.Boolean,
  dedupe: Schema.Literal("off", "phone")
})

/** Import options with every field resolved and checked. */
export type ResolvedImportOptions = typeof ImportOptionsSchema.Type

/** The client and the layer's options. */
export interface ApiContext {
  readonly client: CallbotClient.CallbotClient
  readonly defaults: ResolvedImportOptions
  readonly pageSize: number
  readonly acceptGzip: boolean
}

export const makeContext = (client: CallbotClient.CallbotClient, apiOptions: CallbotApi.ApiOptions): ApiContext => ({
  client,
  defaults: {
    chunkSize: apiOptions.chunkSize ?? DEFAULT_CHUNK_SIZE,
    concurrency: apiOptions.concurrency ?? DEFAULT_CONCURRENCY,
    overflow: "fail",
    gzip: apiOptions.gzipImport ?? false,
    resume: false,
    dedupe: "off"
  },
  pageSize: apiOptions.pageSize ?? Endpoints.DEFAULT_PAGE_SIZE,
  acceptGzip: apiOptions.acceptGzip ?? true
})

const decodeImportOptions = Schema.decodeUnknownEither(ImportOptionsSchema, { errors: "all" })

/** A call's options over the layer's; a bad value is an `InvalidRequest` naming `options.<field>`. */
export const importOptions = (
  ctx: ApiContext,
  endpoint: string,
  perCall: (CallbotApi.ImportBatchOptions & Pick<CallbotApi.ImportOptions, "resume">) | undefined
): Effect.Effect<ResolvedImportOptions, CallbotError.InvalidRequest> =>
  Either.mapLeft(
    decodeImportOptions({
      chunkSize: perCall?.chunkSize ?? ctx.defaults.chunkSize,
      concurrency: perCall?.concurrency ?? ctx.defaults.concurrency,
      overflow: perCall?.overflow ?? ctx.defaults.overflow,
      gzip: perCall?.gzip ?? ctx.defaults.gzip,
      resume: perCall?.resume ?? ctx.defaults.resume,
      dedupe: perCall?.dedupe ?? ctx.defaults.dedupe
    }),
    (error) => invalidRequest(endpoint, error, "options")
  )

/** `items` in pieces of at most `size`. */
export const pieces = <A>(items: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
