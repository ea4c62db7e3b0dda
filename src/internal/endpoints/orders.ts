/**
 * The order endpoints' schemas: `addBatchCall`, `importBatchCall`, `stopOrder`, `listOrderDetail`.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import * as Models from "../../Models.js"
import { LIST_ORDER_DETAIL_MAX, OrderIDs, lenientInt, lenientList, okEnvelope } from "./common.js"

export const AddBatchCallHeader = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString,
  callInfoList: Models.CallInfoListHeader
})

export const AddBatchCallRequest = Schema.Struct({
  ...AddBatchCallHeader.fields,
  callInfoList: Models.CallInfoList
})

export const AddBatchCallResponse = Schema.Struct({
  ...okEnvelope,
  totalCount: lenientInt,
  successCount: lenientInt,
  errList: lenientList(Models.PhoneError)
})

export const ImportBatchCallRequest = AddBatchCallRequest

export const ImportBatchCallResponse = Schema.Struct({
  ...okEnvelope,
  batchID: Schema.optionalWith(Schema.String, { nullable: true }),
  totalCount: lenientInt,
  successCount: lenientInt,
  errList: lenientList(Models.PhoneError)
})

export const StopOrderRequest = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString,
  orderIDs: OrderIDs,
  delCall: Schema.optional(Models.numberIn(Models.DelCall))
})

export const STOP_ORDER_MAX = 500

export const StopOrderResponse = Schema.Struct({
  ...okEnvelope,
  totalCount: Schema.Int,
  successCount: Schema.Int,
  errList: lenientList(Models.OrderError)
})

export const ListOrderDetailRequest = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString,
  orderList: OrderIDs.pipe(
    Schema.maxItems(LIST_ORDER_DETAIL_MAX, {
      message: () => `must not list more than ${LIST_ORDER_DETAIL_MAX} order IDs per request`
    })
  )
})

export const ListOrderDetailResponse = Schema.Struct({
  ...okEnvelope,
  orderDetailList: lenientList(Models.OrderDetail)
})
