/**
 * Callback delivery: each callback the platform produces is signed afresh
 * for every attempt (no `algorithm` header, like the vendor), handed to the
 * handler under a timeout, recorded, and retried with a doubling delay until
 * it is acknowledged (HTTP 200 with `retCode` 0) or the attempts run out.
 */
import * as Clock from "effect/Clock";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Either from "effect/Either";
import * as FiberSet from "effect/FiberSet";
import * as Option from "effect/Option";
import * as Signer from "../../Signer.js";
import { parseJson } from "./fields.js";
import * as Journal from "./journal.js";
const readRetCode = (text) => Option.flatMap(parseJson(text), (parsed) => typeof parsed === "object" && parsed !== null && "retCode" in parsed && typeof parsed.retCode === "number"
    ? Option.some(parsed.retCode)
    : Option.none()).pipe(Option.getOrUndefined);
const describe = (u) => u instanceof Error ? u.message : typeof u === "string" ? u : typeof u === "object" && u !== null && "_tag" in u
    ? String(u._tag)
    : "no answer";
/** Delivers one callback, with its retries; a callback for an unknown account is dropped. */
export const deliverOne = (delivery, message) => Effect.gen(function* () {
    const { attempts, callbackTimeout, retryDelay } = delivery;
    const account = delivery.accounts.get(message.uuid);
    if (account === undefined)
        return;
    const signer = Signer.make({ uuid: account.uuid, secretKey: account.secretKey, algorithm: account.algorithm });
    for (let attempt = 1; attempt <= attempts; attempt++) {
        const signed = yield* signer.sign(message.body);
        // The vendor lists no `algorithm` header for callbacks: the receiver uses its portal setting.
        const headers = Signer.toHeaders(signed, { algorithm: false });
        const outcome = yield* delivery.send({
            kind: message.kind,
            url: message.url,
            body: message.body,
            headers,
            attempt,
            userTaskID: message.userTaskID
        }).pipe(Effect.timeoutFail({
            duration: Duration.millis(callbackTimeout),
            onTimeout: () => `no answer within ${callbackTimeout} ms`
        }), Effect.either);
        const status = Either.isRight(outcome) ? outcome.right.status : undefined;
        const retCode = Either.isRight(outcome) ? readRetCode(outcome.right.body) : undefined;
        const acknowledged = status === 200 && retCode === 0;
        yield* Journal.addDelivery(delivery.journal, {
            kind: message.kind,
            url: message.url,
            body: message.body,
            headers,
            userTaskID: message.userTaskID,
            requestID: signed.requestID,
            attempt,
            status,
            retCode,
            acknowledged,
            error: Either.isLeft(outcome) ? describe(outcome.left) : undefined,
            at: yield* Clock.currentTimeMillis
        });
        if (acknowledged)
            return;
        if (attempt < attempts)
            yield* Effect.sleep(Duration.millis(retryDelay * 2 ** (attempt - 1)));
    }
});
/**
 * Takes the platform's pending callbacks and delivers each in its own fiber
 * of `fibers` (or drops them when `deliver` is off).
 */
export const flush = (delivery, platform, fibers, deliver) => Effect.suspend(() => {
    const messages = platform.drainOutbox();
    if (!deliver || messages.length === 0)
        return Effect.void;
    return Effect.forEach(messages, (message) => FiberSet.run(fibers, deliverOne(delivery, message)), { discard: true });
});
