/**
 * Signatures of the Callbot v3 API.
 *
 * Every request, every response and every callback carries five headers —
 * `requestID`, `uuid`, `createTs`, `sign` and (optionally) `algorithm` — where
 *
 * ```text
 * sign = UPPER(hex(MD5|SHA256(secretKey + "&body=" + body + "&createTs=" + createTs
 *                             + "&requestID=" + requestID + "&uuid=" + uuid)))
 * ```
 *
 * over the UTF-8 bytes of the exact body that travels on the wire. This module
 * holds the pure {@link signature} function and the {@link Signer} service that
 * signs outgoing bodies (fresh `requestID`, `createTs` from `Clock`) and
 * verifies incoming ones in constant time.
 *
 * It needs `node:crypto` (Node.js, Bun, Deno, Cloudflare Workers with
 * `nodejs_compat`): Web Crypto has no MD5, which the vendor uses by default.
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { createHash, randomUUID, timingSafeEqual } from "node:crypto"

/**
 * The two digest algorithms the platform accepts. `MD5` is the vendor's
 * default; the choice must match the account setting (portal → Developer).
 *
 * @since 0.1.0
 * @category models
 */
export const Algorithm = Schema.Literal("MD5", "SHA256").annotations({
  identifier: "Algorithm",
  description: "Signature digest: MD5 (vendor default) or SHA256"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Algorithm = typeof Algorithm.Type

/**
 * Names of the signature headers, as the vendor spells them. HTTP header names
 * are case-insensitive; `@effect/platform` stores them lower-cased.
 *
 * @since 0.1.0
 * @category constants
 */
export const HeaderNames = {
  requestID: "requestID",
  uuid: "uuid",
  createTs: "createTs",
  sign: "sign",
  algorithm: "algorithm"
} as const

/**
 * Inputs of {@link signature}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignatureInput {
  readonly secretKey: Redacted.Redacted<string> | string
  readonly uuid: string
  /** The exact body text (or its UTF-8 bytes) that is sent or was received. */
  readonly body: string | Uint8Array
  /** Unix time in seconds, as sent in the `createTs` header. */
  readonly createTs: string
  readonly requestID: string
  /** Defaults to `MD5`, like the platform. */
  readonly algorithm?: Algorithm | undefined
}

const revealSecret = (secretKey: Redacted.Redacted<string> | string): string =>
  typeof secretKey === "string" ? secretKey : Redacted.value(secretKey)

/**
 * Computes a Callbot signature: the upper-case hex digest of
 * `secretKey&body=<body>&createTs=<createTs>&requestID=<requestID>&uuid=<uuid>`.
 *
 * The body is hashed as given, byte for byte: sign the exact string you send.
 *
 * @example
 * ```ts
 * import { Signer } from "effect-callbot"
 *
 * Signer.signature({
 *   secretKey: "TEST_SECRET_KEY",
 *   uuid: "TEST_UUID",
 *   body: "{\"data\":\"ping\"}",
 *   createTs: "1700000000",
 *   requestID: "0123456789abcdef0123456789abcdef"
 * })
 * // => "DE29D4F944E719500F23B8F4F9927AA3"
 * ```
 *
 * @since 0.1.0
 * @category signing
 */
export const signature = (input: SignatureInput): string => {
  const hash = createHash(input.algorithm === "SHA256" ? "sha256" : "md5")
  if (typeof input.body === "string" && input.body.length < 16_384) {
    // One update of the whole string is cheaper than four for small bodies;
    // large ones are hashed in place rather than copied into a new string.
    return hash.update(
      `${revealSecret(input.secretKey)}&body=${input.body}&createTs=${input.createTs}&requestID=${input.requestID}&uuid=${input.uuid}`,
      "utf8"
    ).digest("hex").toUpperCase()
  }
  hash.update(revealSecret(input.secretKey), "utf8")
  hash.update("&body=", "utf8")
  if (typeof input.body === "string") {
    hash.update(input.body, "utf8")
  } else {
    hash.update(input.body)
  }
  hash.update(`&createTs=${input.createTs}&requestID=${input.requestID}&uuid=${input.uuid}`, "utf8")
  return hash.digest("hex").toUpperCase()
}

/**
 * Compares two signatures in time that does not depend on where they differ.
 * Case-insensitive, since a hex digest is the same value in either case.
 *
 * @since 0.1.0
 * @category signing
 */
export const constantTimeEqual = (expected: string, actual: string): boolean => {
  const a = Buffer.from(expected.toUpperCase(), "utf8")
  const b = Buffer.from(actual.toUpperCase(), "utf8")
  if (a.length !== b.length) {
    // Still spend the comparison so a length mismatch is not a faster path.
    timingSafeEqual(a, a)
    return false
  }
  return timingSafeEqual(a, b)
}

/**
 * A fresh request ID: 32 lower-case hex characters, like the vendor's sample
 * (`uuid.uuid4().hex`).
 *
 * @since 0.1.0
 * @category signing
 */
export const makeRequestID = (): string => randomUUID().replaceAll("-", "")

/**
 * The signature headers of one message.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignedHeaders {
  readonly requestID: string
  readonly uuid: string
  readonly createTs: string
  readonly sign: string
  readonly algorithm: Algorithm
}

/**
 * The signature headers of a signed message as a plain record, ready for
 * `HttpClientRequest.setHeaders` or an `HttpServerResponse`: the one place the
 * record `{ requestID, uuid, createTs, sign, algorithm }` is built.
 *
 * `algorithm: false` leaves the `algorithm` header out, as the vendor does on
 * callbacks (the receiver uses its portal setting).
 *
 * @example
 * ```ts
 * import { Signer } from "effect-callbot"
 *
 * const headers = Signer.toHeaders({
 *   requestID: "r1", uuid: "u1", createTs: "1700000000", sign: "ABC", algorithm: "MD5"
 * })
 * // { requestID: "r1", uuid: "u1", createTs: "1700000000", sign: "ABC", algorithm: "MD5" }
 * ```
 *
 * @since 0.2.0
 * @category signing
 */
export const toHeaders = (
  signed: SignedHeaders,
  options?: { readonly algorithm?: boolean | undefined }
): Record<string, string> => {
  const headers: Record<string, string> = {
    [HeaderNames.requestID]: signed.requestID,
    [HeaderNames.uuid]: signed.uuid,
    [HeaderNames.createTs]: signed.createTs,
    [HeaderNames.sign]: signed.sign
  }
  if (options?.algorithm !== false) headers[HeaderNames.algorithm] = signed.algorithm
  return headers
}

/**
 * What a successful verification read from the headers.
 *
 * @since 0.1.0
 * @category models
 */
export interface VerifiedHeaders {
  readonly requestID: string
  readonly uuid: string
  /** The `createTs` header, as sent (Unix seconds). */
  readonly createTs: string
  readonly algorithm: Algorithm
}

/**
 * A message whose signature headers are missing, malformed or wrong. It never
 * carries the secret, the expected signature or the body.
 *
 * @since 0.1.0
 * @category errors
 */
export class SignatureError extends Schema.TaggedError<SignatureError>()("SignatureError", {
  reason: Schema.Literal("MissingHeader", "InvalidHeader", "UuidMismatch", "Mismatch"),
  /** The header at fault, for `MissingHeader` and `InvalidHeader`. */
  header: Schema.optional(Schema.String)
}) {
  override get message(): string {
    switch (this.reason) {
      case "MissingHeader":
        return `signature header "${this.header}" is missing`
      case "InvalidHeader":
        return `signature header "${this.header}" is malformed`
      case "UuidMismatch":
        return "the uuid header does not match this account"
      case "Mismatch":
        return "the signature does not match the body"
    }
  }
}

/**
 * Anything that holds HTTP headers: a `@effect/platform` `Headers`, a Node.js
 * `IncomingHttpHeaders`, a Fetch `Headers`, or a plain record. Lookups are
 * case-insensitive.
 *
 * @since 0.1.0
 * @category models
 */
export type HeadersInput = Headers.Input

const addSignHeader = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> =>
  names.includes("sign") ? names : [...names, "sign"]

/**
 * Runs `effect` with the `sign` header added to `Headers.currentRedactedNames`,
 * so HTTP spans and logged headers show it as `<redacted>`. The SDK's client
 * does this for its requests; wrap your server with it (or with
 * {@link redactSignHeaderLayer}) so incoming callbacks' signatures stay out of
 * your server spans too. Where `sign` is already among them (under
 * {@link layer}, which puts it there), `effect` runs as it is, without a
 * local update of the fiber's refs.
 *
 * @since 0.1.0
 * @category tracing
 */
export const redactSignHeader = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withFiberRuntime((fiber) =>
    fiber.getFiberRef(Headers.currentRedactedNames).includes("sign")
      ? effect
      : Effect.locallyWith(effect, Headers.currentRedactedNames, addSignHeader)
  )

/**
 * {@link redactSignHeader} for a layer, e.g. the one serving your callback
 * receiver: `HttpServer.serve(app).pipe(Signer.redactSignHeaderLayer)`.
 *
 * @since 0.1.0
 * @category tracing
 */
export const redactSignHeaderLayer = <A, E, R>(layer: Layer.Layer<A, E, R>): Layer.Layer<A, E, R> =>
  Layer.locallyWith(layer, Headers.currentRedactedNames, addSignHeader)

/**
 * The signing service: it knows the account (`uuid`, secret, algorithm).
 *
 * @since 0.1.0
 * @category models
 */
export interface Signer {
  readonly uuid: string
  readonly algorithm: Algorithm
  /** Signs a body with a fresh `requestID` and `createTs` taken from `Clock`. */
  readonly sign: (body: string | Uint8Array) => Effect.Effect<SignedHeaders>
  /** Signs a body with the given `requestID` and `createTs` (responses, tests). */
  readonly signWith: (
    body: string | Uint8Array,
    options: { readonly requestID: string; readonly createTs: string }
  ) => SignedHeaders
  /**
   * Checks the signature headers against the raw body, in constant time. The
   * `algorithm` header, when present, selects the digest; otherwise the
   * configured algorithm is used (callbacks carry no `algorithm` header).
   * With {@link VerifyOptions.algorithms}, only those digests are accepted.
   */
  readonly verify: (input: {
    readonly headers: HeadersInput
    readonly body: string | Uint8Array
  }, options?: VerifyOptions) => Effect.Effect<VerifiedHeaders, SignatureError>
}

/**
 * How {@link Signer.verify} checks a message.
 *
 * @since 0.2.0
 * @category models
 */
export interface VerifyOptions {
  /**
   * The only digests accepted. An `algorithm` header naming another one is
   * refused (`InvalidHeader` on `algorithm`) — never a downgrade; without
   * the header, the digest is the first of these whose length matches
   * `sign` (MD5 32 hex digits, SHA256 64). Default: any algorithm the
   * header names, else the configured one (what the client does with
   * responses). The callback receiver passes the configured algorithm only.
   */
  readonly algorithms?: ReadonlyArray<Algorithm> | undefined
}

/**
 * The {@link Signer} service tag.
 *
 * @since 0.1.0
 * @category services
 */
export const Signer: Context.Tag<Signer, Signer> = Context.GenericTag<Signer>("effect-callbot/Signer")

/**
 * Account settings the signer needs.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly uuid: string
  readonly secretKey: Redacted.Redacted<string>
  /** Must match the portal setting. Default `MD5`. */
  readonly algorithm?: Algorithm | undefined
}

