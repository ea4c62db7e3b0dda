/**
 * What every endpoint shares: the answer envelopes, list and paging fields, and `ping`.
 *
 * @internal
 */
import * as Schema from "effect/Schema";
import * as Models from "../../Models.js";
export const Envelope = Schema.Struct({
    retCode: Schema.Int,
    retMsg: Schema.optionalWith(Schema.String, { default: () => "", nullable: true }),
    responseID: Schema.optionalWith(Schema.String, { default: () => "", nullable: true })
});
export const PingEnvelope = Schema.Struct({
    code: Schema.Int,
    msg: Schema.optionalWith(Schema.String, { default: () => "", nullable: true }),
    reqId: Schema.optionalWith(Schema.String, { default: () => "", nullable: true })
});
export const okEnvelope = {
    retCode: Schema.Literal(0),
    retMsg: Envelope.fields.retMsg,
    responseID: Envelope.fields.responseID
};
export const lenientInt = Schema.optionalWith(Schema.Int, { nullable: true });
export const lenientList = (schema) => Schema.optionalWith(Schema.Array(schema), { nullable: true, default: () => [] });
export const nullableList = (schema) => Schema.optional(Schema.NullOr(Schema.Array(schema)));
export const LIST_ORDER_DETAIL_MAX = 500;
export const OrderIDs = Schema.Array(Models.NonBlankString).pipe(Schema.minItems(1, { message: () => "must contain at least one order ID" }));
export const Page = Schema.optionalWith(Schema.Int.pipe(Schema.greaterThanOrEqualTo(1, { message: () => "must be an integer >= 1 (pages are 1-based)" })), { default: () => 1 });
export const DEFAULT_PAGE_SIZE = 100;
export const PageSize = Schema.optionalWith(Schema.Int.pipe(Schema.positive({ message: () => "must be a positive integer" })), { default: () => DEFAULT_PAGE_SIZE });
export const PingRequest = Schema.Struct({
    data: Schema.optionalWith(Schema.String, { default: () => "ping" })
});
export const PingResponse = Schema.Struct({
    code: Schema.Literal(0),
    msg: PingEnvelope.fields.msg,
    reqId: PingEnvelope.fields.reqId,
    data: Schema.optionalWith(Schema.String, { default: () => "", nullable: true }),
    /** Unix seconds on the platform. */
    timestamp: Schema.Number
});
