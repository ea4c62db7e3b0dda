/**
 * The Redis replay store: each operation is one atomic command or script on
 * the server, so any number of instances sharing one Redis agree on every
 * delivery. Each call is bounded by `commandTimeout`; a Redis that is down,
 * slow or answering nonsense fails the call with `ReplayStoreError`.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { Redis } from "ioredis"
import type * as RedisReplayStore from "../../RedisReplayStore.js"
import type * as ReplayStore from "../../ReplayStore.js"
import { Claim, makeToken, ReplayStoreError, tag } from "../callback/replayStore.js"
import * as Scripts from "./scripts.js"

/** What the store needs of a client. @internal */
export type StoreClient = Scripts.ScriptClient & Pick<Redis, "set">

/** @internal */
export const defaultKeyPrefix = "effect-callbot:replay:"

/** @internal */
export const defaultCommandTimeout: Duration.Duration = Duration.seconds(1)

const describe = (error: unknown): string => error instanceof Error ? error.message : String(error)

/** Milliseconds for `PX` / `PEXPIRE`: at least 1, and finite. */
const px = (ttl: Duration.Duration): number => {
  const millis = Math.ceil(Duration.toMillis(ttl))
  return Number.isFinite(millis) ? Math.max(1, millis) : Number.MAX_SAFE_INTEGER
}

/**
 * One call to Redis under a deadline, as an Effect: no fiber, one timer.
 * The deadline holds even for a client whose own options would queue the
 * command while disconnected.
 */
const call = (
  operation: ReplayStoreError["operation"],
  timeoutMillis: number,
  send: () => Promise<unknown>
): Effect.Effect<unknown, ReplayStoreError> =>
  Effect.async<unknown, ReplayStoreError>((resume) => {
    let settled = false
    const settle = (effect: Effect.Effect<unknown, ReplayStoreError>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resume(effect)
    }
    const timer = setTimeout(
      () =>
        settle(Effect.fail(new ReplayStoreError({ operation, description: `Redis gave no answer within ${timeoutMillis} ms` }))),
      timeoutMillis
    )
    Promise.resolve().then(send).then(
      (value) => settle(Effect.succeed(value)),
      (error: unknown) => settle(Effect.fail(new ReplayStoreError({ operation, description: describe(error) })))
    )
    return Effect.sync(() => {
      settled = true
      clearTimeout(timer)
    })
  })

const claimOf = (token: string) => (answer: unknown): Effect.Effect<ReplayStore.Claim, ReplayStoreError> => {
  switch (answer) {
    case "claimed":
      return Effect.succeed(Claim.claimed(token))
    case "done":
      return Effect.succeed(Claim.done)
    case "inflight":
      return Effect.succeed(Claim.inFlight)
    default:
      return Effect.fail(
        new ReplayStoreError({ operation: "claim", description: `unexpected answer from Redis: ${String(answer)}` })
      )
  }
}

/**
 * A replay store over `client` (left open: its owner closes it).
 *
 * @internal
 */
export const makeStore = (
  client: StoreClient,
  options: RedisReplayStore.StoreOptions = {}
): ReplayStore.ReplayStore => {
  const prefix = options.keyPrefix ?? defaultKeyPrefix
  const timeout = Math.max(1, Duration.toMillis(Duration.decode(options.commandTimeout ?? defaultCommandTimeout)))
  const inflight = (token: string) => `inflight:${token}`
  return tag.of({
    claim: (key, ttl) => {
      const token = makeToken()
      return Effect.flatMap(
        call("claim", timeout, () => Scripts.run(client, Scripts.claim, prefix + key, [inflight(token), px(ttl)])),
        claimOf(token)
      )
    },
    // A success is final, whoever holds the key now: the done marker
    // replaces an expired or foreign claim too, so the handler is not run
    // again (the foreign claim's release and extend then find no match).
    complete: (key, token, ttl) =>
      Effect.asVoid(call("complete", timeout, () => client.set(prefix + key, `done:${token}`, "PX", px(ttl)))),
    release: (key, token) =>
      Effect.asVoid(call("release", timeout, () => Scripts.run(client, Scripts.release, prefix + key, [inflight(token)]))),
    extend: (key, token, ttl) =>
      Effect.asVoid(
        call("extend", timeout, () => Scripts.run(client, Scripts.extend, prefix + key, [inflight(token), px(ttl)]))
      )
  })
}
