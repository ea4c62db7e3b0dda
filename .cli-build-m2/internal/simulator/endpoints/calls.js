/**
 * `listCall`: the calls of a task, filtered and paged.
 */
import { Fields } from "../fields.js";
import { callMatches, readCallFilter, readPage } from "../filters.js";
import { fail, ok } from "../state.js";
import { checkProduct, lookupTask } from "../validation.js";
import { callInfo, orderEntry } from "../views.js";
/** `listCall`: the task's calls, oldest first, filtered and paged. */
export const listCall = (state, uuid, body) => {
    const f = new Fields();
    checkProduct(f, body);
    const task = lookupTask(state, f, uuid, body);
    const o = f.object(body, "options");
    const filter = {
        ...readCallFilter(f, o, true),
        startTs: f.optInteger(o, "startTs", "options.startTs"),
        endTs: f.optInteger(o, "endTs", "options.endTs")
    };
    const paginate = readPage(f, body, false, state.options.maxPageSize);
    if (f.rejection || task === undefined)
        return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "");
    const calls = task.orders.flatMap((order) => order.calls).sort((a, b) => a.seq - b.seq);
    const matching = calls.filter((call) => callMatches(call, filter));
    return ok({ callList: paginate(matching).map((call) => orderEntry(call.order, callInfo(state, call, true))) });
};
