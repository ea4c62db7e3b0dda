/**
 * `callbot verify --body-file PATH --headers-file PATH`: checks a captured
 * callback delivery (headers as a JSON object) with the receiver's checks:
 * the signature headers, the signature over the exact bytes, the `createTs`
 * window, the body. Prints `valid` (exit 0) or the reason (exit 1).
 */
import { Command, Options } from "@effect/cli"
import * as FileSystem from "@effect/platform/FileSystem"
import { Data, Effect, Schema } from "effect"
import * as Callback from "../../Callback.js"
import * as Env from "../env.js"
import * as Output from "../output.js"

const bodyFile = Options.file("body-file", { exists: "yes" }).pipe(Options.withDescription("the body as received"))
const headersFile = Options.file("headers-file", { exists: "yes" }).pipe(
  Options.withDescription("the delivery's headers as a JSON object")
)

/** A headers file that is not a JSON object of strings. */
export class InvalidHeadersFile extends Data.TaggedError("InvalidHeadersFile")<{ readonly message: string }> {}

const HeadersJson = Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.String }))

export const verify = Command.make(
  "verify",
  { bodyFile, headersFile, json: Output.json, baseUrl: Env.baseUrl },
  (options) =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const body = yield* fs.readFile(options.bodyFile)
      const headers = yield* Effect.flatMap(fs.readFileString(options.headersFile), Schema.decodeUnknown(HeadersJson)).pipe(
        Effect.mapError((error) =>
          new InvalidHeadersFile({ message: `${options.headersFile}: expected a JSON object of header values (${error.message.split("\n")[0]})` })
        )
      )
      const verified = yield* Callback.verifyWithHeaders({ headers, body }).pipe(Effect.either)
      if (verified._tag === "Right") {
        const { callback, headers: signed } = verified.right
        return yield* Output.result(
          options.json,
          { valid: true, kind: Callback.kindOfType(callback.callbackType), requestID: signed.requestID },
          () => "valid"
        )
      }
      yield* Output.exitCode(1)
      return yield* options.json
        ? Output.printJson({ valid: false, reason: Output.describe(verified.left) })
        : Output.out(Output.describe(verified.left))
    }).pipe(Effect.provide(Env.signerLayer))
).pipe(Command.withDescription("check a captured callback delivery: prints valid or the reason"))
