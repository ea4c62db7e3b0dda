/**
 * The request path: route `POST /callcentre/api/v3/<endpoint>`, inject what
 * fault mode decided (at the edge, before the platform, or on the answer),
 * inflate gzip bodies, hand the request to {@link dispatch}, record it in the
 * journal and encode the answer.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest";
import * as HttpServerResponse from "@effect/platform/HttpServerResponse";
import * as Clock from "effect/Clock";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Either from "effect/Either";
import { gunzipSync } from "node:zlib";
import { encode, errorAnswer, gzipEndpoints, requestAlgorithm, retCodeMessages } from "./answers.js";
import { dispatch } from "./dispatch.js";
import * as Journal from "./journal.js";
const route = /^\/callcentre\/api\/v3\/([A-Za-z]+)\/?(?:\?.*)?$/;
/** Records the request (with the body bytes as processed) and annotates the request span. */
const record = (ctx, incoming, bytes, entry) => {
    Journal.addRequest(ctx.journal, {
        index: incoming.index,
        endpoint: incoming.endpoint,
        headers: incoming.headers,
        bytes,
        body: new TextDecoder().decode(bytes),
        requestID: incoming.requestID,
        at: incoming.at,
        ...entry
    });
    return Effect.annotateCurrentSpan({
        "callbot.endpoint": incoming.endpoint,
        "callbot.status": entry.status,
        "callbot.retCode": entry.retCode,
        "callbot.applied": entry.applied,
        "callbot.fault": entry.fault
    });
};
const respondTo = (ctx, incoming, outcome, extra) => encode(outcome.account, incoming.requestID, outcome.algorithm, outcome.answer, {
    gzip: ctx.gzip && gzipEndpoints.has(incoming.endpoint) &&
        /\bgzip\b/i.test(incoming.headers["accept-encoding"] ?? "") &&
        outcome.answer.status === 200,
    truncate: extra.truncate
});
/** An error answer given before the signature is checked, signed for the account the headers name. */
const answerUnverified = (ctx, incoming, bytes, base, code, msg) => Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis;
    const answer = errorAnswer(incoming.endpoint, now, code, msg);
    yield* record(ctx, incoming, bytes, { ...base, status: 200, retCode: code, signatureValid: false, applied: false });
    const account = ctx.accounts.get(incoming.headers["uuid"]?.trim() ?? "");
    const response = yield* respondTo(ctx, incoming, {
        answer,
        applied: false,
        signatureValid: false,
        account,
        algorithm: requestAlgorithm(incoming.headers)
    }, { truncate: false });
    return { _tag: "Respond", response };
});
/** Handles one request; the binding drops the connection on `Drop`. */
export const makeHandle = (ctx) => Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest;
    const at = yield* Clock.currentTimeMillis;
    const endpoint = route.exec(request.url)?.[1] ?? "";
    const raw = yield* request.arrayBuffer.pipe(Effect.map((b) => new Uint8Array(b)), Effect.orElseSucceed(() => new Uint8Array(0)));
    const headers = { ...request.headers };
    const incoming = {
        index: ctx.journal.requestIndex++,
        endpoint,
        headers,
        requestID: headers["requestid"] ?? "",
        at
    };
    if (request.method !== "POST" || ctx.platform.endpoints[endpoint] === undefined) {
        yield* record(ctx, incoming, raw, {
            status: 404,
            retCode: undefined,
            signatureValid: false,
            applied: false,
            fault: undefined,
            latencyMillis: undefined
        });
        const response = HttpServerResponse.text("404 page not found", { status: 404 });
        return { _tag: "Respond", response };
    }
    const decision = ctx.journal.faults.decide(endpoint);
    const latencyMillis = decision?.latencyMillis;
    if (latencyMillis !== undefined)
        yield* Effect.sleep(Duration.millis(latencyMillis));
    const fault = decision?.kind ?? (latencyMillis === undefined ? undefined : "latency");
    const base = { fault, latencyMillis };
    // Faults at the edge: the request never reaches the platform.
    if (decision?.kind === "dropBeforeProcessing") {
        yield* record(ctx, incoming, raw, {
            ...base,
            status: 0,
            retCode: undefined,
            signatureValid: false,
            applied: false
        });
        return { _tag: "Drop" };
    }
    if (decision?.kind === "httpStatus") {
        const status = decision.httpStatus ?? 503;
        yield* record(ctx, incoming, raw, { ...base, status, retCode: undefined, signatureValid: false, applied: false });
        const response = HttpServerResponse.text(`simulated HTTP ${status}`, {
            status,
            headers: decision.retryAfterSeconds === undefined ? {} : { "retry-after": String(decision.retryAfterSeconds) }
        });
        return { _tag: "Respond", response };
    }
    const burstCode = decision?.kind === "retCodeBurst" ? decision.retCode ?? 7 : undefined;
    const burstMessage = burstCode === undefined ? "" : retCodeMessages[burstCode] ?? `retCode ${burstCode}`;
    let bytes = raw;
    if (/\bgzip\b/i.test(headers["content-encoding"] ?? "")) {
        const inflated = Either.try(() => new Uint8Array(gunzipSync(raw)));
        if (Either.isLeft(inflated))
            return yield* answerUnverified(ctx, incoming, raw, base, 3, "body is not valid gzip");
        bytes = inflated.right;
    }
    if (burstCode !== undefined && decision?.applied !== true) {
        // 5 and 7 (and half of the 5001s by default) are answered without doing the work.
        return yield* answerUnverified(ctx, incoming, bytes, base, burstCode, burstMessage);
    }
    let outcome = yield* dispatch(ctx, endpoint, headers, bytes);
    if (burstCode !== undefined) {
        // A 5001 that was applied: the work is done, the answer says it failed.
        const now = yield* Clock.currentTimeMillis;
        outcome = { ...outcome, answer: errorAnswer(endpoint, now, burstCode, burstMessage) };
    }
    const done = {
        ...base,
        signatureValid: outcome.signatureValid,
        applied: outcome.applied,
        retCode: outcome.answer.retCode
    };
    if (decision?.kind === "dropAfterProcessing") {
        yield* record(ctx, incoming, bytes, { ...done, status: 0 });
        return { _tag: "Drop" };
    }
    const answer = decision?.kind === "badSignature" && outcome.account !== undefined
        ? { ...outcome.answer, signing: "tampered" }
        : outcome.answer;
    yield* record(ctx, incoming, bytes, { ...done, status: answer.status });
    const response = yield* respondTo(ctx, incoming, { ...outcome, answer }, {
        truncate: decision?.kind === "truncatedBody"
    });
    return { _tag: "Respond", response };
}).pipe(Effect.withSpan("Simulator.request", { kind: "server" }));
