import * as Effect from "effect/Effect";
import * as FiberSet from "effect/FiberSet";
import * as Stream from "effect/Stream";
import * as SubscriptionRef from "effect/SubscriptionRef";
import * as VirtualTime from "./clock.js";
import * as Delivery from "./delivery.js";
import * as Faults from "./faults.js";
import * as Journal from "./journal.js";
import * as Platform from "./platform.js";
import { makeHandle } from "./routing.js";
import { testAccount } from "./types.js";
const makePlatform = (options) => Platform.make({
    seed: options.seed ?? 1,
    campaign: options.campaign ?? {},
    dialWindows: options.dialWindows ?? false,
    importMillis: Math.max(0, options.importSeconds ?? 0) * 1000,
    updateDelayMillis: Math.max(0, options.updateTaskDelaySeconds ?? 0) * 1000,
    maxCallListLength: options.maxCallListLength ?? 10_000,
    maxPageSize: options.maxPageSize ?? 1000,
    maxStopOrderIDs: options.maxStopOrderIDs ?? 10_000,
    duplicateOrderIDs: options.duplicateOrderIDs ?? "reject",
    defaultMaxCall: 1
});
/**
 * Builds the engine. Callbacks go to `options.callbackHandler` when given,
 * otherwise to `transport` (the HTTP binding's client); with neither they are
 * recorded as undeliverable.
 */
export const makeEngine = (options = {}, transport) => Effect.gen(function* () {
    const accounts = new Map((options.accounts ?? [testAccount]).map((a) => [a.uuid, a]));
    const fibers = yield* FiberSet.make();
    const platform = makePlatform(options);
    const journal = yield* Journal.make(Math.max(1, options.historyLimit ?? 10_000), options.faults);
    const delivery = {
        accounts,
        send: options.callbackHandler ?? transport ?? (() => Effect.fail("no callback transport configured")),
        journal,
        attempts: Math.max(1, options.callbackAttempts ?? 3),
        retryDelay: Math.max(0, options.callbackRetryDelayMillis ?? 100),
        callbackTimeout: Math.max(1, options.callbackTimeoutMillis ?? 10_000)
    };
    const flush = Delivery.flush(delivery, platform, fibers, options.deliverCallbacks ?? true);
    const time = yield* VirtualTime.make(platform, flush, options.timerResolutionMillis ?? 0);
    yield* FiberSet.run(fibers, time.timer);
    const { catchUp } = time;
    const ctx = {
        options,
        accounts,
        platform,
        journal,
        gzip: options.gzip ?? true,
        flush,
        poke: time.poke
    };
    const inspect = (f) => Effect.zipRight(catchUp, Effect.sync(f));
    const engine = {
        handle: makeHandle(ctx),
        script: (answer, opts) => Effect.sync(() => {
            for (let i = 0; i < (opts?.times ?? 1); i++)
                journal.script.push({ endpoint: opts?.endpoint, answer });
        }),
        requests: Effect.sync(() => [...journal.received]),
        tasks: inspect(platform.tasks),
        orders: inspect(platform.orders),
        callbacks: inspect(() => [...journal.deliveries]),
        awaitCallbacks: (n) => Effect.zipRight(catchUp, journal.deliveryCount.changes.pipe(Stream.filter((count) => count >= n), Stream.take(1), Stream.runDrain, Effect.map(() => [...journal.deliveries]))),
        sendTaskCallback: (userTaskID) => Effect.zipRight(catchUp, Effect.suspend(() => {
            const message = platform.taskCallbackNow(undefined, userTaskID);
            return message === undefined
                ? Effect.void
                : Effect.asVoid(FiberSet.run(fibers, Delivery.deliverOne(delivery, message)));
        })),
        reset: Effect.zipRight(Effect.sync(() => {
            Journal.clear(journal, options.faults);
            platform.reset();
        }), SubscriptionRef.set(journal.deliveryCount, 0)),
        faultStats: Effect.sync(() => journal.faults.stats()),
        setFaults: (next) => Effect.sync(() => {
            journal.faults = Faults.make(next);
        }),
        creations: inspect(platform.creations),
        catchUp
    };
    return engine;
});
