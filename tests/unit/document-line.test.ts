import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { documentLine, prepareDocument, preparedDocumentLine, toSearchDocument } from "../../src/document.js";
import { evaluateRecord } from "../../src/records/evaluate.js";
import type { SearchDocument } from "../../src/document-types.js";
import { EXAMPLE_RECORDS_DIR, makePost, readExampleRecord } from "../helpers/records.js";

const CONTENT_DIR = path.resolve(EXAMPLE_RECORDS_DIR, "../../../content");

function documentOf(raw: unknown, file = "posts/a.json"): SearchDocument {
  const outcome = evaluateRecord(raw, { file, line: null, item: null });
  if (outcome.kind !== "indexed") throw new Error(`not indexed: ${JSON.stringify(outcome)}`);
  return toSearchDocument(outcome.record, outcome.file);
}

/** What the line must be: the document and its stamp, serialised the plain way. */
function plainLine(document: SearchDocument, indexedAt: number): string {
  return JSON.stringify({ ...document, indexed_at: indexedAt });
}

/** Every record of the example content folder (JSON arrays, single objects and NDJSON lines). */
function exampleContentRecords(): unknown[] {
  const records: unknown[] = [];
  for (const name of readdirSync(CONTENT_DIR, { recursive: true }).map(String)) {
    const text =
      name.endsWith(".json") || name.endsWith(".ndjson") ? readFileSync(path.join(CONTENT_DIR, name), "utf8") : "";
    if (name.endsWith(".ndjson")) {
      // The example exports carry a deliberately broken line: only lines that parse are records.
      for (const line of text.split("\n")) records.push(...parsedOrNothing(line));
    } else if (name.endsWith(".json")) {
      const parsed: unknown = JSON.parse(text);
      records.push(...(Array.isArray(parsed) ? parsed : [parsed]));
    }
  }
  return records;
}

function parsedOrNothing(line: string): unknown[] {
  try {
    return [JSON.parse(line)];
  } catch {
    return [];
  }
}

describe("documentLine: the NDJSON line a document is sent as", () => {
  test("is byte for byte the document with its stamp, for the canonical and the messy example", () => {
    for (const name of ["alphanode-000504.json", "alphanode-000504.messy.json"] as const) {
      const document = documentOf(readExampleRecord(name), "exports/alphanode.json");
      expect(documentLine(document, 1_733_011_200_123)).toBe(plainLine(document, 1_733_011_200_123));
    }
  });

  test("is byte for byte the document with its stamp for every indexed record of the example content", () => {
    let indexed = 0;
    for (const raw of exampleContentRecords()) {
      const outcome = evaluateRecord(raw, { file: "content/x.ndjson", line: 1, item: null });
      if (outcome.kind !== "indexed") continue;
      indexed += 1;
      const document = toSearchDocument(outcome.record, outcome.file);
      expect(documentLine(document, indexed)).toBe(plainLine(document, indexed));
    }
    expect(indexed).toBeGreaterThan(5);
  });

  test("keeps text that JSON escapes, and a file name with quotes and non-ASCII, intact", () => {
    const raw = makePost("quoted-1", { title: 'He said "hi"\\ — naïve' }, { summary: "tab\there \u2028 sep" });
    const document = documentOf(raw, 'posts/"odd" näme\\.json');
    const line = documentLine(document, 7);
    expect(line).toBe(plainLine(document, 7));
    expect(JSON.parse(line)).toMatchObject({
      title: 'He said "hi"\\ — naïve',
      summary: "tab\there \u2028 sep",
      source_file: 'posts/"odd" näme\\.json',
      indexed_at: 7,
    });
  });

  test("a document built on a worker thread (prepareDocument) is sent as the same line, with the same id and hash", () => {
    const records = [
      ...exampleContentRecords(),
      makePost("quoted-1", { title: 'He said "hi"\\ — naïve' }, { summary: "tab\there \u2028 sep" }),
    ];
    let indexed = 0;
    for (const raw of records) {
      const outcome = evaluateRecord(raw, { file: 'posts/"odd" näme.json', line: null, item: null });
      if (outcome.kind !== "indexed") continue;
      indexed += 1;
      const document = toSearchDocument(outcome.record, outcome.file);
      const prepared = prepareDocument(outcome.record, outcome.file);
      expect(prepared).toMatchObject({
        id: document.id,
        source_file: outcome.file,
        content_hash: document.content_hash,
      });
      expect(preparedDocumentLine(prepared, indexed)).toBe(plainLine(document, indexed));
    }
    expect(indexed).toBeGreaterThan(5);
  });

  test("serialises a document it did not build (read back from the index) the plain way", () => {
    const built = documentOf(makePost("copied-1"));
    const readBack = JSON.parse(JSON.stringify(built)) as SearchDocument;
    expect(documentLine(readBack, 42)).toBe(plainLine(readBack, 42));
    const stamped = { ...readBack, indexed_at: 5 } as SearchDocument;
    expect(JSON.parse(documentLine(stamped, 42))).toMatchObject({ id: "copied-1", indexed_at: 42 });
  });

  test("the hash does not change: it is still the hash of the content without the file", () => {
    const a = documentOf(makePost("same-1"), "a.json");
    const b = documentOf(makePost("same-1"), "moved/b.json");
    expect(a.content_hash).toBe(b.content_hash);
    expect(a.content_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(documentLine(a, 1)).not.toBe(documentLine(b, 1));
  });
});
