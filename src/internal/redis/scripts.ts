/**
 * The Lua scripts of the Redis replay store, each one atomic on the server,
 * and how they are run: `EVALSHA` first, `EVAL` once when the server does
 * not know the script yet (after a restart or a `SCRIPT FLUSH`).
 *
 * Values: `inflight:<token>` while a handler runs, `done:<token>` once it
 * succeeded. Every key has a `PX` expiry, so Redis forgets on its own.
 *
 * @internal
 */
import { createHash } from "node:crypto"
import type { Redis } from "ioredis"

/** A script and its SHA-1, the name `EVALSHA` knows it by. @internal */
export interface Script {
  readonly source: string
  readonly sha: string
}

const script = (source: string): Script => ({ source, sha: createHash("sha1").update(source).digest("hex") })

/**
 * KEYS[1] the key, ARGV[1] `inflight:<token>`, ARGV[2] the ttl in ms.
 * Sets the key only if absent (`SET NX PX`) and, when it is not, tells a
 * done key from an in-flight one in the same step: `claimed`, `done` or
 * `inflight`. Finding our own value means this very claim was sent twice
 * (a resend after a reconnect): still ours.
 *
 * @internal
 */
export const claim: Script = script(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'claimed' end
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then return 'claimed' end
if current and string.sub(current, 1, 5) == 'done:' then return 'done' end
return 'inflight'
`)

/**
 * KEYS[1] the key, ARGV[1] `inflight:<token>`: deletes the key only if it
 * still holds this claim. Returns 1 when deleted.
 *
 * @internal
 */
export const release: Script = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

/**
 * KEYS[1] the key, ARGV[1] `inflight:<token>`, ARGV[2] the ttl in ms:
 * pushes the expiry only if the key still holds this claim. Returns 1 when
 * extended.
 *
 * @internal
 */
export const extend: Script = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`)

/** What running a script needs of a client. @internal */
export type ScriptClient = Pick<Redis, "eval" | "evalsha">

const unknownScript = (error: unknown): boolean =>
  error instanceof Error && error.message.startsWith("NOSCRIPT")

/**
 * Runs `script` on one key: `EVALSHA`, then `EVAL` if the server answers
 * `NOSCRIPT` (which also loads it for the next `EVALSHA`).
 *
 * @internal
 */
export const run = (
  client: ScriptClient,
  script: Script,
  key: string,
  args: ReadonlyArray<string | number>
): Promise<unknown> =>
  client.evalsha(script.sha, 1, key, ...args).catch((error: unknown) =>
    unknownScript(error) ? client.eval(script.source, 1, key, ...args) : Promise.reject(error)
  )
