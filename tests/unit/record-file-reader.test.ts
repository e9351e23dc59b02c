import { execFileSync } from "node:child_process";
import { EventEmitter, once } from "node:events";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { EventLoopSlices } from "../../src/records/event-loop-slices.js";
import { CHUNK_BYTES, RecordFileReader } from "../../src/records/record-file-reader.js";
import type { ParsedEntry } from "../../src/records/parse-file.js";
import type { ReadAheadReport } from "../../src/records/read-ahead.js";
import { scanWithProgress, type ScanOutcome } from "../../src/records/scan-folder.js";
import { makeContentDir, ndjson } from "../helpers/content-dir.js";
import { readsFromDiskEverySample } from "../helpers/disk-reads.js";
import { makePost } from "../helpers/records.js";

/** Every batch `next()` gives for one file, in order. */
function readBatches(reader: RecordFileReader, absolute: string, lineDelimited: boolean): ParsedEntry[][] {
  reader.open(absolute, lineDelimited);
  const batches: ParsedEntry[][] = [];
  for (let batch = reader.next(); batch !== undefined; batch = reader.next()) batches.push(batch);
  return batches;
}

const idsOf = (entries: ParsedEntry[]): unknown[] =>
  entries.map((entry) => ("value" in entry ? (entry.value as { id: unknown }).id : entry.error));

/** A post padded to about `bytes` of JSON, so that a few of them fill a read chunk. */
const paddedPost = (id: string, bytes: number): Record<string, unknown> => makePost(id, { intro: "x".repeat(bytes) });

