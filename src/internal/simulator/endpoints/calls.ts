/**
 * `listCall`: the calls of a task, filtered and paged.
 */
import { Fields } from "../fields.js"
import { type CallFilter, callMatches, readCallFilter, readPage } from "../filters.js"
import type { Reply, State } from "../state.js"
import { fail, ok } from "../state.js"
import { checkProduct, lookupTask } from "../validation.js"
import { callInfo, orderEntry } from "../views.js"

/** `listCall`: the task's calls, oldest first, filtered and paged. */
export const listCall = (state: State, uuid: string, body: unknown): Reply => {
  const f = new Fields()
  checkProduct(f, body)
  const task = lookupTask(state, f, uuid, body)
  const o = f.object(body, "options")
  const filter: CallFilter = {
    ...readCallFilter(f, o, true),
    startTs: f.optInteger(o, "startTs", "options.startTs"),
    endTs: f.optInteger(o, "endTs", "options.endTs")
  }
  const paginate = readPage(f, body, false, state.options.maxPageSize)
  if (f.rejection || task === undefined) return fail(f.rejection?.retCode ?? 4, f.rejection?.retMsg ?? "")
  const calls = task.orders.flatMap((order) => order.calls).sort((a, b) => a.seq - b.seq)
  const matching = calls.filter((call) => callMatches(call, filter))
  return ok({ callList: paginate(matching).map((call) => orderEntry(call.order, callInfo(state, call, true))) })
}
