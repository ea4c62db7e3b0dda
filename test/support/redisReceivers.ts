/**
 * Receiver instances as child processes (test/redis/receiverProcess.ts),
 * each on its own port, and a raw `node:http` sender for them.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { request } from "node:http"
import { join } from "node:path"
import { SECRET, signBody } from "../CallbackFixtures.js"
import { projectRoot } from "./structure.js"

export interface Instance {
  readonly port: number
  /** The requestIDs its handler ran for, in order. */
  readonly runs: ReadonlyArray<string>
  readonly alive: () => boolean
  readonly stop: () => Promise<void>
}

/** Starts one receiver process on `redisUrl`; resolves once it listens (30 s at most: a loaded machine transpiles slowly). */
export const startInstance = (redisUrl: string): Promise<Instance> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ["--import", "tsx", join(projectRoot, "test/redis/receiverProcess.ts")],
      { cwd: projectRoot, env: { ...process.env, REDIS_URL: redisUrl, CALLBOT_SECRET: SECRET }, stdio: ["ignore", "pipe", "pipe"] }
    )
    const runs: Array<string> = []
    let stderr = ""
    let pending = ""
    const exited = new Promise<void>((done) => child.once("exit", () => done()))
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM")
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000)
        await exited
        clearTimeout(timer)
      }
    }
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`receiver process did not listen within 30 s: ${stderr.slice(0, 1000)}`))
    }, 30_000)
    child.stderr?.on("data", (chunk) => (stderr += String(chunk)))
    child.stdout?.on("data", (chunk) => {
      pending += String(chunk)
      const lines = pending.split("\n")
      pending = lines.pop() ?? ""
      for (const line of lines) {
        const [word, value] = line.split(" ")
        if (word === "RAN" && value !== undefined) runs.push(value)
        if (word === "LISTENING" && value !== undefined) {
          clearTimeout(timer)
          resolve({ port: Number(value), runs, alive: () => child.exitCode === null && child.signalCode === null, stop })
        }
      }
    })
    child.once("exit", (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`receiver process exited (${code ?? signal}) before listening: ${stderr.slice(0, 1000)}`))
    })
  })

export interface Delivery {
  readonly requestID: string
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
}

/** A delivery signed now (real clock) with `requestID`. */
export const delivery = (body: object, requestID: string): Delivery => ({
  requestID,
  ...signBody(body, { requestID, createTs: Math.floor(Date.now() / 1000) })
})

export interface Answer {
  readonly status: number
  readonly retCode: number | undefined
}

/** Posts a delivery (no keep-alive, 5 s deadline). */
export const post = (port: number, d: Delivery): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port,
      path: "/callbot",
      method: "POST",
      agent: false,
      timeout: 5000,
      headers: { ...d.headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(d.body)) }
    })
    req.on("response", (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (chunk: Buffer) => chunks.push(chunk))
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString()
        let retCode: number | undefined
        try {
          retCode = JSON.parse(text).retCode
        } catch {
          retCode = undefined
        }
        resolve({ status: res.statusCode ?? 0, retCode })
      })
    })
    req.on("timeout", () => req.destroy(new Error("no answer within 5 s")))
    req.on("error", reject)
    req.end(d.body)
  })

/** Waits until `check` holds or `millis` pass. */
export const eventually = async (check: () => boolean, millis: number): Promise<void> => {
  const deadline = Date.now() + millis
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25))
}
