import { describe, expect, test } from "vitest";
import { escapeData, escapeProperty, githubAnnotations, stepSummary, workflowCommand } from "../../src/check/github.js";
import { gate, type Finding } from "../../src/check/findings.js";
import { emptyReport } from "../../src/report.js";

describe("GitHub workflow command escaping", () => {
  test.each([
    ["plain text", "plain text"],
    ["", ""],
    ["100%", "100%25"],
    ["%25 is already escaped", "%2525 is already escaped"],
    ["%0A", "%250A"],
    ["two\nlines", "two%0Alines"],
    ["crlf\r\nend", "crlf%0D%0Aend"],
    ["lone\rcr", "lone%0Dcr"],
    ["a: b, c", "a: b, c"],
    ["::error::injected", "::error::injected"],
    ["\n::error::injected", "%0A::error::injected"],
    ["unicode ✓ ünïcødé", "unicode ✓ ünïcødé"],
    ["tab\tstays", "tab\tstays"],
  ])("data %j → %j", (input, expected) => {
    expect(escapeData(input)).toBe(expected);
  });

  test.each([
    ["content/a.json", "content/a.json"],
    ["C:\\content\\a.json", "C%3A\\content\\a.json"],
    ["a,b.json", "a%2Cb.json"],
    ["a:b.json", "a%3Ab.json"],
    ["50%.json", "50%25.json"],
    ["title: with, both", "title%3A with%2C both"],
    ["new\nline", "new%0Aline"],
    ["cr\rlf\n", "cr%0Dlf%0A"],
    ["%3A", "%253A"],
    ["a=b.json", "a=b.json"],
    ["::", "%3A%3A"],
    ["dir with spaces/ünï.json", "dir with spaces/ünï.json"],
  ])("property %j → %j", (input, expected) => {
    expect(escapeProperty(input)).toBe(expected);
  });

  test("a command with every property, and one with none", () => {
    expect(workflowCommand("error", { file: "a,b.json", line: 3, title: "x: y" }, "bad\nvalue 5%")).toBe(
      "::error file=a%2Cb.json,line=3,title=x%3A y::bad%0Avalue 5%25",
    );
    expect(workflowCommand("warning", {}, "just this")).toBe("::warning::just this");
    expect(workflowCommand("warning", { file: "f.json" }, "m")).toBe("::warning file=f.json::m");
  });

  test("one annotation per finding: errors as ::error with a line, warnings as ::warning, paths from the root", () => {
    const findings: Finding[] = [
      {
        rule: "rejected-record",
        severity: "error",
        file: "x/a.ndjson",
        line: 6,
        id: "a-1",
        field: null,
        message: "not valid JSON: Unexpected token , at position 3",
      },
      {
        rule: "invalid-field",
        severity: "warning",
        file: "b.json",
        line: null,
        id: "b",
        field: "meta.view_count",
        message: 'expected a number, got the text "lots"',
      },
    ];
    expect(githubAnnotations(findings, (file) => `content/${file}`)).toEqual([
      "::error file=content/x/a.ndjson,line=6,title=postindex%3A Rejected record (rejected-record)::id a-1: not valid JSON: Unexpected token , at position 3",
      '::warning file=content/b.json,title=postindex%3A Invalid field left out (invalid-field)::id b, field meta.view_count: expected a number, got the text "lots"',
    ]);
  });

  test("a record's text cannot end the command or start another: every line break is escaped", () => {
    const finding: Finding = {
      rule: "rejected-record",
      severity: "error",
      file: "a.json",
      line: null,
      id: "x\n::warning::y",
      field: null,
      message: "m",
    };
    const [line] = githubAnnotations([finding], (file) => file);
    expect(line).toBe(
      "::error file=a.json,title=postindex%3A Rejected record (rejected-record)::id x%0A::warning::y: m",
    );
    expect(line?.split("\n")).toHaveLength(1);
  });

  test("the step summary: a counts table, the verdict, one escaped row per finding", () => {
    const report = emptyReport();
    report.indexed.push({ id: "a", file: "a.json" }, { id: "b", file: "b.json" });
    report.rejected.push({ file: "c|d.json", line: 2, id: "c", field: "title", message: "title is <missing>" });
    const findings: Finding[] = [{ rule: "rejected-record", severity: "error", ...report.rejected[0]! }];
    const text = stepSummary(
      report,
      findings,
      gate(findings, {}),
      "postindex check content",
      (file) => `content/${file}`,
    );
    expect(text).toContain("| 2 | 0 | 1 | 0 | 0 | 0 | 0 |");
    expect(text).toContain("**Failed**: 1 error.");
    expect(text).toContain(
      "| ❌ error | content/c\\|d.json:2 | c | rejected-record | id c, field title: title is &lt;missing&gt; |",
    );
  });
});
