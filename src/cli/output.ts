/**
 * Where the CLI writes: `--json` results as one JSON value on stdout; human
 * text, progress and warnings on stderr; failures as one line
 * `Tag: message` on stderr with a non-zero exit code. Colours and redraws
 * only when stderr is a TTY.
 */
import { Options } from "@effect/cli"
import { Cause, ConfigError, Effect } from "effect"

/** `--json`: one JSON value on stdout, nothing else there. */
export const json = Options.boolean("json").pipe(Options.withDescription("print the result as one JSON value on stdout"))

/** A line on stdout. */
export const out = (text: string): Effect.Effect<void> =>
  Effect.sync(() => {
    process.stdout.write(`${text}\n`)
  })

/** A line on stderr. */
export const err = (text: string): Effect.Effect<void> =>
  Effect.sync(() => {
    process.stderr.write(`${text}\n`)
  })

/** One JSON value on stdout. */
export const printJson = (value: unknown): Effect.Effect<void> => out(JSON.stringify(value))

/** The result: JSON on stdout with `--json`, else the human text on stdout. */
export const result = (asJson: boolean, value: unknown, human: () => string): Effect.Effect<void> =>
  asJson ? printJson(value) : out(human())

/** Whether stderr is a terminal: live progress, redraws and colours only then. */
export const isTty = (): boolean => process.stderr.isTTY === true

/** Sets the exit code the process ends with (without ending it early). */
export const exitCode = (code: number): Effect.Effect<void> =>
  Effect.sync(() => {
    process.exitCode = code
  })

const tagOf = (error: unknown): string => {
  if (ConfigError.isConfigError(error)) return "ConfigError"
  if (typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string") {
    return error._tag
  }
  return error instanceof Error ? error.name : "Error"
}

const messageOf = (error: unknown): string => {
  if (ConfigError.isConfigError(error)) return String(error).replace(/\s+/g, " ")
  if (typeof error === "object" && error !== null && "message" in error) {
    const message = error.message
    return typeof message === "string" ? message : String(message)
  }
  return String(error)
}

/** `Tag: message`, on one line. */
export const describe = (error: unknown): string => {
  const message = messageOf(error).replace(/\s*\n\s*/g, " ").trim()
  const tag = tagOf(error)
  const hint = tag === "InvalidSignature" || tag === "ResponseSignatureError" ? " (check CALLBOT_SECRET_KEY and CALLBOT_ALGORITHM)" : ""
  return message === "" ? tag : `${tag}: ${message}${hint}`
}

/** Reports a failure on one stderr line and sets exit code 1. */
export const fail = (error: unknown): Effect.Effect<void> => Effect.zipRight(err(describe(error)), exitCode(1))

/** Reports a defect the same way: one line, never a stack trace. */
export const failCause = <E>(cause: Cause.Cause<E>): Effect.Effect<void> =>
  Cause.isInterruptedOnly(cause)
    ? Effect.void
    : fail(Cause.squash(cause))
