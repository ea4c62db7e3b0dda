/**
 * The SDK's metrics, as Effect `Metric`s: they appear in `Metric.snapshot`
 * and in whatever exporter the app runs (`@effect/opentelemetry`'s
 * `NodeSdk` with a metric reader, for Prometheus or OTLP — see
 * `docs/observability.md`). Names are snake_case with a `callbot_` prefix;
 * tags are the lower-case words below.
 *
 * | metric | type | tags |
 * |---|---|---|
 * | `callbot_requests_total` | counter | `endpoint` (the vendor's name, e.g. `createAndCall`), `outcome` (`success` or the error's tag) |
 * | `callbot_request_duration_seconds` | histogram | `endpoint` — one sample per call, retries and their waits included |
 * | `callbot_retries_total` | counter | `endpoint`, `reason` (the tag of the error retried) |
 * | `callbot_orders_total` | counter | `endpoint`, `outcome`: `imported`, `rejected` (by validation or the platform), `failed` (the request failed), `already_imported` (found by a resumed import) |
 * | `callbot_callbacks_total` | counter | `kind` (`task`, `order`, `call`, `unknown`), `outcome` (below) |
 *
 * A delivery's `outcome`: `handled`, `duplicate` (already handled),
 * `in_flight` (being handled), `unhandled` (no handler for its kind),
 * `rejected` (signature, headers or window), `malformed`, `too_large`,
 * `handler_failed`, `timeout` (the handler was still running at
 * `handlerTimeout`), `read_timeout` (the body did not arrive in time),
 * `unavailable` (replay store down, or no room to buffer the body). A
 * delivery refused before it was verified counts as kind `unknown`.
 *
 * @since 0.2.0
 */
import type * as Metric from "effect/Metric"
import * as internal from "./internal/metrics/metrics.js"

/**
 * `callbot_requests_total`: calls to the API by `endpoint` and `outcome`.
 *
 * @since 0.2.0
 * @category metrics
 */
export const requests: Metric.Metric.Counter<number> = internal.requests

/**
 * `callbot_request_duration_seconds`: one sample per call, by `endpoint`
 * (boundaries 5 ms × 2ⁿ up to ~41 s).
 *
 * @since 0.2.0
 * @category metrics
 */
export const requestDuration: Metric.Metric.Histogram<number> = internal.requestDuration

/**
 * `callbot_retries_total`: attempts retried, by `endpoint` and `reason`.
 *
 * @since 0.2.0
 * @category metrics
 */
export const retries: Metric.Metric.Counter<number> = internal.retries

/**
 * `callbot_orders_total`: orders of imports by `endpoint` and `outcome`.
 *
 * @since 0.2.0
 * @category metrics
 */
export const orders: Metric.Metric.Counter<number> = internal.orders

/**
 * `callbot_callbacks_total`: callback deliveries by `kind` and `outcome`.
 *
 * @since 0.2.0
 * @category metrics
 */
export const callbacks: Metric.Metric.Counter<number> = internal.callbacks
