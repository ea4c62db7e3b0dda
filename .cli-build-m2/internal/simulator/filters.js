import { seconds } from "./state.js";
/** A range, when `enable` is `true`. */
const readBetween = (f, o, k, path) => {
    const range = f.optObject(o, k, path);
    if (range === undefined)
        return undefined;
    const gt = f.optNumber(range, "gt", `${path}.gt`);
    const lt = f.optNumber(range, "lt", `${path}.lt`);
    const enable = f.optBoolean(range, "enable", `${path}.enable`);
    return enable === true ? { gt, lt } : undefined;
};
/** `undefined` for an absent or empty list (an empty filter matches everything). */
export const nonEmpty = (xs) => (xs === undefined || xs.length === 0 ? undefined : xs);
/** Reads the call filter from `options`. */
export const readCallFilter = (f, o, withCallID) => ({
    callID: withCallID ? nonEmpty(f.optStrings(o, "callID", "options.callID")) : undefined,
    intentID: nonEmpty(f.optStrings(o, "intentID", "options.intentID")),
    intentName: nonEmpty(f.optStrings(o, "intentName", "options.intentName")),
    intentTag: nonEmpty(f.optStrings(o, "intentTag", "options.intentTag")),
    intentLevel: nonEmpty(f.optIntegers(o, "intentLevel", "options.intentLevel")),
    callStatus: nonEmpty(f.optIntegers(o, "callStatus", "options.callStatus")),
    turnTime: readBetween(f, o, "turnTime", "options.turnTime"),
    callDuration: readBetween(f, o, "callDuration", "options.callDuration")
});
/** Is `x` inside the range? */
const inBetween = (x, range) => range === undefined ||
    ((range.gt === undefined || x > range.gt) && (range.lt === undefined || range.lt <= 0 || x < range.lt));
/** Does the call match the filter? An order without calls matches only an empty filter. */
export const callMatches = (call, filter) => {
    const needsCall = Object.values(filter).some((v) => v !== undefined);
    if (call === undefined)
        return !needsCall;
    const some = (list, pick) => list === undefined || call.intents.some((i) => list.includes(pick(i)));
    const startTs = seconds(call.startMs);
    return (filter.callID === undefined || filter.callID.includes(call.callID)) &&
        some(filter.intentID, (i) => i.intentID) &&
        some(filter.intentName, (i) => i.intentName) &&
        some(filter.intentTag, (i) => i.intentTag) &&
        some(filter.intentLevel, (i) => i.intentLevel) &&
        (filter.callStatus === undefined || filter.callStatus.includes(call.status)) &&
        inBetween(call.turns, filter.turnTime) &&
        inBetween(call.talkSeconds, filter.callDuration) &&
        (filter.startTs === undefined || filter.startTs <= 0 || startTs >= filter.startTs) &&
        (filter.endTs === undefined || filter.endTs <= 0 || startTs <= filter.endTs);
};
/** Reads `page` / `size` and returns the function that cuts that page out of a list. */
export const readPage = (f, body, required, maxPageSize) => {
    const page = f.optInteger(body, "page", "page", required) ?? 1;
    const size = f.optInteger(body, "size", "size", required) ?? Math.min(100, maxPageSize);
    f.value(page >= 1, "page", "pages are numbered from 1");
    f.value(size >= 1 && size <= maxPageSize, "size", `must be between 1 and ${maxPageSize}`);
    return (items) => items.slice((page - 1) * size, page * size);
};