describe("RecordFileReader", () => {
  test("one reader reads file after file, each whole .json file in one batch, in file order", async () => {
    const dir = await makeContentDir({
      "a.json": JSON.stringify([makePost("a1"), makePost("a2")]),
      "b.json": JSON.stringify(makePost("b")),
      "c.ndjson": ndjson(makePost("c1"), makePost("c2")),
    });
    const reader = new RecordFileReader();
    expect(readBatches(reader, path.join(dir, "a.json"), false).map(idsOf)).toEqual([["a1", "a2"]]);
    expect(readBatches(reader, path.join(dir, "b.json"), false).map(idsOf)).toEqual([["b"]]);
    expect(
      readBatches(reader, path.join(dir, "c.ndjson"), true)
        .flat()
        .map((entry) => entry.line),
    ).toEqual([1, 2]);
  });

  test("the stamp is the opened file's mtime and size", async () => {
    const dir = await makeContentDir({ "a.json": JSON.stringify(makePost("a")) });
    const info = await stat(path.join(dir, "a.json"));
    expect(new RecordFileReader().open(path.join(dir, "a.json"), false)).toBe(`${info.mtimeMs}:${info.size}`);
  });

  test("a large NDJSON file comes in bounded batches, every line once, in order, with its number; CRLF split across chunks", async () => {
    // ~3 MB of ~40 KB lines: many read chunks, so lines (and some CR LF pairs) straddle chunk ends.
    const records = Array.from({ length: 80 }, (_, i) => paddedPost(`p${i}`, 40_000 + i));
    const text = records.map((record) => JSON.stringify(record)).join("\r\n") + "\r\n";
    const dir = await makeContentDir({ "big.ndjson": text });
    const batches = readBatches(new RecordFileReader(), path.join(dir, "big.ndjson"), true);
    expect(batches.length).toBeGreaterThan(2);
    for (const batch of batches) expect(batch.length).toBeLessThan(records.length);
    const entries = batches.flat();
    expect(entries.every((entry) => "value" in entry)).toBe(true);
    expect(idsOf(entries)).toEqual(records.map((record) => record["id"]));
    expect(entries.map((entry) => entry.line)).toEqual(records.map((_, i) => i + 1));
  });

  test("a CR LF pair split by the end of a read chunk ends its line, the CR dropped", async () => {
    const first = JSON.stringify(makePost("one"));
    // The second line's CR is the chunk's last byte, its LF the next chunk's first.
    const secondLength = CHUNK_BYTES - (first.length + 2) - 1;
    const bare = JSON.stringify(makePost("two", { intro: "" }));
    const second = JSON.stringify(makePost("two", { intro: "x".repeat(secondLength - bare.length) }));
    expect(second.length).toBe(secondLength);
    const dir = await makeContentDir({
      "split.ndjson": `${first}\r\n${second}\r\n${JSON.stringify(makePost("three"))}\r\n`,
    });
    const entries = readBatches(new RecordFileReader(), path.join(dir, "split.ndjson"), true).flat();
    expect(idsOf(entries)).toEqual(["one", "two", "three"]);
    expect(entries.map((entry) => entry.line)).toEqual([1, 2, 3]);
  });

  test("a line longer than the read buffer is read whole", async () => {
    const long = paddedPost("long", 3_000_000);
    const dir = await makeContentDir({ "long.ndjson": ndjson(makePost("first"), long, makePost("last")) });
    const entries = readBatches(new RecordFileReader(), path.join(dir, "long.ndjson"), true).flat();
    expect(idsOf(entries)).toEqual(["first", "long", "last"]);
    expect(entries.map((entry) => entry.line)).toEqual([1, 2, 3]);
  });

  test("a last line without a line end, blank lines skipped but counted", async () => {
    const dir = await makeContentDir({
      "tail.ndjson": `${JSON.stringify(makePost("a"))}\n\n  \r\n${JSON.stringify(makePost("b"))}`,
    });
    const entries = readBatches(new RecordFileReader(), path.join(dir, "tail.ndjson"), true).flat();
    expect(entries.map((entry) => [entry.line, "value" in entry])).toEqual([
      [1, true],
      [4, true],
    ]);
  });

  test("a file that cannot be opened or read gives one failure of scope file, and the reader goes on to the next file", async () => {
    const dir = await makeContentDir({ "ok.json": JSON.stringify(makePost("ok")) });
    await mkdir(path.join(dir, "folder.json"));
    const reader = new RecordFileReader();
    expect(reader.open(path.join(dir, "gone.json"), false)).toBeUndefined();
    expect(reader.next()).toEqual([
      { line: null, item: null, error: "cannot read the file (ENOENT)", scope: "file", id: null },
    ]);
    expect(reader.next()).toBeUndefined();
    expect(readBatches(reader, path.join(dir, "folder.json"), true)).toEqual([
      [{ line: null, item: null, error: "cannot read the file (EISDIR)", scope: "file", id: null }],
    ]);
    expect(readBatches(reader, path.join(dir, "ok.json"), false).map(idsOf)).toEqual([["ok"]]);
  });

  test("a FIFO nobody writes to, where a record file was expected, reads as empty instead of waiting", async () => {
    const dir = await makeContentDir({ "ok.json": JSON.stringify(makePost("ok")) });
    execFileSync("mkfifo", [path.join(dir, "pipe.json"), path.join(dir, "pipe.ndjson")]);
    const reader = new RecordFileReader();
    const [whole] = readBatches(reader, path.join(dir, "pipe.json"), false);
    expect(whole).toEqual([expect.objectContaining({ line: null, scope: "file" })]);
    expect(readBatches(reader, path.join(dir, "pipe.ndjson"), true).flat()).toEqual([]);
    expect(readBatches(reader, path.join(dir, "ok.json"), false).map(idsOf)).toEqual([["ok"]]);
  });
});

