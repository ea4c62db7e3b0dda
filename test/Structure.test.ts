/**
 * The layout rules of `src/` (docs/architecture.md), checked on the code as
 * it is: public modules are faces over `src/internal/<side>/`, imports run
 * one way, and no file or function grows into a module of its own.
 */
import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { cycles, type Edge, projectRoot, reachable, readTree } from "./support/structure.js"

const tree = readTree(projectRoot)
const MAX_FILE_LINES = 800
const MAX_FUNCTION_LINES = 150

/** Which public modules each internal side is the code of: the only places a type may be imported up to. */
const faces: Record<string, ReadonlyArray<string>> = {
  "src/internal/errors/": ["src/CallbotError.ts"],
  "src/internal/endpoints/": ["src/Endpoints.ts"],
  "src/internal/retry/": ["src/RetryPolicy.ts"],
  "src/internal/client/": ["src/CallbotClient.ts"],
  "src/internal/api/": ["src/CallbotApi.ts"],
  "src/internal/callback/": ["src/Callback.ts", "src/ReplayStore.ts"],
  "src/internal/simulator/": ["src/Simulator.ts", "src/Testing.ts"],
  "src/internal/metrics/": ["src/CallbotMetrics.ts"],
  "src/internal/redis/": ["src/RedisReplayStore.ts"],
  "src/internal/undici/": ["src/UndiciHttpClient.ts"]
}

/** The command line: one more face over the public modules, which nothing in the library may import. */
const cliSide = "src/cli/"

const sideOf = (file: string): string | undefined => Object.keys(faces).find((side) => file.startsWith(side))
const isInternal = (file: string) => file.startsWith("src/internal/")
const isPublic = (file: string) => /^src\/[^/]+\.ts$/.test(file)
const inSide = (prefixes: ReadonlyArray<string>) => (file: string) => prefixes.some((prefix) => file.startsWith(prefix))

