/**
 * `callbot watch USER_TASK_ID [--interval SECONDS]`: a live view of one
 * task (status, orders finished/total, calls answered/placed, rates),
 * redrawn in place on a TTY, one line per change otherwise; exits 0 when
 * the task is completed or ended.
 */
import { Args, Command, Options } from "@effect/cli"
import { Data, Duration, Effect, Schedule } from "effect"
import * as CallbotApi from "../../CallbotApi.js"
import * as Models from "../../Models.js"
import * as Env from "../env.js"
import * as Output from "../output.js"

const userTaskId = Args.text({ name: "USER_TASK_ID" })
const interval = Options.integer("interval").pipe(Options.withDescription("seconds between looks"), Options.withDefault(2))

/** The platform does not know the task. */
export class TaskNotFound extends Data.TaggedError("TaskNotFound")<{ readonly message: string }> {}

const percent = (rate: number) => `${Math.round(rate * 100)}%`

/** One line of the view. */
export const describeTask = (task: Models.TaskInfo): string => {
  const stat = task.taskStat
  return `${task.userTaskID}: ${Models.taskStatusName(task.taskStatus)}` +
    (stat === undefined ? "" : ` · orders ${stat.finishOrderCount}/${stat.totalOrderCount} (${percent(stat.finishRate)})` +
      ` · calls answered ${stat.totalAnswerCall}/${stat.totalCall} (${percent(stat.answerRate)})`)
}

const isOver = (task: Models.TaskInfo) =>
  task.taskStatus === Models.TaskStatuses.Completed || task.taskStatus === Models.TaskStatuses.Ended

export const watch = Command.make("watch", { userTaskId, interval, json: Output.json, baseUrl: Env.baseUrl }, (options) =>
  Effect.gen(function*() {
    const api = yield* CallbotApi.CallbotApi
    const tty = Output.isTty() && !options.json
    let last = ""
    const look = Effect.gen(function*() {
      const page = yield* api.listTask({ queryConditions: { userTaskID: [options.userTaskId] } })
      const task = page.taskData.find((t) => t.userTaskID === options.userTaskId)
      if (task === undefined) return yield* new TaskNotFound({ message: `no task with userTaskID ${options.userTaskId}` })
      const line = describeTask(task)
      if (line !== last) {
        last = line
        if (options.json) yield* Output.printJson(task)
        else if (tty) yield* Effect.sync(() => process.stderr.write(`\r\x1b[2K${line}`))
        else yield* Output.err(line)
      }
      return task
    })
    yield* look.pipe(Effect.repeat({ schedule: Schedule.spaced(Duration.seconds(options.interval)), until: isOver }))
    if (tty) yield* Effect.sync(() => process.stderr.write("\n"))
  }).pipe(Effect.provide(Env.apiLayer(options.baseUrl)))).pipe(Command.withDescription("watch one task until it is over"))
