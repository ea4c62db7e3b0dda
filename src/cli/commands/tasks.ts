/**
 * `callbot tasks [--status 1,2,...] [--page N] [--size N] [--json]`: a
 * table of tasks — user task ID, task ID, status by name, orders
 * finished/total, answer rate.
 */
import { Command, Options } from "@effect/cli"
import { Data, Effect } from "effect"
import * as CallbotApi from "../../CallbotApi.js"
import * as Models from "../../Models.js"
import * as Env from "../env.js"
import * as Output from "../output.js"

const status = Options.text("status").pipe(Options.withDescription("statuses to list, e.g. 1,2 (1 pending … 5 paused)"), Options.optional)
const page = Options.integer("page").pipe(Options.withDefault(1))
const size = Options.integer("size").pipe(Options.withDefault(20))

/** A `--status` that is not a list of integers. */
export class InvalidStatus extends Data.TaggedError("InvalidStatus")<{ readonly message: string }> {}

const percent = (rate: number | undefined) => rate === undefined ? "-" : `${Math.round(rate * 100)}%`

/** A task as one row of the table. */
export const row = (task: Models.TaskInfo) => ({
  userTaskID: task.userTaskID,
  taskID: task.taskID,
  status: Models.taskStatusName(task.taskStatus),
  orders: task.taskStat === undefined ? "-" : `${task.taskStat.finishOrderCount}/${task.taskStat.totalOrderCount}`,
  answerRate: percent(task.taskStat?.answerRate)
})

const table = (rows: ReadonlyArray<Record<string, string>>, columns: ReadonlyArray<readonly [string, string]>) => {
  const widths = columns.map(([key, title]) => Math.max(title.length, ...rows.map((r) => (r[key] ?? "").length)))
  const format = (cells: ReadonlyArray<string>) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  return [format(columns.map(([, title]) => title)), ...rows.map((r) => format(columns.map(([key]) => r[key] ?? "")))].join("\n")
}

export const tasks = Command.make("tasks", { status, page, size, json: Output.json, baseUrl: Env.baseUrl }, (options) =>
  Effect.gen(function*() {
    const statuses = options.status._tag === "None" ? undefined : options.status.value.split(",").map((s) => Number(s.trim()))
    if (statuses !== undefined && statuses.some((s) => !Number.isInteger(s))) {
      return yield* new InvalidStatus({ message: `--status: expected integers like 1,2, got ${JSON.stringify(options.status)}` })
    }
    const api = yield* CallbotApi.CallbotApi
    const answer = yield* api.listTask({
      page: options.page,
      size: options.size,
      ...(statuses === undefined ? {} : { queryConditions: { taskStatus: statuses } })
    })
    yield* Output.result(options.json, answer.taskData, () =>
      answer.taskData.length === 0 ? "no tasks" : table(answer.taskData.map(row), [
        ["userTaskID", "USER TASK ID"],
        ["taskID", "TASK ID"],
        ["status", "STATUS"],
        ["orders", "FINISHED/TOTAL"],
        ["answerRate", "ANSWER RATE"]
      ]))
  }).pipe(Effect.provide(Env.apiLayer(options.baseUrl)))).pipe(Command.withDescription("list tasks"))
