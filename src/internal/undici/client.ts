/**
 * An `HttpClient` straight on an undici `Dispatcher`. It is built with
 * `HttpClient.make`, so spans, trace propagation, redacted headers and
 * interruption (the request's `AbortSignal`) are the platform's own; only
 * the answer differs from `NodeHttpClient.layerUndici`'s. Its headers are
 * converted once rather than on every read, and its body is read once into
 * a promise that every accessor shares. The platform's answer builds a
 * cached effect and runs a fiber for each body it reads.
 *
 * @internal
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Readable } from "node:stream"
import { Agent } from "undici"
import type * as Undici from "undici"

/** What undici sends, and the content type a form's encoding decided. */
interface Encoded {
  readonly body: string | Uint8Array | Readable | null
  readonly contentType?: string | undefined
}

/** A form as multipart bytes and its content type (with the boundary), encoded as `fetch` would. */
const encodeForm = (
  request: HttpClientRequest.HttpClientRequest,
  form: FormData
): Effect.Effect<Encoded, HttpClientError.RequestError> =>
  Effect.tryPromise({
    try: async () => {
      const encoded = new Response(form)
      const contentType = encoded.headers.get("content-type") ?? undefined
      return { body: new Uint8Array(await encoded.arrayBuffer()), contentType }
    },
    catch: (cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause })
  })

const requestBody = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<Encoded, HttpClientError.RequestError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed({ body: null })
    case "Uint8Array":
      return Effect.succeed({ body: body.body })
    case "Raw":
      return typeof body.body === "string" || body.body instanceof Uint8Array || body.body instanceof Readable
        ? Effect.succeed({ body: body.body })
        : Effect.fail(
          new HttpClientError.RequestError({
            request,
            reason: "Encode",
            description: "a raw body must be a string, a Uint8Array or a Readable"
          })
        )
    case "FormData":
      return encodeForm(request, body.formData)
    case "Stream":
      return Effect.map(Stream.toAsyncIterableEffect(body.stream), (iterable) => ({ body: Readable.from(iterable) }))
  }
}

const decoder = new TextDecoder()

class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private cachedHeaders: Headers.Headers | undefined = undefined
  private cachedCookies: Cookies.Cookies | undefined = undefined
  private bytes: Promise<ArrayBuffer> | undefined = undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    private readonly source: Undici.Dispatcher.ResponseData
  ) {
    super()
    // An error of the body after it was given up must not be unhandled.
    source.body.on("error", () => undefined)
  }

  get status(): number {
    return this.source.statusCode
  }

  get headers(): Headers.Headers {
    return (this.cachedHeaders ??= Headers.fromInput(this.source.headers))
  }

  get cookies(): Cookies.Cookies {
    if (this.cachedCookies !== undefined) return this.cachedCookies
    const header = this.source.headers["set-cookie"]
    return (this.cachedCookies = header === undefined
      ? Cookies.empty
      : Cookies.fromSetCookie(Array.isArray(header) ? header : [header]))
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => (this.bytes ??= this.source.body.arrayBuffer()),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.map(this.arrayBuffer, (buffer) => decoder.decode(buffer))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: (): unknown => (text === "" ? null : JSON.parse(text)),
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => UrlParams.fromInput(new URLSearchParams(text)),
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => this.source.body.formData(),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.fromAsyncIterable(this.source.body, (cause) => this.decodeError(cause))
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

/** @internal */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) =>
    Effect.flatMap(requestBody(request), ({ body, contentType }) => {
      const headers = contentType === undefined ? request.headers : { ...request.headers, "content-type": contentType }
      return Effect.map(
        Effect.tryPromise({
          try: () =>
            dispatcher.request({
              signal,
              method: request.method,
              headers,
              origin: url.origin,
              path: url.pathname + url.search,
              body,
              // Time limits are the caller's (the SDK's per-attempt timeout).
              headersTimeout: 60 * 60 * 1000,
              bodyTimeout: 0
            }),
          catch: (cause) => new HttpClientError.RequestError({ request, reason: "Transport", cause })
        }),
        (response) => new UndiciResponse(request, response)
      )
    })
  )

/** @internal */
export const layerWith = (options?: Undici.Agent.Options): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(
    HttpClient.HttpClient,
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => new Agent(options)),
        (agent) => Effect.promise(() => agent.destroy())
      ),
      make
    )
  )
