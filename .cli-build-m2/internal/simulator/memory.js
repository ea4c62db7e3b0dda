import * as HttpClient from "@effect/platform/HttpClient";
import * as HttpClientError from "@effect/platform/HttpClientError";
import * as HttpClientResponse from "@effect/platform/HttpClientResponse";
import * as HttpServerRequest from "@effect/platform/HttpServerRequest";
import * as HttpServerResponse from "@effect/platform/HttpServerResponse";
import * as Cause from "effect/Cause";
import * as Chunk from "effect/Chunk";
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import * as Signer from "../../Signer.js";
import { makeEngine } from "./engine.js";
import { testAccount } from "./types.js";
/** The base URL the in-memory client answers on (any host works: the path selects the endpoint). */
export const BASE_URL = "http://callbot.simulator.test";
/** Answers `200 { retCode: 0 }`. */
export const acknowledge = (_callback) => Effect.sync(() => ({
    status: 200,
    body: JSON.stringify({ retCode: 0, retMsg: "success", responseID: Signer.makeRequestID() })
}));
/** Runs an `HttpApp` as the callback handler, in memory; a failure or defect of the app answers 500. */
export const callbackReceiver = (app) => (callback) => Effect.gen(function* () {
    const request = HttpServerRequest.fromWeb(new Request(callback.url, {
        method: "POST",
        headers: { ...callback.headers, "content-type": "application/json" },
        body: callback.body
    }));
    const response = yield* app.pipe(Effect.provideService(HttpServerRequest.HttpServerRequest, request), Effect.scoped, Effect.catchAllCause((cause) => Effect.succeed(HttpServerResponse.text(Cause.pretty(cause), { status: 500 }))));
    const web = HttpServerResponse.toWeb(response);
    const body = yield* Effect.promise(() => web.text());
    return { status: web.status, body };
});
const connectionReset = () => Object.assign(new Error("socket hang up (simulated connection drop)"), { code: "ECONNRESET" });
const requestBody = (request) => {
    const body = request.body;
    switch (body._tag) {
        case "Empty":
            return Effect.succeed(undefined);
        case "Uint8Array":
            return Effect.succeed(new Uint8Array(body.body));
        case "FormData":
            return Effect.succeed(body.formData);
        case "Raw":
            if (typeof body.body === "string")
                return Effect.succeed(body.body);
            if (body.body instanceof Uint8Array)
                return Effect.succeed(new Uint8Array(body.body));
            return Effect.fail(new HttpClientError.RequestError({
                request,
                reason: "Encode",
                description: "the in-memory client sends string or byte bodies only"
            }));
        case "Stream":
            return body.stream.pipe(Stream.runCollect, Effect.map((chunks) => {
                const parts = Chunk.toReadonlyArray(chunks);
                const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
                let offset = 0;
                for (const part of parts) {
                    out.set(part, offset);
                    offset += part.length;
                }
                return out;
            }), Effect.mapError((cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause })));
    }
};
/** An `HttpClient` that hands every request to an engine's handler in memory. */
export const makeHttpClient = (handle) => HttpClient.make((request, url) => Effect.gen(function* () {
    const body = yield* requestBody(request);
    const serverRequest = HttpServerRequest.fromWeb(new Request(url.toString(), {
        method: request.method,
        headers: Object.entries(request.headers),
        ...(body === undefined || request.method === "GET" || request.method === "HEAD" ? {} : { body })
    }));
    const handled = yield* Effect.provideService(handle, HttpServerRequest.HttpServerRequest, serverRequest);
    if (handled._tag === "Drop") {
        return yield* new HttpClientError.RequestError({
            request,
            reason: "Transport",
            cause: connectionReset(),
            description: "socket hang up (simulated connection drop)"
        });
    }
    return HttpClientResponse.fromWeb(request, HttpServerResponse.toWeb(handled.response));
}));
/** Builds the in-memory platform for the lifetime of the scope; the context `R` of `onCallback` is captured here. */
export const make = (options = {}) => Effect.gen(function* () {
    const { account, api: _api, onCallback, ...engineOptions } = options;
    const context = yield* Effect.context();
    const accounts = engineOptions.accounts ?? [testAccount];
    const engine = yield* makeEngine({
        ...engineOptions,
        accounts: account === undefined || accounts.some((a) => a.uuid === account.uuid)
            ? accounts
            : [...accounts, account],
        callbackHandler: onCallback === undefined
            ? acknowledge
            : (callback) => Effect.provide(onCallback(callback), context)
    });
    const { handle, ...inspection } = engine;
    const state = { ...inspection, baseUrl: BASE_URL, httpClient: makeHttpClient(handle) };
    return state;
}).pipe(Effect.withSpan("Testing.make"));
