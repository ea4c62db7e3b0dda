/**
 * The import pipeline: the file streamed as rows → orders → chunks of
 * `chunkSize`, `concurrency` chunks in flight. With `--create` the first
 * chunk creates the task (`createAndCall`) and the others wait for it; every
 * other chunk goes with `addBatchCall`. Memory stays flat: only the chunks in
 * flight (and the rejected rows, for the summary) are held.
 */
import { Data, Deferred, Effect, Either, Option, ParseResult, Schema, Stream } from "effect"
import { createReadStream, createWriteStream, statSync, type WriteStream } from "node:fs"
import * as CallbotApi from "../../CallbotApi.js"
import * as CallbotError from "../../CallbotError.js"
import * as Models from "../../Models.js"
import * as Output from "../output.js"
import * as Csv from "./csv.js"
import * as Jsonl from "./jsonl.js"
import { orderOf } from "./orders.js"
import { type Counters, makeCounters, type ReadFailed, withProgress } from "./progress.js"

/** The task settings of `--create`. */
export interface TaskSettings {
  readonly sceneID: string
  readonly taskName: string
  readonly taskCallbackUrl: string
  readonly startupType: number
}

export interface Settings {
  readonly file: string
  readonly userTaskID: string
  readonly orderCallbackUrl: string
  readonly callCallbackUrl: string
  readonly create: Option.Option<TaskSettings>
  readonly resume: boolean
  readonly chunkSize: number
  readonly concurrency: number
  readonly rejectedFile: Option.Option<string>
}

export interface Rejected {
  readonly orderID: string
  readonly userPhone: string
  readonly reason: string
  readonly rejectedBy: Models.RejectedBy
}

/** The `--json` summary. */
export interface Summary {
  readonly userTaskID: string
  readonly taskID: string | null
  readonly totalCount: number
  readonly successCount: number
  readonly alreadyImported: number
  readonly rejected: ReadonlyArray<Rejected>
  readonly failures: ReadonlyArray<{ readonly orders: number; readonly error: string }>
}

/** The file is neither `.csv` nor `.jsonl`. */
export class UnknownFileType extends Data.TaggedError("UnknownFileType")<{ readonly message: string }> {}

