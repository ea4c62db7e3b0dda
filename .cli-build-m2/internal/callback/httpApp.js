/**
 * The receiver as an `@effect/platform` HttpApp: read the body once, under
 * the size cap, the read deadline and the buffered-bytes budget, then hand
 * it to the receiver's `handle`.
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import { ack, reject, toResponse, unsignedReply } from "./acks.js";
import { readBody } from "./body.js";
import * as Budget from "./budget.js";
import { CallbackMalformedBody, CallbackTooLarge } from "./errors.js";
const readTimedOut = () => Effect.as(Effect.logWarning("callback rejected: the body did not arrive within the read deadline"), unsignedReply(ack(408, 7, "callback body not received in time"), { _tag: "ReadTimedOut" }));
const overloaded = () => Effect.as(Effect.logWarning("callback refused for now: too many callback bytes are buffered already; answering 503"), unsignedReply(ack(503, 7, "receiver busy"), { _tag: "Overloaded" }));
const answer = (read, limits, request, handle) => {
    switch (read._tag) {
        case "TooLarge": {
            const error = new CallbackTooLarge({ maxBodyBytes: limits.maxBodyBytes, size: read.contentLength });
            return Effect.zipRight(Effect.logWarning(error.message), reject(error));
        }
        case "Unreadable": {
            return Effect.zipRight(Effect.logWarning("callback rejected: the body could not be read"), reject(new CallbackMalformedBody({ description: "the body could not be read" })));
        }
        case "Busy":
            return overloaded();
        case "Body":
            return handle({ headers: request.headers, body: read.bytes });
    }
};
/** @internal */
export const make = (limits, handle) => Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest;
    const lease = { bytes: 0 };
    // Servers run an HttpApp uninterruptibly (`HttpApp.toHandled`): the read
    // must be made interruptible for its deadline to stop it. On Node, the
    // interrupted read destroys the request, so the sender sees the
    // connection closed rather than the 408.
    const read = Effect.interruptible(readBody(request, limits.maxBodyBytes, limits.budget, lease));
    const reply = yield* (Duration.isFinite(limits.readTimeout)
        ? Effect.timeoutOption(read, limits.readTimeout)
        : Effect.asSome(read)).pipe(Effect.flatMap(Option.match({
        onNone: readTimedOut,
        onSome: (read) => answer(read, limits, request, handle)
    })), Effect.ensuring(Effect.sync(() => Budget.release(limits.budget, lease))));
    return toResponse(reply);
}).pipe(Effect.withSpan("Callback.httpApp", { captureStackTrace: false }));
