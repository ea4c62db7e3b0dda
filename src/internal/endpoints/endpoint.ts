/**
 * How an endpoint is described: its path under the v3 prefix and its defaults.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import type * as Endpoints from "../../Endpoints.js"

export const PATH_PREFIX = "/callcentre/api/v3/" as const

export const make = <Req, ReqEncoded, Res, ResEncoded>(
  name: string,
  request: Schema.Schema<Req, ReqEncoded>,
  response: Schema.Schema<Res, ResEncoded>,
  options: {
    readonly envelope?: Endpoints.EnvelopeKind | undefined
    readonly acceptGzip?: boolean | undefined
    readonly idempotent?: boolean | undefined
  } = {}
): Endpoints.Endpoint<Req, ReqEncoded, Res, ResEncoded> => ({
  name,
  path: `${PATH_PREFIX}${name}`,
  request,
  response,
  envelope: options.envelope ?? "retCode",
  acceptGzip: options.acceptGzip ?? false,
  idempotent: options.idempotent ?? false
})
