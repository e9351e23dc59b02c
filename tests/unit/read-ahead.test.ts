import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, test, vi } from "vitest";
import type { DiskReadCounter } from "../../src/records/disk-reads.js";
import { ReadAhead, type ReadAheadReport } from "../../src/records/read-ahead.js";
import { makeContentDir } from "../helpers/content-dir.js";
import { aTrickleOfDiskReads, noReadsFromDisk, readsFromDiskEverySample } from "../helpers/disk-reads.js";

/** `count` one-article files named in path order, and their list. */
async function folderOf(count: number): Promise<{ dir: string; files: string[] }> {
  const files = Array.from({ length: count }, (_, i) => `posts/p-${String(i).padStart(4, "0")}.json`);
  const dir = await makeContentDir(Object.fromEntries(files.map((file) => [file, `{"id":"${file}"}`])));
  return { dir, files };
}

/** How long a report may take: the thread's start, under the test runner's TypeScript loader, can take a while. */
const THREAD_START_MS = 15_000;

/** A read-ahead whose reports can be awaited one by one (it sends one each time it runs out of files to read). */
function watched(dir: string, files: readonly string[], window: number) {
  const reports: ReadAheadReport[] = [];
  const readAhead = new ReadAhead(dir, files, {
    window,
    diskReads: readsFromDiskEverySample(),
    onReport: (report) => reports.push(report),
  });
  let seen = 0;
  const nextReport = (): Promise<ReadAheadReport> =>
    vi.waitFor(() => {
      const report = reports[seen];
      if (report === undefined) throw new Error(`no report ${seen + 1} yet`);
      seen += 1;
      return report;
    }, THREAD_START_MS);
  return { readAhead, nextReport };
}

/** A block-read count that grows at every other sample only, by as much as files read from the disk. */
function everyOther(): DiskReadCounter {
  let samples = 0;
  return () => Math.floor((samples += 1) / 2) * 1_000_000;
}

/** Files read between two samples, as a scan samples. */
const FILES = 16;

/** What a scan does every {@link FILES} files: the thread is started once it is wanted. */
function sample(readAhead: ReadAhead): void {
  if (readAhead.wanted(FILES)) readAhead.start();
}

describe("reading ahead of a scan whose reads come from the disk", () => {
  test("reads served from the page cache never start it, nor do disk reads now and then (a module loaded late), nor a few blocks at every sample (inodes)", () => {
    for (const diskReads of [noReadsFromDisk, everyOther(), aTrickleOfDiskReads()]) {
      const readAhead = new ReadAhead("/nowhere", ["a.json"], { diskReads });
      for (let taken = 0; taken < 100; taken += 1) sample(readAhead);
      expect(readAhead.started).toBe(false);
      readAhead.close();
    }
  });

  test("two samples in a row that find disk reads start it: it reads the files after the scan's position, no further than its window, and follows the scan to the end", async () => {
    const { dir, files } = await folderOf(300);
    const { readAhead, nextReport } = watched(dir, files, 40);
    try {
      readAhead.reached(10);
      sample(readAhead);
      expect(readAhead.started).toBe(false);
      sample(readAhead);
      expect(readAhead.started).toBe(true);
      expect(await nextReport()).toEqual({ touched: 40, next: 50 });
      // The scan moved past what was read: the files it skipped are not read any more.
      readAhead.reached(100);
      expect(await nextReport()).toEqual({ touched: 80, next: 140 });
      readAhead.reached(290);
      expect(await nextReport()).toEqual({ touched: 90, next: 300 });
    } finally {
      readAhead.close();
    }
  });

  test("files gone since the listing, or swapped for a FIFO nobody writes to, are passed over without waiting", async () => {
    const { dir, files } = await folderOf(20);
    execFileSync("mkfifo", [path.join(dir, "posts/fifo.json")]);
    const listed = [...files.slice(0, 10), "posts/gone.json", "posts/fifo.json", "missing/x.json", ...files.slice(10)];
    const { readAhead, nextReport } = watched(dir, listed, 1_000);
    try {
      sample(readAhead);
      sample(readAhead);
      expect(await nextReport()).toEqual({ touched: 23, next: 23 });
    } finally {
      readAhead.close();
    }
  });
});
