import { describe, expect, test } from "vitest";
import { CONFIG_FILE, loadContentConfig, parseContentConfig } from "../../src/check/content-config.js";
import { ContentLints } from "../../src/check/content-lints.js";
import type { Finding } from "../../src/check/findings.js";
import { foldValue } from "../../src/check/fold-value.js";
import { toSearchDocument } from "../../src/document.js";
import { checkFolder, checkFolderInParallel } from "../../src/records/check-folder.js";
import { evaluateFile, type ScanOutcome } from "../../src/records/scan-folder.js";
import { readyCheckWorkers } from "../helpers/check-workers.js";
import { makeContentDir, ndjson } from "../helpers/content-dir.js";
import { makePost } from "../helpers/records.js";

/** Checks a folder with every lint on, as `check --lint` does, on a fixed day. */
async function lintFolder(files: Record<string, string>, today = "2026-06-01") {
  const dir = await makeContentDir(files);
  const loaded = loadContentConfig(dir);
  const lints = new ContentLints(loaded.config.lints, loaded.config.aliases, new Date(today));
  const outcomes: ScanOutcome[] = [];
  const report = await checkFolder(dir, undefined, (outcome) => {
    outcomes.push(outcome);
    lints.observe(outcome);
  });
  return { dir, report, loaded, outcomes, findings: lints.finish() };
}

const full = { summary: "s", difficulty: "beginner", revision: { status: "reviewed", last_reviewed: "2026-05-01" } };
const entity = (name: string, type = "tool") => ({ name, type });
const of = (findings: Finding[], rule: string) => findings.filter((finding) => finding.rule === rule);

describe("foldValue: spellings of one value meet", () => {
  test.each([
    ["javascript", "javascript"],
    ["java script", "javascript"],
    ["javascript.", "javascript"],
    ["JavaScript", "javascript"],
    ["java-script", "javascript"],
    ["databases", "databas"],
    ["database", "databas"],
    ["queries", "query"],
    ["query", "query"],
    ["caches", "cach"],
    ["cache", "cach"],
    ["classes", "class"],
    ["status", "status"],
    ["node.js", "nodej"],
    ["nodejs", "nodej"],
    ["c", "c"],
    ["c#", "csharp"],
    ["c++", "cplusplus"],
    ["café", "caf"],
    ["...", "..."],
  ])("%j → %j", (value, key) => {
    expect(foldValue(value)).toBe(key);
  });
});

