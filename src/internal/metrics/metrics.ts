/**
 * The SDK's metrics, defined once: names, descriptions, histogram
 * boundaries, and the tagged instances used on the hot paths (built once
 * per tag combination, then reused).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricKey from "effect/MetricKey"
import type * as MetricKeyType from "effect/MetricKeyType"
import * as MetricLabel from "effect/MetricLabel"

const requestsKey = MetricKey.counter("callbot_requests_total", {
  description: "Calls to the Callbot API, by endpoint and outcome (success or the error's tag); retries are inside one call",
  incremental: true
})

const requestDurationKey = MetricKey.histogram(
  "callbot_request_duration_seconds",
  // 5 ms … ~41 s: one sample per call, retries and their waits included.
  MetricBoundaries.exponential({ start: 0.005, factor: 2, count: 14 }),
  "Duration of one call to the Callbot API, retries included, by endpoint"
)

const retriesKey = MetricKey.counter("callbot_retries_total", {
  description: "Attempts retried, by endpoint and the error's tag that caused the retry",
  incremental: true
})

const ordersKey = MetricKey.counter("callbot_orders_total", {
  description: "Orders of imports, by endpoint and outcome: imported, rejected, failed or already_imported",
  incremental: true
})

const callbacksKey = MetricKey.counter("callbot_callbacks_total", {
  description: "Callback deliveries, by kind and outcome",
  incremental: true
})

/** @internal */
export const requests = Metric.fromMetricKey(requestsKey)

/** @internal */
export const requestDuration = Metric.fromMetricKey(requestDurationKey)

/** @internal */
export const retries = Metric.fromMetricKey(retriesKey)

/** @internal */
export const orders = Metric.fromMetricKey(ordersKey)

/** @internal */
export const callbacks = Metric.fromMetricKey(callbacksKey)

/** What became of one order of an import. @internal */
export type OrderOutcome = "imported" | "rejected" | "failed" | "already_imported"

/** What became of one callback delivery. @internal */
export type CallbackOutcome =
  | "handled"
  | "duplicate"
  | "in_flight"
  | "unhandled"
  | "rejected"
  | "malformed"
  | "too_large"
  | "handler_failed"
  | "timeout"
  | "read_timeout"
  | "unavailable"

/**
 * A metric per combination of tag values, each built once on a key that
 * carries its tags: `Metric.tagged` would build and hash a new `MetricKey`
 * and look it up in the registry on every update, while a metric made from
 * the tagged key looks its hook up once.
 */
const family = <Type extends MetricKeyType.MetricKeyType<number, unknown>>(key: MetricKey.MetricKey<Type>) => {
  const cache = new Map<string, Metric.Metric<Type, MetricKeyType.MetricKeyType.InType<Type>, MetricKeyType.MetricKeyType.OutType<Type>>>()
  return (tags: ReadonlyArray<readonly [string, string]>) => {
    const cacheKey = tags.map(([, value]) => value).join("\u0000")
    const found = cache.get(cacheKey)
    if (found !== undefined) return found
    const made = Metric.fromMetricKey(
      MetricKey.taggedWithLabels(key, tags.map(([tag, value]) => MetricLabel.make(tag, value)))
    )
    cache.set(cacheKey, made)
    return made
  }
}

const requestsBy = family(requestsKey)
const durationBy = family(requestDurationKey)
const retriesBy = family(retriesKey)
const ordersBy = family(ordersKey)
const callbacksBy = family(callbacksKey)

/**
 * Updates metrics in one step, with the fiber's metric labels
 * (`Effect.tagMetrics`) as `Metric.update` would add them.
 */
const updating = (f: (labels: ReadonlyArray<MetricLabel.MetricLabel>) => void): Effect.Effect<void> =>
  Effect.withFiberRuntime((fiber) => {
    f(fiber.getFiberRef(FiberRef.currentMetricLabels))
    return Effect.void
  })

/** One call to `endpoint` ended with `outcome` after `seconds`. @internal */
export const recordRequest = (endpoint: string, outcome: string, seconds: number): Effect.Effect<void> =>
  updating((labels) => {
    requestsBy([["endpoint", endpoint], ["outcome", outcome]]).unsafeUpdate(1, labels)
    durationBy([["endpoint", endpoint]]).unsafeUpdate(seconds, labels)
  })

/** An attempt at `endpoint` failed with `reason` and is retried. @internal */
export const recordRetry = (endpoint: string, reason: string): Effect.Effect<void> =>
  Metric.increment(retriesBy([["endpoint", endpoint], ["reason", reason]]))

/** The orders of one import to `endpoint`, counted by outcome (outcomes with none are not recorded). @internal */
export const recordOrders = (endpoint: string, counts: Readonly<Record<OrderOutcome, number>>): Effect.Effect<void> =>
  updating((labels) => {
    for (const outcome of orderOutcomes) {
      const count = counts[outcome]
      if (count > 0) ordersBy([["endpoint", endpoint], ["outcome", outcome]]).unsafeUpdate(count, labels)
    }
  })

const orderOutcomes: ReadonlyArray<OrderOutcome> = ["imported", "already_imported", "rejected", "failed"]

/** A delivery of `kind` ended with `outcome`. @internal */
export const recordCallback = (kind: string, outcome: CallbackOutcome): Effect.Effect<void> =>
  Metric.increment(callbacksBy([["kind", kind], ["outcome", outcome]]))
