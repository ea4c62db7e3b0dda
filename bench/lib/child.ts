/**
 * Child processes for the parts that must not share the event loop (or the
 * RSS) of the code being measured: the simulator, the callback load
 * generator, the scale run. Each child is a `tsx` script talking over IPC.
 */
import { type ChildProcess, fork } from "node:child_process"
import { fileURLToPath } from "node:url"

export interface Message {
  readonly type: string
  readonly [key: string]: unknown
}

export interface Child {
  readonly pid: number
  readonly send: (message: Message) => void
  /** Resolves with the next message of this type (messages are queued until asked for). */
  readonly next: (type: string, timeoutMs?: number) => Promise<Message>
  /** Sends `message` and waits for the reply of type `reply`. */
  readonly request: (message: Message, reply: string, timeoutMs?: number) => Promise<Message>
  readonly stop: () => Promise<void>
}

const isMessage = (u: unknown): u is Message =>
  typeof u === "object" && u !== null && "type" in u && typeof u.type === "string"

/**
 * Whether this code runs compiled (`bench/.build`, plain Node, as `npm run
 * bench` does) or from source under tsx.
 */
export const compiled: boolean = import.meta.url.endsWith(".js")

/** Path of a bench script (name without extension), compiled or source like this one. */
export const benchFile = (name: string): string =>
  fileURLToPath(new URL(`../${name}${compiled ? ".js" : ".ts"}`, import.meta.url))

/**
 * Starts the bench script `name` (no extension) with an IPC channel: plain
 * Node when compiled, tsx otherwise. `execArgv` may add Node flags (e.g.
 * `--cpu-prof`).
 */
export const spawnChild = (script: string, args: ReadonlyArray<string> = [], execArgv: ReadonlyArray<string> = []): Child => {
  const child: ChildProcess = fork(benchFile(script), [...args], {
    execArgv: [...(compiled ? [] : ["--import", "tsx"]), ...execArgv],
    stdio: ["ignore", "inherit", "inherit", "ipc"]
  })
  const queue: Array<Message> = []
  const waiters: Array<{ type: string; resolve: (m: Message) => void; reject: (e: Error) => void }> = []
  let exited: Error | undefined = undefined

  child.on("message", (raw: unknown) => {
    if (!isMessage(raw)) return
    const index = waiters.findIndex((w) => w.type === raw.type)
    if (index >= 0) {
      const [waiter] = waiters.splice(index, 1)
      waiter?.resolve(raw)
    } else {
      queue.push(raw)
    }
  })
  child.on("exit", (code, signal) => {
    exited = new Error(`child ${script} exited (code ${code}, signal ${signal})`)
    for (const w of waiters.splice(0)) w.reject(exited)
  })

  const next = (type: string, timeoutMs = 120_000): Promise<Message> => {
    const index = queue.findIndex((m) => m.type === type)
    if (index >= 0) {
      const [message] = queue.splice(index, 1)
      if (message !== undefined) return Promise.resolve(message)
    }
    if (exited !== undefined) return Promise.reject(exited)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child ${script}: no "${type}" within ${timeoutMs} ms`)), timeoutMs)
      waiters.push({
        type,
        resolve: (m) => {
          clearTimeout(timer)
          resolve(m)
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        }
      })
    })
  }

  return {
    pid: child.pid ?? -1,
    send: (message) => {
      child.send(message)
    },
    next,
    request: (message, reply, timeoutMs) => {
      const answer = next(reply, timeoutMs)
      child.send(message)
      return answer
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited !== undefined || child.exitCode !== null) return resolve()
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000)
        child.once("exit", () => {
          clearTimeout(timer)
          resolve()
        })
        // Ask politely first so a `--cpu-prof` child can write its profile.
        child.send({ type: "stop" })
      })
  }
}

/** In a child: replies to IPC messages; `stop` ends the process after `onStop`. */
export const serveParent = (
  handlers: Record<string, (message: Message) => Promise<Message | undefined> | Message | undefined>,
  onStop: () => Promise<void> = async () => {}
): void => {
  process.on("message", (raw: unknown) => {
    if (!isMessage(raw)) return
    if (raw.type === "stop") {
      void onStop().finally(() => process.exit(0))
      return
    }
    const handler = handlers[raw.type]
    if (handler === undefined) return
    void Promise.resolve(handler(raw)).then(
      (reply) => {
        if (reply !== undefined) process.send?.(reply)
      },
      (error: unknown) => {
        process.send?.({ type: "error", message: String(error) })
      }
    )
  })
  process.on("disconnect", () => process.exit(0))
}

export const toParent = (message: Message): void => {
  process.send?.(message)
}

export const numberField = (message: Message, key: string): number => {
  const value = message[key]
  if (typeof value !== "number") throw new Error(`message ${message.type}: ${key} is not a number`)
  return value
}

export const stringField = (message: Message, key: string): string => {
  const value = message[key]
  if (typeof value !== "string") throw new Error(`message ${message.type}: ${key} is not a string`)
  return value
}
