/**
 * The Callbot v3 endpoints: path, request schema and response schema of each,
 * with the vendor's wire field names.
 *
 * Request schemas decode the caller's input into the exact JSON that is sent
 * (validated, defaults filled); response schemas decode the platform's answer.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Models from "./Models.js"

/**
 * One endpoint: where it lives and what goes in and out.
 *
 * @since 0.1.0
 * @category models
 */
export interface Endpoint<Req, ReqEncoded, Res, ResEncoded> {
  /** The vendor's name, the last path segment: `createAndCall`. */
  readonly name: string
  readonly path: string
  readonly request: Schema.Schema<Req, ReqEncoded>
  readonly response: Schema.Schema<Res, ResEncoded>
}

/**
 * The path prefix of every v3 endpoint.
 *
 * @since 0.1.0
 * @category constants
 */
export const PATH_PREFIX = "/callcentre/api/v3/" as const

/**
 * Defines an endpoint under {@link PATH_PREFIX}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <Req, ReqEncoded, Res, ResEncoded>(
  name: string,
  request: Schema.Schema<Req, ReqEncoded>,
  response: Schema.Schema<Res, ResEncoded>
): Endpoint<Req, ReqEncoded, Res, ResEncoded> => ({ name, path: `${PATH_PREFIX}${name}`, request, response })

/**
 * The fields every `retCode` answer carries. `retMsg` and `responseID` are
 * required by the vendor; they decode as `""` when missing so a terse answer
 * still reaches the caller.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Envelope = Schema.Struct({
  retCode: Schema.Int,
  retMsg: Schema.optionalWith(Schema.String, { default: () => "", nullable: true }),
  responseID: Schema.optionalWith(Schema.String, { default: () => "", nullable: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type Envelope = typeof Envelope.Type

const okEnvelope = {
  retCode: Schema.Literal(0),
  retMsg: Envelope.fields.retMsg,
  responseID: Envelope.fields.responseID
}

/**
 * `createAndCall` without its orders: everything validated as a whole before
 * the orders are checked one by one.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateAndCallHeader = Schema.Struct({
  productID: Models.ProductID,
  /** Yours, unique per task (a UUID is recommended); the idempotency key of the task. */
  userTaskID: Models.NonBlankString,
  /** Script template ID (portal: Script Management). */
  sceneID: Models.NonBlankString,
  taskCreateSetting: Models.TaskCreateSetting,
  funcFlag: Schema.optionalWith(Models.FuncFlag, { default: () => Models.defaultFuncFlag }),
  callInfoList: Models.CallInfoListHeader
})

/**
 * `POST /callcentre/api/v3/createAndCall` request: create a task and import
 * its orders.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateAndCallRequest = Schema.Struct({
  ...CreateAndCallHeader.fields,
  callInfoList: Models.CallInfoList
})

/**
 * What the caller passes to `createAndCall` (defaults may be left out).
 *
 * @since 0.1.0
 * @category models
 */
export type CreateAndCallInput = typeof CreateAndCallRequest.Encoded

/**
 * `createAndCall` request as sent.
 *
 * @since 0.1.0
 * @category models
 */
export type CreateAndCallWire = typeof CreateAndCallRequest.Type

/**
 * `createAndCall` response (`retCode` 0).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateAndCallResponse = Schema.Struct({
  ...okEnvelope,
  taskID: Schema.String,
  totalCount: Schema.Int,
  successCount: Schema.Int,
  errList: Schema.optionalWith(Schema.Array(Models.PhoneError), { default: () => [], nullable: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateAndCallResponse = typeof CreateAndCallResponse.Type

/**
 * @since 0.1.0
 * @category endpoints
 */
export const createAndCall = make("createAndCall", CreateAndCallRequest, CreateAndCallResponse)
