import * as Random from "./random.js";
import { seconds, Status } from "./state.js";
import { applyUpdate, checkCompletion, maxAttempts, setStatus } from "./tasks.js";
import { callInfo, orderEntry } from "./views.js";
/** Dial windows go by half hours: `dialAtUpHour` opens an hour's first half, `dialAtDownHour` its second (seconds). */
const halfHour = 1800;
/** Is `ms` inside the task's dial window (always, when dial windows are off)? */
const inWindow = (state, task, ms) => {
    if (!state.options.dialWindows)
        return true;
    const local = Math.floor(ms / 1000) + task.setting.zoneSecond;
    const day = Math.floor(local / 86400);
    const weekDay = (((day + 3) % 7) + 7) % 7 + 1; // 1970-01-01 was a Thursday (4)
    const secondOfDay = ((local % 86400) + 86400) % 86400;
    const hour = Math.floor(secondOfDay / 3600);
    const firstHalf = secondOfDay % 3600 < halfHour;
    return task.setting.weekDays.includes(weekDay) &&
        (firstHalf ? task.setting.upHours.includes(hour) : task.setting.downHours.includes(hour));
};
/** The first instant at or after `ms` inside the task's dial window. */
const nextWindowOpen = (state, task, ms) => {
    if (inWindow(state, task, ms))
        return ms;
    const local = Math.floor(ms / 1000) + task.setting.zoneSecond;
    let boundary = (Math.floor(local / halfHour) + 1) * halfHour;
    for (let i = 0; i <= 7 * 48; i++) {
        const candidate = (boundary - task.setting.zoneSecond) * 1000;
        if (inWindow(state, task, candidate))
            return candidate;
        boundary += halfHour;
    }
    return undefined;
};
/** The SMS an ended call sends: the last rule matching an intent it reached, when SMS is on. */
const smsFor = (order, call, endMs) => {
    if (!order.sms.enable || call.intents.length === 0)
        return [];
    let rule;
    // Later rules overwrite earlier ones for the same intent (vendor rule), so the last match wins.
    for (const candidate of order.sms.rules) {
        if (call.intents.some((i) => candidate.intentIDs.includes(i.intentID) || candidate.intentNames.includes(i.intentName)))
            rule = candidate;
    }
    return rule === undefined ? [] : [{
            smsSendTs: seconds(endMs),
            sysMessageID: `SMS-${call.callID}`,
            smsContent: `SMS template ${rule.smsID}`
        }];
};
/** Starts the next call of an order, its outcome drawn from the seed (or chosen by `decideCall`). */
const startCall = (state, order, at) => {
    const task = order.task;
    const attempt = order.attempts + 1;
    const draw = Random.stream(state.options.seed, `call|${task.uuid}|${task.userTaskID}|${order.orderID}|${order.duplicate}|${attempt}`);
    const uOutcome = draw();
    const uRing = draw();
    const uTalk = draw();
    const uIntent = draw();
    const chosen = state.campaign.decideCall?.({
        userTaskID: task.userTaskID,
        orderID: order.orderID,
        userPhone: order.userPhone,
        attempt
    });
    const { answerRate, failureRate } = state.campaign;
    const outcome = chosen?.status ??
        (uOutcome < answerRate ? "answered" : uOutcome < answerRate + failureRate ? "failed" : "noAnswer");
    const seq = ++state.callSeq;
    const callID = `C${String(seq).padStart(9, "0")}`;
    let call;
    if (outcome === "answered") {
        const ring = Math.max(0, chosen?.ringSeconds ?? Random.inRange(uRing, state.campaign.ringRange));
        const talk = Math.max(1, chosen?.talkSeconds ?? Random.inRange(uTalk, state.campaign.talkRange));
        const intent = (chosen?.intentID === undefined
            ? undefined
            : state.campaign.intents.find((i) => i.intentID === chosen.intentID)) ??
            state.campaign.intents[Random.between(uIntent, 0, state.campaign.intents.length - 1)];
        const endMs = at + (ring + talk) * 1000;
        const reached = intent === undefined ? [] : [intent];
        call = {
            seq,
            callID,
            order,
            attempt,
            status: 1,
            startMs: at,
            answerMs: at + ring * 1000,
            endMs,
            talkSeconds: talk,
            turns: 1 + Math.floor(talk / 10),
            intents: reached,
            sms: smsFor(order, { callID, intents: reached }, endMs)
        };
    }
    else {
        const ringFor = outcome === "failed"
            ? state.campaign.failedSeconds
            : state.campaign.noAnswerSeconds ?? (task.setting.maxRingTime > 0 ? task.setting.maxRingTime : 30);
        call = {
            seq,
            callID,
            order,
            attempt,
            status: outcome === "failed" ? 3 : 2,
            startMs: at,
            answerMs: undefined,
            endMs: at + Math.max(1, ringFor) * 1000,
            talkSeconds: 0,
            turns: 0,
            intents: [],
            sms: []
        };
    }
    order.state = "dialling";
    order.attempts = attempt;
    task.active++;
    state.active.push(call);
};
/** Marks an order finished and queues its order callback. */
const finishOrder = (state, order, last) => {
    order.state = "finished";
    if (order.orderCallbackUrl === "")
        return;
    state.outbox.push({
        kind: "order",
        uuid: order.task.uuid,
        url: order.orderCallbackUrl,
        userTaskID: order.task.userTaskID,
        body: JSON.stringify({
            callbackType: "2",
            ...orderEntry(order, last === undefined ? null : callInfo(state, last, false))
        })
    });
};
/** Ends a call: records it, queues the call callback, schedules the redial or finishes the order. */
const endCall = (state, call) => {
    state.active = state.active.filter((c) => c !== call);
    const order = call.order;
    const task = order.task;
    task.active--;
    order.calls.push(call);
    if (call.status === 1)
        order.answered = true;
    const done = call.status === 1 || call.attempt >= maxAttempts(task);
    if (!done) {
        order.state = "pending";
        order.readyAtMs = call.endMs + state.campaign.redialDelayMs;
    }
    else {
        order.state = "finished";
    }
    if (order.callCallbackUrl !== "") {
        state.outbox.push({
            kind: "call",
            uuid: task.uuid,
            url: order.callCallbackUrl,
            userTaskID: task.userTaskID,
            body: JSON.stringify({ callbackType: 3, ...orderEntry(order, callInfo(state, call, true)) })
        });
    }
    if (done)
        finishOrder(state, order, call);
    checkCompletion(state, task, call.endMs);
};
/** Gives every free robot of every running task the pending order ready longest, inside the dial window. */
const fill = (state, at) => {
    for (const task of state.tasks) {
        if (task.status !== Status.InProgress)
            continue;
        if (task.active < task.setting.maxCall && inWindow(state, task, at)) {
            const limit = maxAttempts(task);
            // One scan per free robot: the order ready longest (then the oldest) goes first.
            while (task.active < task.setting.maxCall) {
                let next;
                for (const order of task.orders) {
                    if (order.state !== "pending" || order.readyAtMs > at)
                        continue;
                    if (order.attempts >= limit) {
                        // roundRedial was switched off while the order waited for its redial.
                        finishOrder(state, order, order.calls[order.calls.length - 1]);
                        continue;
                    }
                    if (next === undefined || order.readyAtMs < next.readyAtMs)
                        next = order;
                }
                if (next === undefined)
                    break;
                startCall(state, next, at);
            }
        }
        checkCompletion(state, task, at);
    }
};
/** The time of the next event: a call ending, a scheduled start, a delayed update, an order ready to dial. */
export const nextDue = (state) => {
    let next = Number.POSITIVE_INFINITY;
    for (const call of state.active)
        next = Math.min(next, call.endMs);
    for (const task of state.tasks) {
        if (task.status === Status.Pending && task.startAtMs !== undefined)
            next = Math.min(next, task.startAtMs);
        if (task.pendingUpdate !== undefined)
            next = Math.min(next, task.pendingUpdate.applyAtMs);
        if (task.status === Status.InProgress && task.active < task.setting.maxCall) {
            let ready = Number.POSITIVE_INFINITY;
            for (const order of task.orders)
                if (order.state === "pending")
                    ready = Math.min(ready, order.readyAtMs);
            if (ready < Number.POSITIVE_INFINITY) {
                const open = nextWindowOpen(state, task, Math.max(ready, state.simTime));
                if (open !== undefined)
                    next = Math.min(next, open);
            }
        }
    }
    return next === Number.POSITIVE_INFINITY ? undefined : next;
};
/** Processes the events due at `at`. */
const step = (state, at) => {
    state.simTime = at;
    const ending = state.active.filter((c) => c.endMs <= at).sort((a, b) => a.endMs - b.endMs || a.seq - b.seq);
    for (const call of ending)
        endCall(state, call);
    for (const task of state.tasks) {
        if (task.pendingUpdate !== undefined && task.pendingUpdate.applyAtMs <= at)
            applyUpdate(state, task, at);
        if (task.status === Status.Pending && task.startAtMs !== undefined && task.startAtMs <= at) {
            setStatus(state, task, Status.InProgress, at);
        }
    }
    fill(state, at);
};
/** Processes every event due at or before `nowMs`, then starts what can start at `nowMs`. */
export const advance = (state, nowMs) => {
    for (let guard = 0; guard < 1_000_000; guard++) {
        const due = nextDue(state);
        if (due === undefined || due > nowMs)
            break;
        const at = Math.max(due, state.simTime);
        if (at > nowMs)
            break;
        step(state, at);
    }
    state.simTime = Math.max(state.simTime, nowMs);
    fill(state, state.simTime);
};
