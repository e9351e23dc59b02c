import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  evaluateFile,
  evaluateRecord,
  findRecordFiles,
  fromDocumentId,
  isRecordFilePath,
  toSearchDocument,
  type RecordOutcome,
} from "../../src/index.js";
import { MAX_DOCUMENT_ID_BYTES } from "../../src/document-id.js";
import { classifyRecord } from "../../src/records/classify.js";
import { recordSchema } from "../../src/records/schema.js";
import { writeFileTree } from "../helpers/content-dir.js";
import { hostileRecord, jsonText, jsonTree, SEED } from "../helpers/hostile.js";

const at = { file: "posts.ndjson", line: 1, item: null };

/** Whether some text in `value` holds a lone UTF-16 surrogate, which Meilisearch's JSON parser refuses. */
function holdsLoneSurrogate(value: unknown): boolean {
  let found = false;
  JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === "string" && !(item as string & { isWellFormed(): boolean }).isWellFormed()) found = true;
    return item;
  });
  return found;
}

/**
 * What must hold for every outcome: a rejection names its problem; an indexed or excluded record
 * validates, has an id, a title and a status, is classified as its kind says, and becomes a document
 * Meilisearch accepts (a valid, reversible id; text it can parse).
 */
function expectSound(outcome: RecordOutcome): void {
  switch (outcome.kind) {
    case "rejected":
      return expectSoundRejection(outcome);
    case "indexed":
      return expectSoundIndexed(outcome);
    case "excluded":
      return expectSoundExcluded(outcome);
  }
}

type OutcomeOf<Kind extends RecordOutcome["kind"]> = Extract<RecordOutcome, { kind: Kind }>;

/** A rejection names its problem (and an id, when it has one, is not empty). */
function expectSoundRejection(outcome: OutcomeOf<"rejected">): void {
  expect(typeof outcome.message).toBe("string");
  expect(outcome.message).not.toBe("");
  expect(outcome.id === null || (typeof outcome.id === "string" && outcome.id !== "")).toBe(true);
}

/** An indexed record is reviewed, not flagged, and classified as indexed. */
function expectSoundIndexed(outcome: OutcomeOf<"indexed">): void {
  const { record } = outcome;
  expect(classifyRecord(record).status).toBe("indexed");
  expect(record.meta.revision.status.toLowerCase()).toBe("reviewed");
  expect(record.meta.flags?.noindex === true || record.meta.flags?.needs_human_review === true).toBe(false);
  expectSoundRecord(record);
}

/** An excluded record is classified with the reason the outcome gives. */
function expectSoundExcluded(outcome: OutcomeOf<"excluded">): void {
  expect(classifyRecord(outcome.record)).toEqual({ status: "excluded", reason: outcome.reason });
  expectSoundRecord(outcome.record);
}

/** A record that counts validates, has an id, a title and a status, and becomes a document Meilisearch accepts. */
function expectSoundRecord(record: OutcomeOf<"indexed">["record"]): void {
  expect(recordSchema.safeParse(record).success).toBe(true);
  expect(record.id.trim()).not.toBe("");
  expect(record.title.trim()).not.toBe("");
  expect(record.meta.revision.status.trim()).not.toBe("");
  const document = toSearchDocument(record, "posts.ndjson");
  expect(document.id).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(Buffer.byteLength(document.id)).toBeLessThanOrEqual(MAX_DOCUMENT_ID_BYTES);
  expect(fromDocumentId(document.id)).toBe(record.id);
  expect(holdsLoneSurrogate(document)).toBe(false);
}

const prototypes = [Object.prototype, Array.prototype, String.prototype, Function.prototype];
let ownNamesBefore: string[][];
beforeAll(() => {
  ownNamesBefore = prototypes.map((prototype) => Object.getOwnPropertyNames(prototype).sort());
});
afterAll(() => {
  // Whatever ran in this file, no prototype gained (or lost) a property: the last check, after every test
  // (a failure here fails the file).
  // oxlint-disable-next-line vitest/no-standalone-expect -- an afterAll check of the whole file is what is meant
  expect(prototypes.map((prototype) => Object.getOwnPropertyNames(prototype).sort())).toEqual(ownNamesBefore);
});

