/**
 * The three order imports (`addBatchCall`, `createAndCall`,
 * `importBatchCall`): the request's header is validated, its orders read as
 * a stream, and the import planned for `./importer/run.ts`.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Stream from "effect/Stream"
import type * as CallbotApi from "../../CallbotApi.js"
import type * as CallbotError from "../../CallbotError.js"
import * as Endpoints from "../../Endpoints.js"
import type * as Models from "../../Models.js"
import { invalidRequest } from "../client/validation.js"
import { type ApiContext, importOptions } from "./context.js"
import * as Header from "./header.js"
import type { Outcome, SendResult } from "./importer/plan.js"
import * as Importer from "./importer/run.js"
import * as Orders from "./orders.js"
import { findTask, presentOrders, reconcilerFor } from "./reconcile.js"
import { existingTask, hintResume, resumeRefused } from "./resume.js"
import { warnAboutSmsRules } from "./singles.js"
import * as Metrics from "../metrics/metrics.js"

const readPath = (u: unknown, path: ReadonlyArray<string>): unknown => {
  let current = u
  for (const key of path) {
    if (typeof current !== "object" || current === null || !(key in current)) return undefined
    current = Reflect.get(current, key)
  }
  return current
}

const isStream = (u: unknown): u is Stream.Stream<unknown, unknown, unknown> => Predicate.hasProperty(u, Stream.StreamTypeId)

// No stack trace: it would point here, not at the caller, and costs a
// captured `Error` per call (about 15 µs of a 3-order createAndCall).
const importSpan = { captureStackTrace: false } as const

/** The orders of an import request as a stream, and whether they came as an array. */
interface OrderSource<E, R> {
  readonly source: Stream.Stream<unknown, E, R>
  readonly isArray: boolean
  readonly array?: ReadonlyArray<unknown> | undefined
}

const orderSource = <E, R>(
  endpoint: string,
  input: unknown
): Effect.Effect<OrderSource<E, R>, CallbotError.InvalidRequest> => {
  const callList = readPath(input, ["callInfoList", "callList"])
  if (Array.isArray(callList)) {
    // Built only if used: an array that fits one request is sent as it is.
    return Effect.succeed({ source: Stream.suspend(() => Stream.fromIterable(callList)), isArray: true, array: callList })
  }
  if (isStream(callList)) {
    // The overloads tie this stream's E and R to the caller's; only the
    // runtime check above can tell it from an array.
    const source: Stream.Stream<unknown, E, R> = Stream.suspend(() => unsafeStream<E, R>(callList))
    return Effect.succeed({ source, isArray: false })
  }
  return Effect.fail(Orders.notAnArray(endpoint))
}

function unsafeStream<E, R>(stream: Stream.Stream<unknown, unknown, unknown>): Stream.Stream<unknown, E, R>
function unsafeStream(stream: Stream.Stream<unknown, unknown, unknown>) {
  return stream
}

/** Warns once per call when orders carry script params while `wholeTTS` is off. */
const paramsWarning = (endpoint: string, funcFlag: typeof Models.FuncFlag.Type) => {
  let warned = funcFlag.wholeTTS
  return (orders: ReadonlyArray<Models.CallOrderWire>): Effect.Effect<void> =>
    Effect.suspend(() => {
      if (warned || !orders.some((order) => order.params.length > 0)) return Effect.void
      warned = true
      return Effect.logWarning(`${endpoint}: orders carry script params but funcFlag.wholeTTS is false`)
    })
}

/**
 * The request without its orders, for the header's schema: the orders are
 * checked apart, one by one, and would otherwise count as a field the
 * header does not know (decoding the whole request a second time to keep it).
 */
const withoutOrders = (input: unknown): unknown => {
  const callInfoList = readPath(input, ["callInfoList"])
  if (typeof input !== "object" || input === null || typeof callInfoList !== "object" || callInfoList === null) {
    return input
  }
  if (!("callList" in callInfoList)) return input
  const { callList: _, ...urls } = callInfoList
  return { ...input, callInfoList: urls }
}

const callInfoHeader = (header: { readonly callInfoList: typeof Models.CallInfoListHeader.Type }) => ({
  orderCallbackUrl: header.callInfoList.orderCallbackUrl,
  callCallbackUrl: header.callInfoList.callCallbackUrl
})

const importResult = <F>(outcome: Outcome<F>): CallbotApi.ImportResult => ({
  retCode: 0,
  retMsg: outcome.retMsg,
  responseID: outcome.responseID,
  totalCount: outcome.totalCount,
  successCount: outcome.successCount,
  alreadyImported: outcome.alreadyImported,
  errList: outcome.errList,
  failures: outcome.failures,
  requests: outcome.requests
})

/** The orders of one import, counted by what became of them. */
const countOrders = <F>(endpoint: string, outcome: Outcome<F>) => {
  let failed = 0
  for (const entry of outcome.errList) if (entry.rejectedBy === "request") failed++
  return Metrics.recordOrders(endpoint, {
    imported: outcome.successCount - outcome.alreadyImported,
    already_imported: outcome.alreadyImported,
    rejected: outcome.errList.length - failed,
    failed
  })
}

