/**
 * Reads `src/` with the TypeScript compiler and reports what the layout
 * rules of the project look at: file and function lengths, and the import
 * graph (value and type-only edges) between the project's own modules.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, posix, relative, resolve } from "node:path"
import ts from "typescript"

/** One import of a project module by another: `from` and `to` are paths relative to the root. */
export interface Edge {
  readonly from: string
  readonly to: string
  readonly typeOnly: boolean
}

/** A function-like declaration with a body, and how many lines it spans. */
export interface FunctionSpan {
  readonly file: string
  readonly line: number
  readonly name: string
  readonly lines: number
}

/** What one pass over a source tree saw. */
export interface Tree {
  readonly files: ReadonlyArray<{ readonly file: string; readonly lines: number }>
  readonly functions: ReadonlyArray<FunctionSpan>
  readonly edges: ReadonlyArray<Edge>
}

const listTs = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    return statSync(path).isDirectory() ? listTs(path) : path.endsWith(".ts") ? [path] : []
  })

const nameOf = (node: ts.Node): string => {
  if (
    (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node) ||
      ts.isGetAccessor(node) || ts.isSetAccessor(node)) && node.name !== undefined
  ) {
    return node.name.getText()
  }
  const parent = node.parent
  if (parent !== undefined && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text
  if (parent !== undefined && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text
  return "<anonymous>"
}

const isTypeOnly = (node: ts.ImportDeclaration | ts.ExportDeclaration): boolean => {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly
  const clause = node.importClause
  if (clause === undefined) return false
  if (clause.isTypeOnly) return true
  // `import { type A, type B } from` brings no value either.
  const bindings = clause.namedBindings
  return clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly)
}

/** Reads every `.ts` file below `root/dir`. */
export const readTree = (root: string, dir = "src"): Tree => {
  const files: Array<{ file: string; lines: number }> = []
  const functions: Array<FunctionSpan> = []
  const edges: Array<Edge> = []
  for (const path of listTs(join(root, dir))) {
    const file = relative(root, path).split("\\").join("/")
    const text = readFileSync(path, "utf8")
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true)
    const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line + 1
    files.push({ file, lines: text.split("\n").length - (text.endsWith("\n") ? 1 : 0) })
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
        const line = lineOf(node.getStart(source))
        functions.push({ file, line, name: nameOf(node), lines: lineOf(node.getEnd()) - line + 1 })
      }
      if (
        (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined &&
        ts.isStringLiteral(node.moduleSpecifier)
      ) {
        const specifier = node.moduleSpecifier.text
        if (specifier.startsWith(".")) {
          const target = posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, ".ts")
          edges.push({ from: file, to: target, typeOnly: isTypeOnly(node) })
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return { files, functions, edges }
}

/** The cycles of a directed graph (one per strongly connected component of two or more nodes, or a self-loop). */
export const cycles = (edges: ReadonlyArray<Pick<Edge, "from" | "to">>): ReadonlyArray<ReadonlyArray<string>> => {
  const next = new Map<string, Array<string>>()
  for (const { from, to } of edges) {
    next.set(from, [...(next.get(from) ?? []), to])
    if (!next.has(to)) next.set(to, [])
  }
  // Tarjan's algorithm, iteratively deep enough for any source tree.
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: Array<string> = []
  const onStack = new Set<string>()
  const found: Array<ReadonlyArray<string>> = []
  const connect = (node: string): void => {
    index.set(node, counter)
    low.set(node, counter)
    counter++
    stack.push(node)
    onStack.add(node)
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        connect(to)
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0))
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0))
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: Array<string> = []
      let member: string | undefined
      do {
        member = stack.pop()
        if (member === undefined) break
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      const selfLoop = (next.get(node) ?? []).includes(node)
      if (component.length > 1 || selfLoop) found.push(component.sort())
    }
  }
  for (const node of next.keys()) if (!index.has(node)) connect(node)
  return found
}

/** Every module `start` reaches through imports (value imports only unless `withTypes`). */
export const reachable = (edges: ReadonlyArray<Edge>, start: string, withTypes = false): ReadonlySet<string> => {
  const seen = new Set<string>([start])
  const todo = [start]
  for (let from = todo.pop(); from !== undefined; from = todo.pop()) {
    for (const edge of edges) {
      if (edge.from === from && (withTypes || !edge.typeOnly) && !seen.has(edge.to)) {
        seen.add(edge.to)
        todo.push(edge.to)
      }
    }
  }
  return seen
}

/** The project root (the folder holding `src/`). */
export const projectRoot = resolve(import.meta.dirname, "..", "..")
