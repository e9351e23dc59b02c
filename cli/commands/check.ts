// Straight from their modules, not the core's index: that would load the Meilisearch client and the logger, which `check` never uses.
import { appendFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { CommanderError } from "commander";
import { checkFolderInParallel } from "../../src/records/check-folder.js";
import { CONFIG_FILE, loadContentConfig } from "../../src/check/content-config.js";
import { ContentLints } from "../../src/check/content-lints.js";
import { withJsonLines } from "../../src/check/finding-lines.js";
import { findingsOf, gate, withoutItem, type Finding, type GateResult } from "../../src/check/findings.js";
import { annotationMessage, githubAnnotations, stepSummary } from "../../src/check/github.js";
import { junitXml } from "../../src/check/junit.js";
import { sarifLog } from "../../src/check/sarif.js";
import { packageVersion } from "../../src/project-paths.js";
import { ReportItems } from "../../src/records/report-builder.js";
import type { RunReport } from "../../src/report.js";
import { leanHeapOnceLarge } from "../check-heap.js";
import type { CheckFormat, CheckOptions } from "../check-options.js";
import { createProgressBar } from "../progress.js";
import { emitReport, EXIT } from "../options.js";
import { requireFolder } from "../options.js";

type FileFormat = "junit" | "sarif";

/** What the options ask for, once their combination is checked. */
interface OutputPlan {
  github: boolean;
  json: boolean;
  files: Map<FileFormat, string>;
}

function usage(message: string): CommanderError {
  return new CommanderError(EXIT.usage, "postindex.usage", message);
}

/**
 * `--format` (repeatable) and `--output` (repeatable) into one plan. `--output FILE` names the
 * file of the one file format chosen; with both JUnit and SARIF each is named by its format
 * (`--output junit=FILE --output sarif=FILE`), or given as `--junit FILE` / `--sarif FILE`.
 * A file format without a file, a file without a format, or `--json` with `github` (both on
 * stdout) are usage errors (exit 2).
 */
export function planOutputs(options: CheckOptions): OutputPlan {
  const formats = new Set<CheckFormat>(options.format);
  const files = new Map<FileFormat, string>();
  if (options.junit !== undefined) files.set("junit", options.junit);
  if (options.sarif !== undefined) files.set("sarif", options.sarif);
  const plain: string[] = [];
  for (const output of options.output) {
    const match = /^(junit|sarif)=(.+)$/.exec(output);
    if (match) files.set(match[1] as FileFormat, match[2] as string);
    else plain.push(output);
  }
  const chosen = (["junit", "sarif"] as const).filter((format) => formats.has(format) || files.has(format));
  if (plain.length > 0) {
    const unnamed = chosen.filter((format) => !files.has(format));
    if (plain.length > 1 || unnamed.length !== 1) {
      throw usage(
        unnamed.length === 0
          ? `--output ${plain[0]}: no --format junit or --format sarif to write there`
          : "several file formats: name each output, e.g. --output junit=FILE --output sarif=FILE",
      );
    }
    files.set(unnamed[0] as FileFormat, plain[0] as string);
  }
  for (const format of chosen) if (!files.has(format)) throw usage(`--format ${format} needs --output FILE`);
  const json = options.json === true || formats.has("json");
  const github = formats.has("github");
  if (json && github) throw usage("--json and --format github both write to stdout: choose one");
  return { github, json, files };
}

/**
 * `postindex check DIR`: exit 0 when the run passes, 1 when it fails — a rejected record or an
 * invalid postindex.config.json always fails it; lints set to `error` do; warnings do under
 * `--strict` or past `--max-warnings N`. Without the new options the summary, `--json` and the
 * exit status are what they always were.
 */
export async function runCheck(dir: string, options: CheckOptions): Promise<number> {
  const folder = await requireFolder(dir);
  const plan = planOutputs(options);
  const started = performance.now();
  const loaded = loadContentConfig(folder);
  const lintsOn = options.lint ?? loaded.found;
  const lints = lintsOn
    ? new ContentLints(loaded.config.lints, loaded.config.aliases, options.today ? new Date(options.today) : new Date())
    : undefined;
  const bar = createProgressBar("check");
  const items = new ReportItems();
  const leanHeap = leanHeapOnceLarge(lints !== undefined);
  const report = await checkFolderInParallel(folder, {
    onProgress: (p) => {
      leanHeap(p.records);
      bar.update(p.doneFiles, p.totalFiles, `${p.records} records`);
    },
    ...(lints && { observe: (outcome) => lints.observe(outcome) }),
    items,
  });
  bar.stop();
  // The config file's errors are reported as a record's would be: file, line, field, message.
  for (const problem of loaded.problems) {
    report.rejected.push({
      file: problem.file,
      line: problem.line,
      id: null,
      field: problem.field,
      message: problem.message,
    });
  }
  const lintFindings = lints?.finish() ?? [];
  const reported = findingsOf(report, lintFindings, items);
  // Annotations, JUnit and SARIF point at a line in `.json` files too (the report gives NDJSON's only).
  const findings = plan.github || plan.files.size > 0 ? withJsonLines(folder, reported) : reported;
  const result = gate(findings, { strict: options.strict, maxWarnings: options.maxWarnings });
  const root = path.resolve(options.root ?? process.cwd());
  const pathOf = (file: string): string => path.relative(root, path.join(folder, file)).split(path.sep).join("/");
  const heading = `checked ${dir}`;
  const title = `postindex check ${dir}`;

  if (plan.github) {
    const lines = githubAnnotations(findings, pathOf);
    if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
    const summaryFile = process.env["GITHUB_STEP_SUMMARY"];
    if (summaryFile) await appendFile(summaryFile, stepSummary(report, findings, result, title, pathOf), "utf8");
  }
  const seconds = (performance.now() - started) / 1000;
  for (const [format, file] of plan.files) {
    const text =
      format === "junit"
        ? junitXml({ suite: title, files: filesOf(report), findings, result, pathOf, seconds })
        : `${JSON.stringify(sarifLog({ findings, pathOf, version: packageVersion() }), null, 2)}\n`;
    await writeFile(file, text, "utf8");
  }
  const jsonReport: RunReport & { lints?: Finding[] } = lintsOn
    ? { ...report, lints: lintFindings.map(withoutItem) }
    : report;
  const gated = lintsOn || options.strict === true || options.maxWarnings !== undefined;
  await emitReport(
    jsonReport,
    { ...options, json: plan.json },
    heading,
    gated ? verdictLines(lintFindings, lintsOn, result) : [],
  );
  return result.failed ? EXIT.failed : EXIT.ok;
}

/** The summary's extra lines when lints ran or warnings may fail: the lint findings, then the verdict. */
function verdictLines(lintFindings: readonly Finding[], lintsOn: boolean, result: GateResult): string[] {
  const lines: string[] = [];
  if (lintsOn && lintFindings.length > 0) {
    lines.push("", `lint findings (${lintFindings.length}):`);
    for (const finding of lintFindings.slice(0, 50)) {
      const where = finding.line === null ? finding.file : `${finding.file}:${finding.line}`;
      lines.push(`  ${where}  ${finding.severity} ${finding.rule}: ${annotationMessage(finding)}`);
    }
    if (lintFindings.length > 50) lines.push(`  … ${lintFindings.length - 50} more (see --report FILE or --json)`);
  }
  lines.push(
    "",
    result.failed
      ? `check failed: ${result.reasons.join(", ")}`
      : `check passed: ${result.errors} errors, ${result.warnings} ${result.warnings === 1 ? "warning" : "warnings"}${lintsOn ? "" : " (content lints not run: --lint)"}`,
  );
  return lines;
}

/** Every file a record was read from (and the config file when it has errors), for JUnit's test cases. */
function filesOf(report: RunReport): string[] {
  const files = new Set<string>();
  for (const list of [report.indexed, report.excluded, report.rejected, report.duplicates, report.warnings]) {
    for (const entry of list) files.add(entry.file);
  }
  if (report.ignored.some((entry) => entry.file === CONFIG_FILE)) files.add(CONFIG_FILE);
  return [...files];
}
