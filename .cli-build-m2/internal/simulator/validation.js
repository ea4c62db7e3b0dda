/**
 * Validation of the objects several endpoints share (`productID`,
 * `taskCreateSetting`, `funcFlag`, callback URLs, `callInfoList`, the task
 * named by `userTaskID`), written by hand from the vendor pages,
 * independently of the SDK's schemas.
 */
import { isHttpUrl, parseIntList } from "./fields.js";
import { fail, key } from "./state.js";
const allWeekDays = [1, 2, 3, 4, 5, 6, 7];
const allHours = Array.from({ length: 24 }, (_, h) => h);
const minZoneSecond = -12 * 3600;
const maxZoneSecond = 14 * 3600;
/** `productID` must be `"callbot"`. */
export const checkProduct = (f, body) => {
    const productID = f.string(body, "productID");
    f.value(productID === "callbot", "productID", "must be \"callbot\"");
};
/** A comma-separated list of integers in `[min, max]`. */
const readHours = (f, text, path, min, max) => {
    if (text === undefined)
        return undefined;
    const list = parseIntList(text, min, max);
    f.value(list !== undefined, path, `comma-separated values in ${min}-${max}`);
    return list;
};
/** Reads `taskCreateSetting`, merged over `base` (the settings in force, for updates). */
export const readSetting = (f, raw, mode, base, defaultMaxCall) => {
    const p = (k) => `taskCreateSetting.${k}`;
    const all = mode === "createAndCall";
    const strategyName = f.optString(raw, "strategyName", p("strategyName"), all);
    const startupType = f.optInteger(raw, "startupType", p("startupType"), mode !== "update");
    const startupAt = f.optInteger(raw, "startupAt", p("startupAt"), all);
    const zoneSecond = f.optInteger(raw, "zoneSecond", p("zoneSecond"), all);
    const weekDayText = f.optString(raw, "dialAtWeekDay", p("dialAtWeekDay"), all);
    // The createTask example spells the key "dialAtUpHour " (trailing space).
    const upKey = mode === "createTask" && !f.has(raw, "dialAtUpHour") && f.has(raw, "dialAtUpHour ")
        ? "dialAtUpHour "
        : "dialAtUpHour";
    const upText = f.optString(raw, upKey, p("dialAtUpHour"), all);
    const downText = f.optString(raw, "dialAtDownHour", p("dialAtDownHour"), all);
    const maxRingTime = f.optInteger(raw, "maxRingTime", p("maxRingTime"), all);
    const routeID = f.optString(raw, "routeID", p("routeID"), all);
    const maxCall = f.optInteger(raw, "maxCall", p("maxCall"), all);
    const taskName = f.optString(raw, "taskName", p("taskName"), all);
    const manual = f.optObject(raw, "manualCallSetting", p("manualCallSetting"));
    if (manual !== undefined) {
        const m = (k) => p(`manualCallSetting.${k}`);
        const agentGroup = f.string(manual, "agentGroup", m("agentGroup"));
        const dispatchType = f.integer(manual, "dispatchType", m("dispatchType"));
        f.optNumber(manual, "ratioCallRate", m("ratioCallRate"), true);
        f.optNumber(manual, "predictCallRate", m("predictCallRate"), true);
        f.notBlank(agentGroup, m("agentGroup"));
        f.value([0, 1, 3].includes(dispatchType), m("dispatchType"), "must be 0, 1 or 3");
    }
    if (all)
        f.notBlank(taskName, p("taskName"));
    const weekDays = weekDayText === undefined ? undefined : readHours(f, weekDayText, p("dialAtWeekDay"), 1, 7);
    if (weekDays !== undefined)
        f.value(weekDays.length > 0, p("dialAtWeekDay"), "at least one weekday");
    const upHours = readHours(f, upText, p("dialAtUpHour"), 0, 23);
    const downHours = readHours(f, downText, p("dialAtDownHour"), 0, 23);
    if (startupType !== undefined) {
        const allowed = mode === "createTask" ? [0, 1, 2, 3] : [1, 2, 3];
        f.value(allowed.includes(startupType), p("startupType"), `must be ${allowed.join(", ")}`);
    }
    if (startupAt !== undefined)
        f.value(startupAt >= 0, p("startupAt"), "must not be negative");
    if (zoneSecond !== undefined) {
        f.value(zoneSecond >= minZoneSecond && zoneSecond <= maxZoneSecond, p("zoneSecond"), `a UTC offset in seconds between ${minZoneSecond} and ${maxZoneSecond}`);
    }
    if (maxRingTime !== undefined)
        f.value(maxRingTime >= 0, p("maxRingTime"), "must not be negative");
    if (maxCall !== undefined)
        f.value(maxCall >= 1, p("maxCall"), "must be at least 1");
    const merged = {
        strategyName: strategyName ?? base?.strategyName ?? "默认策略",
        // createTask's example uses startupType 0, not in the enum; it is read as manual start.
        startupType: startupType === undefined ? base?.startupType ?? 1 : startupType === 0 ? 1 : startupType,
        startupAt: startupAt ?? base?.startupAt ?? 0,
        zoneSecond: zoneSecond ?? base?.zoneSecond ?? 0,
        weekDays: weekDays ?? base?.weekDays ?? allWeekDays,
        upHours: upHours ?? base?.upHours ?? allHours,
        downHours: downHours ?? base?.downHours ?? allHours,
        maxRingTime: maxRingTime ?? base?.maxRingTime ?? 0,
        routeID: routeID ?? base?.routeID ?? "",
        maxCall: maxCall ?? base?.maxCall ?? defaultMaxCall,
        taskName: taskName ?? base?.taskName ?? ""
    };
    f.value(merged.startupType !== 2 || merged.startupAt > 0, p("startupAt"), "required (Unix seconds) when startupType is 2");
    return merged;
};
/** Reads `funcFlag` (with its SMS rules), merged over `base`. */
export const readFlags = (f, raw, mode, base) => {
    const p = (k) => `funcFlag.${k}`;
    const all = mode === "createAndCall";
    const flag = (k, required) => f.optBoolean(raw, k, p(k), required);
    const taskKeep = flag("taskKeep", all);
    const roundRedial = flag("roundRedial", all);
    const wholeTTS = flag("wholeTTS", all);
    const smsEnable = flag("smsEnable", all);
    const phoneEncrypt = flag("phoneEncrypt", all);
    const entries = f.optArray(raw, "smsFuncFlag", p("smsFuncFlag"), all);
    let rules;
    if (entries !== undefined) {
        rules = [];
        entries.forEach((entry, i) => {
            const q = (k) => p(`smsFuncFlag[${i}].${k}`);
            if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
                f.reject(3, `${p(`smsFuncFlag[${i}]`)} must be an object`);
                return;
            }
            // createTask documents smsId / intentId; the other endpoints smsID / intentID.
            const idKey = mode === "createTask" && !f.has(entry, "smsID") ? "smsId" : "smsID";
            const intentKey = mode === "createTask" && !f.has(entry, "intentID") ? "intentId" : "intentID";
            const smsID = f.string(entry, idKey, q(idKey));
            const intentIDs = f.optStrings(entry, intentKey, q(intentKey), mode !== "createTask") ?? [];
            const intentNames = f.optStrings(entry, "intentName", q("intentName"), mode !== "createTask") ?? [];
            f.notBlank(smsID, q(idKey));
            rules?.push({ smsID, intentIDs, intentNames });
        });
    }
    return {
        taskKeep: taskKeep ?? base?.taskKeep ?? false,
        roundRedial: roundRedial ?? base?.roundRedial ?? false,
        wholeTTS: wholeTTS ?? base?.wholeTTS ?? false,
        smsEnable: smsEnable ?? base?.smsEnable ?? false,
        phoneEncrypt: phoneEncrypt ?? base?.phoneEncrypt ?? false,
        smsRules: rules ?? base?.smsRules ?? []
    };
};
/** A callback URL (`""` when absent and optional). */
export const readUrl = (f, o, k, path, required) => {
    const url = f.optString(o, k, path, required);
    if (url === undefined)
        return "";
    if (required)
        f.notBlank(url, path);
    if (url.trim() !== "")
        f.value(isHttpUrl(url), path, "must be an absolute http(s) URL");
    return url;
};
/** Reads `callInfoList`: the order and call callback URLs and the `callList`. */
export const readCallInfo = (f, body) => {
    const info = f.object(body, "callInfoList");
    const orderCallbackUrl = readUrl(f, info, "orderCallbackUrl", "callInfoList.orderCallbackUrl", true);
    const callCallbackUrl = readUrl(f, info, "callCallbackUrl", "callInfoList.callCallbackUrl", true);
    const callList = f.array(info, "callList", "callInfoList.callList");
    return { orderCallbackUrl, callCallbackUrl, callList };
};
/** The task `userTaskID` names in this account, or a rejection (4) when there is none. */
export const lookupTask = (state, f, uuid, body) => {
    const userTaskID = f.string(body, "userTaskID");
    f.notBlank(userTaskID, "userTaskID");
    if (f.rejection !== undefined)
        return undefined;
    const task = state.taskIndex.get(key(uuid, userTaskID));
    if (task === undefined)
        f.reject(4, `invalid value: userTaskID: no task ${JSON.stringify(userTaskID)}`);
    return task;
};
/** The answer to a list over its (undocumented) cap. */
export const tooMany = (what, length, max) => fail(4001, `${what} has ${length} elements; at most ${max} are accepted`);
/** `userTaskID` and `sceneID` of a new task, both required and not blank. */
export const readTaskIDs = (f, body) => {
    const userTaskID = f.string(body, "userTaskID");
    const sceneID = f.string(body, "sceneID");
    f.notBlank(userTaskID, "userTaskID");
    f.notBlank(sceneID, "sceneID");
    return { userTaskID, sceneID };
};
/** The 4001 answer to a `callInfoList.callList` longer than `max`, if it is. */
export const callListTooLong = (callList, max) => callList.length > max ? tooMany("callInfoList.callList", callList.length, max) : undefined;
