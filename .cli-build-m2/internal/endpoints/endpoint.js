/**
 * How an endpoint is described: its path under the v3 prefix and its defaults.
 *
 * @internal
 */
import * as Schema from "effect/Schema";
export const PATH_PREFIX = "/callcentre/api/v3/";
export const make = (name, request, response, options = {}) => ({
    name,
    path: `${PATH_PREFIX}${name}`,
    request,
    response,
    envelope: options.envelope ?? "retCode",
    acceptGzip: options.acceptGzip ?? false,
    idempotent: options.idempotent ?? false
});
