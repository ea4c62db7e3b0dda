/**
 * `callbot ping [--data TEXT]`: liveness and credentials check.
 */
import { Command, Options } from "@effect/cli"
import { Effect } from "effect"
import * as CallbotApi from "../../CallbotApi.js"
import * as Env from "../env.js"
import * as Output from "../output.js"

const data = Options.text("data").pipe(Options.withDescription("text the platform echoes back"), Options.withDefault("ping"))

export const ping = Command.make("ping", { data, baseUrl: Env.baseUrl, json: Output.json }, (options) =>
  Effect.flatMap(CallbotApi.CallbotApi, (api) => api.ping({ data: options.data })).pipe(
    Effect.flatMap((response) =>
      Output.result(options.json, response, () => `pong: data=${response.data} (reqId ${response.reqId})`)
    ),
    Effect.provide(Env.apiLayer(options.baseUrl))
  )).pipe(Command.withDescription("check that the platform answers and accepts the account's signature"))