describe("scanWithProgress over many files", () => {
  test("records come in path order (nested folders included), the first file in path order wins an id, each file's stamp before its records", async () => {
    const files: Record<string, string> = {};
    const expected: string[] = [];
    for (let i = 0; i < 60; i += 1) {
      const relative = `${String(i % 4)}/${String(i).padStart(3, "0")}.json`;
      files[relative] = JSON.stringify(makePost(`post-${i}`));
    }
    files["1/zz.ndjson"] = ndjson(makePost("post-0"), makePost("extra"));
    for (const relative of Object.keys(files).sort()) expected.push(relative);
    const dir = await makeContentDir(files);
    const seen: string[] = [];
    const outcomes: ScanOutcome[] = [];
    await scanWithProgress(dir, {
      onFileOpened: (file, stamp) => {
        expect(stamp).toMatch(/^\d+(\.\d+)?:\d+$/);
        seen.push(file);
      },
      onRecord: (outcome) => {
        expect(seen.at(-1)).toBe(outcome.file);
        outcomes.push(outcome);
      },
    });
    expect(seen).toEqual(expected);
    expect(outcomes.map((outcome) => outcome.file)).toEqual(
      expected.flatMap((file) => (file.endsWith(".ndjson") ? [file, file] : [file])),
    );
    expect(outcomes.find((outcome) => outcome.kind === "duplicate")).toEqual({
      kind: "duplicate",
      id: "post-0",
      file: "1/zz.ndjson",
      line: 1,
      item: null,
      kept: "0/000.json",
    });
  });

  test("reads that wait for the disk start a read-ahead thread at the scan's position, and the scan gives the same records", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i += 1)
      files[`posts/${String(i).padStart(3, "0")}.json`] = JSON.stringify(makePost(`p-${i}`));
    const dir = await makeContentDir(files);
    const plain: ScanOutcome[] = [];
    await scanWithProgress(dir, { onRecord: (outcome) => void plain.push(outcome) });

    const reports: ReadAheadReport[] = [];
    const reportsSeen = new EventEmitter();
    const firstReport = once(reportsSeen, "report");
    const outcomes: ScanOutcome[] = [];
    await scanWithProgress(dir, {
      // Every read counts as one from the disk: sampled every 16 files, the thread starts at the
      // second sample, as the 17th file (index 16) is read, and reads 20 files from there.
      readAhead: {
        diskReads: readsFromDiskEverySample(),
        window: 20,
        onReport: (report) => {
          reports.push(report);
          reportsSeen.emit("report");
        },
      },
      onRecord: async (outcome) => {
        outcomes.push(outcome);
        // Past its window: the scan waits for the thread to have read that far.
        if (outcomes.length === 30) await firstReport;
      },
    });
    expect(outcomes).toEqual(plain);
    expect(reports[0]).toEqual({ touched: 20, next: 36 });
  });

  test("progress: files are read as the folder is listed, and the files done reach the total only at the end", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i += 1)
      files[`${String(i).padStart(2, "0")}/post.json`] = JSON.stringify(makePost(`p-${i}`));
    const dir = await makeContentDir(files);
    const seen: { doneFiles: number; totalFiles: number }[] = [];
    await scanWithProgress(dir, {
      onRecord: () => {},
      onProgress: ({ doneFiles, totalFiles }) => void seen.push({ doneFiles, totalFiles }),
    });
    // The first file is read once its folder is listed, not after all 40 folders.
    expect(seen[0]).toEqual({ doneFiles: 0, totalFiles: 1 });
    expect(seen.at(-1)).toEqual({ doneFiles: 40, totalFiles: 40 });
    expect(seen.filter(({ doneFiles, totalFiles }) => doneFiles === totalFiles)).toHaveLength(1);
  });

  test("a promise from onRecord holds the scan until it settles", async () => {
    const dir = await makeContentDir({ "a.ndjson": ndjson(makePost("a"), makePost("b"), makePost("c")) });
    const events: string[] = [];
    await scanWithProgress(dir, {
      onRecord: async (outcome) => {
        events.push(`start ${outcome.kind === "indexed" ? outcome.id : "?"}`);
        await new Promise((resolve) => setImmediate(resolve));
        events.push("end");
      },
    });
    expect(events).toEqual(["start a", "end", "start b", "end", "start c", "end"]);
  });
});

describe("EventLoopSlices", () => {
  test("a pause lets waiting I/O callbacks run", async () => {
    const slices = new EventLoopSlices(0);
    let ran = false;
    setImmediate(() => (ran = true));
    expect(slices.due()).toBe(true);
    await slices.pause();
    expect(ran).toBe(true);
  });
});
