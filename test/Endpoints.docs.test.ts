/**
 * The runnable snippet of each `docs/endpoints/*.md` page (its first `ts`
 * block) is kept as `test/fixtures/docs/<page>.ts`, with `effect-callbot`
 * resolved to this checkout, so that the project's typecheck covers it; here
 * each copy must match its page and run to completion against the simulator.
 *
 * After editing a page: `UPDATE_DOC_SNIPPETS=1 npx vitest run test/Endpoints.docs.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
const docs = join(root, "docs", "endpoints")
const copies = join(root, "test", "fixtures", "docs")

const pages = readdirSync(docs).filter((f) => f.endsWith(".md") && f !== "README.md").sort()
const copyOf = (page: string) => join(copies, page.replace(/\.md$/, ".ts"))

const header = "// Generated from docs/endpoints/*.md by test/Endpoints.docs.test.ts: edit the page, not this file.\n"

const snippet = (page: string): string => {
  const match = /```ts\n([\s\S]*?)```/.exec(readFileSync(join(docs, page), "utf8"))
  return header + (match?.[1] ?? "")
    .replaceAll("\"effect-callbot/simulator\"", "\"../../../src/Simulator.js\"")
    .replaceAll("\"effect-callbot\"", "\"../../../src/index.js\"")
}

if (process.env["UPDATE_DOC_SNIPPETS"] === "1") {
  for (const page of pages) writeFileSync(copyOf(page), snippet(page))
}

const run = (file: string, args: ReadonlyArray<string>) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(file, [...args], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
      done({ code, stdout, stderr })
    })
  })

describe("docs/endpoints snippets", () => {
  it("there is a page per endpoint group, each with a runnable snippet kept in sync", () => {
    expect(pages).toEqual(["batch.md", "lists.md", "orders.md", "ping.md", "tasks.md"])
    for (const page of pages) {
      expect(snippet(page)).toContain("Effect.runPromise(")
      expect(existsSync(copyOf(page))).toBe(true)
      expect(readFileSync(copyOf(page), "utf8"), `${page} changed: regenerate its copy`).toBe(snippet(page))
    }
  })

  it("every snippet runs to completion against the simulator", async () => {
    // One process for all of them: a rejected program exits non-zero, a hung
    // one never lets the process end.
    const imports = pages.map((page) => `import(${JSON.stringify(copyOf(page))})`).join(";")
    const result = await run(join(root, "node_modules", ".bin", "tsx"), ["--eval", imports])
    expect(result.stderr).toBe("")
    expect(result.code).toBe(0)
    for (const line of ["imported 1200 with 3 requests", "orders not finished: 250", "9999/10000 imported in 20 requests", "data=hello", "status ended"]) {
      expect(result.stdout).toContain(line)
    }
  }, 60_000)
})
