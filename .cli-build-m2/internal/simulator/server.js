/**
 * The HTTP binding of the engine (Node.js): a server on loopback by default,
 * and callbacks delivered with an `HttpClient`. Reached only from
 * `Simulator.ts`, which needs `@effect/platform-node`.
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer";
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest";
import * as HttpClient from "@effect/platform/HttpClient";
import * as HttpClientRequest from "@effect/platform/HttpClientRequest";
import * as HttpServerRequest from "@effect/platform/HttpServerRequest";
import * as HttpServerResponse from "@effect/platform/HttpServerResponse";
import * as Effect from "effect/Effect";
import { createServer } from "node:http";
import * as Signer from "../../Signer.js";
import { makeEngine } from "./engine.js";
/** Delivers callbacks with an `HttpClient`: one POST per attempt, the receiver's status and body as the reply. */
export const httpCallbackHandler = (client) => (callback) => Signer.redactSignHeader(client.execute(HttpClientRequest.post(callback.url).pipe(HttpClientRequest.bodyText(callback.body, "application/json"), HttpClientRequest.setHeaders(callback.headers))).pipe(Effect.flatMap((response) => Effect.map(Effect.orElseSucceed(response.text, () => ""), (body) => ({ status: response.status, body })))));
/** Starts the simulator for the lifetime of the scope. */
export const make = (options = {}) => Effect.gen(function* () {
    const host = options.host ?? "127.0.0.1";
    const server = yield* NodeHttpServer.make(() => createServer(), { port: options.port ?? 0, host });
    const client = yield* HttpClient.HttpClient;
    const engine = yield* makeEngine(options, httpCallbackHandler(client));
    // The handler fibers inherit this: request spans show `sign` as <redacted>.
    yield* Signer.redactSignHeader(server.serve(Effect.flatMap(engine.handle, (handled) => handled._tag === "Respond"
        ? Effect.succeed(handled.response)
        : Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => Effect.sync(() => {
            // Fault mode: close the connection without an answer.
            NodeHttpServerRequest.toIncomingMessage(request).socket.destroy();
            return HttpServerResponse.empty({ status: 502 });
        })))));
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0;
    const { handle: _handle, ...inspection } = engine;
    const urlHost = host.includes(":") ? `[${host}]` : host;
    const simulator = { ...inspection, baseUrl: `http://${urlHost}:${port}`, port };
    return simulator;
}).pipe(Effect.withSpan("Simulator.make"));
