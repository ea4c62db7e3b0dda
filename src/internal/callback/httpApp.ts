/**
 * The receiver as an `@effect/platform` HttpApp: read the body once, under
 * the cap, then hand it to the receiver's `handle`.
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import type * as Callback from "../../Callback.js"
import { reject, toResponse } from "./acks.js"
import { readBody } from "./body.js"
import { CallbackMalformedBody, CallbackTooLarge } from "./errors.js"

/** @internal */
export const make = <R>(
  maxBodyBytes: number,
  handle: Callback.Receiver<R>["handle"]
): Callback.Receiver<R>["httpApp"] =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const read = yield* readBody(request, maxBodyBytes)
    switch (read._tag) {
      case "TooLarge": {
        const error = new CallbackTooLarge({ maxBodyBytes, size: read.contentLength })
        yield* Effect.logWarning(error.message)
        return toResponse(yield* reject(error))
      }
      case "Unreadable": {
        yield* Effect.logWarning("callback rejected: the body could not be read")
        return toResponse(yield* reject(new CallbackMalformedBody({ description: "the body could not be read" })))
      }
      case "Body":
        return toResponse(yield* handle({ headers: request.headers, body: read.bytes }))
    }
  }).pipe(Effect.withSpan("Callback.httpApp", { captureStackTrace: false }))