describe("content lints", () => {
  test("near-duplicate facet values: every post spelling a variant is named, with every value and the suggestion", async () => {
    const { findings } = await lintFolder({
      "a.json": JSON.stringify(makePost("a", {}, { ...full, stack: ["JavaScript"], entities: [entity("x")] })),
      "b.json": JSON.stringify(makePost("b", {}, { ...full, stack: ["javascript"], entities: [entity("x")] })),
      "c.json": JSON.stringify(makePost("c", {}, { ...full, stack: ["Java Script"], entities: [entity("x")] })),
      "d.ndjson": ndjson(makePost("d", {}, { ...full, stack: ["javascript."], entities: [entity("x")] })),
    });
    const near = of(findings, "near-duplicate-value");
    expect(near.map((f) => [f.file, f.line, f.id, f.field])).toEqual([
      ["c.json", null, "c", "meta.stack"],
      ["d.ndjson", 1, "d", "meta.stack"],
    ]);
    expect(near[0]?.message).toBe(
      'stack "java script" looks like "javascript": the folder spells it "javascript" (2 posts: a.json, b.json), "java script" (1 post: c.json), "javascript." (1 post: d.ndjson:1); write "javascript" (or declare an alias in postindex.config.json)',
    );
    // The variants are near-duplicates, not also "used once".
    expect(of(findings, "single-use-value")).toEqual([]);
  });

  test("near-duplicate entity names, per type; plural and singular meet", async () => {
    const { findings } = await lintFolder({
      "a.json": JSON.stringify(
        makePost("a", {}, { ...full, entities: [entity("message queues", "area"), entity("redis")] }),
      ),
      "b.json": JSON.stringify(
        makePost("b", {}, { ...full, entities: [entity("message queues", "area"), entity("redis")] }),
      ),
      "c.json": JSON.stringify(
        makePost("c", {}, { ...full, entities: [entity("message queue", "area"), entity("redis")] }),
      ),
    });
    expect(of(findings, "near-duplicate-value").map((f) => [f.id, f.message.split(":")[0]])).toEqual([
      ["c", 'entity area "message queue" looks like "message queues"'],
    ]);
  });

  test("a declared alias: its variants are rewritten before anything counts them, and spellings of the variant fold to the value meant", async () => {
    const config = { aliases: { stack: { JS: "JavaScript" }, entities: { tool: { k8s: "kubernetes" } } } };
    const { findings, outcomes } = await lintFolder({
      [CONFIG_FILE]: JSON.stringify(config),
      "a.json": JSON.stringify(
        makePost("a", {}, { ...full, stack: ["js", "JavaScript"], entities: [entity("k8s"), entity("kubernetes")] }),
      ),
      "b.json": JSON.stringify(makePost("b", {}, { ...full, stack: ["javascript"], entities: [entity("kubernetes")] })),
      "c.json": JSON.stringify(makePost("c", {}, { ...full, stack: ["j.s."], entities: [entity("kubernetes")] })),
    });
    const a = outcomes.find((outcome) => outcome.kind === "indexed" && outcome.id === "a");
    expect(a?.kind === "indexed" && [a.record.meta.stack, a.record.meta.entities]).toEqual([
      ["javascript"],
      [{ name: "kubernetes", type: "tool" }],
    ]);
    const near = of(findings, "near-duplicate-value");
    expect(near.map((f) => [f.id, f.message])).toEqual([
      [
        "c",
        'stack "j.s." looks like "javascript": the folder spells it "javascript" (2 posts: a.json, b.json), "j.s." (1 post: c.json); write "javascript"',
      ],
    ]);
  });

  test("aliases apply to every scan, the watcher's evaluation of one file too", async () => {
    const dir = await makeContentDir({
      [CONFIG_FILE]: JSON.stringify({
        aliases: { tools: { postgres: "postgresql" }, difficulty: { easy: "beginner" } },
      }),
      "a.json": JSON.stringify(makePost("a", {}, { tools: "Postgres, psql, PostgreSQL", difficulty: "Easy" })),
    });
    const outcomes = [];
    for await (const outcome of evaluateFile(dir, "a.json")) outcomes.push(outcome);
    expect(
      outcomes[0]?.kind === "indexed" && [outcomes[0].record.meta.tools, outcomes[0].record.meta.difficulty],
    ).toEqual([["postgresql", "psql"], "beginner"]);
  });

  test("a scenario alias applies whether the scenario is the payload's or the outline's context (the contract's fallback)", async () => {
    const { findings, outcomes } = await lintFolder({
      [CONFIG_FILE]: JSON.stringify({ aliases: { scenario: { "k8s migration": "kubernetes migration" } } }),
      "a.json": JSON.stringify(makePost("a", {}, { ...full, payload: { scenario: "K8s Migration" } })),
      "b.json": JSON.stringify(makePost("b", {}, { ...full, ai_outline: { context: "K8s  migration" } })),
      "c.json": JSON.stringify(makePost("c", {}, { ...full, ai_outline: { context: "Kubernetes Migration" } })),
      "d.json": JSON.stringify(makePost("d", {}, { ...full, ai_outline: { context: "Legacy upgrade" } })),
    });
    const scenarios = outcomes.map((outcome) =>
      outcome.kind === "indexed" ? [outcome.id, toSearchDocument(outcome.record, "").scenario] : [],
    );
    expect(scenarios).toEqual([
      ["a", "kubernetes migration"],
      ["b", "kubernetes migration"],
      ["c", "kubernetes migration"],
      ["d", "legacy upgrade"],
    ]);
    // The outline is searched and shown: it keeps the author's words.
    const outlineOfB = outcomes.find((outcome) => outcome.id === "b");
    expect(outlineOfB?.kind === "indexed" && outlineOfB.record.meta.ai_outline?.context).toBe("K8s  migration");
    // The three spellings count as one value; the outline-only post's scenario is counted too.
    expect(of(findings, "single-use-value").map((f) => [f.id, f.message])).toEqual([
      ["d", 'scenario "legacy upgrade" is used by no other post (a typo?)'],
    ]);
  });

  test("a finding about a scenario an alias in the outline named names the outline, on one thread and on two", async () => {
    const files = {
      [CONFIG_FILE]: JSON.stringify({ aliases: { scenario: { "k8s move": "kubernetes move" } } }),
      "a.json": JSON.stringify(makePost("a", {}, { ...full, ai_outline: { context: "K8s move" } })),
      "b.json": JSON.stringify(makePost("b", {}, { ...full, payload: { scenario: "Legacy upgrade" } })),
      "c.json": JSON.stringify(makePost("c", {}, { ...full, payload: { scenario: "Shared" } })),
      "d.json": JSON.stringify(makePost("d", {}, { ...full, ai_outline: { context: "Shared" } })),
    };
    const expected = [
      ["a", "meta.ai_outline.context", 'scenario "kubernetes move" is used by no other post (a typo?)'],
      ["b", "meta.payload.scenario", 'scenario "legacy upgrade" is used by no other post (a typo?)'],
    ];
    const { dir, loaded, findings } = await lintFolder(files);
    expect(of(findings, "single-use-value").map((f) => [f.id, f.field, f.message])).toEqual(expected);
    const parallel = new ContentLints(loaded.config.lints, loaded.config.aliases, new Date("2026-06-01"));
    const { workers, batchesAnswered } = await readyCheckWorkers(dir);
    await checkFolderInParallel(dir, { workers, observe: (outcome) => parallel.observe(outcome) });
    expect(batchesAnswered()).toBeGreaterThan(0);
    expect(of(parallel.finish(), "single-use-value").map((f) => [f.id, f.field, f.message])).toEqual(expected);
  });

  test("values used by one post only, per facet", async () => {
    const { findings } = await lintFolder({
      "a.json": JSON.stringify(makePost("a", {}, { ...full, tools: ["redis", "celery"], entities: [entity("x")] })),
      "b.json": JSON.stringify(makePost("b", {}, { ...full, tools: ["redis"], entities: [entity("x")] })),
      "c.json": JSON.stringify(makePost("c", {}, { ...full, tools: ["redis", "rabbitmq"], entities: [entity("x")] })),
    });
    expect(of(findings, "single-use-value").map((f) => [f.id, f.field, f.message])).toEqual([
      ["a", "meta.tools", 'tools "celery" is used by no other post (a typo?)'],
      ["c", "meta.tools", 'tools "rabbitmq" is used by no other post (a typo?)'],
    ]);
  });

  test("orphans: posts no other post shares an entity with", async () => {
    const { findings } = await lintFolder({
      "a.json": JSON.stringify(
        makePost("a", {}, { ...full, entities: [entity("redis"), entity("caching", "problem")] }),
      ),
      "b.json": JSON.stringify(makePost("b", {}, { ...full, entities: [entity("redis")] })),
      "c.json": JSON.stringify(makePost("c", {}, { ...full, entities: [entity("fortran"), entity("redis", "stack")] })),
    });
    expect(of(findings, "orphan-post").map((f) => [f.id, f.message])).toEqual([
      ["c", 'no other post shares an entity with this one ("fortran", "redis"), so its similar posts are the fallback'],
    ]);
  });

  test("stale reviews against the configured age, and missing recommended fields", async () => {
    const { findings } = await lintFolder(
      {
        [CONFIG_FILE]: JSON.stringify({ lints: { "stale-review": { maxAgeDays: 30 }, "single-use-value": "off" } }),
        "a.json": JSON.stringify(makePost("a", {}, { revision: { status: "reviewed", last_reviewed: "2026-04-30" } })),
        "b.json": JSON.stringify(
          makePost("b", {}, { ...full, revision: { status: "reviewed", last_reviewed: "2026-05-10" } }),
        ),
        "excluded.json": JSON.stringify(
          makePost("e", {}, { revision: { status: "draft", last_reviewed: "2001-01-01" } }),
        ),
      },
      "2026-06-01",
    );
    expect(findings.map((f) => [f.rule, f.id, f.field, f.message])).toEqual([
      ["stale-review", "a", "meta.revision.last_reviewed", "last reviewed 2026-04-30, more than 30 days ago"],
      ["missing-recommended-field", "a", "meta.summary", "meta.summary is missing (recommended)"],
      ["missing-recommended-field", "a", "meta.difficulty", "meta.difficulty is missing (recommended)"],
      ["missing-recommended-field", "a", "meta.entities", "meta.entities is missing (recommended)"],
      ["missing-recommended-field", "b", "meta.entities", "meta.entities is missing (recommended)"],
    ]);
  });

  test("severities from the config: a lint set to error, one turned off", async () => {
    const { findings } = await lintFolder({
      [CONFIG_FILE]: JSON.stringify({
        lints: { "missing-recommended-field": { severity: "error", fields: ["summary"] }, "single-use-value": "off" },
      }),
      "a.json": JSON.stringify(makePost("a", {}, { difficulty: "x", entities: [entity("y")] })),
    });
    expect(findings.map((f) => [f.rule, f.severity, f.field])).toEqual([
      ["missing-recommended-field", "error", "meta.summary"],
    ]);
  });
});