const readHeader = (headers: Headers.Headers, name: string): string | undefined => {
  const value = headers[name]?.trim()
  return value === undefined || value === "" ? undefined : value
}

const digestPattern = {
  MD5: /^[0-9a-fA-F]{32}$/,
  SHA256: /^[0-9a-fA-F]{64}$/
} as const

/**
 * Builds a {@link Signer} for one account.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Signer => {
  const algorithm = options.algorithm ?? "MD5"
  const uuid = options.uuid
  const secretKey = options.secretKey

  const signWith: Signer["signWith"] = (body, { createTs, requestID }) => ({
    requestID,
    uuid,
    createTs,
    algorithm,
    sign: signature({ secretKey, uuid, body, createTs, requestID, algorithm })
  })

  const sign: Signer["sign"] = (body) =>
    Effect.map(Clock.currentTimeMillis, (millis) =>
      signWith(body, { requestID: makeRequestID(), createTs: String(Math.floor(millis / 1000)) }))

  // Plain code rather than Effect.gen: this runs for every callback and
  // every response, and the happy path allocates nothing but the result.
  const verifyNow = (
    body: string | Uint8Array,
    input: HeadersInput,
    allowed: ReadonlyArray<Algorithm> | undefined
  ): Either.Either<VerifiedHeaders, SignatureError> => {
    const headers = Headers.isHeaders(input) ? input : Headers.fromInput(input)
    const missing = (header: string) => Either.left(new SignatureError({ reason: "MissingHeader", header }))
    const invalid = (header: string) => Either.left(new SignatureError({ reason: "InvalidHeader", header }))
    const sign = readHeader(headers, "sign")
    if (sign === undefined) return missing("sign")
    const requestID = readHeader(headers, "requestid")
    if (requestID === undefined) return missing("requestid")
    const headerUuid = readHeader(headers, "uuid")
    if (headerUuid === undefined) return missing("uuid")
    const createTs = readHeader(headers, "createts")
    if (createTs === undefined) return missing("createts")
    const algorithmHeader = readHeader(headers, "algorithm")?.toUpperCase()
    let used: Algorithm | undefined = algorithm
    if (algorithmHeader !== undefined) {
      if (algorithmHeader !== "MD5" && algorithmHeader !== "SHA256") return invalid("algorithm")
      if (allowed !== undefined && !allowed.includes(algorithmHeader)) return invalid("algorithm")
      used = algorithmHeader
    } else if (allowed !== undefined) {
      used = allowed.find((candidate) => digestPattern[candidate].test(sign))
      if (used === undefined) return invalid("sign")
    }
    if (!/^\d{1,12}$/.test(createTs)) return invalid("createTs")
    if (!digestPattern[used].test(sign)) return invalid("sign")
    if (headerUuid !== uuid) return Either.left(new SignatureError({ reason: "UuidMismatch" }))
    const expected = signature({ secretKey, uuid, body, createTs, requestID, algorithm: used })
    if (!constantTimeEqual(expected, sign)) return Either.left(new SignatureError({ reason: "Mismatch" }))
    return Either.right({ requestID, uuid, createTs, algorithm: used })
  }

  const verify: Signer["verify"] = ({ body, headers }, options) =>
    Effect.suspend(() => verifyNow(body, headers, options?.algorithms))

  return Signer.of({ uuid, algorithm, sign, signWith, verify })
}

/**
 * A {@link Signer} layer for one account. It also adds `sign` to
 * `Headers.currentRedactedNames` for whatever it is provided to, so the HTTP
 * spans of a server or client built on it show the callbacks' and requests'
 * signatures as `<redacted>` (see {@link redactSignHeader}).
 *
 * @example
 * ```ts
 * import { Signer } from "effect-callbot"
 * import { Redacted } from "effect"
 *
 * const SignerLive = Signer.layer({
 *   uuid: "my-account-uuid",
 *   secretKey: Redacted.make(process.env.CALLBOT_SECRET_KEY ?? "")
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Signer> =>
  Layer.merge(Layer.succeed(Signer, make(options)), redactSignHeaderScoped)

/** `sign` among the redacted header names of the fibers a layer is provided to. */
const redactSignHeaderScoped: Layer.Layer<never> = Layer.scopedDiscard(
  Effect.locallyScopedWith(Headers.currentRedactedNames, addSignHeader)
)

/**
 * The account settings read from configuration: `CALLBOT_UUID`,
 * `CALLBOT_SECRET_KEY` (kept `Redacted`) and `CALLBOT_ALGORITHM`
 * (`MD5` | `SHA256`, default `MD5`).
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Options> = Config.all({
  uuid: Config.nonEmptyString("CALLBOT_UUID"),
  secretKey: Config.redacted("CALLBOT_SECRET_KEY").pipe(
    Config.validate({
      message: "CALLBOT_SECRET_KEY must not be empty",
      validation: (secret) => Redacted.value(secret).length > 0
    })
  ),
  algorithm: Config.literal("MD5", "SHA256")("CALLBOT_ALGORITHM").pipe(Config.withDefault("MD5" as const))
})

/**
 * A {@link Signer} layer built from any `Config` of {@link Options}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromConfig = (options: Config.Config<Options>) =>
  Layer.merge(Layer.effect(Signer, Effect.map(options, make)), redactSignHeaderScoped)

/**
 * A {@link Signer} layer configured from `CALLBOT_UUID`, `CALLBOT_SECRET_KEY`
 * and `CALLBOT_ALGORITHM` (see {@link config}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = layerFromConfig(config)
