/**
 * A request that passed the edge (fault mode, gzip): its signature is
 * checked, a scripted answer taken if one waits, and the body handed to the
 * endpoint. The result says what to answer and whether the request took
 * effect.
 */
import * as Clock from "effect/Clock";
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import * as Signer from "../../Signer.js";
import { pingAnswer, requestAlgorithm, retAnswer } from "./answers.js";
import { parseJson } from "./fields.js";
import * as Journal from "./journal.js";
/** A scripted answer instead of the endpoint's, or how to sign the endpoint's answer. */
const scriptedAnswer = (scripted, envelope) => {
    switch (scripted._tag) {
        case "RetCode":
            return envelope(scripted.retCode, scripted.retMsg ?? `scripted retCode ${scripted.retCode}`);
        case "HttpStatus":
            return {
                status: scripted.status,
                body: scripted.body ?? "",
                retCode: undefined,
                headers: scripted.headers,
                contentType: "text/plain",
                signing: "none"
            };
        case "Malformed":
            return { status: 200, body: scripted.body, retCode: undefined, signing: "normal" };
        case "BadSignature":
            return "tampered";
        case "WrongRequestID":
            return "wrongRequestID";
        case "Unsigned":
            return "none";
    }
};
/** Verification, scripted answers and the endpoint itself. */
export const dispatch = (ctx, endpoint, headers, bytes) => Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis;
    const isPing = endpoint === "ping";
    const envelope = (code, msg, fields = {}) => isPing ? pingAnswer(now, code, msg, fields.data) : retAnswer(code, msg, fields);
    const header = (name) => headers[name]?.trim() ?? "";
    const algorithmHeader = header("algorithm").toUpperCase();
    const algorithm = requestAlgorithm(headers);
    const account = ctx.accounts.get(header("uuid"));
    const rejected = (code, msg) => ({
        answer: envelope(code, msg),
        applied: false,
        signatureValid: false,
        account,
        algorithm
    });
    if (["sign", "requestid", "uuid", "createts"].some((h) => header(h) === "")) {
        return rejected(6001, "signature missing");
    }
    if (account === undefined)
        return rejected(6002, "account does not exist");
    if (algorithmHeader !== "" && algorithm === undefined)
        return rejected(6, "unsupported signature algorithm");
    const expected = Signer.signature({
        secretKey: account.secretKey,
        uuid: account.uuid,
        body: bytes,
        createTs: header("createts"),
        requestID: header("requestid"),
        algorithm: algorithm ?? "MD5"
    });
    if (!Signer.constantTimeEqual(expected, header("sign")))
        return rejected(6, "signature incorrect");
    const maxSkew = ctx.options.maxClockSkewSeconds;
    if (maxSkew !== undefined) {
        const skew = Math.abs(Number(header("createts")) - Math.floor(now / 1000));
        if (!(skew <= maxSkew))
            return rejected(6, "createTs out of range");
    }
    const accepted = (answer, applied) => ({
        answer,
        applied,
        signatureValid: true,
        account,
        algorithm
    });
    const scripted = Journal.takeScript(ctx.journal, endpoint);
    let signing = "normal";
    if (scripted !== undefined) {
        const instead = scriptedAnswer(scripted, envelope);
        if (typeof instead !== "string")
            return accepted(instead, false);
        signing = instead;
    }
    const json = parseJson(new TextDecoder().decode(bytes));
    if (Option.isNone(json))
        return accepted(envelope(3, "body is not valid JSON"), false);
    if (typeof json.value !== "object" || json.value === null || Array.isArray(json.value)) {
        return accepted(envelope(3, "body must be a JSON object"), false);
    }
    const handler = ctx.platform.endpoints[endpoint];
    if (handler === undefined)
        return accepted(envelope(1, "unknown endpoint"), false);
    const reply = yield* Effect.sync(() => {
        ctx.platform.advance(now);
        const result = handler(account.uuid, json.value, now);
        ctx.platform.advance(now);
        return result;
    });
    yield* ctx.flush;
    yield* ctx.poke;
    return accepted({ ...envelope(reply.retCode, reply.retMsg, reply.fields), signing }, reply.retCode === 0);
});
