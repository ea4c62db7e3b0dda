/**
 * A real `redis-server` for the tests: started on a free loopback port with
 * no persistence, waited for until it answers PING, killed (SIGKILL) and
 * restarted on the same port on demand, stopped when the test is done.
 *
 * Missing `redis-server` fails the tests with a clear message; set
 * `CALLBOT_SKIP_REDIS_TESTS=1` to skip them on purpose.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { accessSync, constants } from "node:fs"
import * as net from "node:net"
import { delimiter, join } from "node:path"

/** Set to skip the Redis tests on purpose (they fail otherwise when `redis-server` is missing). */
export const skipRedis = process.env.CALLBOT_SKIP_REDIS_TESTS === "1"

/** The path of `redis-server` on PATH (or in /usr/bin, /usr/sbin), or `undefined`. */
export const findRedisServer = (): string | undefined => {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/bin", "/usr/sbin", "/usr/local/bin"]
  for (const dir of dirs) {
    const candidate = join(dir, "redis-server")
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const ping = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once("error", () => done(false))
    socket.once("connect", () => socket.write("PING\r\n"))
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")))
  })

export interface RedisServer {
  readonly port: number
  readonly url: string
  /** SIGKILL, and wait until the process is gone. */
  readonly kill: () => Promise<void>
  /** SIGSTOP / SIGCONT: a Redis that accepts bytes and never answers. */
  readonly pause: () => void
  readonly resume: () => void
  /** Starts it again on the same port (after `kill`). */
  readonly restart: () => Promise<void>
  /** Kills it for good. */
  readonly stop: () => Promise<void>
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()))

const launch = async (binary: string, port: number): Promise<ChildProcess> => {
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "ignore", "pipe"]
  })
  let stderr = ""
  child.stderr?.on("data", (chunk) => (stderr += String(chunk)))
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    if (await ping(port)) return child
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  child.kill("SIGKILL")
  throw new Error(`redis-server did not start on 127.0.0.1:${port} within 10 s: ${stderr.slice(0, 500)}`)
}

/** Starts a fresh `redis-server`; throws a clear error when it is not installed. */
export const startRedis = async (): Promise<RedisServer> => {
  const binary = findRedisServer()
  if (binary === undefined) {
    throw new Error(
      "redis-server is not installed (apt-get install redis-server); the Redis replay store tests need a real one. " +
        "Set CALLBOT_SKIP_REDIS_TESTS=1 to skip them on purpose."
    )
  }
  const port = await freePort()
  let child = await launch(binary, port)
  const kill = async () => {
    child.kill("SIGCONT")
    child.kill("SIGKILL")
    await exited(child)
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    pause: () => void child.kill("SIGSTOP"),
    resume: () => void child.kill("SIGCONT"),
    restart: async () => {
      await kill()
      child = await launch(binary, port)
    },
    stop: kill
  }
}