function expectPrototypesClean(): void {
  expect(prototypes.map((prototype) => Object.getOwnPropertyNames(prototype).sort())).toEqual(ownNamesBefore);
  expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
}

describe("hostile records: evaluateRecord never throws, never lets an invalid record through", () => {
  test("any JSON shape, as a whole record", () => {
    fc.assert(
      fc.property(jsonTree, (tree) => {
        const outcome = evaluateRecord(JSON.parse(jsonText(tree)), at);
        expectSound(outcome);
      }),
      { seed: SEED, numRuns: 400 },
    );
    expectPrototypesClean();
  });

  test("valid records with hostile values and keys (prototype keys, duplicates, filter syntax, control characters, lone surrogates)", () => {
    const kinds = new Map<string, number>();
    fc.assert(
      fc.property(hostileRecord, (tree) => {
        const raw: unknown = JSON.parse(jsonText(tree));
        const copy = structuredClone(raw);
        const outcome = evaluateRecord(raw, at);
        kinds.set(outcome.kind, (kinds.get(outcome.kind) ?? 0) + 1);
        expectSound(outcome);
        expect(raw, "the input is left as it was").toEqual(copy);
        expect(evaluateRecord(copy, at), "the same input gives the same outcome").toEqual(outcome);
      }),
      { seed: SEED, numRuns: 600 },
    );
    expectPrototypesClean();
    // The generator reaches every branch, not only rejections.
    expect(kinds.get("indexed")).toBeGreaterThan(30);
    expect(kinds.get("excluded")).toBeGreaterThan(30);
    expect(kinds.get("rejected")).toBeGreaterThan(30);
  });

  test("a lone surrogate from a \\ud800 escape becomes U+FFFD: the document is text Meilisearch can parse", () => {
    const raw = JSON.parse(
      '{"id": "a\\ud800", "title": "t\\udc00", "meta": {"revision": {"status": "reviewed"}, "stack": "x\\ud800, y", "entities": ["name: n\\udfff", "type: tool"], "checklist": "• a\\ud800\\n• b"}}',
    ) as unknown;
    const outcome = evaluateRecord(raw, at);
    expectSound(outcome);
    expect(outcome).toMatchObject({
      kind: "indexed",
      id: "a\ufffd",
      record: { title: "t\ufffd", meta: { stack: ["x\ufffd", "y"], checklist: ["a\ufffd", "b"] } },
    });
    const twin = evaluateRecord(
      JSON.parse('{"id": "a\\udbff", "title": "t", "meta": {"revision": {"status": "reviewed"}}}'),
      at,
    );
    expect(twin.id, "ids that differ only in a lone surrogate are the same id, reported as duplicates").toBe("a\ufffd");
  });

  test("prototype keys at every level are plain data", () => {
    const raw = JSON.parse(
      '{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}, "id": "p", "title": "t", "meta": {"__proto__": {"polluted": 1}, "revision": {"status": "reviewed", "__proto__": {"x": 1}}, "flags": {"constructor": true, "__proto__": true, "noindex": "no"}, "score": {"constructor": 5, "quality": 7}, "entities": [{"name": "__proto__", "type": "constructor"}]}}',
    ) as unknown;
    const outcome = evaluateRecord(raw, at);
    expectSound(outcome);
    expect(outcome).toMatchObject({
      kind: "indexed",
      record: { meta: { score: { quality: 7 }, entities: [{ name: "__proto__", type: "constructor" }] } },
    });
    if (outcome.kind !== "indexed") return;
    expect(Object.getPrototypeOf(outcome.record)).toBe(Object.prototype);
    expect(Object.keys(outcome.record.meta.flags ?? {})).toEqual(["noindex"]);
    expectPrototypesClean();
  });
});

/** `[[[…"x"…]]]` nested `depth` deep, as JSON text. */
function deepArrayText(depth: number): string {
  return `${"[".repeat(depth)}"x"${"]".repeat(depth)}`;
}

