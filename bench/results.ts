import { existsSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CORPUS_RECORDS } from "./corpus.js";

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_JSON = path.join(BENCH_DIR, "results.json");
const RESULTS_MD = path.join(BENCH_DIR, "RESULTS.md");
/** Findings written by hand, appended to RESULTS.md at every write. */
const NOTES_MD = path.join(BENCH_DIR, "NOTES.md");

/** One measured figure, with the target it is held against (if any). */
export interface Figure {
  name: string;
  value: string;
  target?: string;
  /** Whether the target holds; undefined when there is no target. */
  met?: boolean;
}

export interface SectionResult {
  title: string;
  /** How the section was measured, in a sentence or two (for a per-corpus row: the same for every row). */
  method: string;
  figures: Figure[];
  measuredAt: string;
  machine: string;
  /**
   * Set when the section is measured per corpus: this result is one row of the section's table,
   * saved under `<section>/<shape>/<articles>`.
   */
  corpus?: CorpusRow;
  /** The command that produced the result, as typed. */
  command?: string;
}

/** Which corpus a per-corpus result was measured on. */
export interface CorpusRow {
  shape: string;
  articles: number;
  /** The layout, in a sentence (the same for every size of a shape). */
  description: string;
}

/** The key of a per-corpus result: `reindex/files/20000`. */
export function corpusKey(section: string, shape: string, articles: number): string {
  return `${section}/${shape}/${articles}`;
}

/** The command line this bench run was started with, for the method text. */
export function benchCommand(): string {
  const args = process.argv.slice(2);
  return ["npm run bench", ...(args.length > 0 ? ["--", ...args] : [])].join(" ");
}

export function machineLine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/**
 * Stores one section's result (keeping the others from earlier runs) and rewrites RESULTS.md.
 * A per-corpus key (`check/files/20000`) replaces the section's older single result (`check`).
 */
export async function saveSection(key: string, result: SectionResult): Promise<void> {
  const all = await loadResults();
  all[key] = result;
  const section = sectionOf(key);
  if (section !== key) delete all[section];
  await writeFile(RESULTS_JSON, `${JSON.stringify(all, null, 2)}\n`);
  await writeFile(RESULTS_MD, renderMarkdown(all));
}

async function loadResults(): Promise<Record<string, SectionResult>> {
  try {
    return JSON.parse(await readFile(RESULTS_JSON, "utf8")) as Record<string, SectionResult>;
  } catch {
    return {};
  }
}

const SECTION_ORDER = ["check", "reindex", "watch", "search", "related", "algolia", "load"];
/** Rows of a per-corpus table, in this order (then by size). */
const SHAPE_ORDER = ["files", "ndjson", "mixed"];

function sectionOf(key: string): string {
  return key.split("/")[0] as string;
}

function renderMarkdown(all: Record<string, SectionResult>): string {
  const lines = [
    "# Benchmark results",
    "",
    "Written by `npm run bench` (`npm run bench -- --only SECTION` reruns one section and keeps the others;",
    "`--shape NAME` and `--articles N` choose the corpora). Every figure comes from generated data",
    "(`bench/corpus.ts`, `bench/shapes.ts`, seeded), measured on the machine named in its section.",
    "",
  ];
  const groups = new Map<string, SectionResult[]>();
  for (const [key, result] of Object.entries(all)) {
    const section = sectionOf(key);
    groups.set(section, [...(groups.get(section) ?? []), result]);
  }
  renderCorpora(lines, Object.values(all));
  const sections = [...groups.keys()].sort((a, b) => order(a) - order(b));
  for (const section of sections) {
    const results = groups.get(section) as SectionResult[];
    if (results.every((result) => result.corpus !== undefined)) renderCorpusTable(lines, results);
    else for (const result of results) renderSingle(lines, result);
  }
  // What the figures mean and what was changed for them, written by hand (kept across runs).
  if (existsSync(NOTES_MD)) lines.push(readFileSync(NOTES_MD, "utf8").trim(), "");
  return lines.join("\n");
}

function verdict(figure: Figure): string {
  return figure.met === undefined ? "" : figure.met ? "met" : "**missed**";
}

