import { annotationMessage } from "./github.js";
import { isFailing, type Finding, type GateResult } from "./findings.js";
import { ruleOf } from "./rules.js";

/**
 * Text made safe for XML 1.0 content and attribute values: the five special characters escaped,
 * and characters XML cannot carry at all (control characters other than tab, LF and CR, U+FFFE,
 * U+FFFF, lone surrogates) replaced by U+FFFD, so a record's odd bytes never make the file unreadable.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

/** What the JUnit file is written from. */
export interface JunitInput {
  /** The suite's name, e.g. `postindex check content`. */
  suite: string;
  /** Every record file that was read (each becomes a test case, passing or not), content-relative. */
  files: readonly string[];
  findings: readonly Finding[];
  result: GateResult;
  /** A content-relative file as the path from the repository root. */
  pathOf: (file: string) => string;
  /** Wall time of the check, seconds. */
  seconds: number;
}

/**
 * JUnit XML as GitLab, Jenkins and the GitHub test reporters read it: one `<testsuite>`, one
 * `<testcase>` per file (its name the path from the repository root), a `<failure>` per finding
 * that fails the run (every rejection; warnings too under `--strict` or past `--max-warnings`),
 * the other findings as the case's `<system-out>`. Folder-wide findings (the config file) are
 * cases of their own file.
 */
export function junitXml(input: JunitInput): string {
  const byFile = new Map<string, Finding[]>();
  for (const file of input.files) byFile.set(file, []);
  for (const finding of input.findings) {
    const list = byFile.get(finding.file);
    if (list === undefined) byFile.set(finding.file, [finding]);
    else list.push(finding);
  }
  const files = [...byFile.keys()].sort();
  let failures = 0;
  const cases: string[] = [];
  for (const file of files) {
    const findings = byFile.get(file) as Finding[];
    const failing = findings.filter((finding) => isFailing(finding, input.result));
    const other = findings.filter((finding) => !isFailing(finding, input.result));
    if (failing.length > 0) failures += 1;
    const name = escapeXml(input.pathOf(file));
    const body: string[] = [];
    for (const finding of failing) {
      const text = `${finding.line === null ? input.pathOf(file) : `${input.pathOf(file)}:${finding.line}`}: ${annotationMessage(finding)}`;
      body.push(
        `      <failure type="${finding.rule}" message="${escapeXml(`${ruleOf(finding.rule).title}: ${annotationMessage(finding)}`)}">${escapeXml(text)}</failure>`,
      );
    }
    if (other.length > 0) {
      const text = other
        .map(
          (finding) =>
            `${finding.severity} ${finding.rule}${finding.line === null ? "" : ` line ${finding.line}`}: ${annotationMessage(finding)}`,
        )
        .join("\n");
      body.push(`      <system-out>${escapeXml(text)}</system-out>`);
    }
    const open = `    <testcase name="${name}" classname="postindex.check" file="${name}" time="0"`;
    cases.push(body.length === 0 ? `${open}/>` : `${open}>\n${body.join("\n")}\n    </testcase>`);
  }
  const counts = `tests="${files.length}" failures="${failures}" errors="0" skipped="0" time="${input.seconds.toFixed(3)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="postindex check" ${counts}>`,
    `  <testsuite name="${escapeXml(input.suite)}" ${counts}>`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