/** `{"a":{"a":…}}` nested `depth` deep, as JSON text. */
function deepObjectText(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

describe("huge and deeply nested values", () => {
  const deep = deepArrayText(100_000);
  const deepObject = deepObjectText(100_000);
  const record = (meta: string, top = "") =>
    `{"id": "p", "title": "t"${top}, "meta": {"revision": {"status": "reviewed"}${meta}}}`;

  test.each([
    ["a 100,000-deep array as the title", record("", `, "title": ${deep}`)],
    ["a 100,000-deep array as the sections", record("", `, "sections": ${deep}`)],
    ["a 100,000-deep object as a section", record("", `, "sections": [${deepObject}]`)],
    ["a 100,000-deep array as the stack", record(`, "stack": ${deep}`)],
    ["a 100,000-deep object as the score", record(`, "score": ${deepObject}`)],
    ["a 100,000-deep object as the flags", record(`, "flags": ${deepObject}`)],
    ["a 100,000-deep array as the entities", record(`, "entities": ${deep}`)],
    ["a 100,000-deep object as an entity", record(`, "entities": [${deepObject}]`)],
    ["a 100,000-deep object as JSON text in the score", record(`, "score": ${JSON.stringify(deepObject)}`)],
    ["a 100,000-deep array as JSON text in the tools", record(`, "tools": ${JSON.stringify(deep)}`)],
    ["a 100,000-deep object as the payload", record(`, "payload": ${deepObject}`)],
    ["a 100,000-deep object as the whole meta", `{"id": "p", "title": "t", "meta": ${deepObject}}`],
  ])("%s: no crash, the deep value is left out or the record rejected", (_case, text) => {
    const outcome = evaluateRecord(JSON.parse(text), at);
    expectSound(outcome);
  });

  test("huge values: a 2 MB title, 100,000 stack values, 20,000 entities, 2,000 sections, a 1 MB Python-style list", () => {
    const raw = {
      id: "p",
      title: "word ".repeat(400_000),
      sections: Array.from({ length: 2_000 }, (_, i) => ({
        heading: `h${i}`,
        paragraphs: [`para ${i}`, { nested: [i] }],
      })),
      meta: {
        revision: { status: "reviewed" },
        stack: Array.from({ length: 100_000 }, (_, i) => (i % 3 === 0 ? { no: i } : `s${i % 5_000}`)),
        entities: Array.from({ length: 20_000 }, (_, i) => ({ name: `n${i}`, type: i % 2 ? "tool" : "" })),
        tools: `[${Array.from({ length: 60_000 }, (_, i) => `'t${i}'`).join(", ")}]`,
        view_count: "9".repeat(100_000),
      },
    };
    const outcome = evaluateRecord(raw, at);
    expectSound(outcome);
    expect(outcome).toMatchObject({ kind: "indexed" });
    if (outcome.kind !== "indexed") return;
    expect(outcome.record.meta.stack).toHaveLength(5_000);
    expect(outcome.record.meta.entities).toHaveLength(10_000);
    expect(outcome.record.meta.tools).toHaveLength(60_000);
    expect(outcome.warnings.length).toBeGreaterThan(0);
  });
});

describe("hostile files and trees", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "postindex-hostile-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("the watcher's path filter and the folder scan agree on which files are record files, for any tree", async () => {
    const segment = fc.constantFrom(
      "a",
      "b.json",
      "c.NDJSON",
      "d.jsonl",
      ".hidden",
      ".e.json",
      "f.txt",
      "g.json.bak",
      "h .json",
      "é.json",
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(segment, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }),
        async (paths) => {
          const root = path.join(dir, `tree-${(run += 1)}`);
          const files = await writeFileTree(root, paths);
          const { files: scanned } = await findRecordFiles(root);
          for (const file of files) expect(isRecordFilePath(file), file).toBe(scanned.includes(file));
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  test("random bytes, broken UTF-8, BOMs, CRLF and stray JSON in .json and .ndjson files", async () => {
    const chunk = fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom(
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from([0xff, 0xfe]),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from([0xc0, 0x80]),
        Buffer.from("\r\n"),
        Buffer.from("\n"),
      ),
      hostileRecord.map((tree) => Buffer.from(`${jsonText(tree)}\n`)),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(chunk, { maxLength: 8 }),
        fc.constantFrom("a.json", "b.ndjson", "c.jsonl"),
        async (chunks, name) => {
          const file = `${(run += 1)}-${name}`;
          await writeFile(path.join(dir, file), Buffer.concat(chunks));
          for await (const outcome of evaluateFile(dir, file)) expectSound(outcome);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});
