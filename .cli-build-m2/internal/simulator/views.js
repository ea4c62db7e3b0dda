import { isFinished, round2, seconds } from "./state.js";
/** The `taskStat` counters of a task. */
export const taskStat = (task) => {
    let finish = 0;
    let answered = 0;
    let totalCall = 0;
    let answerCall = 0;
    for (const order of task.orders) {
        if (isFinished(order))
            finish++;
        if (order.answered)
            answered++;
        totalCall += order.calls.length;
        for (const call of order.calls)
            if (call.status === 1)
                answerCall++;
    }
    const total = task.orders.length;
    return {
        answerOrderCount: answered,
        finishOrderCount: finish,
        totalOrderCount: total,
        finishRate: total === 0 ? 0 : round2(finish / total),
        totalAnswerCall: answerCall,
        totalCall,
        answerRate: totalCall === 0 ? 0 : round2(answerCall / totalCall)
    };
};
/** A call as `callInfoDetail` (`withLine`: with `callingNumber` and `lineAddress`). */
export const callInfo = (state, call, withLine) => {
    const answered = call.status === 1;
    return {
        callID: call.callID,
        ...(withLine ? { callingNumber: state.campaign.callingNumber, lineAddress: state.campaign.lineAddress } : {}),
        callStatus: call.status,
        callStartTs: seconds(call.startMs),
        callAnswerTs: call.answerMs === undefined ? 0 : seconds(call.answerMs),
        callEndTs: seconds(call.endMs),
        callDuration: call.talkSeconds,
        callAudioUrl: answered ? `https://simulator.invalid/audio/${call.callID}.wav` : "",
        hangupCause: answered ? "NORMAL_CLEARING" : call.status === 2 ? "NO_ANSWER" : "CALL_REJECTED",
        termSipCode: answered ? "200" : call.status === 2 ? "480" : "503",
        intents: call.intents,
        sms: call.sms,
        params: call.order.params,
        recordDetail: []
    };
};
/** An order as the list endpoints and the order / call callbacks show it. */
export const orderEntry = (order, detail) => ({
    orderID: order.orderID,
    userPhone: order.userPhone,
    userName: order.userName,
    other: order.other,
    sceneID: order.task.sceneID,
    userTaskID: order.task.userTaskID,
    taskID: order.task.taskID,
    finish: isFinished(order),
    callInfoDetail: detail
});
/** A task as `listTask` and the task callback show it. */
export const taskEntry = (task) => ({
    userTaskID: task.userTaskID,
    taskID: task.taskID,
    sceneID: task.sceneID,
    taskStatus: task.status,
    createTs: seconds(task.createdMs),
    taskStat: taskStat(task)
});
/** The task callback for a task's current state (`undefined` without a task callback URL). */
export const taskCallback = (task) => task.taskCallbackUrl === ""
    ? undefined
    : {
        kind: "task",
        uuid: task.uuid,
        url: task.taskCallbackUrl,
        userTaskID: task.userTaskID,
        body: JSON.stringify({ callbackType: 1, ...taskEntry(task) })
    };
/** Queues the task callback of a task's current state. */
export const emitTask = (state, task) => {
    const message = taskCallback(task);
    if (message !== undefined)
        state.outbox.push(message);
};
/** A snapshot of a task for inspection. */
export const snapshotTask = (task) => ({
    uuid: task.uuid,
    userTaskID: task.userTaskID,
    taskID: task.taskID,
    sceneID: task.sceneID,
    status: task.status,
    createTs: seconds(task.createdMs),
    createdBy: task.createdBy,
    taskName: task.setting.taskName,
    taskCallbackUrl: task.taskCallbackUrl,
    orderCallbackUrl: task.orderCallbackUrl,
    callCallbackUrl: task.callCallbackUrl,
    taskCreateSetting: { ...task.rawSetting },
    funcFlag: { ...task.rawFuncFlag },
    taskStat: taskStat(task),
    statusHistory: [...task.history],
    batchID: task.batch?.id,
    activeCalls: task.active,
    pendingUpdateAt: task.pendingUpdate?.applyAtMs
});
/** A snapshot of an order, with its calls, for inspection. */
export const snapshotOrder = (state, order) => ({
    orderID: order.orderID,
    userTaskID: order.task.userTaskID,
    taskID: order.task.taskID,
    userPhone: order.userPhone,
    userName: order.userName,
    customerName: order.customerName,
    other: order.other,
    params: order.params,
    orderCallbackUrl: order.orderCallbackUrl,
    callCallbackUrl: order.callCallbackUrl,
    batchID: order.batchID,
    state: order.state,
    finish: isFinished(order),
    answered: order.answered,
    attempts: order.attempts,
    calls: order.calls.map((call) => callInfo(state, call, true)),
    createdAt: order.createdMs,
    duplicate: order.duplicate
});
