/**
 * `callbot import FILE --user-task-id ID [--create --scene-id ID
 * --task-name NAME --task-callback-url U [--startup-type 1|2|3]]
 * --order-callback-url U --call-callback-url U [--resume] [--chunk-size N]
 * [--concurrency N] [--rejected-file PATH] [--json]`.
 *
 * Exit 0 when every row was imported or rejected by validation; 1 when
 * requests failed.
 */
import { Args, Command, Options } from "@effect/cli"
import { Data, Effect, Option } from "effect"
import * as CallbotApi from "../../CallbotApi.js"
import * as Env from "../env.js"
import { run, type Summary } from "../import/run.js"
import * as Output from "../output.js"

const file = Args.file({ name: "FILE", exists: "yes" }).pipe(Args.withDescription("a .csv (header row) or .jsonl file of orders"))
const userTaskId = Options.text("user-task-id").pipe(Options.withDescription("the task's userTaskID"))
const create = Options.boolean("create").pipe(Options.withDescription("create the task with the first chunk (createAndCall)"))
const sceneId = Options.text("scene-id").pipe(Options.optional)
const taskName = Options.text("task-name").pipe(Options.optional)
const taskCallbackUrl = Options.text("task-callback-url").pipe(Options.optional)
const orderCallbackUrl = Options.text("order-callback-url").pipe(Options.withDescription("where order callbacks go"))
const callCallbackUrl = Options.text("call-callback-url").pipe(Options.withDescription("where call callbacks go"))
const startupType = Options.choice("startup-type", ["1", "2", "3"]).pipe(
  Options.withDescription("1 manual start (default), 2 scheduled, 3 immediate"),
  Options.withDefault("1")
)
const resume = Options.boolean("resume").pipe(Options.withDescription("send only the orders the platform does not hold yet"))
const chunkSize = Options.integer("chunk-size").pipe(Options.withDefault(CallbotApi.DEFAULT_CHUNK_SIZE))
const concurrency = Options.integer("concurrency").pipe(Options.withDefault(CallbotApi.DEFAULT_CONCURRENCY))
const rejectedFile = Options.text("rejected-file").pipe(
  Options.withDescription("write every rejected row with its reason as CSV"),
  Options.optional
)

/** `--create` without a task setting it needs, or a size below 1. */
export class InvalidImportOptions extends Data.TaggedError("InvalidImportOptions")<{ readonly message: string }> {}

const human = (s: Summary) =>
  [
    `task ${s.userTaskID}${s.taskID === null ? "" : ` (taskID ${s.taskID})`}: ${s.successCount}/${s.totalCount} imported` +
    (s.alreadyImported > 0 ? ` (${s.alreadyImported} already held)` : "") +
    `, ${s.rejected.length} rejected, ${s.failures.length} failed requests`,
    ...s.rejected.slice(0, 10).map((r) => `  rejected ${r.orderID || "-"} ${r.userPhone || "-"} (${r.rejectedBy}): ${r.reason}`),
    ...(s.rejected.length > 10 ? [`  … and ${s.rejected.length - 10} more`] : [])
  ].join("\n")

const taskSettings = (options: {
  readonly create: boolean
  readonly sceneId: Option.Option<string>
  readonly taskName: Option.Option<string>
  readonly taskCallbackUrl: Option.Option<string>
  readonly startupType: string
}) => {
  if (!options.create) return Effect.succeed(Option.none())
  const given: ReadonlyArray<readonly [string, Option.Option<string>]> = [
    ["--scene-id", options.sceneId],
    ["--task-name", options.taskName],
    ["--task-callback-url", options.taskCallbackUrl]
  ]
  const missing = given.filter(([, value]) => Option.isNone(value)).map(([name]) => name)
  if (missing.length > 0 || Option.isNone(options.sceneId) || Option.isNone(options.taskName) || Option.isNone(options.taskCallbackUrl)) {
    return Effect.fail(new InvalidImportOptions({ message: `--create needs ${missing.join(", ")}` }))
  }
  return Effect.succeed(Option.some({
    sceneID: options.sceneId.value,
    taskName: options.taskName.value,
    taskCallbackUrl: options.taskCallbackUrl.value,
    startupType: Number(options.startupType)
  }))
}

export const importCommand = Command.make(
  "import",
  {
    file,
    userTaskId,
    create,
    sceneId,
    taskName,
    taskCallbackUrl,
    orderCallbackUrl,
    callCallbackUrl,
    startupType,
    resume,
    chunkSize,
    concurrency,
    rejectedFile,
    json: Output.json,
    baseUrl: Env.baseUrl
  },
  (options) =>
    Effect.gen(function*() {
      if (options.chunkSize < 1 || options.concurrency < 1) {
        return yield* new InvalidImportOptions({ message: "--chunk-size and --concurrency must be at least 1" })
      }
      const summary = yield* run({
        file: options.file,
        userTaskID: options.userTaskId,
        orderCallbackUrl: options.orderCallbackUrl,
        callCallbackUrl: options.callCallbackUrl,
        create: yield* taskSettings(options),
        resume: options.resume,
        chunkSize: options.chunkSize,
        concurrency: options.concurrency,
        rejectedFile: options.rejectedFile
      })
      yield* Output.err(human(summary))
      if (options.json) yield* Output.printJson(summary)
      if (summary.failures.length > 0) {
        yield* Output.err(`RequestsFailed: ${summary.failures.length} request(s) failed; re-run with --resume to send what is missing`)
        yield* Output.exitCode(1)
      }
    }).pipe(Effect.provide(Env.apiLayer(options.baseUrl)))
).pipe(Command.withDescription("import orders from a .csv or .jsonl file, streamed, in chunks"))