describe("structure of src/", () => {
  it("reads the whole tree (a check over nothing would pass by itself)", () => {
    expect(tree.files.length).toBeGreaterThan(20)
    expect(tree.functions.length).toBeGreaterThan(200)
    expect(tree.edges.filter((edge) => !edge.typeOnly).length).toBeGreaterThan(50)
  })

  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    expect(tree.files.filter((file) => file.lines > MAX_FILE_LINES)).toEqual([])
  })

  it(`has no function over ${MAX_FUNCTION_LINES} lines, closures included`, () => {
    expect(tree.functions.filter((fn) => fn.lines > MAX_FUNCTION_LINES)).toEqual([])
  })

  it("has no circle among value imports", () => {
    expect(cycles(tree.edges.filter((edge) => !edge.typeOnly))).toEqual([])
  })

  it("has no circle at all once an internal module's type-only imports of public modules are set aside", () => {
    const kept = tree.edges.filter((edge) => !(edge.typeOnly && isInternal(edge.from) && isPublic(edge.to)))
    expect(cycles(kept)).toEqual([])
  })

  it("lets an internal module import types up only from its own face", () => {
    // Up: to a public module whose own imports reach the internal one (a face
    // above it). Down, to the ground floor (Models, Signer, ...), any import is fine.
    const stray = tree.edges.filter((edge) => {
      if (!isInternal(edge.from) || !isPublic(edge.to) || !edge.typeOnly) return false
      if (!reachable(tree.edges, edge.to, true).has(edge.from)) return false
      const side = sideOf(edge.from)
      return side === undefined || !(faces[side] ?? []).includes(edge.to)
    })
    expect(stray).toEqual([])
  })

  it("keeps every internal module in a side's folder", () => {
    expect(tree.files.map(({ file }) => file).filter((file) => isInternal(file) && sideOf(file) === undefined))
      .toEqual([])
  })

  it("keeps the callback side off the client and the api", () => {
    const callbackSide = ["src/Callback.ts", "src/ReplayStore.ts", "src/internal/callback/"]
    const forbidden = inSide(["src/CallbotClient.ts", "src/CallbotApi.ts", "src/internal/client/", "src/internal/api/"])
    const reached = callbackSide.flatMap((start) =>
      tree.files.map(({ file }) => file).filter(inSide([start])).flatMap((file) => [
        ...reachable(tree.edges, file, true)
      ])
    )
    expect(reached.filter(forbidden)).toEqual([])
  })

  it("keeps the client off the api", () => {
    const reached = [...reachable(tree.edges, "src/CallbotClient.ts", true)]
    expect(reached.filter(inSide(["src/CallbotApi.ts", "src/internal/api/"]))).toEqual([])
  })

  it("keeps the main entry free of the simulator, the test kit and anything Node-only of theirs", () => {
    const reached = [...reachable(tree.edges, "src/index.ts", true)]
    expect(reached).toContain("src/CallbotApi.ts")
    expect(reached.filter(inSide(["src/Simulator.ts", "src/Testing.ts", "src/internal/simulator/"]))).toEqual([])
  })

  it("keeps the main entry free of the Redis store and of ioredis (apps without Redis never load it)", () => {
    const reached = [...reachable(tree.edges, "src/index.ts", true)]
    expect(reached).toContain("src/ReplayStore.ts")
    expect(reached.filter(inSide(["src/RedisReplayStore.ts", "src/internal/redis/"]))).toEqual([])
    const ioredis = /from "ioredis"|import\("ioredis"\)|require\("ioredis"\)/
    expect(reached.filter((file) => ioredis.test(readFileSync(join(projectRoot, file), "utf8")))).toEqual([])
    // The check can see an ioredis import where there is one.
    expect(ioredis.test(readFileSync(join(projectRoot, "src/internal/redis/client.ts"), "utf8"))).toBe(true)
  })

  it("keeps the main entry free of the undici client and of undici (apps on FetchHttpClient never load it)", () => {
    const reached = [...reachable(tree.edges, "src/index.ts", true)]
    expect(reached.filter(inSide(["src/UndiciHttpClient.ts", "src/internal/undici/"]))).toEqual([])
    const undici = /from "undici"|import\("undici"\)|require\("undici"\)/
    expect(reached.filter((file) => undici.test(readFileSync(join(projectRoot, file), "utf8")))).toEqual([])
    // The check can see an undici import where there is one.
    expect(undici.test(readFileSync(join(projectRoot, "src/internal/undici/client.ts"), "utf8"))).toBe(true)
  })

  it("keeps the library free of the command line, and the command line on the public modules", () => {
    const files = tree.files.map(({ file }) => file)
    expect(files.filter(inSide([cliSide])).length).toBeGreaterThan(5)
    const library = files.filter((file) => !file.startsWith(cliSide))
    expect(library.flatMap((file) => [...reachable(tree.edges, file, true)]).filter(inSide([cliSide]))).toEqual([])
    expect(tree.edges.filter((edge) => edge.from.startsWith(cliSide) && isInternal(edge.to))).toEqual([])
  })

  it("has an index that only re-exports public modules as namespaces", () => {
    const code = readFileSync(join(projectRoot, "src/index.ts"), "utf8")
      .replace(/\/\*\*[\s\S]*?\*\//g, "")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "")
    expect(code.length).toBeGreaterThan(5)
    expect(code.filter((line) => !/^export \* as \w+ from "\.\/\w+\.js"$/.test(line))).toEqual([])
  })
})

describe("the structure checks themselves", () => {
  const edge = (from: string, to: string, typeOnly = false): Edge => ({ from, to, typeOnly })

  it("find a circle, a self-loop and nothing in a chain", () => {
    expect(cycles([edge("a", "b"), edge("b", "c"), edge("c", "a"), edge("c", "d")])).toEqual([["a", "b", "c"]])
    expect(cycles([edge("a", "a")])).toEqual([["a"]])
    expect(cycles([edge("a", "b"), edge("b", "c"), edge("a", "c")])).toEqual([])
  })

  it("follow value imports, and type imports only when asked", () => {
    const edges = [edge("a", "b"), edge("b", "c", true), edge("c", "d")]
    expect([...reachable(edges, "a")].sort()).toEqual(["a", "b"])
    expect([...reachable(edges, "a", true)].sort()).toEqual(["a", "b", "c", "d"])
  })
})
