/**
 * The class factory behind the retCode errors of `CallbotError`: one named
 * class per documented code, each declared in one line, with the fields,
 * message and code-to-class lookup they share written here once.
 *
 * @internal
 */
import * as Schema from "effect/Schema";
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
};
/** The message of every retCode error: endpoint, code, the platform's words and its trace ID. */
export const describeApiError = (e) => `${e.endpoint === undefined ? "" : `${e.endpoint}: `}retCode ${e.retCode}` +
    `${e.retMsg === "" ? "" : ` (${e.retMsg})`}, responseID ${e.responseID === "" ? "-" : e.responseID}`;
export function RetCodeError() {
    return (tag, retCode) => class RetCodeErrorBase extends Schema.TaggedError()(tag, {
        retCode: Schema.Literal(retCode),
        ...apiFields
    }) {
        static retCode = retCode;
        static fromFields(fields) {
            return new this({ ...fields, retCode });
        }
        get message() {
            return describeApiError(this);
        }
    };
}
export function codesOf(classes) {
    return classes.map((error) => error.retCode);
}
