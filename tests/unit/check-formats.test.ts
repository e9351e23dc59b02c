import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, test } from "vitest";
import { gate, type Finding } from "../../src/check/findings.js";
import { escapeXml, junitXml } from "../../src/check/junit.js";
import { pathToUriReference, sarifLog } from "../../src/check/sarif.js";
import { RULES } from "../../src/check/rules.js";
import { sarifValidator } from "../helpers/sarif-validator.js";

const FINDINGS: Finding[] = [
  {
    rule: "rejected-record",
    severity: "error",
    file: "x/a.ndjson",
    line: 6,
    id: "a-1",
    field: null,
    message: "not valid JSON",
  },
  {
    rule: "rejected-record",
    severity: "error",
    file: "x/a.ndjson",
    line: 9,
    id: null,
    field: "title",
    message: "title is missing",
  },
  {
    rule: "invalid-field",
    severity: "warning",
    file: "b & c.json",
    line: null,
    id: "b<1>",
    field: "meta.view_count",
    message: 'got "lots" \u0001',
  },
  {
    rule: "near-duplicate-value",
    severity: "warning",
    file: "dir with space/d.json",
    line: null,
    id: "d",
    field: "meta.stack",
    message: 'stack "java script" looks like "javascript"',
  },
];

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  isArray: (name) => ["testcase", "failure"].includes(name),
});

describe("JUnit XML", () => {
  test.each([
    ["a & b", "a &amp; b"],
    ['<tag attr="v">', "&lt;tag attr=&quot;v&quot;&gt;"],
    ["it's", "it&apos;s"],
    ["bell\u0007 nul\u0000", "bell\uFFFD nul\uFFFD"],
    ["tab\tlf\ncr\r", "tab\tlf\ncr\r"],
    ["lone \ud800 surrogate", "lone \uFFFD surrogate"],
    ["emoji 😀 kept", "emoji 😀 kept"],
    ["\uFFFE\uFFFF", "\uFFFD\uFFFD"],
  ])("escapeXml(%j)", (input, expected) => {
    expect(escapeXml(input)).toBe(expected);
  });

  test("one test case per file, a failure per rejection, warnings as the case's output; well-formed XML", () => {
    const xml = junitXml({
      suite: "postindex check content",
      files: ["x/a.ndjson", "ok.json", "b & c.json", "dir with space/d.json"],
      findings: FINDINGS,
      result: gate(FINDINGS, {}),
      pathOf: (file) => `content/${file}`,
      seconds: 1.5,
    });
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    const suite = doc.testsuites.testsuite;
    expect(suite).toMatchObject({ name: "postindex check content", tests: "4", failures: "1", errors: "0" });
    const cases = suite.testcase as {
      name: string;
      failure?: { type: string; message: string; "#text": string }[];
      "system-out"?: string;
    }[];
    expect(cases.map((c) => c.name)).toEqual([
      "content/b & c.json",
      "content/dir with space/d.json",
      "content/ok.json",
      "content/x/a.ndjson",
    ]);
    const broken = cases.find((c) => c.name === "content/x/a.ndjson");
    expect(broken?.failure?.map((f) => [f.type, f["#text"]])).toEqual([
      ["rejected-record", "content/x/a.ndjson:6: id a-1: not valid JSON"],
      ["rejected-record", "content/x/a.ndjson:9: field title: title is missing"],
    ]);
    expect(cases.find((c) => c.name === "content/ok.json")?.failure).toBeUndefined();
    const warned = cases.find((c) => c.name === "content/b & c.json");
    expect(warned?.failure).toBeUndefined();
    expect(warned?.["system-out"]).toBe('warning invalid-field: id b<1>, field meta.view_count: got "lots" \uFFFD');
  });

  test("under --strict warnings are failures too", () => {
    const xml = junitXml({
      suite: "s",
      files: [],
      findings: FINDINGS,
      result: gate(FINDINGS, { strict: true }),
      pathOf: (f) => f,
      seconds: 0,
    });
    const suite = parser.parse(xml).testsuites.testsuite;
    expect(suite.failures).toBe("3");
    expect(suite.testcase.find((c: { name: string }) => c.name === "dir with space/d.json").failure[0].type).toBe(
      "near-duplicate-value",
    );
  });
});

describe("SARIF", () => {
  test.each([
    ["content/a.json", "content/a.json"],
    ["dir with space/ü.json", "dir%20with%20space/%C3%BC.json"],
    ["a#b?.json", "a%23b%3F.json"],
    ["../outside/a.json", "../outside/a.json"],
  ])("pathToUriReference(%j)", (input, expected) => {
    expect(pathToUriReference(input)).toBe(expected);
  });

  test("a log that validates against the SARIF 2.1.0 schema: every rule with id and help, each result pointing at its rule", () => {
    const log = sarifLog({ findings: FINDINGS, pathOf: (file) => `content/${file}`, version: "0.1.0" }) as {
      runs: {
        tool: { driver: { rules: { id: string; help: { text: string } }[] } };
        results: Record<string, unknown>[];
      }[];
    };
    const validate = sarifValidator();
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const [run] = log.runs;
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual([
      "rejected-record",
      "invalid-field",
      "duplicate-id",
      "invalid-config",
      "near-duplicate-value",
      "single-use-value",
      "orphan-post",
      "stale-review",
      "missing-recommended-field",
    ]);
    for (const rule of run?.tool.driver.rules ?? []) expect(rule.help.text.length).toBeGreaterThan(40);
    expect(run?.results[0]).toEqual({
      ruleId: "rejected-record",
      ruleIndex: 0,
      level: "error",
      message: { text: "id a-1: not valid JSON" },
      locations: [{ physicalLocation: { artifactLocation: { uri: "content/x/a.ndjson" }, region: { startLine: 6 } } }],
      properties: { recordId: "a-1" },
    });
    expect(run?.results[3]).toMatchObject({
      ruleId: "near-duplicate-value",
      ruleIndex: 4,
      level: "warning",
      locations: [{ physicalLocation: { artifactLocation: { uri: "content/dir%20with%20space/d.json" } } }],
    });
    expect(RULES).toHaveLength(9);
  });

  test("the schema really rejects a malformed log", () => {
    const validate = sarifValidator();
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: "2.0.0", runs: [] })).toBe(false);
  });
});
