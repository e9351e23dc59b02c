import type { ReportItems } from "../records/report-builder.js";
import type { RunReport } from "../report.js";
import { CONFIG_FILE } from "./content-config.js";
import type { RuleId, Severity } from "./rules.js";

/**
 * One thing `check` found, in the shape every output format (GitHub annotations, JUnit, SARIF, the
 * step summary) is written from. `file` is relative to the content folder, as in the report.
 */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  file: string;
  /** 1-based line (NDJSON / JSONL records), null for a whole `.json` file or a folder-wide finding. */
  line: number | null;
  /**
   * The record's position in its `.json` file when that file holds an array of records (0-based);
   * absent otherwise. Not part of any output: it tells the line finder which copy of an id the
   * finding is about (`finding-lines.ts`).
   */
  item?: number;
  id: string | null;
  field: string | null;
  message: string;
}

/**
 * The report's rejections, field warnings and duplicate ids as findings, followed by `lints` (the
 * content lints' findings and configuration errors, already carrying their severities). `items`:
 * where the report entries' records sit in array files, as the check that made the report noted.
 */
export function findingsOf(report: RunReport, lints: readonly Finding[] = [], items?: ReportItems): Finding[] {
  const findings: Finding[] = [];
  const positioned = (entry: object, finding: Finding): Finding => {
    const item = items?.of(entry);
    return item === undefined ? finding : { ...finding, item };
  };
  for (const r of report.rejected) {
    // `check` reports the configuration file's errors among the rejections, as a record's.
    const rule = r.file === CONFIG_FILE ? "invalid-config" : "rejected-record";
    findings.push(positioned(r, { rule, severity: "error", ...r }));
  }
  for (const d of report.duplicates) {
    findings.push(
      positioned(d, {
        rule: "duplicate-id",
        severity: "warning",
        file: d.file,
        line: null,
        id: d.id,
        field: "id",
        message: `also in ${d.kept}, which is used; this copy is not indexed`,
      }),
    );
  }
  for (const w of report.warnings) {
    findings.push(positioned(w, { rule: "invalid-field", severity: "warning", ...w }));
  }
  findings.push(...lints);
  return findings;
}

/** A finding as the report's `lints` and the outputs show it: without its array position. */
export function withoutItem(finding: Finding): Finding {
  if (finding.item === undefined) return finding;
  const { item: _item, ...shown } = finding;
  return shown;
}

/** What decides `check`'s exit status besides rejections: `--strict` and `--max-warnings N`. */
export interface GateOptions {
  strict?: boolean;
  maxWarnings?: number;
}

/** Counts and the verdict of a run, for the summary line, JUnit and the step summary. */
export interface GateResult {
  errors: number;
  warnings: number;
  failed: boolean;
  /** Why the run failed, in words (empty when it passed). */
  reasons: string[];
  /** Whether warnings fail the run (`--strict`, or more than `--max-warnings`). */
  warningsFail: boolean;
}

/**
 * The verdict: any error fails the run (a rejected record, an invalid config file, a lint set to
 * `error`); warnings fail it under `--strict`, or when there are more than `--max-warnings`.
 */
export function gate(findings: readonly Finding[], options: GateOptions): GateResult {
  let errors = 0;
  for (const finding of findings) if (finding.severity === "error") errors += 1;
  const warnings = findings.length - errors;
  const reasons: string[] = [];
  if (errors > 0) reasons.push(`${errors} ${errors === 1 ? "error" : "errors"}`);
  let warningsFail = false;
  if (options.strict === true && warnings > 0) {
    warningsFail = true;
    reasons.push(`${warnings} ${warnings === 1 ? "warning" : "warnings"} (--strict)`);
  } else if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    warningsFail = true;
    reasons.push(`${warnings} warnings, more than --max-warnings ${options.maxWarnings}`);
  }
  return { errors, warnings, failed: reasons.length > 0, reasons, warningsFail };
}

/** Whether one finding fails the run under `result`'s verdict (JUnit failures, GitHub `::error`). */
export function isFailing(finding: Finding, result: GateResult): boolean {
  return finding.severity === "error" || result.warningsFail;
}
