/**
 * A hostile "platform" for the client tests: a raw `node:http` server on
 * 127.0.0.1 (port 0) that answers as each test says, counts its hits and
 * is closed when the test's scope ends; and the SDK pointed at it.
 */
import { FetchHttpClient } from "@effect/platform"
import type * as HttpClient from "@effect/platform/HttpClient"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, type Scope } from "effect"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { createGzip } from "node:zlib"
import type { AddressInfo } from "node:net"
import { CallbotApi, Signer } from "../../src/index.js"
import * as UndiciHttpClient from "../../src/UndiciHttpClient.js"
import * as Simulator from "../../src/Simulator.js"

/** One request as the hostile server received it. */
export interface Received {
  readonly url: string
  readonly headers: IncomingMessage["headers"]
  readonly body: string
}

export interface Hostile {
  readonly url: string
  readonly received: ReadonlyArray<Received>
}

/** Starts a raw server answering with `handler` (after the whole request body is read). */
export const hostileServer = (
  handler: (request: Received, response: ServerResponse) => void
): Effect.Effect<Hostile, never, Scope.Scope> => {
  const received: Array<Received> = []
  const server = createServer((req, res) => {
    const parts: Array<Buffer> = []
    req.on("data", (part: Buffer) => parts.push(part))
    req.on("end", () => {
      const request = { url: req.url ?? "", headers: req.headers, body: Buffer.concat(parts).toString("utf8") }
      received.push(request)
      handler(request, res)
    })
  })
  // A reply the client cuts short is expected here.
  server.on("clientError", () => {})
  return Effect.acquireRelease(
    Effect.async<Hostile>((resume) => {
      server.listen(0, "127.0.0.1", () =>
        resume(Effect.succeed({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received })))
    }),
    () =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
}

const signer = Signer.make(Simulator.testAccount)

/** Response headers signing `body` for the request that carried `requestID` (with the test account). */
export const signedHeaders = (body: Uint8Array, requestID: string): Record<string, string> => {
  const signed = signer.signWith(body, { requestID, createTs: String(Math.floor(Date.now() / 1000)) })
  return {
    requestID: signed.requestID,
    uuid: signed.uuid,
    createTs: signed.createTs,
    sign: signed.sign,
    algorithm: signed.algorithm
  }
}

/** The transports under test, by name. */
export const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FetchHttpClient.layer", FetchHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["NodeHttpClient.layer", NodeHttpClient.layer],
  ["UndiciHttpClient.layer", UndiciHttpClient.layer]
]

/** The SDK against a hostile server, over `transport` (default undici). */
export const apiOn = (
  url: string,
  options: Partial<CallbotApi.Options> = {},
  transport: Layer.Layer<HttpClient.HttpClient> = NodeHttpClient.layerUndici
) =>
  CallbotApi.layer({ baseUrl: url, ...Simulator.testAccount, ...options }).pipe(Layer.provide(transport))

const bombs = new Map<number, Promise<Buffer>>()

/**
 * gzip of `inflatedMiB` MiB of zeros (~1 KiB of gzip per MiB), built once
 * per size by streaming a 1 MiB buffer through zlib, never holding the
 * inflated bytes.
 */
export const gzipBomb = (inflatedMiB: number): Promise<Buffer> => {
  const cached = bombs.get(inflatedMiB)
  if (cached !== undefined) return cached
  const bomb = new Promise<Buffer>((resolve, reject) => {
    const gz = createGzip({ level: 9 })
    const parts: Array<Buffer> = []
    gz.on("data", (part: Buffer) => parts.push(part))
    gz.on("end", () => resolve(Buffer.concat(parts)))
    gz.on("error", reject)
    const zeros = Buffer.alloc(1024 * 1024)
    let written = 0
    const write = () => {
      while (written < inflatedMiB) {
        written++
        if (!gz.write(zeros)) return void gz.once("drain", write)
      }
      gz.end()
    }
    write()
  })
  bombs.set(inflatedMiB, bomb)
  return bomb
}

/**
 * Streams a `ping`-shaped JSON answer of about `total` bytes (chunked, no
 * `Content-Length`), as fast as the client reads, stopping when the client
 * goes away. Answers how many bytes were written so far.
 */
export const streamHuge = (response: ServerResponse, total: number): (() => number) => {
  let written = 0
  let closed = false
  response.on("close", () => {
    closed = true
  })
  response.writeHead(200, { "content-type": "application/json" })
  const head = "{\"code\":0,\"msg\":\"ok\",\"reqId\":\"r\",\"timestamp\":1,\"data\":\""
  response.write(head)
  written += head.length
  const chunk = "x".repeat(64 * 1024)
  const pump = () => {
    while (!closed && written < total) {
      written += chunk.length
      if (!response.write(chunk)) return void response.once("drain", pump)
    }
    if (!closed) response.end("\"}")
  }
  pump()
  return () => written
}
