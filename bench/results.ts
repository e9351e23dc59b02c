import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_JSON = path.join(BENCH_DIR, "results.json");
const RESULTS_MD = path.join(BENCH_DIR, "RESULTS.md");

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
  /** How the section was measured, in a sentence or two. */
  method: string;
  figures: Figure[];
  measuredAt: string;
  machine: string;
}

export function machineLine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Stores one section's result (keeping the others from earlier runs) and rewrites RESULTS.md. */
export async function saveSection(key: string, result: SectionResult): Promise<void> {
  const all = await loadResults();
  all[key] = result;
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

const SECTION_ORDER = ["check", "reindex", "watch", "search", "related"];

function renderMarkdown(all: Record<string, SectionResult>): string {
  const lines = [
    "# Benchmark results",
    "",
    "Written by `npm run bench` (`npm run bench -- --only SECTION` reruns one section and keeps the others).",
    "Every figure comes from generated data (`bench/corpus.ts`, seeded), measured on the machine named in its section.",
    "",
  ];
  const keys = Object.keys(all).sort((a, b) => order(a) - order(b));
  for (const key of keys) {
    const result = all[key] as SectionResult;
    lines.push(`## ${result.title}`, "", result.method, "", `Measured ${result.measuredAt} on ${result.machine}.`, "");
    lines.push("| figure | value | target | |", "| --- | --- | --- | --- |");
    for (const figure of result.figures) {
      const verdict = figure.met === undefined ? "" : figure.met ? "met" : "**missed**";
      lines.push(`| ${figure.name} | ${figure.value} | ${figure.target ?? ""} | ${verdict} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

function order(key: string): number {
  const index = SECTION_ORDER.indexOf(key);
  return index === -1 ? SECTION_ORDER.length : index;
}
