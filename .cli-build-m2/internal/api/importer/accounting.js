/**
 * Result accounting of an import: each request's answer (or failure) as a
 * `Merged` value, folded into one.
 */
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import * as CallbotError from "../../../CallbotError.js";
import * as Models from "../../../Models.js";
import * as RetryPolicy from "../../../RetryPolicy.js";
import * as Orders from "../orders.js";
export const emptyMerged = () => ({
    successCount: 0,
    rejected: [],
    failures: [],
    requests: 0,
    firstAnswer: Option.none()
});
export const merge = (a, b) => {
    // `a` is the accumulator, owned by this import: appending in place keeps
    // the fold linear however many chunks there are.
    for (const r of b.rejected)
        a.rejected.push(r);
    for (const f of b.failures)
        a.failures.push(f);
    return {
        successCount: a.successCount + b.successCount,
        rejected: a.rejected,
        failures: a.failures,
        requests: a.requests + b.requests,
        firstAnswer: Option.orElse(a.firstAnswer, () => b.firstAnswer)
    };
};
/** Whether the platform may have acted on a request that failed with `error`. */
export const maybeImported = (error) => {
    switch (error._tag) {
        case "TransportError":
            return error.sent;
        case "HttpStatusError":
            return error.status >= 500;
        case "MalformedResponse":
        case "ResponseSignatureError":
        case "GeneralError":
        case "InternalServerError":
        case "UnknownRetCode":
            return true;
        default:
            return false;
    }
};
export const isTooMany = (error) => error._tag === "TooManyElements";
export const isAmbiguous = (error) => RetryPolicy.classify(error) === "ambiguous";
export const splitAt = (items, n) => [
    items.slice(0, n),
    items.slice(n)
];
/** The orders the platform has (`present`) and those it does not. */
export const partition = (orders, present) => {
    const found = [];
    const missing = [];
    for (const order of orders)
        (present.has(order.orderID) ? found : missing).push(order);
    return { found, missing };
};
/**
 * The orders of a self-contradicting answer that it neither imports nor
 * rejects: whether the platform has them is unknown, so they are reported
 * like the orders of a request whose answer was lost (`maybeImported`).
 */
const contradicted = (endpoint, result, rejections, sent) => {
    const unknown = rejections.unrejected();
    const description = `the answer contradicts itself: successCount ${result.successCount} with ` +
        `${rejections.rejected.length} of the ${sent} orders sent rejected (responseID ${result.responseID || "-"})`;
    const errMsg = `${endpoint}: ${description}; whether this order was imported is unknown: ` +
        "check with listOrderDetail before re-sending it";
    const error = new CallbotError.MalformedResponse({ endpoint, description, body: "" });
    const rejected = rejections.rejected;
    for (const order of unknown) {
        rejected.push(new Models.RejectedOrder({ ...order, errMsg, rejectedBy: "request", maybeImported: true }));
    }
    return {
        successCount: 0,
        rejected,
        failures: [{ endpoint, error, orders: unknown.length, maybeImported: true }],
        requests: 1,
        firstAnswer: Option.some({ retMsg: result.retMsg, responseID: result.responseID })
    };
};
/**
 * The merged answer of one successful request, reconciled with what was
 * sent: every order is counted once, imported or rejected.
 *
 * - `errList` entries for phones never sent, and entries beyond the orders
 *   sent with a phone (a phone listed again), are dropped with a warning.
 * - `successCount` must be the orders sent minus those rejected (when the
 *   platform leaves it out, that is what it is taken to be). Any other
 *   count contradicts the answer's own `errList`: the rejections stand, and
 *   the other orders are reported as `rejectedBy: "request"` with
 *   `maybeImported: true` (and a `ChunkFailure` holding a
 *   `MalformedResponse`), never counted as imported and never lost.
 */
export const answered = (endpoint, orders, result) => {
    const rejections = Orders.serverRejections(orders, result.errList);
    const imported = orders.length - rejections.rejected.length;
    const consistent = result.successCount === undefined || result.successCount === imported;
    const merged = consistent
        ? {
            successCount: imported,
            rejected: rejections.rejected,
            failures: [],
            requests: 1,
            firstAnswer: Option.some({ retMsg: result.retMsg, responseID: result.responseID })
        }
        : contradicted(endpoint, result, rejections, orders.length);
    const warnings = [];
    if (rejections.notSent > 0)
        warnings.push(`${rejections.notSent} errList entries name phones not sent`);
    if (rejections.repeated > 0)
        warnings.push(`${rejections.repeated} errList entries repeat a phone already rejected`);
    if (!consistent)
        warnings.push(merged.failures[0]?.error.message ?? "");
    return warnings.length === 0 ? Effect.succeed(merged) : Effect.as(Effect.logWarning(`${endpoint}: ${warnings.join("; ")} (dropped; responseID ${result.responseID || "-"})`), merged);
};
/** Orders found on the platform by reconciliation: imported, by no answer of ours. */
export const reconciled = (found) => ({
    successCount: found,
    rejected: [],
    failures: [],
    requests: 0,
    firstAnswer: Option.none()
});
/** One failed request: its orders are reported, not lost. */
export const failed = (endpoint, orders, error, maybe = maybeImported(error)) => {
    const reason = `${endpoint} request failed: ${error._tag}: ${error.message}` +
        (maybe ? " (the platform may have imported it: check with listOrder before re-sending)" : "");
    return {
        successCount: 0,
        rejected: orders.map((order) => new Models.RejectedOrder({
            phone: order.userPhone,
            orderID: order.orderID,
            errMsg: reason,
            rejectedBy: "request",
            maybeImported: maybe
        })),
        failures: [{ endpoint, error, orders: orders.length, maybeImported: maybe }],
        requests: 0,
        firstAnswer: Option.none()
    };
};
export const tooManyForOneRequest = (endpoint, chunkSize) => {
    const issue = new CallbotError.ValidationIssue({
        field: "callInfoList.callList",
        description: `has more than ${chunkSize} valid orders, which would take several ${endpoint} requests; ` +
            `each ${endpoint} starts a new batch and deletes the undialled numbers of the previous one. ` +
            `Raise chunkSize, or pass overflow: "addBatchCall" to add the rest to the new batch's task with addBatchCall`
    });
    return new CallbotError.InvalidRequest({ endpoint, ...issue, issues: [issue] });
};
