import { ruleOf } from "./rules.js";
import type { Finding, GateResult } from "./findings.js";
import type { RunReport } from "../report.js";

/**
 * A workflow command's message (the text after `::`), escaped the way the Actions runner unescapes
 * it: `%` first, then CR and LF, so a message of several lines stays one command.
 * @see https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
 */
export function escapeData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/**
 * A workflow command's property value (`file=…`, `title=…`): as {@link escapeData}, and also `:`
 * and `,`, which would otherwise end the value or the property list.
 */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

/** Properties of one annotation, in the order they are written; undefined ones are left out. */
export interface AnnotationProperties {
  file?: string;
  line?: number;
  title?: string;
}

/** One `::error` / `::warning` workflow command. */
export function workflowCommand(
  command: "error" | "warning",
  properties: AnnotationProperties,
  message: string,
): string {
  const parts: string[] = [];
  if (properties.file !== undefined) parts.push(`file=${escapeProperty(properties.file)}`);
  if (properties.line !== undefined) parts.push(`line=${properties.line}`);
  if (properties.title !== undefined) parts.push(`title=${escapeProperty(properties.title)}`);
  const head = parts.length === 0 ? `::${command}` : `::${command} ${parts.join(",")}`;
  return `${head}::${escapeData(message)}`;
}

/** The message of a finding as an annotation shows it: the id and field first, then what is wrong. */
export function annotationMessage(finding: Finding): string {
  const where = [finding.id === null ? "" : `id ${finding.id}`, finding.field === null ? "" : `field ${finding.field}`]
    .filter((part) => part !== "")
    .join(", ");
  return where === "" ? finding.message : `${where}: ${finding.message}`;
}

/**
 * One workflow command per finding: `::error` for errors (rejected records, invalid config, lints
 * set to `error`), `::warning` for warnings. `pathOf` turns a content-relative file into the path
 * from the repository root, which is what GitHub annotates.
 */
export function githubAnnotations(findings: readonly Finding[], pathOf: (file: string) => string): string[] {
  return findings.map((finding) =>
    workflowCommand(
      finding.severity,
      {
        file: pathOf(finding.file),
        ...(finding.line === null ? {} : { line: finding.line }),
        title: `postindex: ${ruleOf(finding.rule).title} (${finding.rule})`,
      },
      annotationMessage(finding),
    ),
  );
}

/** Rows of the step summary's findings table: enough to read, well under GitHub's 1 MiB per step. */
const MAX_SUMMARY_ROWS = 200;

/** A Markdown table cell: one line, `|` and HTML escaped so a record's text cannot break the table. */
function cell(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll("|", "\\|")
    .replace(/\r\n|\r|\n/g, " ");
}

/** The Markdown appended to `$GITHUB_STEP_SUMMARY`: the counts, the verdict, then the findings. */
export function stepSummary(
  report: RunReport,
  findings: readonly Finding[],
  result: GateResult,
  heading: string,
  pathOf: (file: string) => string,
): string {
  const lints = findings.filter(
    (finding) => !["rejected-record", "invalid-field", "duplicate-id"].includes(finding.rule),
  );
  const lines = [
    `### ${cell(heading)}`,
    "",
    "| indexed | excluded | rejected | duplicates | field warnings | lint findings | ignored files |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${report.indexed.length} | ${report.excluded.length} | ${report.rejected.length} | ${report.duplicates.length} | ${report.warnings.length} | ${lints.length} | ${report.ignored.length} |`,
    "",
    result.failed
      ? `**Failed**: ${cell(result.reasons.join(", "))}.`
      : `**Passed**: ${result.errors} errors, ${result.warnings} warnings.`,
  ];
  if (findings.length > 0) {
    lines.push("", "| | file | id | rule | message |", "| --- | --- | --- | --- | --- |");
    for (const finding of findings.slice(0, MAX_SUMMARY_ROWS)) {
      const where = finding.line === null ? pathOf(finding.file) : `${pathOf(finding.file)}:${finding.line}`;
      const icon = finding.severity === "error" ? "❌ error" : "⚠️ warning";
      lines.push(
        `| ${icon} | ${cell(where)} | ${cell(finding.id ?? "")} | ${finding.rule} | ${cell(annotationMessage(finding))} |`,
      );
    }
    if (findings.length > MAX_SUMMARY_ROWS) {
      lines.push("", `… and ${findings.length - MAX_SUMMARY_ROWS} more (the annotations and --json list them all).`);
    }
  }
  return `${lines.join("\n")}\n\n`;
}
