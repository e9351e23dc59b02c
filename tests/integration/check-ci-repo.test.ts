import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, onTestFinished, test } from "vitest";
import { makeContentDir } from "../helpers/content-dir.js";
import { makePost } from "../helpers/records.js";
import { runCli } from "../helpers/run-cli.js";
import { sarifValidator } from "../helpers/sarif-validator.js";
import { makeTempDir, removeTempDir } from "../helpers/tmp-dir.js";

/**
 * tests/fixtures/ci-repo: a content repository with problems planted in `content/`:
 * - exports/2024-05.ndjson: line 2 cut off (not JSON), line 3 without a title (both rejected),
 *   line 4 `view_count: "lots"` (invalid field) and stack "Java Script" (near-duplicate of
 *   "javascript"), line 5 stack "JS" and tool "k8s" (declared aliases: no finding) reviewed 2019-01-15 (stale);
 * - guides/50% off, again.json (a name to escape): tool "Redis." (near-duplicate of "redis"),
 *   "Postgres" and "k8s" (aliases);
 * - guides/no-summary.json: no summary, difficulty or entities;
 * - guides/orphan.json: stack "cobol" (used once), entities nobody else has (orphan);
 * - legacy/caching-copy.json: the id of guides/caching.json (duplicate);
 * - drafts/wip.json: a draft (excluded, no finding); README.md (ignored).
 * `warnings-only/`: three posts whose only findings are two warnings (w-2 has no difficulty, w-3 a stale review).
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/ci-repo");
const CONTENT = path.join(REPO, "content");
const TODAY = ["--today", "2026-06-01"];

async function outputDir(): Promise<string> {
  const dir = await makeTempDir("check-out");
  onTestFinished(() => removeTempDir(dir));
  return dir;
}

const EXPECTED_ANNOTATIONS = [
  expect.stringMatching(
    /^::error file=content\/exports\/2024-05\.ndjson,line=2,title=postindex%3A Rejected record \(rejected-record\)::id exp-2: not valid JSON: .+$/,
  ),
  "::error file=content/exports/2024-05.ndjson,line=3,title=postindex%3A Rejected record (rejected-record)::id exp-3, field title: title is missing",
  "::warning file=content/legacy/caching-copy.json,line=2,title=postindex%3A Duplicate id (duplicate-id)::id guide-caching, field id: also in guides/caching.json, which is used; this copy is not indexed",
  '::warning file=content/exports/2024-05.ndjson,line=4,title=postindex%3A Invalid field left out (invalid-field)::id exp-4, field meta.view_count: expected a number, got the text "lots"; the value was left out',
  '::warning file=content/exports/2024-05.ndjson,line=4,title=postindex%3A Near-duplicate value (near-duplicate-value)::id exp-4, field meta.stack: stack "java script" looks like "javascript": the folder spells it "javascript" (2 posts: exports/2024-05.ndjson:1, exports/2024-05.ndjson:5), "java script" (1 post: exports/2024-05.ndjson:4); write "javascript"',
  "::warning file=content/exports/2024-05.ndjson,line=5,title=postindex%3A Stale review (stale-review)::id exp-5, field meta.revision.last_reviewed: last reviewed 2019-01-15, more than 365 days ago",
  '::warning file=content/guides/50%25 off%2C again.json,line=10,title=postindex%3A Near-duplicate value (near-duplicate-value)::id guide-sale, field meta.tools: tools "redis." looks like "redis": the folder spells it "redis" (4 posts: exports/2024-05.ndjson:1, guides/caching.json, guides/no-summary.json, …), "redis." (1 post: guides/50%25 off, again.json); write "redis" (or declare an alias in postindex.config.json)',
  "::warning file=content/guides/no-summary.json,line=5,title=postindex%3A Missing recommended field (missing-recommended-field)::id guide-bare, field meta.summary: meta.summary is missing (recommended)",
  "::warning file=content/guides/no-summary.json,line=5,title=postindex%3A Missing recommended field (missing-recommended-field)::id guide-bare, field meta.difficulty: meta.difficulty is missing (recommended)",
  "::warning file=content/guides/no-summary.json,line=5,title=postindex%3A Missing recommended field (missing-recommended-field)::id guide-bare, field meta.entities: meta.entities is missing (recommended)",
  '::warning file=content/guides/orphan.json,line=7,title=postindex%3A Facet value used once (single-use-value)::id guide-cobol, field meta.stack: stack "cobol" is used by no other post (a typo?)',
  '::warning file=content/guides/orphan.json,line=19,title=postindex%3A Orphan post (orphan-post)::id guide-cobol, field meta.entities: no other post shares an entity with this one ("mainframes", "cobol"), so its similar posts are the fallback',
];

describe("check as a content repository's CI gate (tests/fixtures/ci-repo)", () => {
  test("--format github: one workflow command per finding, paths from --root, then the usual summary; exit 1", async () => {
    const summaryFile = path.join(await outputDir(), "step-summary.md");
    await writeFile(summaryFile, "earlier step\n");
    const result = await runCli(["check", CONTENT, "--root", REPO, "--format", "github", ...TODAY], {
      GITHUB_STEP_SUMMARY: summaryFile,
    });
    expect(result.status).toBe(1);
    const lines = result.stdout.split("\n");
    const commands = lines.filter((line) => line.startsWith("::"));
    expect(commands).toEqual(EXPECTED_ANNOTATIONS);
    expect(result.stdout).toContain(
      `checked ${CONTENT}: 8 indexed, 1 excluded, 2 rejected, 1 duplicate, 1 warning, 2 ignored files`,
    );
    expect(result.stdout).toContain("check failed: 2 errors");
    const summary = await readFile(summaryFile, "utf8");
    expect(summary.startsWith("earlier step\n### postindex check ")).toBe(true);
    expect(summary).toContain("| 8 | 1 | 2 | 1 | 1 | 8 | 2 |");
    expect(summary).toContain("**Failed**: 2 errors.");
    expect(summary).toContain(
      "| ⚠️ warning | content/guides/orphan.json:19 | guide-cobol | orphan-post | id guide-cobol, field meta.entities: no other post shares",
    );
  });

  test("--format junit --format sarif together: both files, one named by format each; JUnit parses, SARIF validates", async () => {
    const out = await outputDir();
    const junitFile = path.join(out, "check.xml");
    const sarifFile = path.join(out, "check.sarif");
    const result = await runCli([
      "check",
      CONTENT,
      "--root",
      REPO,
      "--format",
      "junit",
      "--format",
      "sarif",
      "--output",
      `junit=${junitFile}`,
      "--output",
      `sarif=${sarifFile}`,
      ...TODAY,
    ]);
    expect(result.status).toBe(1);

    const xml = await readFile(junitFile, "utf8");
    expect(XMLValidator.validate(xml)).toBe(true);
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "",
      isArray: (name) => ["testcase", "failure"].includes(name),
    });
    const suite = parser.parse(xml).testsuites.testsuite;
    expect(suite).toMatchObject({ tests: "9", failures: "1", errors: "0" });
    const cases = suite.testcase as {
      name: string;
      failure?: { type: string; "#text": string }[];
      "system-out"?: string;
    }[];
    expect(cases.map((c) => c.name)).toEqual([
      "content/drafts/wip.json",
      "content/exports/2024-05.ndjson",
      "content/guides/50% off, again.json",
      "content/guides/caching.json",
      "content/guides/no-summary.json",
      "content/guides/orphan.json",
      "content/guides/queues.json",
      "content/legacy/caching-copy.json",
      "content/postindex.config.json",
    ]);
    const exports = cases.find((c) => c.name === "content/exports/2024-05.ndjson");
    expect(exports?.failure?.map((f) => f.type)).toEqual(["rejected-record", "rejected-record"]);
    expect(exports?.failure?.[1]?.["#text"]).toBe(
      "content/exports/2024-05.ndjson:3: id exp-3, field title: title is missing",
    );
    expect(exports?.["system-out"]).toContain("warning stale-review line 5: id exp-5");
    expect(cases.filter((c) => c.failure !== undefined)).toHaveLength(1);

    const log = JSON.parse(await readFile(sarifFile, "utf8"));
    const validate = sarifValidator();
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const results = log.runs[0].results as {
      ruleId: string;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
    }[];
    expect(
      results.map((r) => [
        r.ruleId,
        r.level,
        r.locations[0]?.physicalLocation.artifactLocation.uri,
        r.locations[0]?.physicalLocation.region?.startLine,
      ]),
    ).toEqual([
      ["rejected-record", "error", "content/exports/2024-05.ndjson", 2],
      ["rejected-record", "error", "content/exports/2024-05.ndjson", 3],
      ["duplicate-id", "warning", "content/legacy/caching-copy.json", 2],
      ["invalid-field", "warning", "content/exports/2024-05.ndjson", 4],
      ["near-duplicate-value", "warning", "content/exports/2024-05.ndjson", 4],
      ["stale-review", "warning", "content/exports/2024-05.ndjson", 5],
      ["near-duplicate-value", "warning", "content/guides/50%25%20off%2C%20again.json", 10],
      ["missing-recommended-field", "warning", "content/guides/no-summary.json", 5],
      ["missing-recommended-field", "warning", "content/guides/no-summary.json", 5],
      ["missing-recommended-field", "warning", "content/guides/no-summary.json", 5],
      ["single-use-value", "warning", "content/guides/orphan.json", 7],
      ["orphan-post", "warning", "content/guides/orphan.json", 19],
    ]);
  });

  test("--json: the contract's report, with the aliases applied and the lint findings added as `lints`", async () => {
    const result = await runCli(["check", CONTENT, "--json", ...TODAY]);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual([
      "indexed",
      "excluded",
      "rejected",
      "duplicates",
      "warnings",
      "ignored",
      "lints",
    ]);
    expect(report.indexed).toHaveLength(8);
    expect(report.lints).toHaveLength(8);
    expect(report.lints[0]).toEqual({
      rule: "near-duplicate-value",
      severity: "warning",
      file: "exports/2024-05.ndjson",
      line: 4,
      id: "exp-4",
      field: "meta.stack",
      message:
        'stack "java script" looks like "javascript": the folder spells it "javascript" (2 posts: exports/2024-05.ndjson:1, exports/2024-05.ndjson:5), "java script" (1 post: exports/2024-05.ndjson:4); write "javascript"',
    });
  });

  test("exit codes of a folder with warnings only: 0; --strict 1; --max-warnings above and below the count", async () => {
    const dir = path.join(REPO, "warnings-only");
    const plain = await runCli(["check", dir, ...TODAY]);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain("check passed: 0 errors, 2 warnings");
    const strict = await runCli(["check", dir, "--strict", ...TODAY]);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain("check failed: 2 warnings (--strict)");
    expect((await runCli(["check", dir, "--max-warnings", "2", ...TODAY])).status).toBe(0);
    const over = await runCli(["check", dir, "--max-warnings", "1", ...TODAY]);
    expect(over.status).toBe(1);
    expect(over.stdout).toContain("check failed: 2 warnings, more than --max-warnings 1");
    expect((await runCli(["check", dir, "--no-lint", "--strict", ...TODAY])).status).toBe(0);
  });

  test("without a config file and the new flags, the summary and the exit status are as before: no lints run", async () => {
    const dir = await makeContentDir({ "a.json": JSON.stringify(makePost("a")) });
    const result = await runCli(["check", dir]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      `checked ${dir}: 1 indexed, 0 excluded, 0 rejected, 0 duplicates, 0 warnings, 0 ignored files\n`,
    );
    const linted = await runCli(["check", dir, "--lint"]);
    expect(linted.stdout).toContain("missing-recommended-field");
    expect(linted.status).toBe(0);
  });

  test("annotations in .json files point at the field's line: in an array file, in messy keys, at a parse error", async () => {
    const arrayFile = [
      "[",
      '  {"id": "arr-1", "title": "One", "meta": {"revision": {"status": "reviewed"}}},',
      "  {",
      '    "id": "arr-2",',
      '    "meta": {',
      '      "revision": {"status": "reviewed"},',
      '      "view_count": "lots"',
      "    }",
      "  }",
      "]",
    ].join("\n");
    const messyFile = [
      "\uFEFF{",
      '  "ID": "messy-1",',
      '  "Title": "Messy",',
      '  "Post Meta": {',
      '    "Revision": {"Status": "reviewed"},',
      '    "View Count": "many"',
      "  }",
      "}",
    ].join("\r\n");
    const brokenFile = ['{"id": "broken",', '  "title": "Broken"', '  "meta": {}', "}"].join("\n");
    const dir = await makeContentDir({ "posts.json": arrayFile, "messy.json": messyFile, "broken.json": brokenFile });
    const result = await runCli(["check", dir, "--root", dir, "--format", "github", "--no-lint"]);
    expect(result.status).toBe(1);
    const commands = result.stdout.split("\n").filter((line) => line.startsWith("::"));
    expect(commands.map((line) => /^::(\w+) file=([^,]+),line=(\d+),/.exec(line)?.slice(1))).toEqual([
      ["error", "broken.json", "3"],
      ["error", "posts.json", "3"],
      ["warning", "messy.json", "6"],
    ]);
    expect(commands[1]).toContain("id arr-2, field title: title is missing");
    expect(commands[2]).toContain("id messy-1, field meta.view_count:");
    // The --json report keeps the contract: lines for NDJSON records only.
    const report = JSON.parse((await runCli(["check", dir, "--json", "--no-lint"])).stdout);
    expect(report.rejected.map((r: { line: unknown }) => r.line)).toEqual([null, null]);
  });

  test("one id several times in an array file: each annotation points at the copy it is about", async () => {
    const copy = (title: string, extra = "") =>
      `  {"id": "d", "title": "${title}", "meta": {"revision": {"status": "reviewed"}${extra}}}`;
    const arrayFile = [
      "[",
      '  {"id": "d", "meta": {"revision": {"status": "reviewed"}}},', // 2: no title, rejected
      `${copy("one", ', "view_count": "lots"')},`, // 3: indexed, with an invalid field
      `${copy("two")},`, // 4: a duplicate
      copy("three"), // 5: a duplicate
      "]",
    ].join("\n");
    const dir = await makeContentDir({ "posts.json": arrayFile });
    const result = await runCli(["check", dir, "--root", dir, "--format", "github", "--lint"]);
    const commands = result.stdout.split("\n").filter((line) => line.startsWith("::"));
    const where = (rule: string) =>
      commands.filter((line) => line.includes(`(${rule})`)).map((line) => /,line=(\d+),/.exec(line)?.[1]);
    expect(where("rejected-record")).toEqual(["2"]);
    expect(where("duplicate-id")).toEqual(["4", "5"]);
    expect(where("invalid-field")).toEqual(["3"]);
    // The one indexed copy is the post the lints read: its missing summary is on its own line.
    expect(
      commands.filter((line) => line.includes("meta.summary is missing")).map((line) => /,line=(\d+),/.exec(line)?.[1]),
    ).toEqual(["3"]);
    // The report's lint findings show no array position: the contract's fields only.
    const report = JSON.parse((await runCli(["check", dir, "--json", "--lint"])).stdout);
    expect(report.lints.length).toBeGreaterThan(0);
    for (const lint of report.lints)
      expect(Object.keys(lint).sort()).toEqual(["field", "file", "id", "line", "message", "rule", "severity"]);
  });

  test("an invalid postindex.config.json is reported like a record: rejected with file, line and field; exit 1", async () => {
    const config = JSON.stringify({ aliases: { tools: { k8s: 8 } } }, null, 2);
    const dir = await makeContentDir({ "postindex.config.json": config, "a.json": JSON.stringify(makePost("a")) });
    const result = await runCli(["check", dir, "--json"]);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).rejected).toEqual([
      {
        file: "postindex.config.json",
        line: 4,
        id: null,
        field: "aliases.tools.k8s",
        message: "Invalid input: expected string, received number",
      },
    ]);
    const github = await runCli(["check", dir, "--format", "github", "--root", dir]);
    expect(github.stdout.split("\n")[0]).toBe(
      "::error file=postindex.config.json,line=4,title=postindex%3A Invalid postindex.config.json (invalid-config)::field aliases.tools.k8s: Invalid input: expected string, received number",
    );
  });

  test.each([
    [["--format", "junit"], "--format junit needs --output FILE"],
    [["--format", "junit", "--format", "sarif", "--output", "x"], "several file formats: name each output"],
    [["--output", "x.xml"], "--output x.xml: no --format junit or --format sarif to write there"],
    [["--json", "--format", "github"], "--json and --format github both write to stdout"],
    [["--format", "html"], "It must be one of text, json, github, junit, sarif."],
    [["--max-warnings", "-1"], "It must be a whole number"],
  ])("usage errors exit 2: %j", async (args, message) => {
    const result = await runCli(["check", CONTENT, ...args]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
