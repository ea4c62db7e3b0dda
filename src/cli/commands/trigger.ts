/**
 * `callbot trigger task|order|call --to URL [--user-task-id ID]
 * [--order-id ID]`: posts one signed sample callback of that kind to a
 * receiver under development; prints the HTTP status and the answer, and
 * checks the answer's signature when it is signed. Exit 0 on HTTP 200 with
 * `retCode` 0.
 */
import { Args, Command, Options } from "@effect/cli"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Clock, Data, Effect, Option, Schema } from "effect"
import * as Callback from "../../Callback.js"
import * as Signer from "../../Signer.js"
import * as Env from "../env.js"
import * as Output from "../output.js"
import { sampleBody } from "../samples.js"

const kind = Args.choice([["task", "task"], ["order", "order"], ["call", "call"]] as const, { name: "kind" }).pipe(
  Args.withDescription("the kind of callback: task, order or call")
)
const to = Options.text("to").pipe(Options.withDescription("the receiver's URL"))
const userTaskId = Options.text("user-task-id").pipe(Options.withDefault("sample-user-task"))
const orderId = Options.text("order-id").pipe(Options.withDefault("sample-order"))

/** The receiver did not answer HTTP 200 with `retCode` 0, or signed its answer wrongly. */
export class NotAcknowledged extends Data.TaggedError("NotAcknowledged")<{ readonly message: string }> {}

const RetCodeJson = Schema.parseJson(Schema.Struct({ retCode: Schema.Unknown }))

const retCodeOf = (text: string): unknown =>
  Option.getOrUndefined(Option.map(Schema.decodeUnknownOption(RetCodeJson)(text), (answer) => answer.retCode))

const checkAnswer = (headers: Signer.HeadersInput, body: string) =>
  Effect.flatMap(Signer.Signer, (signer) =>
    signer.verify({ headers, body }).pipe(
      Effect.as("valid"),
      Effect.catchAll((error) => Effect.succeed(`invalid (${error.message})`))
    ))

export const trigger = Command.make(
  "trigger",
  { kind, to, userTaskId, orderId, json: Output.json, baseUrl: Env.baseUrl },
  (options) =>
    Effect.gen(function*() {
      const nowSeconds = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      const body = sampleBody(options.kind, { userTaskID: options.userTaskId, orderID: options.orderId, nowSeconds })
      const request = yield* Callback.signRequest(options.to, body)
      const client = (yield* HttpClient.HttpClient).pipe(HttpClient.followRedirects(0))
      const response = yield* client.execute(request)
      const answer = yield* response.text
      const signature = response.headers["sign"] === undefined ? "unsigned" : yield* checkAnswer(response.headers, answer)
      const retCode = retCodeOf(answer)
      const ok = response.status === 200 && retCode === 0 && !signature.startsWith("invalid")
      yield* Output.result(
        options.json,
        { kind: options.kind, status: response.status, answer, retCode: retCode ?? null, signature, ok },
        () => `HTTP ${response.status}\n${answer}\nanswer signature: ${signature}`
      )
      if (!ok) {
        return yield* new NotAcknowledged({
          message: `${options.to} answered HTTP ${response.status}, retCode ${JSON.stringify(retCode ?? null)}, signature ${signature}`
        })
      }
    }).pipe(Effect.scoped, Effect.provide(Env.signerLayer), Effect.provide(NodeHttpClient.layerUndici))
).pipe(Command.withDescription("send one signed sample callback to a receiver under development"))
