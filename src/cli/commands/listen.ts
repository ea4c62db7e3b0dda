/**
 * `callbot listen [--port N] [--host H] [--forward-to URL] [--json]`: a
 * local callback receiver (any path) with the SDK's own checks and defaults.
 * Prints each verified delivery (with `--json`, one JSON line per delivery:
 * `{ kind, requestID, body }`); refuses forged ones with 401 (reported on
 * stderr, never forwarded); with `--forward-to`, posts each verified
 * delivery on — the same bytes, the same signature headers — and answers
 * with that URL's answer.
 */
import { Command, Options } from "@effect/cli"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Data, Effect, Option, Runtime } from "effect"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import * as Callback from "../../Callback.js"
import * as Signer from "../../Signer.js"
import * as Env from "../env.js"
import * as Output from "../output.js"

const port = Options.integer("port").pipe(Options.withDescription("port to listen on (0 picks a free one)"), Options.withDefault(4000))
const host = Options.text("host").pipe(Options.withDescription("interface to bind"), Options.withDefault("127.0.0.1"))
const forwardTo = Options.text("forward-to").pipe(
  Options.withDescription("post each verified delivery on to this URL and answer with its answer"),
  Options.optional
)

const MAX_BODY_BYTES = 1024 * 1024

/** The forward target did not answer HTTP 2xx (the delivery is released, so a redelivery is forwarded again). */
class ForwardFailed extends Data.TaggedError("ForwardFailed")<{ readonly status: number }> {}

interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

const readBody = (req: IncomingMessage): Promise<Uint8Array | undefined> =>
  new Promise((resolve) => {
    const chunks: Array<Buffer> = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        resolve(undefined)
        req.destroy()
      } else chunks.push(chunk)
    })
    req.on("end", () => resolve(Buffer.concat(chunks)))
    req.on("error", () => resolve(undefined))
  })

const forward = (client: HttpClient.HttpClient, url: string, headers: Signer.SignedHeaders, body: Uint8Array) =>
  client.execute(
    HttpClientRequest.post(url).pipe(
      HttpClientRequest.setHeaders(Signer.toHeaders(headers, { algorithm: false })),
      HttpClientRequest.bodyUint8Array(body, "application/json")
    )
  ).pipe(
    Effect.flatMap((response) =>
      Effect.map(response.text, (text): Answer => ({
        status: response.status,
        headers: { "content-type": response.headers["content-type"] ?? "application/json", ...signHeadersOf(response.headers) },
        body: text
      }))
    ),
    Effect.scoped
  )

const signHeadersOf = (headers: Readonly<Record<string, string | undefined>>): Record<string, string> => {
  const picked: Record<string, string> = {}
  for (const name of Object.values(Signer.HeaderNames)) {
    const value = headers[name.toLowerCase()]
    if (value !== undefined) picked[name] = value
  }
  return picked
}

const report = (json: boolean, kind: string, requestID: string, body: string) => {
  const parsed: unknown = JSON.parse(body)
  return json
    ? Output.printJson({ kind, requestID, body: parsed })
    : Output.out(`${kind} callback ${requestID}: ${body}`)
}

interface Settings {
  readonly json: boolean
  readonly forwardTo: Option.Option<string>
  readonly client: HttpClient.HttpClient
}

/** One delivery: verified by the SDK's receiver; forwarded when asked. */
const deliver = (settings: Settings, headers: IncomingMessage["headers"], body: Uint8Array) => {
  let forwarded: Answer | undefined
  const receiver = Callback.receiver((callback, delivery) => {
    const kind = Callback.kindOfType(callback.callbackType) ?? "unknown"
    const text = new TextDecoder().decode(body)
    const printed = report(settings.json, kind, delivery.requestID, text)
    if (Option.isNone(settings.forwardTo)) return printed
    const signed = { ...delivery, sign: String(headers["sign"]) }
    return printed.pipe(
      Effect.zipRight(forward(settings.client, settings.forwardTo.value, signed, body)),
      Effect.tap((answer) => Effect.sync(() => (forwarded = answer))),
      Effect.filterOrFail((answer) => answer.status >= 200 && answer.status < 300, (answer) => new ForwardFailed({ status: answer.status }))
    )
  })
  return Effect.map(receiver.handle({ headers, body }), (reply) => ({ reply, forwarded }))
}

export const listen = Command.make(
  "listen",
  { port, host, forwardTo, json: Output.json, baseUrl: Env.baseUrl },
  (options) =>
    Effect.gen(function*() {
      const settings: Settings = { json: options.json, forwardTo: options.forwardTo, client: yield* HttpClient.HttpClient }
      const runFork = Runtime.runFork(yield* Effect.runtime<Signer.Signer>())
      const onRequest = (req: IncomingMessage, res: ServerResponse) => {
        void readBody(req).then((body) => {
          if (body === undefined) {
            res.writeHead(413).end()
            return
          }
          runFork(
            deliver(settings, req.headers, body).pipe(
              Effect.tap(({ reply }) =>
                reply.outcome._tag === "Rejected"
                  ? Output.err(`refused ${req.method} ${req.url}: HTTP ${reply.status}: ${Output.describe(reply.outcome.error)}`)
                  : reply.outcome._tag === "Duplicate"
                  ? Output.err(`duplicate ${req.url}: already handled, not run again`)
                  : Effect.void
              ),
              Effect.map(({ forwarded, reply }) => {
                const answer = forwarded ?? reply
                res.writeHead(answer.status, answer.headers).end(answer.body)
              })
            )
          )
        })
      }
      const server = createServer(onRequest)
      yield* Effect.async<void, Error>((resume) => {
        server.once("error", (error) => resume(Effect.fail(error)))
        server.listen(options.port, options.host, () => resume(Effect.void))
      })
      const address = server.address()
      const bound = typeof address === "object" && address !== null ? address.port : options.port
      yield* Output.err(`listening on http://${options.host}:${bound} (any path)${Option.match(options.forwardTo, { onNone: () => "", onSome: (url) => `, forwarding to ${url}` })}`)
      return yield* Effect.never.pipe(Effect.ensuring(Effect.sync(() => server.close())))
    }).pipe(Effect.provide(Env.signerLayer), Effect.provide(NodeHttpClient.layerUndici))
).pipe(Command.withDescription("a local callback receiver that prints (and forwards) every verified delivery"))
