/**
 * Small statistics and reporting helpers shared by the benchmark sections.
 */

/** The value at quantile `q` (0..1) of `values`, linear interpolation; `NaN` when empty. */
export const quantile = (values: ReadonlyArray<number>, q: number): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const position = (sorted.length - 1) * q
  const lower = Math.floor(position)
  const upper = Math.ceil(position)
  const a = sorted[lower] ?? Number.NaN
  const b = sorted[upper] ?? Number.NaN
  return a + (b - a) * (position - lower)
}

export const median = (values: ReadonlyArray<number>): number => quantile(values, 0.5)

/** A comparison target: `ratio >= value` or `ratio <= value`, or an absolute bound on the SDK figure. */
export interface Target {
  readonly op: ">=" | "<="
  readonly value: number
  /** `ratio` (SDK / baseline) or `absolute` (the SDK figure itself). */
  readonly on: "ratio" | "absolute"
}

/** One row of the results table. */
export interface Figure {
  readonly section: string
  readonly name: string
  readonly unit: string
  /** `undefined` where there is no baseline (scale). */
  readonly baseline: number | undefined
  readonly sdk: number
  /** SDK / baseline, `undefined` without a baseline. */
  readonly ratio: number | undefined
  readonly target: Target | undefined
  /** `undefined` when there is no target (informational rows). */
  readonly pass: boolean | undefined
  readonly note?: string | undefined
}

export const figure = (input: {
  readonly section: string
  readonly name: string
  readonly unit: string
  readonly baseline?: number | undefined
  readonly sdk: number
  readonly target?: Target | undefined
  readonly note?: string | undefined
}): Figure => {
  const ratio = input.baseline === undefined || input.baseline === 0 ? undefined : input.sdk / input.baseline
  const target = input.target
  let pass: boolean | undefined = undefined
  if (target !== undefined) {
    const value = target.on === "ratio" ? ratio : input.sdk
    pass = value === undefined || Number.isNaN(value)
      ? false
      : target.op === ">="
      ? value >= target.value
      : value <= target.value
  }
  return {
    section: input.section,
    name: input.name,
    unit: input.unit,
    baseline: input.baseline,
    sdk: input.sdk,
    ratio,
    target,
    pass,
    note: input.note
  }
}

export const formatNumber = (n: number | undefined): string => {
  if (n === undefined || Number.isNaN(n)) return "—"
  const abs = Math.abs(n)
  if (abs >= 1000) return Math.round(n).toLocaleString("en-US")
  if (abs >= 100) return n.toFixed(0)
  if (abs >= 10) return n.toFixed(1)
  if (abs >= 1) return n.toFixed(2)
  return n.toPrecision(3)
}

export const formatTarget = (target: Target | undefined): string =>
  target === undefined ? "—" : `${target.on === "ratio" ? "ratio " : ""}${target.op} ${target.value}${target.on === "ratio" ? "×" : ""}`

const formatPass = (pass: boolean | undefined): string => (pass === undefined ? "info" : pass ? "PASS" : "FAIL")

const rows = (figures: ReadonlyArray<Figure>): Array<Array<string>> =>
  figures.map((f) => [
    f.section,
    `${f.name} (${f.unit})`,
    formatNumber(f.baseline),
    formatNumber(f.sdk),
    f.ratio === undefined ? "—" : `${f.ratio.toFixed(2)}×`,
    formatTarget(f.target),
    formatPass(f.pass)
  ])

const header = ["section", "figure", "baseline", "SDK", "ratio", "target", "result"]

/** The table as aligned plain text, for the terminal. */
export const textTable = (figures: ReadonlyArray<Figure>): string => {
  const all = [header, ...rows(figures)]
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)))
  const line = (row: ReadonlyArray<string>) =>
    row.map((cell, i) => (i >= 2 && i <= 4 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join("  ")
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows(figures).map(line)].join("\n")
}

/** The table as Markdown, for docs/benchmarks.md. */
export const markdownTable = (figures: ReadonlyArray<Figure>): string => {
  const line = (row: ReadonlyArray<string>) => `| ${row.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`
  return [
    line(header),
    line(header.map((_, i) => (i >= 2 && i <= 4 ? "---:" : "---"))),
    ...rows(figures).map(line)
  ].join("\n")
}
