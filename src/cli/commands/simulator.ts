/**
 * `callbot simulator [--port N] [--host H] [--seed N]`: the platform
 * simulator. Its account is `CALLBOT_UUID` / `CALLBOT_SECRET_KEY` when set,
 * else its test account (whose secret it prints; a given secret never). The
 * first stdout line names its base URL; it runs until SIGINT / SIGTERM and
 * then exits 0.
 */
import { Command, Options } from "@effect/cli"
import { Config, Effect, Layer, Option, Redacted } from "effect"
import type * as SimulatorModule from "../../Simulator.js"
import * as Output from "../output.js"

const port = Options.integer("port").pipe(Options.withDescription("port to listen on (0 picks a free one)"), Options.withDefault(8080))
const host = Options.text("host").pipe(Options.withDescription("interface to bind"), Options.withDefault("127.0.0.1"))
const seed = Options.integer("seed").pipe(Options.withDescription("seed of the campaign's random choices"), Options.withDefault(1))

/** The account from the environment, if both variables are set. */
const givenAccount = Config.all({
  uuid: Config.string("CALLBOT_UUID"),
  secretKey: Config.redacted("CALLBOT_SECRET_KEY"),
  algorithm: Config.literal("MD5", "SHA256")("CALLBOT_ALGORITHM").pipe(Config.withDefault("MD5" as const))
}).pipe(Config.option)

export const simulator = Command.make("simulator", { port, host, seed }, (options) =>
  Effect.gen(function*() {
    // Loaded on demand: the simulator's HTTP server pulls in modules the other commands do not need.
    const Simulator: typeof SimulatorModule = yield* Effect.promise(() => import("../../Simulator.js"))
    const given = yield* givenAccount
    const account: SimulatorModule.Account = Option.getOrElse(given, () => Simulator.testAccount)
    const announce = Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* Output.out(`Callbot simulator listening on ${sim.baseUrl}`)
      yield* Output.out(`  uuid:      ${account.uuid}`)
      // Only the built-in test account's secret is shown, so other programs can sign with it.
      yield* Output.out(
        `  secret:    ${Option.isSome(given) ? "(CALLBOT_SECRET_KEY)" : Redacted.value(Simulator.testAccount.secretKey)}`
      )
      yield* Output.out(`  algorithm: ${account.algorithm ?? "MD5"}`)
      yield* Output.err("Press Ctrl+C to stop.")
    })
    return yield* Layer.launch(
      Layer.effectDiscard(announce).pipe(
        Layer.provideMerge(Simulator.layer({ port: options.port, host: options.host, seed: options.seed, accounts: [account] }))
      )
    )
  })).pipe(Command.withDescription("run the platform simulator (for demos and tests; see docs/simulator.md)"))
