/**
 * A bound on the bytes of callback bodies held at once — being read,
 * verified or handled — across the deliveries in flight, so that many slow
 * or stalled senders cannot make the process buffer without limit. One
 * budget is shared by every receiver that does not set its own.
 *
 * @internal
 */
/** @internal */
export const defaultMaxBufferedBytes = 64 * 1024 * 1024;
/** @internal */
export const make = (limit) => ({ limit: Math.max(0, Math.floor(limit)), used: 0 });
/** The budget of every receiver without a `maxBufferedBytes` of its own. @internal */
export const shared = make(defaultMaxBufferedBytes);
/** Takes `bytes` for `lease`, or answers `false` (and takes nothing) when they do not fit. @internal */
export const take = (budget, lease, bytes) => {
    if (budget.used + bytes > budget.limit)
        return false;
    budget.used += bytes;
    lease.bytes += bytes;
    return true;
};
/** Gives back everything `lease` holds. @internal */
export const release = (budget, lease) => {
    budget.used = Math.max(0, budget.used - lease.bytes);
    lease.bytes = 0;
};
