import { writeFile } from "node:fs/promises";
import type { RunReport } from "../src/index.js";

/** Writes the run's report as JSON (`--report FILE`). */
export async function writeReportFile(file: string, report: RunReport): Promise<void> {
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`, "utf8");
}

/** One line of counts, then each rejection, duplicate and warning: what an editor reads first. */
export function formatSummary(report: RunReport, heading: string): string {
  const lines = [`${heading}: ${countsLine(report)}`];
  section(
    lines,
    "rejected",
    report.rejected,
    (r) => `${where(r.file, r.line)}${idPart(r.id)}${fieldPart(r.field)}: ${r.message}`,
  );
  section(lines, "duplicate ids", report.duplicates, (d) => `${d.file}  id ${d.id}: also in ${d.kept}, which is used`);
  section(
    lines,
    "warnings",
    report.warnings,
    (w) => `${where(w.file, w.line)}${idPart(w.id)}${fieldPart(w.field)}: ${w.message}`,
  );
  section(
    lines,
    "kept at their last good version",
    report.kept ?? [],
    (k) => `${where(k.file, k.line)}  id ${k.id}: ${k.reason}`,
  );
  section(lines, "excluded", report.excluded, (e) => `${e.file}  id ${e.id}: ${e.reason}`);
  section(lines, "ignored", report.ignored, (i) => `${i.file}: ${i.reason}`);
  return lines.join("\n");
}

export function countsLine(report: RunReport): string {
  return [
    plural(report.indexed.length, "indexed", "indexed"),
    plural(report.excluded.length, "excluded", "excluded"),
    plural(report.rejected.length, "rejected", "rejected"),
    plural(report.duplicates.length, "duplicate", "duplicates"),
    plural(report.warnings.length, "warning", "warnings"),
    plural(report.ignored.length, "ignored file", "ignored files"),
  ].join(", ");
}

/** Long lists are cut on a terminal; the full list is always in `--json` / `--report`. */
const MAX_LISTED = 50;

function section<T>(lines: string[], title: string, items: readonly T[], format: (item: T) => string): void {
  if (items.length === 0) return;
  lines.push("", `${title} (${items.length}):`);
  for (const item of items.slice(0, MAX_LISTED)) lines.push(`  ${format(item)}`);
  if (items.length > MAX_LISTED) lines.push(`  … ${items.length - MAX_LISTED} more (see --report FILE or --json)`);
}

function where(file: string, line: number | null): string {
  return line === null ? file : `${file}:${line}`;
}

function idPart(id: string | null): string {
  return id === null ? "" : `  id ${id}`;
}

function fieldPart(field: string | null): string {
  return field === null ? "" : `  field ${field}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