const annotateImport = <F>(endpoint: string, userTaskID: string, outcome: Outcome<F>) =>
  Effect.zipRight(countOrders(endpoint, outcome), Effect.annotateCurrentSpan({
    "callbot.userTaskID": userTaskID,
    "callbot.orders": outcome.totalCount,
    "callbot.imported": outcome.successCount,
    "callbot.alreadyImported": outcome.alreadyImported,
    "callbot.rejected": outcome.errList.length,
    "callbot.requests": outcome.requests,
    "callbot.failedRequests": outcome.failures.length
  }))

/**
 * What every import starts with, checked in this order: its options, its
 * header (with the callback URLs every request repeats) and its orders (the
 * plan's common part).
 */
const prologue = <H extends { readonly callInfoList: typeof Models.CallInfoListHeader.Type }, E, R>(
  ctx: ApiContext,
  endpoint: string,
  perCall: (CallbotApi.ImportBatchOptions & Pick<CallbotApi.ImportOptions, "resume">) | undefined,
  decodeHeader: Header.Decode<H>,
  input: unknown,
  source: Effect.Effect<OrderSource<E, R>, CallbotError.InvalidRequest>
) =>
  Effect.flatMap(importOptions(ctx, endpoint, perCall), (opts) => {
    const decoded = Either.mapLeft(decodeHeader(withoutOrders(input)), (error) => invalidRequest(endpoint, error))
    return Effect.flatMap(decoded, (header) =>
      Effect.map(source, ({ array, isArray, source }) => ({
        opts,
        header,
        callInfo: callInfoHeader(header),
        orders: {
          endpoint,
          array,
          source,
          dedupeAll: isArray,
          dedupePhones: opts.dedupe === "phone",
          chunkSize: opts.chunkSize,
          concurrency: opts.concurrency
        }
      })))
  })

export const addBatchCall = <E, R>(
  ctx: ApiContext,
  input: unknown,
  perCall: CallbotApi.ImportOptions | undefined
): Effect.Effect<CallbotApi.ImportResult, CallbotError.CallbotError | E, R> =>
  Effect.gen(function*() {
    const endpoint = Endpoints.addBatchCall.name
    const { callInfo, header, opts, orders } = yield* prologue(
      ctx,
      endpoint,
      perCall,
      Header.decodeAddBatchCallHeader,
      input,
      orderSource<E, R>(endpoint, input)
    )
    const send = (callList: ReadonlyArray<Models.CallOrderWire>) =>
      ctx.client.execute(Endpoints.addBatchCall, { ...header, callInfoList: { ...callInfo, callList } })
    // Without the task nothing can be held: the orders go as usual (and the platform says what it says).
    const resumed = opts.resume ? yield* existingTask(ctx, header.productID, header.userTaskID) : Option.none()
    const outcome = yield* Importer.run({
      ...orders,
      rest: send,
      restEndpoint: endpoint,
      reconcile: yield* reconcilerFor<SendResult>(ctx.client, header.productID, header.userTaskID),
      resume: Option.getOrUndefined(Option.map(resumed, (r) => r.resume))
    })
    yield* annotateImport("addBatchCall", header.userTaskID, outcome)
    return importResult(outcome)
  }).pipe(Effect.withSpan("CallbotApi.addBatchCall", importSpan))

/** The answer a lookup stands in for: the orders found count as imported, none rejected. */
const reconciledAnswer = (
  orders: ReadonlyArray<Models.CallOrderWire>,
  present: ReadonlySet<string>,
  retMsg: string
): Omit<Endpoints.CreateAndCallResponse, "taskID"> => ({
  retCode: 0,
  retMsg,
  responseID: "",
  totalCount: orders.length,
  successCount: orders.filter((o) => present.has(o.orderID)).length,
  errList: []
})

/** After an ambiguous `createAndCall`: the task exists (found by userTaskID), its missing orders go on with addBatchCall. */
const createdTask = (ctx: ApiContext, header: typeof Endpoints.CreateAndCallHeader.Type) =>
(orders: ReadonlyArray<Models.CallOrderWire>) =>
  Effect.gen(function*() {
    const task = yield* findTask(ctx.client, header.productID, header.userTaskID)
    if (Option.isNone(task)) return Option.none()
    const present = yield* presentOrders(ctx.client, header.productID, header.userTaskID)(orders)
    return Option.some({
      present,
      result: {
        ...reconciledAnswer(orders, present, "reconciled: the task exists"),
        taskID: task.value.taskID
      } satisfies Endpoints.CreateAndCallResponse
    })
  })

