/**
 * `callbot task start|pause|finish USER_TASK_ID`.
 */
import { Args, Command } from "@effect/cli"
import { Effect } from "effect"
import * as CallbotApi from "../../CallbotApi.js"
import * as Env from "../env.js"
import * as Output from "../output.js"

const userTaskId = Args.text({ name: "USER_TASK_ID" })

const operation = (name: "start" | "pause" | "finish", done: string) =>
  Command.make(name, { userTaskId, json: Output.json, baseUrl: Env.baseUrl }, (options) =>
    Effect.flatMap(CallbotApi.CallbotApi, (api) =>
      name === "start"
        ? api.startTask(options.userTaskId)
        : name === "pause"
        ? api.pauseTask(options.userTaskId)
        : api.finishTask(options.userTaskId)).pipe(
        Effect.flatMap((answer) => Output.result(options.json, answer, () => `task ${options.userTaskId} ${done}`)),
        Effect.provide(Env.apiLayer(options.baseUrl))
      )).pipe(Command.withDescription(`${name} a task (mgrTaskStatus)`))

export const task = Command.make("task").pipe(
  Command.withDescription("start, pause or finish a task"),
  Command.withSubcommands([operation("start", "started"), operation("pause", "paused"), operation("finish", "finished")])
)
