/**
 * The API assembled from its parts: single requests, lists, split calls and
 * imports, each built from one context record.
 */
import * as Effect from "effect/Effect"
import type * as CallbotApi from "../../CallbotApi.js"
import * as CallbotClient from "../../CallbotClient.js"
import type * as CallbotError from "../../CallbotError.js"
import type * as Endpoints from "../../Endpoints.js"
import { type ApiContext, makeContext } from "./context.js"
import * as Imports from "./imports.js"
import * as Lists from "./lists.js"
import * as Singles from "./singles.js"
import * as Split from "./split.js"

type ImportOptions = CallbotApi.ImportOptions
type ImportBatchOptions = CallbotApi.ImportBatchOptions

/**
 * The imports with their overloads: a `Stream` of orders carries its error
 * and requirements into the result; an array adds none.
 */
const imports = (ctx: ApiContext): Pick<CallbotApi.CallbotApi, "addBatchCall" | "createAndCall" | "importBatchCall"> => {
  function addBatchCall<E = never, R = never>(
    input: CallbotApi.WithOrderStream<Endpoints.AddBatchCallInput, E, R>,
    perCall?: ImportOptions
  ): Effect.Effect<CallbotApi.ImportResult, CallbotError.CallbotError | E, R>
  function addBatchCall(
    input: Endpoints.AddBatchCallInput,
    perCall?: ImportOptions
  ): Effect.Effect<CallbotApi.ImportResult, CallbotError.CallbotError>
  function addBatchCall(input: unknown, perCall?: ImportOptions) {
    return Imports.addBatchCall(ctx, input, perCall)
  }
  function createAndCall<E = never, R = never>(
    input: CallbotApi.WithOrderStream<Endpoints.CreateAndCallInput, E, R>,
    perCall?: ImportOptions
  ): Effect.Effect<CallbotApi.CreateAndCallResult, CallbotError.CallbotError | E, R>
  function createAndCall(
    input: Endpoints.CreateAndCallInput,
    perCall?: ImportOptions
  ): Effect.Effect<CallbotApi.CreateAndCallResult, CallbotError.CallbotError>
  function createAndCall(input: unknown, perCall?: ImportOptions) {
    return Imports.createAndCall(ctx, input, perCall)
  }
  function importBatchCall<E = never, R = never>(
    input: CallbotApi.WithOrderStream<Endpoints.ImportBatchCallInput, E, R>,
    perCall?: ImportBatchOptions
  ): Effect.Effect<CallbotApi.ImportBatchResult, CallbotError.CallbotError | E, R>
  function importBatchCall(
    input: Endpoints.ImportBatchCallInput,
    perCall?: ImportBatchOptions
  ): Effect.Effect<CallbotApi.ImportBatchResult, CallbotError.CallbotError>
  function importBatchCall(input: unknown, perCall?: ImportBatchOptions) {
    return Imports.importBatchCall(ctx, input, perCall)
  }
  return { addBatchCall, createAndCall, importBatchCall }
}

/** @internal */
export const makeWith = (
  apiOptions: CallbotApi.ApiOptions = {}
): Effect.Effect<CallbotApi.CallbotApi, never, CallbotClient.CallbotClient> =>
  Effect.map(CallbotClient.CallbotClient, (client): CallbotApi.CallbotApi => {
    const ctx = makeContext(client, apiOptions)
    const mgrTaskStatus = Singles.mgrTaskStatus(ctx)
    return {
      ping: Singles.ping(ctx),
      createTask: Singles.createTask(ctx),
      ...imports(ctx),
      mgrTaskStatus,
      ...Singles.taskOperations(mgrTaskStatus),
      updateTask: Singles.updateTask(ctx),
      listTask: Lists.listTask(ctx),
      listCall: Lists.listCall(ctx),
      listOrder: Lists.listOrder(ctx),
      ...Lists.streams(ctx),
      stopOrder: Split.stopOrder(ctx),
      listOrderDetail: Split.listOrderDetail(ctx),
      exportBatchCall: Singles.exportBatchCall(ctx)
    }
  })