function renderSingle(lines: string[], result: SectionResult): void {
  lines.push(
    `## ${result.title}`,
    "",
    result.method,
    "",
    `Measured ${result.measuredAt} on ${result.machine}${result.command ? ` by \`${result.command}\`` : ""}.`,
    "",
  );
  lines.push("| figure | value | target | |", "| --- | --- | --- | --- |");
  for (const figure of result.figures)
    lines.push(`| ${figure.name} | ${figure.value} | ${figure.target ?? ""} | ${verdict(figure)} |`);
  lines.push("");
}

/** The corpus shapes the per-corpus tables have rows for, described once. */
function renderCorpora(lines: string[], results: SectionResult[]): void {
  const shapes = new Map<string, string>();
  const rows = results.flatMap((result) => (result.corpus ? [result.corpus] : []));
  for (const row of rows.sort((a, b) => shapeOrder(a.shape) - shapeOrder(b.shape)))
    shapes.set(row.shape, row.description);
  if (shapes.size === 0) return;
  lines.push(
    "## Corpora",
    "",
    `The per-corpus tables have a row per shape and size (N articles). ${CORPUS_RECORDS}`,
    "",
  );
  for (const [shape, description] of shapes) lines.push(`- \`${shape}\`: ${description}.`);
  lines.push("");
}

function rowName(row: CorpusRow): string {
  return `${row.shape}, ${row.articles.toLocaleString("en-US")}`;
}

/** One table for a section measured per corpus: a row per shape and size, a column per figure. */
function renderCorpusTable(lines: string[], results: SectionResult[]): void {
  const rows = [...results].sort((a, b) => {
    const [x, y] = [a.corpus as CorpusRow, b.corpus as CorpusRow];
    return x.articles - y.articles || shapeOrder(x.shape) - shapeOrder(y.shape);
  });
  const latest = rows.reduce((kept, result) => (result.measuredAt > kept.measuredAt ? result : kept));
  lines.push(`## ${latest.title}`, "", latest.method, "");
  const columns: Figure[] = [];
  for (const result of rows)
    for (const figure of result.figures)
      if (!columns.some((column) => column.name === figure.name)) columns.push(figure);
  const header = columns.map((column) => (column.target ? `${column.name} (target ${column.target})` : column.name));
  lines.push(`| corpus | ${header.join(" | ")} |`, `| --- | ${columns.map(() => "---").join(" | ")} |`);
  for (const result of rows) {
    const cells = columns.map((column) => {
      const figure = result.figures.find((candidate) => candidate.name === column.name);
      if (!figure) return "";
      return figure.met === undefined ? figure.value : `${figure.value} ${verdict(figure)}`;
    });
    lines.push(`| ${rowName(result.corpus!)} | ${cells.join(" | ")} |`);
  }
  lines.push("");
  for (const column of columns.filter((candidate) => candidate.target)) {
    const missed = rows
      .filter((result) => result.figures.find((figure) => figure.name === column.name)?.met === false)
      .map((result) => rowName(result.corpus!));
    lines.push(
      `- ${column.name} ${column.target} on every corpus: ${missed.length === 0 ? "met" : `**missed** on ${missed.join("; ")}`}.`,
    );
  }
  lines.push("");
  const runs = new Map<string, string[]>();
  for (const result of rows) {
    const run = `${result.measuredAt} on ${result.machine}${result.command ? ` by \`${result.command}\`` : ""}`;
    runs.set(run, [...(runs.get(run) ?? []), rowName(result.corpus!)]);
  }
  if (runs.size === 1) lines.push(`Measured ${[...runs.keys()][0]}.`, "");
  else for (const [run, names] of runs) lines.push(`- ${names.join("; ")}: measured ${run}.`);
  if (runs.size > 1) lines.push("");
}

function shapeOrder(shape: string): number {
  const index = SHAPE_ORDER.indexOf(shape);
  return index === -1 ? SHAPE_ORDER.length : index;
}

function order(key: string): number {
  const index = SECTION_ORDER.indexOf(key);
  return index === -1 ? SECTION_ORDER.length : index;
}
