import { describe, expect, test } from "vitest";
import { loadContentConfig } from "../../src/check/content-config.js";
import { BatchEvaluation, evaluateBatch, type BatchSetup } from "../../src/records/check-batch.js";
import type { RecordOutcome } from "../../src/records/evaluate.js";
import { CHUNK_BYTES, RecordFileReader } from "../../src/records/record-file-reader.js";
import { makeContentDir, ndjson } from "../helpers/content-dir.js";
import { makePost } from "../helpers/records.js";

/** An export long enough to take several reads, one-article files, and one that does not parse. */
async function mixedBatch(): Promise<{ dir: string; files: string[]; exportRecords: number }> {
  const posts = Array.from({ length: 150 }, (_, n) => makePost(`e-${n}`, { title: `Export post ${n} `.repeat(100) }));
  const text = ndjson(...posts);
  // From the file, not the code: the export spans at least three reads of the reader's buffer.
  expect(Buffer.byteLength(text)).toBeGreaterThan(3 * CHUNK_BYTES);
  const dir = await makeContentDir({
    "a.json": JSON.stringify(makePost("a")),
    "b.ndjson": text,
    "c.json": '{ "id": "c", ',
    "d.json": JSON.stringify(makePost("d", {}, { revision: { status: "draft" } })),
  });
  return { dir, files: ["a.json", "b.ndjson", "c.json", "d.json"], exportRecords: posts.length };
}

/** What one thread evaluates the batch with. */
function setupFor(dir: string, documents: boolean): BatchSetup {
  return { dir, aliases: loadContentConfig(dir).config.aliases, reader: new RecordFileReader(), documents };
}

/** The batch evaluated step by step, each step told to stop after its first chunk: the outcomes seen after each step. */
function stepByStep(setup: BatchSetup, files: string[]) {
  const outcomes: RecordOutcome[] = [];
  const evaluation = new BatchEvaluation(setup, files, (outcome) => outcomes.push(outcome));
  const seenPerStep: number[] = [];
  let result: ReturnType<BatchEvaluation["run"]>;
  do {
    result = evaluation.run(() => false);
    seenPerStep.push(outcomes.length);
  } while (result === undefined);
  return { outcomes, result, seenPerStep };
}

describe("a batch evaluated in steps (BatchEvaluation)", () => {
  test("told to stop after each chunk, it gives one file or one read of an export a step, and in the end what evaluateBatch gives", async () => {
    const { dir, files, exportRecords } = await mixedBatch();
    for (const documents of [false, true]) {
      const outcomes: RecordOutcome[] = [];
      const expected = evaluateBatch(setupFor(dir, documents), files, (outcome) => outcomes.push(outcome));
      expect(expected.counts).toEqual([1, exportRecords, 1, 1]);
      expect(expected.documents?.length).toBe(documents ? exportRecords + 1 : undefined);
      const stepped = stepByStep(setupFor(dir, documents), files);
      // a.json alone in the first step; the export's records over at least three steps.
      const { seenPerStep } = stepped;
      expect(seenPerStep[0]).toBe(1);
      const duringExport = new Set(seenPerStep.filter((seen) => seen > 1 && seen <= 1 + exportRecords));
      expect(duringExport.size).toBeGreaterThanOrEqual(3);
      expect(seenPerStep).toEqual([...seenPerStep].sort((a, b) => a - b));
      expect(seenPerStep.at(-1)).toBe(exportRecords + 3);
      expect(stepped.outcomes).toEqual(outcomes);
      expect(stepped.result).toEqual(expected);
    }
  });
});
