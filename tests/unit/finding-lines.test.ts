import { describe, expect, it } from "vitest";
import { withJsonLines } from "../../src/check/finding-lines.js";
import type { Finding } from "../../src/check/findings.js";
import { makeContentDir } from "../helpers/content-dir.js";

/**
 * The line a finding in a `.json` file is given: the line of its field in the record it is about,
 * found in the file as written (any key spelling, BOM, array files, records named by a messy id).
 * Every file below is written out line by line, so the expected lines are counted by hand.
 */

function finding(file: string, id: string | null, field: string | null): Finding {
  return { rule: "missing-recommended-field", severity: "warning", file, line: null, id, field, message: "m" };
}

const ONE_RECORD = [
  "{", // 1
  '  "ID": "a1",', // 2
  '  "Title": "A post",', // 3
  '  "Post Meta": {', // 4
  '    "revision": { "status": "reviewed" },', // 5
  '    "ai_outline": {', // 6
  '      "context": "In Kubernetes"', // 7
  "    },", // 8
  '    "entities": [', // 9
  '      { "name": "redis", "type": "tool" },', // 10
  '      { "Name": "Redis", "type": "tool" },', // 11: the same entity, dropped by the normaliser
  '      { "name": "" }', // 12
  "    ]", // 13
  "  }", // 14
  "}", // 15
].join("\n");

const ARRAY = [
  "[", // 1
  '  { "id": "first", "title": "x", "meta": { "revision": { "status": "reviewed" } } },', // 2
  "  {", // 3
  '    "title": "y",', // 4
  '    "meta": {', // 5
  '      "payload": { "source_id": "second" },', // 6
  '      "summary": "",', // 7
  '      "revision": { "status": "reviewed" }', // 8
  "    }", // 9
  "  }", // 10
  "]", // 11
].join("\n");

describe("withJsonLines", () => {
  it.each([
    { name: "a field in other key spellings (`ID`, `Post Meta`)", id: "a1", field: "id", line: 2 },
    { name: "a nested field", id: "a1", field: "meta.revision.status", line: 5 },
    {
      name: "an entity by its position among those kept (a duplicate dropped)",
      id: "a1",
      field: "meta.entities.1",
      line: 12,
    },
    { name: "the first of two spellings of one entity", id: "a1", field: "meta.entities.0.name", line: 10 },
    { name: "a field the record lacks: its nearest enclosing key", id: "a1", field: "meta.summary", line: 4 },
    { name: "no field: the record's start", id: "a1", field: null, line: 1 },
    {
      name: "a scenario read from the outline: its context",
      id: "a1",
      field: "meta.ai_outline.context",
      line: 7,
    },
  ])("one-record file: $name", async ({ id, field, line }) => {
    const dir = await makeContentDir({ "post.json": `\uFEFF${ONE_RECORD}` });
    const [located] = withJsonLines(dir, [finding("post.json", id, field)]);
    expect(located?.line).toBe(line);
  });

  it.each([
    { name: "the record named by its id", id: "first", field: "title", line: 2 },
    { name: "the record named by its payload's source_id", id: "second", field: "meta.summary", line: 7 },
    { name: "the record's start when the field is missing everywhere", id: "second", field: "intro", line: 3 },
  ])("array file: $name", async ({ id, field, line }) => {
    const dir = await makeContentDir({ "posts.json": ARRAY });
    const [located] = withJsonLines(dir, [finding("posts.json", id, field)]);
    expect(located?.line).toBe(line);
  });

  it("one id several times in an array file: each finding at the copy its position names", async () => {
    const record = (id: string, title: string) => `  { "id": "${id}", "title": "${title}" }`;
    const dir = await makeContentDir({
      "here.json": [
        "[",
        `${record("d", "one")},`, // 2, item 0
        `${record("x", "x")},`, // 3, item 1
        `${record("d", "two")},`, // 4, item 2
        record("d", "three"), // 5, item 3
        "]",
      ].join("\n"),
    });
    const at = (item: number, field: string): Finding => ({ ...finding("here.json", "d", field), item });
    const located = withJsonLines(dir, [at(2, "id"), at(0, "title"), at(3, "title"), finding("here.json", "d", "id")]);
    // Without a position, the first copy with the id.
    expect(located.map((f) => f.line)).toEqual([4, 2, 5, 2]);
  });

  it("a file that does not parse: the line of the error; NDJSON and lined findings are left as they are", async () => {
    const dir = await makeContentDir({ "broken.json": '{\n  "id": "b",\n  "title": oops\n}\n', "x.ndjson": "{}\n" });
    const lined = { ...finding("broken.json", "b", "title"), line: 9 };
    const located = withJsonLines(dir, [finding("broken.json", null, null), finding("x.ndjson", null, null), lined]);
    expect(located.map((f) => f.line)).toEqual([3, null, 9]);
  });

  it("a record id the array file does not hold, or a file gone since: no line", async () => {
    const dir = await makeContentDir({ "posts.json": ARRAY });
    const located = withJsonLines(dir, [finding("posts.json", "nobody", "title"), finding("gone.json", "a", "title")]);
    expect(located.map((f) => f.line)).toEqual([null, null]);
  });
});
