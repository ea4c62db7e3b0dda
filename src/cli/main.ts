/**
 * The `callbot` command: every subcommand wired under one root, run with
 * Node's file system, terminal and HTTP client. Failures end as one line
 * `Tag: message` on stderr and a non-zero exit code; usage errors print the
 * usage; nothing prints a stack trace.
 */
import { Command, HelpDoc, ValidationError } from "@effect/cli"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { Effect, Layer, Logger, LogLevel } from "effect"
import { ping } from "./commands/ping.js"
import { sign } from "./commands/sign.js"
import { importCommand } from "./commands/import.js"
import { listen } from "./commands/listen.js"
import { simulator } from "./commands/simulator.js"
import { task } from "./commands/task.js"
import { tasks } from "./commands/tasks.js"
import { trigger } from "./commands/trigger.js"
import { verify } from "./commands/verify.js"
import { watch } from "./commands/watch.js"
import * as Output from "./output.js"

export const VERSION = "0.2.0"

export const root = Command.make("callbot").pipe(
  Command.withDescription("the NXCloud Callbot v3 API from the command line"),
  Command.withSubcommands([ping, sign, verify, importCommand, tasks, task, watch, trigger, listen, simulator])
)

const cli = Command.run(root, { name: "callbot", version: VERSION })

const usage = HelpDoc.toAnsiText(HelpDoc.p("Usage: callbot <command> [options]   (callbot <command> --help for a command's options)"))

/** The library's own warnings, one line each on stderr (stdout is for results). */
const stderrLogger = Logger.replace(
  Logger.defaultLogger,
  Logger.make(({ logLevel, message }) => {
    const text = (Array.isArray(message) ? message : [message]).map(String).join(" ")
    process.stderr.write(`${logLevel.label.toLowerCase()}: ${text}\n`)
  })
).pipe(Layer.merge(Logger.minimumLogLevel(LogLevel.Warning)))

/** Runs the command line `argv` (as `process.argv`); never fails. */
export const main = (argv: ReadonlyArray<string>): Effect.Effect<void> =>
  cli(argv).pipe(
    Effect.catchAll((error) =>
      ValidationError.isValidationError(error)
        // @effect/cli has printed what was wrong; add how to ask for the usage.
        ? Effect.zipRight(Output.err(usage.trimEnd()), Output.exitCode(2))
        : Output.fail(error)
    ),
    Effect.catchAllCause(Output.failCause),
    Effect.provide(Layer.merge(NodeContext.layer, stderrLogger))
  )