describe("postindex.config.json", () => {
  test("a valid file: aliases normalised like the values they replace, lint defaults filled in", () => {
    const { config, problems } = parseContentConfig(JSON.stringify({ aliases: { stack: { " K8s ": "Kubernetes" } } }));
    expect(problems).toEqual([]);
    expect([...(config.aliases.facets.get("stack") ?? [])]).toEqual([["k8s", "kubernetes"]]);
    expect(config.lints.staleReview.maxAgeDays).toBe(365);
    expect(config.aliases.empty).toBe(false);
  });

  test("not JSON: reported with its line", () => {
    const { problems, config } = parseContentConfig('{\n  "aliases": {\n    "stack": {"a": }\n  }\n}');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      rule: "invalid-config",
      severity: "error",
      file: CONFIG_FILE,
      line: 3,
      field: null,
    });
    expect(problems[0]?.message).toMatch(/^not valid JSON: /);
    expect(config.aliases.empty).toBe(true);
  });

  test("schema errors: each with its field and line", () => {
    const text = JSON.stringify(
      {
        aliases: { stak: { a: "b" }, tools: { x: 3 } },
        lints: { "stale-review": { maxAgeDays: -1 }, "orphan-post": "loud" },
      },
      null,
      2,
    );
    const { problems } = parseContentConfig(text);
    expect(problems.map((p) => [p.field, p.line])).toEqual(
      expect.arrayContaining([
        ["aliases.tools.x", 7],
        ["lints.stale-review.maxAgeDays", 12],
        ["lints.orphan-post", 14],
        ["aliases", 2],
      ]),
    );
    expect(problems.find((p) => p.field === "aliases")?.message).toContain("stak");
    expect(problems.find((p) => p.field === "lints.orphan-post")?.message).toBe(
      'expected "error", "warning", "off", or an object with "severity" and the rule\'s options',
    );
  });

  test("alias chains, loops and self-aliases are errors naming the fix", () => {
    const { problems } = parseContentConfig(
      JSON.stringify({ aliases: { stack: { k8s: "kube", kube: "kubernetes", same: "Same" } } }, null, 2),
    );
    expect(problems.map((p) => [p.field, p.message])).toEqual([
      ["aliases.stack.same", '"same" is an alias of itself'],
      ["aliases.stack.k8s", '"k8s" → "kube", but "kube" is itself an alias of "kubernetes": write "k8s": "kubernetes"'],
    ]);
  });
});
