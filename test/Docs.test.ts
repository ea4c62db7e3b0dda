/**
 * Every `ts` block of README.md and docs/**\/*.md compiles as written.
 *
 * The blocks of one page are read as one module, in order (a later block may
 * use what an earlier one defined, as a reader does), with the imports of all
 * blocks gathered at the top and `effect-callbot[/x]` resolved to `src/`. A
 * block whose first line is `// fragment` is a piece of a bigger program
 * (an Express route, a config file) and is skipped.
 */
import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { join, relative, resolve } from "node:path"
import ts from "typescript"

const root = resolve(import.meta.dirname, "..")
const FRAGMENT = "// fragment"

const pages = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? pages(join(dir, entry.name))
      : entry.name.endsWith(".md")
      ? [join(dir, entry.name)]
      : []
  )

const allPages = [join(root, "README.md"), ...pages(join(root, "docs"))].sort()

export interface Block {
  readonly line: number
  readonly code: string
}

export const blocksOf = (markdown: string): ReadonlyArray<Block> => {
  const blocks: Array<Block> = []
  const lines = markdown.split("\n")
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "```ts") continue
    const start = i + 1
    let end = start
    while (end < lines.length && lines[end] !== "```") end++
    blocks.push({ line: start + 1, code: lines.slice(start, end).join("\n") })
    i = end
  }
  return blocks
}

const importLine = /^import\s[\s\S]*?\sfrom\s+"[^"]+"\s*$/gm

const namedImport = /^import\s+(type\s+)?\{([^}]*)\}\s+from\s+"([^"]+)"$/

/** One module per page: the imports of every block on top (the same names from the same module once), then each block's body in order. */
export const moduleOf = (blocks: ReadonlyArray<Block>): string => {
  const named = new Map<string, Set<string>>()
  const other = new Set<string>()
  const bodies: Array<string> = []
  for (const block of blocks.filter((b) => !b.code.startsWith(FRAGMENT))) {
    for (const match of block.code.matchAll(importLine)) {
      const statement = match[0].replace(/\s+/g, " ").trim()
      const parts = namedImport.exec(statement)
      if (parts === null) {
        other.add(statement)
        continue
      }
      const key = `${parts[1] === undefined ? "" : "type "}${parts[3]}`
      const names = named.get(key) ?? new Set<string>()
      for (const name of (parts[2] ?? "").split(",").map((n) => n.trim()).filter((n) => n !== "")) names.add(name)
      named.set(key, names)
    }
    // Keep the line numbers: an import line becomes an empty line.
    bodies.push(`// line ${block.line}\n${block.code.replace(importLine, (line) => line.replace(/[^\n]/g, ""))}`)
  }
  const imports = [...named].map(([key, names]) => {
    const typeOnly = key.startsWith("type ")
    return `import ${typeOnly ? "type " : ""}{ ${[...names].join(", ")} } from "${typeOnly ? key.slice(5) : key}"`
  })
  return [...imports, ...other].join("\n") + "\nexport {}\n" + bodies.join("\n")
}

const typecheck = (sources: ReadonlyMap<string, string>): ReadonlyArray<string> => {
  const config = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    noUnusedLocals: false,
    noUnusedParameters: false,
    baseUrl: root,
    paths: {
      "effect-callbot": ["src/index.ts"],
      "effect-callbot/simulator": ["src/Simulator.ts"],
      "effect-callbot/testing": ["src/Testing.ts"],
      "effect-callbot/redis": ["src/RedisReplayStore.ts"],
      "effect-callbot/undici": ["src/UndiciHttpClient.ts"]
    }
  }
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile
  const fileExists = host.fileExists
  host.readFile = (file) => sources.get(file) ?? readFile(file)
  host.fileExists = (file) => sources.has(file) || fileExists(file)
  const program = ts.createProgram([...sources.keys()], options, host)
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && sources.has(d.file.fileName))
    .map((d) => {
      const file = d.file!
      const { line } = file.getLineAndCharacterOfPosition(d.start ?? 0)
      const text = file.text.split("\n")
      let origin = "?"
      for (let i = line; i >= 0; i--) {
        const marker = /^\/\/ line (\d+)$/.exec(text[i] ?? "")
        if (marker !== null) {
          origin = String(Number(marker[1]) + line - i - 1)
          break
        }
      }
      return `${relative(root, file.fileName.replace(/\.docs\.ts$/, ""))}:${origin}: ${
        ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n")[0]
      }`
    })
}

describe("the code in the docs", () => {
  it("finds the ts blocks of the README and the docs (a check over nothing would pass)", () => {
    const count = allPages.reduce((n, page) => n + blocksOf(readFileSync(page, "utf8")).length, 0)
    expect(count).toBeGreaterThan(30)
    expect(blocksOf("a\n```ts\nconst x = 1\n```\nb\n```sh\nls\n```\n")).toEqual([{ line: 3, code: "const x = 1" }])
  })

  it("every ts block of README.md and docs/**/*.md typechecks as written", () => {
    const sources = new Map(
      allPages.flatMap((page) => {
        const blocks = blocksOf(readFileSync(page, "utf8"))
        return blocks.length === 0 ? [] : [[`${page}.docs.ts`, moduleOf(blocks)] as const]
      })
    )
    expect(typecheck(sources)).toEqual([])
  }, 120_000)

  it("a block that does not compile is reported with its page and line", () => {
    const page = join(root, "docs", "example.md")
    const sources = new Map([[`${page}.docs.ts`, moduleOf(blocksOf("# x\n\n```ts\nconst n: number = \"one\"\n```\n"))]])
    expect(typecheck(sources)).toEqual([
      "docs/example.md:4: Type 'string' is not assignable to type 'number'."
    ])
  }, 120_000)
})
