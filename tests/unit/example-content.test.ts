import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { scanFolder, toSearchDocument, type RunReport, type SearchDocument } from "../../src/index.js";
import { checkFolder } from "../../src/records/check-folder.js";
import { readExampleRecord } from "../helpers/records.js";

/**
 * The example content shipped in `content/` (what `npm start` indexes). These numbers are the
 * intended ones: content/README.md lists every record that is excluded, rejected or duplicated on
 * purpose. Change both together.
 */
const CONTENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../content");

let report: RunReport;
let documents: SearchDocument[];

beforeAll(async () => {
  report = await checkFolder(CONTENT_DIR);
  documents = [];
  for await (const event of scanFolder(CONTENT_DIR)) {
    if (event.type === "record" && event.outcome.kind === "indexed") {
      documents.push(toSearchDocument(event.outcome.record, event.outcome.file));
    }
  }
});

describe("the example content folder", () => {
  test("reports the intended counts and no warnings", () => {
    expect({
      indexed: report.indexed.length,
      excluded: report.excluded.length,
      rejected: report.rejected.length,
      duplicates: report.duplicates.length,
    }).toEqual({ indexed: 42, excluded: 3, rejected: 2, duplicates: 1 });
    expect(report.warnings).toEqual([]);
    expect(report.ignored).toEqual([{ file: "README.md", reason: "not a .json, .ndjson or .jsonl file" }]);
  });

  test("the example article is an unchanged copy of the canonical fixture, and it is indexed", async () => {
    const copy = JSON.parse(await readFile(path.join(CONTENT_DIR, "alphanode/alphanode-000504.json"), "utf8"));
    expect(copy).toEqual(readExampleRecord("alphanode-000504.json"));
    expect(report.indexed).toContainEqual({ id: "alphanode-000504", file: "alphanode/alphanode-000504.json" });
  });

  test("the deliberately excluded records are reported with their reasons", () => {
    expect(report.excluded).toEqual([
      { id: "alphanode-000586", file: "alphanode/internal/alphanode-000586.json", reason: "noindex" },
      { id: "betaops-000272", file: "betaops/export-2024-03.ndjson", reason: "unreviewed" },
      { id: "gammadev-000361", file: "gammadev/feed.jsonl", reason: "unreviewed" },
    ]);
  });

  test("the deliberately broken records are rejected alone, with file, line, id and field", () => {
    expect(report.rejected).toEqual([
      {
        file: "betaops/export-2024-03.ndjson",
        line: 6,
        id: "betaops-000276",
        field: null,
        message: expect.stringMatching(/^not valid JSON/),
      },
      {
        file: "gammadev/react/2024-05-batch.json",
        line: null,
        id: "gammadev-000369",
        field: "title",
        message: "title is missing",
      },
    ]);
    const indexedFrom = (file: string): string[] => report.indexed.filter((r) => r.file === file).map((r) => r.id);
    // The rest of each file still counts.
    expect(indexedFrom("betaops/export-2024-03.ndjson")).toHaveLength(9);
    expect(indexedFrom("gammadev/react/2024-05-batch.json")).toHaveLength(5);
  });

  test("the re-exported id in the later-sorting file is a duplicate; the first file wins", () => {
    expect(report.duplicates).toEqual([
      { id: "betaops-000219", file: "betaops/export-2024-04.ndjson", kept: "betaops/export-2024-03.ndjson" },
    ]);
    expect(report.indexed).toContainEqual({ id: "betaops-000219", file: "betaops/export-2024-03.ndjson" });
  });

  test("every export shape contributes indexed records", async () => {
    const files = new Set(report.indexed.map((r) => r.file));
    expect([...files].some((f) => f.endsWith(".ndjson"))).toBe(true);
    expect([...files].some((f) => f.endsWith(".jsonl"))).toBe(true);
    expect(report.indexed.filter((r) => r.file === "alphanode/postgres/2024-q1-export.json")).toHaveLength(5);
    // An exporter that writes the id only in meta.payload.source_id.
    expect(report.indexed).toContainEqual({ id: "betaops-000259", file: "betaops/export-2024-04.ndjson" });
    // The JSONL feed keeps its BOM and CRLF line ends (an editor re-saving it would lose the point).
    const feed = await readFile(path.join(CONTENT_DIR, "gammadev/feed.jsonl"));
    expect([...feed.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(feed.toString("utf8").split("\r\n").length).toBeGreaterThan(5);
  });
});

describe("the indexed articles make a realistic search site", () => {
  test("at least 30 articles, spanning 3 difficulties, 5 stacks, several sites and scenarios", () => {
    expect(documents.length).toBeGreaterThanOrEqual(30);
    const values = (pick: (d: SearchDocument) => readonly (string | null)[]): Set<string> =>
      new Set(documents.flatMap(pick).filter((v): v is string => v !== null));
    expect(values((d) => [d.difficulty])).toEqual(new Set(["beginner", "intermediate", "advanced"]));
    const stacks = values((d) => d.stack);
    for (const stack of [
      "python services",
      "node services",
      "go services",
      "react apps",
      "static sites",
      "postgres",
      "kubernetes",
    ]) {
      expect(stacks).toContain(stack);
    }
    expect(values((d) => [d.site])).toEqual(new Set(["alphanode", "betaops", "gammadev"]));
    expect(values((d) => [d.scenario]).size).toBeGreaterThanOrEqual(5);
    expect(values((d) => [d.code_language]).size).toBeGreaterThanOrEqual(5);
  });

  test("every article has a body, a scenario and a problem entity", () => {
    for (const doc of documents) {
      expect(doc.id, doc.source_id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(doc.sections.length, doc.source_id).toBeGreaterThanOrEqual(2);
      expect(doc.scenario, doc.source_id).not.toBeNull();
      expect(
        doc.entities.some((e) => e.type === "problem"),
        doc.source_id,
      ).toBe(true);
    }
  });

  test("related posts are meaningful: every article shares a problem, stack or tool with another", () => {
    const specific = (doc: SearchDocument): string[] => doc.entity_keys.filter((key) => !key.startsWith("area:"));
    for (const doc of documents) {
      const own = new Set(specific(doc));
      const related = documents.filter((other) => other !== doc && specific(other).some((key) => own.has(key)));
      expect(related.length, doc.source_id).toBeGreaterThan(0);
    }
    // A few deliberate clusters.
    const carrying = (key: string): number => documents.filter((d) => d.entity_keys.includes(key)).length;
    expect(carrying("problem:zero-downtime deploys")).toBeGreaterThanOrEqual(3);
    expect(carrying("problem:cache invalidation")).toBeGreaterThanOrEqual(3);
    expect(carrying("problem:testing critical paths before launch")).toBe(2);
  });
});
