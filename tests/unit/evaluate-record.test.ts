import { describe, expect, test } from "vitest";
import { evaluateRecord, toSearchDocument, type RecordOutcome } from "../../src/index.js";
import { makeRecord, readExampleRecord } from "../helpers/records.js";

const at = { file: "posts.ndjson", line: 3, item: null };

function indexed(raw: unknown): Extract<RecordOutcome, { kind: "indexed" }> {
  const outcome = evaluateRecord(raw, at);
  if (outcome.kind !== "indexed") throw new Error(`expected indexed, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function rejected(raw: unknown): Extract<RecordOutcome, { kind: "rejected" }> {
  const outcome = evaluateRecord(raw, at);
  if (outcome.kind !== "rejected") throw new Error(`expected rejected, got ${outcome.kind}`);
  return outcome;
}

describe("the example article, canonical and messy", () => {
  test("the canonical and the messy record normalise to deep-equal documents", () => {
    const canonical = indexed(readExampleRecord("alphanode-000504.json"));
    const messy = indexed(readExampleRecord("alphanode-000504.messy.json"));
    expect(canonical.warnings).toEqual([]);
    expect(messy.warnings).toEqual([]);
    expect(toSearchDocument(messy.record, "a.json")).toEqual(toSearchDocument(canonical.record, "a.json"));
  });

  test("the document carries the facets, entities, numbers and source of the article", () => {
    const document = toSearchDocument(indexed(readExampleRecord("alphanode-000504.messy.json")).record, "site/a.json");
    expect(document).toMatchObject({
      id: "alphanode-000504",
      title: "practical guide to testing critical paths before launch with python services",
      site: "alphanode",
      stack: ["python services", "backend", "python"],
      tools: ["fastapi", "pytest", "uvicorn", "ruff", "git", "logs"],
      difficulty: "beginner",
      scenario: "behind a cdn",
      code_language: "python",
      reading_time: 5,
      view_count: 66607,
      score: { quality: 73, freshness: 94, depth: 72, clarity: 83 },
      revision: { status: "reviewed", version: "1.7.1", last_reviewed: "2018-05-22" },
      last_reviewed_at: Date.UTC(2018, 4, 22) / 1000,
      entity_keys: ["stack:python services", "area:backend", "problem:testing critical paths before launch"],
      flags: { ai_generated_style: true, has_images: false, image_heavy: false },
      source_file: "site/a.json",
    });
    expect(document.body).toContain("tag the release");
    expect(document.content_hash).toMatch(/^[0-9a-f]{32}$/);
  });

  test("moving a record to another file keeps its content hash", () => {
    const { record } = indexed(readExampleRecord("alphanode-000504.json"));
    expect(toSearchDocument(record, "a.json").content_hash).toBe(toSearchDocument(record, "b/c.json").content_hash);
  });
});

describe("spellings", () => {
  test.each(["view_count", "viewCount", "view count", "view-count", "View Count"])("meta key %j", (key) => {
    expect(indexed(makeRecord({}, { [key]: "1,200" })).record.meta.view_count).toBe(1200);
  });

  test.each(["meta", "post_meta", "Post Meta", "postMeta"])("meta spelled %j", (key) => {
    const raw = { id: "a", title: "t", [key]: { revision: { status: "reviewed" }, difficulty: "Advanced" } };
    expect(indexed(raw).record.meta.difficulty).toBe("advanced");
  });

  test("the id may come from meta.payload.source_id", () => {
    const raw = { title: "t", meta: { revision: ["status: reviewed"], payload: ["source id: from-payload"] } };
    expect(indexed(raw).id).toBe("from-payload");
  });

  test("a numeric id becomes text", () => {
    expect(indexed(makeRecord({ id: 42 })).id).toBe("42");
  });

  test.each<[string, unknown]>([
    ["array", ["Python", " FastAPI "]],
    ["JSON string", '["Python", "FastAPI"]'],
    ["python list", "['Python', 'FastAPI']"],
    ["bullets", "• Python\n• FastAPI"],
    ["comma-separated", "Python, FastAPI"],
  ])("tools as %s", (_name, tools) => {
    expect(indexed(makeRecord({}, { tools })).record.meta.tools).toEqual(["python", "fastapi"]);
  });

  test("facet values are trimmed, collapsed, lower-cased and de-duplicated in order", () => {
    const { meta } = indexed(
      makeRecord({}, { stack: ["  Python   Services ", "python services", "Backend", "backend"] }),
    ).record;
    expect(meta.stack).toEqual(["python services", "backend"]);
  });

  test.each<[string, unknown]>([
    [
      "objects",
      [
        { name: " Python ", type: "Stack" },
        { Name: "backend", Type: "area" },
      ],
    ],
    ["flattened", ["name: Python", "type: stack", "name: backend", "type: area"]],
    ["flattened in a string", '["name: Python", "type: stack", "name: backend", "type: area"]'],
  ])("entities as %s", (_name, entities) => {
    expect(indexed(makeRecord({}, { entities })).record.meta.entities).toEqual([
      { name: "python", type: "stack" },
      { name: "backend", type: "area" },
    ]);
  });

  test("duplicate entities are kept once", () => {
    const entities = [
      { name: "Backend", type: "area" },
      { name: "backend", type: "AREA" },
    ];
    expect(indexed(makeRecord({}, { entities })).record.meta.entities).toEqual([{ name: "backend", type: "area" }]);
  });

  test.each<[string, unknown]>([
    ["object", { quality: "73", depth: 72 }],
    ["key-value list", ["quality: 73", "depth: 72"]],
    ["bullet string", "• quality: 73\n• depth: 72"],
  ])("score as %s", (_name, score) => {
    expect(indexed(makeRecord({}, { score })).record.meta.score).toEqual({ quality: 73, depth: 72 });
  });

  test.each<[unknown, boolean]>([
    [1, true],
    ["1", true],
    [true, true],
    ["true", true],
    ["yes", true],
    [0, false],
    ["0", false],
    [false, false],
    ["false", false],
    ["no", false],
  ])("flag %j", (value, expected) => {
    const { meta } = indexed(makeRecord({}, { flags: { "has images": value } })).record;
    expect(meta.flags?.has_images).toBe(expected);
  });

  test.each<[unknown, number]>([
    [5, 5],
    ["5", 5],
    ["5 min", 5],
    ["12 minutes", 12],
  ])("reading time %j", (value, expected) => {
    expect(indexed(makeRecord({}, { "reading time": value })).record.meta.reading_time).toBe(expected);
  });

  test("sections: paragraphs in one string split on blank lines, items as bullets", () => {
    const sections = [
      { Heading: " Setup ", paragraphs: "one.\n\ntwo." },
      { heading: "Steps", items: "- a\n- b" },
    ];
    expect(indexed(makeRecord({ sections })).record.sections).toEqual([
      { heading: "Setup", paragraphs: ["one.", "two."] },
      { heading: "Steps", items: ["a", "b"] },
    ]);
  });

  test("scenario falls back to the outline's context", () => {
    const { record } = indexed(makeRecord({}, { ai_outline: ["context: Behind A CDN"] }));
    expect(toSearchDocument(record, "f.json").scenario).toBe("behind a cdn");
  });

  test("unicode is kept intact: CJK, emoji, combining marks", () => {
    const title = "检索 ✨ café (cafe\u0301) 👩🏽‍💻";
    const { record } = indexed(makeRecord({ title, intro: "日本語の紹介" }, { tools: ["Ünïcode", "ツール"] }));
    expect(record.title).toBe(title);
    expect(record.intro).toBe("日本語の紹介");
    expect(record.meta.tools).toEqual(["ünïcode", "ツール"]);
  });
});

describe("rejections name the field", () => {
  test.each<[string, unknown, string, string]>([
    ["no id", { title: "t", meta: { revision: { status: "reviewed" } } }, "id", "id is missing"],
    ["an empty id", makeRecord({ id: "  " }), "id", "id: must not be empty"],
    ["an id that is a list", makeRecord({ id: ["a"] }), "id", "id: expected text, got a list"],
    ["no title", { id: "a", meta: { revision: { status: "reviewed" } } }, "title", "title is missing"],
    [
      "a title that is an object",
      makeRecord({ title: { text: "x" } }),
      "title",
      "title: expected text, got a group of fields",
    ],
    ["no meta", { id: "a", title: "t" }, "meta.revision.status", "revision status is missing"],
    [
      "no revision",
      { id: "a", title: "t", meta: { topic: "x" } },
      "meta.revision.status",
      "revision status is missing",
    ],
    [
      "no revision status",
      makeRecord({}, { revision: { version: "1" } }),
      "meta.revision.status",
      "revision status is missing",
    ],
    [
      "a revision that cannot be read",
      makeRecord({}, { revision: 7 }),
      "meta.revision.status",
      "revision status: expected a group of fields, got the number 7",
    ],
  ])("%s", (_name, raw, field, message) => {
    expect(rejected(raw)).toMatchObject({ field, message, file: "posts.ndjson", line: 3 });
  });

  test("the id is reported when it can be read", () => {
    expect(rejected(makeRecord({ id: "known", title: undefined })).id).toBe("known");
  });

  test.each([[null], [[1, 2]], ["a string"], [42]])("%j is not a record", (raw) => {
    expect(rejected(raw)).toMatchObject({
      field: null,
      id: null,
      message: expect.stringContaining("must be a JSON object"),
    });
  });

  test("an id too long for Meilisearch is rejected", () => {
    expect(rejected(makeRecord({ id: "x".repeat(600) })).field).toBe("id");
  });
});

describe("invalid optional fields are dropped with a warning", () => {
  test.each<[string, Record<string, unknown>, string]>([
    ["view_count", { view_count: "lots" }, "meta.view_count"],
    ["a negative reading time", { reading_time: -5 }, "meta.reading_time"],
    ["a score over 100", { score: { quality: 140 } }, "meta.score.quality"],
    ["a bad date", { revision: { status: "reviewed", last_reviewed: "yesterday" } }, "meta.revision.last_reviewed"],
    ["a flag that is not a flag", { flags: { has_images: "maybe" } }, "meta.flags.has_images"],
    ["a topic that is a list", { topic: ["a"] }, "meta.topic"],
  ])("%s", (_name, meta, field) => {
    const outcome = indexed(makeRecord({}, meta));
    expect(outcome.warnings.map((w) => w.field)).toEqual([field]);
    expect(outcome.warnings[0]?.message).toMatch(/left out/);
  });

  test("an invalid list item is dropped alone", () => {
    const outcome = indexed(makeRecord({}, { tools: ["git", { name: "x" }, "npm"] }));
    expect(outcome.record.meta.tools).toEqual(["git", "npm"]);
    expect(outcome.warnings.map((w) => w.field)).toEqual(["meta.tools.1"]);
  });

  test("an entity without a type is dropped alone", () => {
    const outcome = indexed(makeRecord({}, { entities: ["name: a", "name: b", "type: area"] }));
    expect(outcome.record.meta.entities).toEqual([{ name: "b", type: "area" }]);
    expect(outcome.warnings.map((w) => w.field)).toEqual(["meta.entities.0"]);
  });

  test("several invalid fields are all reported", () => {
    const outcome = indexed(makeRecord({ intro: { x: 1 } }, { view_count: "x", reading_time: "y" }));
    expect(outcome.warnings.map((w) => w.field).sort()).toEqual(["intro", "meta.reading_time", "meta.view_count"]);
  });
});

describe("exclusions", () => {
  test.each<[string, Record<string, unknown>, string]>([
    ["a draft", { revision: { status: "draft" } }, "unreviewed"],
    [
      "status in capitals is still reviewed",
      { revision: { status: "REVIEWED" }, flags: { noindex: "yes" } },
      "noindex",
    ],
    ["needs human review", { flags: { needs_human_review: 1 } }, "unreviewed"],
    ["noindex", { flags: { noindex: true } }, "noindex"],
    ["no_index", { flags: ["no index: 1"] }, "noindex"],
    ["do_not_index", { flags: { "do-not-index": "true" } }, "noindex"],
    ["doNotIndex", { flags: { doNotIndex: "yes" } }, "noindex"],
    ["both: unreviewed is reported", { revision: { status: "pending" }, flags: { noindex: 1 } }, "unreviewed"],
  ])("%s", (_name, meta, reason) => {
    expect(evaluateRecord(makeRecord({}, meta), at)).toMatchObject({ kind: "excluded", reason });
  });

  test("a reviewed record with flags off is indexed", () => {
    expect(indexed(makeRecord({}, { flags: { noindex: 0, needs_human_review: "no" } })).kind).toBe("indexed");
  });
});

describe("hostile values", () => {
  test("prototype-pollution keys neither crash nor leak", () => {
    const raw = JSON.parse(
      '{"id": "p", "title": "t", "__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}, "meta": {"revision": {"status": "reviewed", "__proto__": {"polluted": 1}}, "flags": {"__proto__": {"noindex": true}}}}',
    );
    const outcome = indexed(raw);
    expect(({} as Record<string, unknown>)["isAdmin"]).toBeUndefined();
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.keys(outcome.record)).not.toContain("__proto__");
    expect(outcome.record.meta.flags).toEqual({});
  });

  test("a 10,000-element tool list is kept", () => {
    const tools = Array.from({ length: 10_000 }, (_, i) => `tool-${i}`);
    expect(indexed(makeRecord({}, { tools })).record.meta.tools).toHaveLength(10_000);
  });

  test("a deeply nested value in a text field is dropped, not followed", () => {
    let nested: unknown = "deep";
    for (let depth = 0; depth < 5_000; depth += 1) nested = { a: nested };
    const outcome = indexed(makeRecord({}, { summary: nested, payload: nested }));
    expect(outcome.record.meta.summary).toBeUndefined();
    expect(outcome.warnings.map((w) => w.field)).toContain("meta.summary");
  });
});
