/**
 * The Callbot simulator as a standalone process, for tests and demos in any
 * language:
 *
 *   npm run simulator -- --port 8080 [--host 127.0.0.1] [--uuid U] [--secret S]
 *                        [--algorithm MD5|SHA256] [--seed N] [--answer-rate 0.6]
 *                        [--ring-seconds 2-10] [--talk-seconds 15-120]
 *                        [--import-seconds 0] [--update-delay-seconds 0]
 *                        [--dial-windows] [--duplicates reject|accept]
 *                        [--faults kind=rate,...] [--fault-seed N]
 *
 * Prints the base URL and the account to sign with, then serves until SIGINT.
 * See docs/simulator.md.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Data, Effect, Layer, Redacted } from "effect"
import { parseArgs } from "node:util"
import * as Simulator from "../src/Simulator.js"

const usage = `Usage: npm run simulator -- [options]

  --port N                  port to listen on (default 8080; 0 picks a free one)
  --host H                  interface to bind (default 127.0.0.1)
  --uuid U                  account uuid (default ${Simulator.testAccount.uuid})
  --secret S                account secret key (default: the built-in test secret)
  --algorithm MD5|SHA256    the account's signature algorithm, used for callbacks (default MD5)
  --seed N                  seed of the campaign's random choices (default 1)
  --answer-rate R           probability that a call is answered (default 0.6)
  --ring-seconds A[-B]      ringing before an answer (default 2-10)
  --talk-seconds A[-B]      length of answered calls (default 15-120)
  --import-seconds N        how long importBatchCall stays in progress (default 0)
  --update-delay-seconds N  delay before updateTask takes effect (default 0)
  --dial-windows            honour dialAtWeekDay / dialAtUpHour / dialAtDownHour
  --duplicates reject|accept  what a re-sent orderID / userTaskID does (default reject)
  --faults kind=rate,...    fault mode, e.g. latency=0.2,dropBeforeProcessing=0.05
                            (kinds: ${Simulator.faultKinds.join(", ")})
  --fault-seed N            seed of the faults (default 1)
  --help                    this text`

class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

const number = (name: string, value: string | undefined, check: (n: number) => boolean = Number.isFinite) => {
  if (value === undefined) return Effect.succeed(undefined)
  const n = Number(value)
  return value.trim() !== "" && check(n)
    ? Effect.succeed(n)
    : Effect.fail(new UsageError({ message: `--${name}: ${JSON.stringify(value)} is not a valid value` }))
}

const range = (name: string, value: string | undefined) => {
  if (value === undefined) return Effect.succeed(undefined)
  const match = /^(\d+)(?:-(\d+))?$/.exec(value.trim())
  if (match === null) return Effect.fail(new UsageError({ message: `--${name}: expected N or A-B, got ${JSON.stringify(value)}` }))
  const low = Number(match[1])
  return Effect.succeed(match[2] === undefined ? low : ([low, Number(match[2])] as const))
}

const faultRates = (value: string | undefined) =>
  Effect.gen(function*() {
    if (value === undefined) return undefined
    const rates: Partial<Record<Simulator.FaultKind, number>> = {}
    for (const pair of value.split(",").filter((p) => p.trim() !== "")) {
      const [kind, rate] = pair.split("=").map((s) => s.trim())
      const known = Simulator.faultKinds.find((k) => k === kind)
      if (known === undefined) return yield* new UsageError({ message: `--faults: unknown kind ${JSON.stringify(kind)}` })
      const n = yield* number("faults", rate, (x) => x >= 0 && x <= 1)
      if (n === undefined) return yield* new UsageError({ message: `--faults: ${known} needs a rate` })
      rates[known] = n
    }
    return rates
  })

const program = Effect.gen(function*() {
  const { values } = yield* Effect.try({
    try: () =>
      parseArgs({
        args: process.argv.slice(2),
        strict: true,
        options: {
          port: { type: "string" },
          host: { type: "string" },
          uuid: { type: "string" },
          secret: { type: "string" },
          algorithm: { type: "string" },
          seed: { type: "string" },
          "answer-rate": { type: "string" },
          "ring-seconds": { type: "string" },
          "talk-seconds": { type: "string" },
          "import-seconds": { type: "string" },
          "update-delay-seconds": { type: "string" },
          "dial-windows": { type: "boolean" },
          duplicates: { type: "string" },
          faults: { type: "string" },
          "fault-seed": { type: "string" },
          help: { type: "boolean" }
        }
      }),
    catch: (error) => new UsageError({ message: error instanceof Error ? error.message : String(error) })
  })
  if (values.help === true) return yield* Console.log(usage)

  const port = (yield* number("port", values.port, (n) => Number.isInteger(n) && n >= 0 && n < 65536)) ?? 8080
  const algorithm = values.algorithm?.toUpperCase()
  if (algorithm !== undefined && algorithm !== "MD5" && algorithm !== "SHA256") {
    return yield* new UsageError({ message: `--algorithm: expected MD5 or SHA256, got ${JSON.stringify(values.algorithm)}` })
  }
  const duplicates = values.duplicates
  if (duplicates !== undefined && duplicates !== "reject" && duplicates !== "accept") {
    return yield* new UsageError({ message: `--duplicates: expected reject or accept, got ${JSON.stringify(duplicates)}` })
  }
  const account: Simulator.Account = {
    uuid: values.uuid ?? Simulator.testAccount.uuid,
    secretKey: values.secret === undefined ? Simulator.testAccount.secretKey : Redacted.make(values.secret),
    algorithm
  }
  const rates = yield* faultRates(values.faults)
  const options: Simulator.Options = {
    port,
    host: values.host ?? "127.0.0.1",
    accounts: [account],
    seed: yield* number("seed", values.seed, Number.isInteger),
    campaign: {
      answerRate: yield* number("answer-rate", values["answer-rate"], (n) => n >= 0 && n <= 1),
      ringSeconds: yield* range("ring-seconds", values["ring-seconds"]),
      talkSeconds: yield* range("talk-seconds", values["talk-seconds"])
    },
    importSeconds: yield* number("import-seconds", values["import-seconds"], (n) => n >= 0),
    updateTaskDelaySeconds: yield* number("update-delay-seconds", values["update-delay-seconds"], (n) => n >= 0),
    dialWindows: values["dial-windows"],
    duplicateOrderIDs: duplicates,
    faults: rates === undefined
      ? undefined
      : { rates, seed: yield* number("fault-seed", values["fault-seed"], Number.isInteger) }
  }

  const announce = Effect.gen(function*() {
    const sim = yield* Simulator.Simulator
    yield* Console.log(`Callbot simulator listening on ${sim.baseUrl}`)
    yield* Console.log(`  endpoints: ${sim.baseUrl}/callcentre/api/v3/<name>`)
    yield* Console.log(`  uuid:      ${account.uuid}`)
    // A test account's secret, printed so that other programs can sign with it.
    yield* Console.log(`  secret:    ${Redacted.value(account.secretKey)}`)
    yield* Console.log(`  algorithm: ${account.algorithm ?? "MD5"}`)
    if (rates !== undefined) yield* Console.log(`  faults:    ${JSON.stringify(rates)}`)
    yield* Console.log("Press Ctrl+C to stop.")
  })
  return yield* Layer.launch(Layer.effectDiscard(announce).pipe(Layer.provideMerge(Simulator.layer(options))))
}).pipe(
  Effect.catchTag("UsageError", (error) =>
    Effect.zipRight(
      Console.error(`${error.message}\n\n${usage}`),
      Effect.sync(() => {
        process.exitCode = 2
      })
    ))
)

NodeRuntime.runMain(program)
