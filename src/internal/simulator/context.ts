/**
 * The record the request path shares: the engine's settings, its accounts,
 * the platform, the journal, and the two effects that follow a request
 * (deliver the callbacks it produced, wake the timer).
 */
import type * as Effect from "effect/Effect"
import type * as Journal from "./journal.js"
import type * as Platform from "./platform.js"
import type { Account, EngineOptions } from "./types.js"

/** What handling a request needs. */
export interface EngineContext {
  readonly options: EngineOptions
  readonly accounts: ReadonlyMap<string, Account>
  readonly platform: Platform.Platform
  readonly journal: Journal.Journal
  /** Compress `listCall` / `exportBatchCall` answers on request. */
  readonly gzip: boolean
  /** Delivers the callbacks the platform produced. */
  readonly flush: Effect.Effect<void>
  /** Wakes the timer fiber when the next event moved earlier. */
  readonly poke: Effect.Effect<void>
}