export const createAndCall = <E, R>(
  ctx: ApiContext,
  input: unknown,
  perCall: CallbotApi.ImportOptions | undefined
): Effect.Effect<CallbotApi.CreateAndCallResult, CallbotError.CallbotError | E, R> =>
  Effect.gen(function*() {
    const endpoint = Endpoints.createAndCall.name
    const { callInfo, header, opts, orders } = yield* prologue(
      ctx,
      endpoint,
      perCall,
      Header.decodeCreateAndCallHeader,
      input,
      orderSource<E, R>(endpoint, input)
    )
    yield* warnAboutSmsRules(endpoint, header.funcFlag)
    const common = {
      ...orders,
      rest: (callList: ReadonlyArray<Models.CallOrderWire>) =>
        ctx.client.execute(Endpoints.addBatchCall, {
          productID: header.productID,
          userTaskID: header.userTaskID,
          callInfoList: { ...callInfo, callList }
        }),
      restEndpoint: Endpoints.addBatchCall.name,
      inspect: paramsWarning(endpoint, header.funcFlag)
    }
    if (opts.resume) {
      // The task exists (an earlier run created it): the orders go on with addBatchCall, looked up first.
      const resumed = yield* existingTask(ctx, header.productID, header.userTaskID)
      if (Option.isSome(resumed)) {
        const outcome = yield* Importer.run({
          ...common,
          reconcile: yield* reconcilerFor<SendResult>(ctx.client, header.productID, header.userTaskID),
          resume: resumed.value.resume
        })
        yield* annotateImport("createAndCall", header.userTaskID, outcome)
        return { ...importResult(outcome), taskID: resumed.value.task.taskID } satisfies CallbotApi.CreateAndCallResult
      }
    }
    const outcome = yield* Importer.run({
      ...common,
      first: {
        endpoint,
        overflow: "continue",
        send: (callList) =>
          ctx.client.execute(Endpoints.createAndCall, { ...header, callInfoList: { ...callInfo, callList } })
      },
      reconcile: yield* reconcilerFor<Endpoints.CreateAndCallResponse>(
        ctx.client,
        header.productID,
        header.userTaskID,
        createdTask(ctx, header)
      )
    }).pipe(Effect.catchAll(hintResume(header.userTaskID)))
    yield* annotateImport("createAndCall", header.userTaskID, outcome)
    const created = Option.map(outcome.first, (first) => first.taskID)
    return {
      ...importResult(outcome),
      taskID: Option.getOrElse(created, () => "")
    } satisfies CallbotApi.CreateAndCallResult
  }).pipe(Effect.withSpan("CallbotApi.createAndCall", importSpan))

/**
 * After an ambiguous `importBatchCall`: orders of this import found on the
 * platform mean the batch was created, and the missing ones are added to it.
 * None found: the import is sent again (it replaces the previous batch
 * either way).
 */
const createdBatch = (ctx: ApiContext, header: typeof Endpoints.AddBatchCallHeader.Type) =>
(orders: ReadonlyArray<Models.CallOrderWire>) =>
  Effect.map(presentOrders(ctx.client, header.productID, header.userTaskID)(orders), (present) => {
    const result = reconciledAnswer(orders, present, "reconciled: the batch exists")
    return result.successCount === 0
      ? Option.none()
      : Option.some({ present, result })
  })

export const importBatchCall = <E, R>(
  ctx: ApiContext,
  input: unknown,
  perCall: CallbotApi.ImportBatchOptions | undefined
): Effect.Effect<CallbotApi.ImportBatchResult, CallbotError.CallbotError | E, R> =>
  Effect.gen(function*() {
    const endpoint = Endpoints.importBatchCall.name
    const { callInfo, header, opts, orders } = yield* prologue(
      ctx,
      endpoint,
      perCall,
      Header.decodeAddBatchCallHeader,
      input,
      orderSource<E, R>(endpoint, input)
    )
    if (opts.resume) return yield* Effect.fail(resumeRefused(endpoint))
    const outcome = yield* Importer.run({
      ...orders,
      first: {
        endpoint,
        overflow: opts.overflow === "addBatchCall" ? "continue" : "fail",
        send: (callList) =>
          ctx.client.execute(
            Endpoints.importBatchCall,
            { ...header, callInfoList: { ...callInfo, callList } },
            { gzipRequest: opts.gzip }
          )
      },
      rest: (callList) =>
        ctx.client.execute(Endpoints.addBatchCall, { ...header, callInfoList: { ...callInfo, callList } }),
      restEndpoint: Endpoints.addBatchCall.name,
      reconcile: yield* reconcilerFor<Endpoints.ImportBatchCallResponse>(
        ctx.client,
        header.productID,
        header.userTaskID,
        createdBatch(ctx, header)
      )
    })
    yield* annotateImport("importBatchCall", header.userTaskID, outcome)
    const batchID = Option.getOrUndefined(Option.flatMapNullable(outcome.first, (first) => first.batchID))
    return {
      ...importResult(outcome),
      ...(batchID === undefined ? {} : { batchID })
    } satisfies CallbotApi.ImportBatchResult
  }).pipe(Effect.withSpan("CallbotApi.importBatchCall", importSpan))
