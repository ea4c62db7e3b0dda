/**
 * The paged lists: one page per call, or every page as a `Stream`
 * (`Stream.paginateChunkEffect`, each page retried by the client).
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as CallbotApi from "../../CallbotApi.js"
import type * as CallbotClient from "../../CallbotClient.js"
import type * as CallbotError from "../../CallbotError.js"
import * as Endpoints from "../../Endpoints.js"
import { validate } from "../client/validation.js"
import type { ApiContext } from "./context.js"

export const listTask = (ctx: ApiContext): CallbotApi.CallbotApi["listTask"] =>
  Effect.fn("CallbotApi.listTask")(function*(input: Endpoints.ListTaskInput = {}) {
    const wire = yield* validate(Endpoints.listTask.name, Endpoints.listTask.request, input)
    return yield* ctx.client.execute(Endpoints.listTask, wire)
  })

export const listCall = (ctx: ApiContext): CallbotApi.CallbotApi["listCall"] =>
  Effect.fn("CallbotApi.listCall")(function*(input: Endpoints.ListCallInput) {
    const wire = yield* validate(Endpoints.listCall.name, Endpoints.listCall.request, input)
    return yield* ctx.client.execute(Endpoints.listCall, wire, { acceptGzip: ctx.acceptGzip })
  })

export const listOrder = (ctx: ApiContext): CallbotApi.CallbotApi["listOrder"] =>
  Effect.fn("CallbotApi.listOrder")(function*(input: Endpoints.ListOrderInput) {
    const wire = yield* validate(Endpoints.listOrder.name, Endpoints.listOrder.request, input)
    return yield* ctx.client.execute(Endpoints.listOrder, wire)
  })

/** Walks pages from 1 until a page shorter than `size` (an empty one included). */
const pages = <Wire extends { readonly page: number; readonly size: number }, WireEncoded, Res, ResEncoded, Item>(
  ctx: ApiContext,
  endpoint: Endpoints.Endpoint<Wire, WireEncoded, Res, ResEncoded>,
  input: unknown,
  items: (response: Res) => ReadonlyArray<Item>,
  executeOptions: CallbotClient.ExecuteOptions = {}
): Stream.Stream<Item, CallbotError.CallbotError> =>
  Stream.unwrap(
    Effect.map(validate(endpoint.name, endpoint.request, input), (wire) =>
      Stream.paginateChunkEffect(wire.page, (page) =>
        Effect.map(
          ctx.client.execute(endpoint, { ...wire, page }, executeOptions).pipe(
            Effect.withSpan(`CallbotApi.${endpoint.name}`, { captureStackTrace: false, attributes: { "callbot.page": page } })
          ),
          (response) => {
            const list = items(response)
            return [
              Chunk.fromIterable(list),
              list.length < wire.size ? Option.none() : Option.some(page + 1)
            ] as const
          }
        )))
  ).pipe(Stream.withSpan(`CallbotApi.${endpoint.name}Stream`))

const withPaging = (ctx: ApiContext, input: object | undefined, options: CallbotApi.StreamOptions | undefined) => ({
  ...input,
  page: 1,
  size: options?.pageSize ?? ctx.pageSize
})

/** The three list streams. */
export const streams = (
  ctx: ApiContext
): Pick<CallbotApi.CallbotApi, "listTaskStream" | "listCallStream" | "listOrderStream"> => ({
  listTaskStream: (input, options) => pages(ctx, Endpoints.listTask, withPaging(ctx, input, options), (r) => r.taskData),
  listCallStream: (input, options) =>
    pages(ctx, Endpoints.listCall, withPaging(ctx, input, options), (r) => r.callList, { acceptGzip: ctx.acceptGzip }),
  listOrderStream: (input, options) =>
    pages(ctx, Endpoints.listOrder, withPaging(ctx, input, options), (r) => r.orderList)
})
