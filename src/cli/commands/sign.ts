/**
 * `callbot sign --body-file PATH --created-ts TS --request-id ID
 * [--algorithm MD5|SHA256] [--explain]`: the signature of a file's exact
 * bytes, and with `--explain` the string that was hashed, the secret shown
 * as `***` — for "why does the platform answer retCode 6".
 */
import { Command, Options } from "@effect/cli"
import * as FileSystem from "@effect/platform/FileSystem"
import { Effect, Option } from "effect"
import * as Signer from "../../Signer.js"
import * as Env from "../env.js"
import * as Output from "../output.js"

const bodyFile = Options.file("body-file", { exists: "yes" }).pipe(
  Options.withDescription("the body, byte for byte as it is (or was) sent")
)
const createdTs = Options.text("created-ts").pipe(Options.withDescription("the createTs header (Unix seconds)"))
const requestId = Options.text("request-id").pipe(Options.withDescription("the requestID header"))
const algorithm = Options.choice("algorithm", ["MD5", "SHA256"]).pipe(
  Options.withDescription("default: CALLBOT_ALGORITHM, else MD5"),
  Options.optional
)
const explain = Options.boolean("explain").pipe(Options.withDescription("also print the string that was hashed (secret as ***)"))

/** The string hashed for a signature, with the secret replaced by `***`. */
export const explained = (input: Omit<Signer.SignatureInput, "secretKey" | "body"> & { readonly body: string }) =>
  `***&body=${input.body}&createTs=${input.createTs}&requestID=${input.requestID}&uuid=${input.uuid}`

export const sign = Command.make(
  "sign",
  { bodyFile, createdTs, requestId, algorithm, explain, json: Output.json, baseUrl: Env.baseUrl },
  (options) =>
    Effect.gen(function*() {
      const account = yield* Env.account
      const body = yield* (yield* FileSystem.FileSystem).readFile(options.bodyFile)
      const input = {
        uuid: account.uuid,
        body,
        createTs: options.createdTs,
        requestID: options.requestId,
        algorithm: Option.getOrElse(options.algorithm, () => account.algorithm ?? "MD5")
      }
      const signature = Signer.signature({ ...input, secretKey: account.secretKey })
      const hashed = explained({ ...input, body: new TextDecoder().decode(body) })
      if (options.json) {
        return yield* Output.printJson({
          sign: signature,
          algorithm: input.algorithm,
          headers: Signer.toHeaders({ ...input, sign: signature }),
          ...(options.explain ? { hashed } : {})
        })
      }
      yield* Output.out(signature)
      if (options.explain) {
        yield* Output.err(`algorithm: ${input.algorithm} of the UTF-8 bytes of (upper-case hex):`)
        yield* Output.err(hashed)
      }
    })
).pipe(Command.withDescription("sign a body file as the client does (upper-case hex digest)"))