const csvField = (value: string) => /[",\r\n]/.test(value) ? `"${value.replaceAll("\"", "\"\"")}"` : value

interface State {
  readonly counters: Counters
  readonly rejected: Array<Rejected>
  readonly failures: Array<{ readonly orders: number; readonly error: string }>
  readonly rejectedFile: WriteStream | undefined
  taskID: string | null
}

const reject = (state: State, entry: Rejected) => {
  state.rejected.push(entry)
  if (entry.rejectedBy === "request") state.counters.failed++
  else state.counters.rejected++
  state.rejectedFile?.write(
    `${[entry.orderID, entry.userPhone, entry.rejectedBy, entry.reason].map(csvField).join(",")}\n`
  )
}

const record = (state: State, result: CallbotApi.ImportResult) => {
  state.counters.accepted += result.successCount - result.alreadyImported
  state.counters.alreadyImported += result.alreadyImported
  for (const order of result.errList) {
    reject(state, { orderID: order.orderID ?? "", userPhone: order.phone, reason: order.errMsg, rejectedBy: order.rejectedBy })
  }
  for (const failure of result.failures) state.failures.push({ orders: 0, error: Output.describe(failure.error) })
}

const decodeOrder = Schema.decodeUnknownEither(Models.CallOrder)

/** Why an order fails validation, or undefined when it is valid. */
const invalidReason = (order: Models.CallOrderInput): string | undefined => {
  const decoded = decodeOrder(order)
  if (Either.isRight(decoded)) return undefined
  const [first] = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
  return first === undefined ? "invalid" : `${first.path.join(".")}: ${first.message}`
}

const failChunk = (state: State, chunk: ReadonlyArray<Models.CallOrderInput>, error: unknown) => {
  if (error instanceof CallbotError.InvalidRequest) {
    // Every order of the chunk failed validation (the API sends nothing then): validation rejections, not failures.
    const invalid = chunk.map((order) => [order, invalidReason(order)] as const)
    if (invalid.every(([, reason]) => reason !== undefined)) {
      for (const [order, reason] of invalid) {
        reject(state, { orderID: order.orderID, userPhone: order.userPhone, reason: reason ?? "", rejectedBy: "client" })
      }
      return
    }
  }
  const reason = Output.describe(error)
  state.failures.push({ orders: chunk.length, error: reason })
  for (const order of chunk) reject(state, { orderID: order.orderID, userPhone: order.userPhone, reason, rejectedBy: "request" })
}

const sources = (file: string) => {
  const input = createReadStream(file)
  const bytesRead = () => input.bytesRead
  if (file.endsWith(".csv")) return Effect.succeed({ lines: Csv.rows(input), bytesRead })
  if (file.endsWith(".jsonl")) return Effect.succeed({ lines: Jsonl.rows(input), bytesRead })
  input.destroy()
  return Effect.fail(new UnknownFileType({ message: `${file}: expected a .csv or .jsonl file` }))
}

const taskIDOf = (api: CallbotApi.CallbotApi, userTaskID: string) =>
  api.listTask({ queryConditions: { userTaskID: [userTaskID] } }).pipe(
    Effect.map((page) => page.taskData.find((task) => task.userTaskID === userTaskID)?.taskID ?? null)
  )

/** Runs the import; fails only when the file cannot be read or the task cannot be created. */
export const run = (settings: Settings) =>
  Effect.gen(function*() {
    const api = yield* CallbotApi.CallbotApi
    const { bytesRead, lines } = yield* sources(settings.file)
    const state: State = {
      counters: makeCounters(statSync(settings.file).size, bytesRead),
      rejected: [],
      failures: [],
      rejectedFile: Option.match(settings.rejectedFile, {
        onNone: () => undefined,
        onSome: (path) => {
          const stream = createWriteStream(path)
          stream.write("orderID,userPhone,rejectedBy,reason\n")
          return stream
        }
      }),
      taskID: null
    }
    const existing = settings.resume || Option.isNone(settings.create) ? yield* taskIDOf(api, settings.userTaskID) : null
    const mustCreate = Option.isSome(settings.create) && existing === null
    const created = yield* Deferred.make<void>()
    if (!mustCreate) yield* Deferred.succeed(created, undefined)
    state.taskID = existing
    const header = { userTaskID: settings.userTaskID, callInfoList: { orderCallbackUrl: settings.orderCallbackUrl, callCallbackUrl: settings.callCallbackUrl } }
    const options = { chunkSize: settings.chunkSize, concurrency: 1 }

    const sendChunk = (chunk: ReadonlyArray<Models.CallOrderInput>, index: number) =>
      Effect.gen(function*() {
        if (index === 0 && mustCreate && Option.isSome(settings.create)) {
          const task = settings.create.value
          const result = yield* api.createAndCall({
            ...header,
            sceneID: task.sceneID,
            taskCreateSetting: { ...defaultTaskSetting, taskName: task.taskName, taskCallbackUrl: task.taskCallbackUrl, startupType: task.startupType },
            callInfoList: { ...header.callInfoList, callList: chunk }
          }, options)
          state.counters.sent += chunk.length
          state.taskID = result.taskID
          record(state, result)
          return yield* Deferred.succeed(created, undefined)
        }
        yield* Deferred.await(created)
        // --resume: the API looks the chunk's orderIDs up and sends only those the platform does not hold.
        state.counters.sent += chunk.length
        yield* api.addBatchCall(
          { ...header, callInfoList: { ...header.callInfoList, callList: chunk } },
          { ...options, resume: settings.resume }
        ).pipe(
          Effect.match({ onFailure: (error) => failChunk(state, chunk, error), onSuccess: (result) => record(state, result) })
        )
      }).pipe(Effect.catchAll((error) => index === 0 && mustCreate ? Effect.fail(error) : Effect.sync(() => failChunk(state, chunk, error))))

    const orders = lines.pipe(
      Stream.tap(() => Effect.sync(() => state.counters.read++)),
      Stream.filterMap((line) => {
        if ("fields" in line) return Option.some(orderOf(settings.userTaskID, line))
        reject(state, { orderID: "", userPhone: "", reason: `line ${line.row}: ${line.invalid}`, rejectedBy: "client" })
        return Option.none()
      })
    )
    yield* withProgress(
      state.counters,
      orders.pipe(
        Stream.grouped(settings.chunkSize),
        Stream.zipWithIndex,
        Stream.mapEffect(([chunk, index]) => sendChunk([...chunk], index), { concurrency: settings.concurrency }),
        Stream.runDrain
      )
    ).pipe(Effect.ensuring(Effect.async<void>((resume) => {
      if (state.rejectedFile === undefined) return resume(Effect.void)
      state.rejectedFile.end(() => resume(Effect.void))
    })))
    if (state.taskID === null && state.counters.accepted > 0) state.taskID = yield* taskIDOf(api, settings.userTaskID).pipe(Effect.orElseSucceed(() => null))
    const summary: Summary = {
      userTaskID: settings.userTaskID,
      taskID: state.taskID,
      totalCount: state.counters.read,
      successCount: state.counters.accepted + state.counters.alreadyImported,
      alreadyImported: state.counters.alreadyImported,
      rejected: state.rejected,
      failures: state.failures
    }
    return summary
  })

/** What `--create` fills in besides the flags: every day and hour, UTC+8, 30 s ringing, one line. */
export const defaultTaskSetting = {
  zoneSecond: 8 * 3600,
  dialAtWeekDay: "1,2,3,4,5,6,7",
  dialAtUpHour: "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23",
  dialAtDownHour: "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23",
  maxRingTime: 30,
  maxCall: 1
}

export type { ReadFailed }
