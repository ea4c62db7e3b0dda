/**
 * A raw `node:http` server on 127.0.0.1 for the length of a scope: listens on
 * a free port (yielded), and on release drops its connections and closes.
 */
import { Effect } from "effect"
import type { createServer } from "node:http"

export const listen = (server: ReturnType<typeof createServer>) =>
  Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
