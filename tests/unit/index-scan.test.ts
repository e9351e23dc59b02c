import { describe, expect, test } from "vitest";
import { prepareDocument, type PreparedDocument } from "../../src/document.js";
import { slimOutcome, type CheckOutcome } from "../../src/records/check-outcome.js";
import { scanForIndexing } from "../../src/records/index-scan.js";
import { scanWithProgress } from "../../src/records/scan-folder.js";
import { readyCheckWorkers } from "../helpers/check-workers.js";
import { makeContentDir } from "../helpers/content-dir.js";
import { indexedPosts, plantedFolder } from "../helpers/planted-folder.js";

/** What an indexing pass is told of a folder: each record in order with its document, each file's stamp, what was ignored. */
interface PassInput {
  records: { outcome: CheckOutcome; document: PreparedDocument | undefined }[];
  stamps: [string, string | undefined][];
  ignored: unknown[];
}

/** The one-thread way: the folder scan and each indexed record's document built where it is read. */
async function scannedOnOneThread(dir: string): Promise<PassInput> {
  const input: PassInput = { records: [], stamps: [], ignored: [] };
  input.ignored = await scanWithProgress(dir, {
    onFileOpened: (file, stamp) => void input.stamps.push([file, stamp]),
    onRecord: (outcome) => {
      const document = outcome.kind === "indexed" ? prepareDocument(outcome.record, outcome.file) : undefined;
      input.records.push({ outcome: outcome.kind === "duplicate" ? outcome : slimOutcome(outcome, false), document });
    },
  });
  return input;
}

describe("an indexing pass's scan on two threads (scanForIndexing)", () => {
  test("gives each record, in path order, with the document the one-thread scan builds, and each file's stamp", async () => {
    const dir = await makeContentDir(plantedFolder());
    const expected = await scannedOnOneThread(dir);
    // From the folder, not from the code: the posts indexed in posts/, in path order.
    const indexedInPosts = expected.records.filter(
      ({ outcome }) => outcome.kind === "indexed" && outcome.file.startsWith("posts/"),
    );
    expect(indexedInPosts.map(({ outcome }) => ({ id: outcome.id, file: outcome.file }))).toEqual(indexedPosts);

    const { workers, batchesAnswered } = await readyCheckWorkers(dir);
    const input: PassInput = { records: [], stamps: [], ignored: [] };
    input.ignored = await scanForIndexing(dir, {
      workers,
      onFileOpened: (file, stamp) => void input.stamps.push([file, stamp]),
      onRecord: (outcome, document) => void input.records.push({ outcome, document }),
    });
    expect(batchesAnswered()).toBeGreaterThan(0);
    expect(input).toEqual(expected);
    const single = { records: [] as PassInput["records"] };
    await scanForIndexing(dir, {
      workers: 0,
      onRecord: (outcome, document) => void single.records.push({ outcome, document }),
    });
    expect(single.records).toEqual(expected.records);
  });

  test("while evaluateHere says so, the calling thread reads files too, beside the worker, with the same records", async () => {
    const dir = await makeContentDir(plantedFolder());
    const expected = await scannedOnOneThread(dir);
    const answered = async (evaluateHere: () => boolean): Promise<number> => {
      const { workers, batchesAnswered } = await readyCheckWorkers(dir);
      const records: PassInput["records"] = [];
      await scanForIndexing(dir, {
        workers,
        evaluateHere,
        onRecord: (outcome, document) => void records.push({ outcome, document }),
      });
      expect(records).toEqual(expected.records);
      return batchesAnswered();
    };
    const byWorkerAlone = await answered(() => false);
    let asked = 0;
    const byWorkerHelped = await answered(() => ((asked += 1), true));
    expect(asked).toBeGreaterThan(0);
    expect(byWorkerHelped).toBeLessThan(byWorkerAlone);
    // Asked before each batch: helping only at first still leaves the worker more than helping throughout.
    let left = 1;
    const helpedOnce = await answered(() => (left -= 1) >= 0);
    expect(helpedOnce).toBeGreaterThan(byWorkerHelped);
  });

  test("a worker that dies mid-pass: its files are read here, no record lost or given twice", async () => {
    const dir = await makeContentDir(plantedFolder());
    const expected = await scannedOnOneThread(dir);
    const { workers, batchesAnswered } = await readyCheckWorkers(dir);
    const records: PassInput["records"] = [];
    await scanForIndexing(dir, {
      workers,
      onRecord: (outcome, document) => {
        records.push({ outcome, document });
        if (records.length === 20) void workers[0]?.terminate();
      },
    });
    expect(batchesAnswered()).toBeGreaterThan(0);
    expect(records).toEqual(expected.records);
  });

  test("a promise from onRecord holds the scan: records are handed on one at a time, in path order", async () => {
    const dir = await makeContentDir(plantedFolder());
    const expected = await scannedOnOneThread(dir);
    const { workers } = await readyCheckWorkers(dir);
    const records: PassInput["records"] = [];
    let busy = 0;
    let overlapped = false;
    const progress: number[] = [];
    await scanForIndexing(dir, {
      workers,
      onProgress: ({ doneFiles, totalFiles }) => void (doneFiles === totalFiles && progress.push(doneFiles)),
      onRecord: async (outcome, document) => {
        busy += 1;
        overlapped ||= busy > 1;
        await new Promise((resolve) => setImmediate(resolve));
        records.push({ outcome, document });
        busy -= 1;
      },
    });
    expect(overlapped).toBe(false);
    expect(records).toEqual(expected.records);
    // The files done reach the total once, at the end: the folder's 225 files.
    expect(progress).toEqual([225]);
  });
});
