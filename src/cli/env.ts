/**
 * The account and the base URL every command runs with: the account from
 * `CALLBOT_UUID`, `CALLBOT_SECRET_KEY` (kept `Redacted`, never a flag: flags
 * show in `ps` and shell history) and `CALLBOT_ALGORITHM`; the base URL from
 * `--base-url` or `CALLBOT_BASE_URL`.
 */
import { Options } from "@effect/cli"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { ConfigError } from "effect"
import { Config, Data, Effect, Layer, Option } from "effect"
import * as CallbotApi from "../CallbotApi.js"
import * as CallbotClient from "../CallbotClient.js"
import * as Signer from "../Signer.js"

/** `--base-url URL`, accepted after any command's name. */
export const baseUrl = Options.text("base-url").pipe(
  Options.withDescription("the platform's base URL (default: CALLBOT_BASE_URL, else the vendor's)"),
  Options.optional
)

/** The account of `CALLBOT_UUID` / `CALLBOT_SECRET_KEY` / `CALLBOT_ALGORITHM`. */
export const account: Config.Config<Signer.Options> = Signer.config

const baseUrlConfig = Config.url("CALLBOT_BASE_URL").pipe(
  Config.map((url) => url.toString()),
  Config.withDefault(CallbotClient.DEFAULT_BASE_URL)
)

/** The base URL: the flag, else `CALLBOT_BASE_URL`, else the vendor's. */
export const resolveBaseUrl = (flag: Option.Option<string>): Effect.Effect<string, InvalidBaseUrl | ConfigError.ConfigError> =>
  Option.match(flag, {
    onNone: () => baseUrlConfig,
    onSome: (url) =>
      URL.canParse(url) && /^https?:/i.test(url)
        ? Effect.succeed(url)
        : Effect.fail(new InvalidBaseUrl({ message: `--base-url: ${JSON.stringify(url)} is not an http(s) URL` }))
  })

/** A `--base-url` that is not a URL. */
export class InvalidBaseUrl extends Data.TaggedError("InvalidBaseUrl")<{ readonly message: string }> {}

/** The API (with its client and signer) for the account and base URL, over undici. */
export const apiLayer = (flag: Option.Option<string>) =>
  Layer.unwrapEffect(
    Effect.gen(function*() {
      const options = yield* account
      const url = yield* resolveBaseUrl(flag)
      return CallbotApi.layer({ ...options, baseUrl: url })
    })
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))

/** The account's signer alone (sign, verify, trigger, listen). */
export const signerLayer = Signer.layerConfig
