import type { Worker } from "node:worker_threads";
import { describe, expect, test, vi } from "vitest";
import { loadContentConfig } from "../../src/check/content-config.js";
import { ContentLints } from "../../src/check/content-lints.js";
import { checkFolder, checkFolderInParallel } from "../../src/records/check-folder.js";
import { CheckPool } from "../../src/records/check-pool.js";
import { findRecordFiles } from "../../src/records/find-files.js";
import type { ReadAheadReport } from "../../src/records/read-ahead.js";
import { ReportItems } from "../../src/records/report-builder.js";
import type { ScanProgress } from "../../src/records/scan-folder.js";
import { readyCheckWorkers } from "../helpers/check-workers.js";
import { readsFromDiskEverySample } from "../helpers/disk-reads.js";
import { makeContentDir, ndjson } from "../helpers/content-dir.js";
import { makePost } from "../helpers/records.js";
import { indexedPosts, plantedFolder, postId, POSTS } from "../helpers/planted-folder.js";
import { runCli } from "../helpers/run-cli.js";

describe("check on two threads", () => {
  test("a folder of many files gives the single-threaded report: order, duplicates, rejections, pins", async () => {
    const dir = await makeContentDir(plantedFolder());
    const single = await checkFolder(dir);
    for (const count of [1, 2]) {
      const { workers, batchesAnswered } = await readyCheckWorkers(dir, count);
      const report = await checkFolderInParallel(dir, { workers });
      expect(batchesAnswered()).toBeGreaterThan(0);
      expect(report).toEqual(single);
      expect(report.indexed).toEqual([
        { id: "dup-1", file: "aaa-first.json" },
        { id: "p-100", file: "exports/a.ndjson" },
        { id: "x-1", file: "exports/a.ndjson" },
        { id: "y-1", file: "exports/array.json" },
        { id: "y-2", file: "exports/array.json" },
        { id: "y-3", file: "exports/array.json" },
        ...indexedPosts,
      ]);
      expect(report.duplicates).toEqual([
        { id: "y-1", file: "exports/array.json", kept: "exports/array.json" },
        { id: "p-100", file: "posts/p-100.json", kept: "exports/a.ndjson" },
        { id: "dup-1", file: "zzz/late.json", kept: "aaa-first.json" },
      ]);
      expect(report.excluded).toEqual([
        { id: "p-007", file: "posts/p-007.json", reason: "unreviewed" },
        { id: "p-013", file: "posts/p-013.json", reason: "noindex" },
      ]);
      expect(report.rejected.map(({ file, line, id, field }) => ({ file, line, id, field }))).toEqual([
        { file: "exports/a.ndjson", line: 3, id: "x-2", field: null },
        { file: "exports/a.ndjson", line: 4, id: "x-3", field: "title" },
        { file: "posts/broken.json", line: null, id: null, field: null },
      ]);
      expect(report.rejected[0]?.message).toMatch(/^not valid JSON/);
      expect(report.rejected[2]?.message).toMatch(/^not valid JSON/);
      expect(report.warnings.map(({ file, id, field }) => ({ file, id, field }))).toEqual([
        { file: "posts/p-021.json", id: "p-021", field: "meta.related.pinned.1" },
        { file: "posts/p-021.json", id: "p-021", field: "meta.related.pinned.2" },
      ]);
      expect(report.warnings[1]?.message).toContain("excluded: unreviewed");
    }
  });

  test("progress after each file, in path order, as on one thread", async () => {
    const dir = await makeContentDir(plantedFolder());
    const seen = (into: [number, number][]) => (progress: ScanProgress) =>
      into.push([progress.doneFiles, progress.records]);
    const single: [number, number][] = [];
    await checkFolder(dir, seen(single));
    const parallel: [number, number][] = [];
    const { workers, batchesAnswered } = await readyCheckWorkers(dir);
    await checkFolderInParallel(dir, { workers, onProgress: seen(parallel) });
    expect(batchesAnswered()).toBeGreaterThan(0);
    expect(parallel).toEqual(single);
    expect(parallel.slice(0, 4)).toEqual([
      [0, 0],
      [1, 1],
      [2, 5],
      [3, 9],
    ]);
    expect(parallel.at(-1)).toEqual([POSTS + 5, POSTS + 11]);
  });

  test("the content lints see what they see on one thread", async () => {
    const dir = await makeContentDir(plantedFolder());
    const { config } = loadContentConfig(dir);
    const today = new Date("2026-06-01");
    const single = new ContentLints(config.lints, config.aliases, today);
    await checkFolder(dir, undefined, (outcome) => single.observe(outcome));
    const parallel = new ContentLints(config.lints, config.aliases, today);
    const { workers, batchesAnswered } = await readyCheckWorkers(dir);
    await checkFolderInParallel(dir, { workers, observe: (outcome) => parallel.observe(outcome) });
    expect(batchesAnswered()).toBeGreaterThan(0);
    const findings = parallel.finish();
    expect(findings).toEqual(single.finish());
    const near = findings.filter(
      (finding) => finding.rule === "near-duplicate-value" && finding.field === "meta.stack",
    );
    // `JavaScript` and `javascript` are one value once normalised; `Java Script` is not.
    expect(near.map((finding) => [finding.id, finding.message.slice(0, 43)])).toEqual([
      ["x-1", 'stack "java script" looks like "javascript"'],
    ]);
    const once = findings.filter((finding) => finding.rule === "single-use-value" && finding.field === "meta.tools");
    expect(once.map((finding) => finding.id)).toEqual(["p-042"]);
    // A scenario read from the outline counts on either thread, and its findings name the outline.
    const scenarios = findings.filter((finding) => finding.rule === "single-use-value" && finding.id?.startsWith("p-"));
    const outlined = Array.from({ length: POSTS / 20 }, (_, k) => postId(20 * k + 5));
    expect(scenarios.filter((finding) => finding.field === "meta.ai_outline.context").map((f) => f.id)).toEqual(
      outlined,
    );
  });

  test("each rejected and duplicate copy of an id in an array file knows its position, on either thread", async () => {
    // Every file an array file, so whichever files the worker reads hold copies: the second copy
    // of each id has no title, the third and fourth are duplicates.
    const copies = Array.from({ length: 60 }, (_, k) => `c-${String(k).padStart(2, "0")}`);
    const files: Record<string, string> = {};
    for (const id of copies) {
      const untitled = { id, meta: { revision: { status: "reviewed" } } };
      files[`copies/${id}.json`] = JSON.stringify([makePost(id), untitled, makePost(id), makePost(id)]);
    }
    const dir = await makeContentDir(files);
    const positions = async (workers: Worker[]) => {
      const items = new ReportItems();
      const report = await checkFolderInParallel(dir, { workers, items });
      return {
        rejected: report.rejected.map((entry) => [entry.id, entry.field, items.of(entry)]),
        duplicates: report.duplicates.map((entry) => [entry.id, items.of(entry)]),
      };
    };
    const expected = {
      rejected: copies.map((id) => [id, "title", 1]),
      duplicates: copies.flatMap((id) => [
        [id, 2],
        [id, 3],
      ]),
    };
    expect(await positions([])).toEqual(expected);
    const { workers, batchesAnswered } = await readyCheckWorkers(dir);
    expect(await positions(workers)).toEqual(expected);
    expect(batchesAnswered()).toBeGreaterThan(0);
  });

  test("a worker that finished loading before the pool existed still takes its share of the files", async () => {
    // As when the listing of a large folder tree lets the event loop turn: the worker says it is
    // ready before anything listens for it in the pool.
    const dir = await makeContentDir(plantedFolder());
    const { workers } = await readyCheckWorkers(dir);
    const { files } = await findRecordFiles(dir);
    const pool = new CheckPool(dir, workers);
    const ids: string[] = [];
    try {
      await pool.run(files, {
        aliases: loadContentConfig(dir).config.aliases,
        facts: false,
        onBatch: ({ outcomes }) => {
          ids.push(...outcomes.flatMap((outcome) => (outcome.id === null ? [] : [outcome.id])));
        },
      });
    } finally {
      pool.close();
    }
    expect(pool.filesByWorkers).toBeGreaterThan(0);
    for (const id of ["dup-1", "x-1", "y-3", "p-000", "p-219"]) expect(ids).toContain(id);
  });

  test("the last exports are shared out: the main thread takes one rather than leave both queued for the worker", async () => {
    // Two NDJSON exports, each a batch of its own, with the worker ready from the start. A worker
    // holds two batches when there are enough; the last ones go one to each thread, so the main
    // thread is not idle while the worker evaluates both in turn.
    const exports = (prefix: string) =>
      ndjson(...Array.from({ length: 50 }, (_, n) => makePost(`${prefix}-${String(n).padStart(2, "0")}`)));
    const dir = await makeContentDir({ "a.ndjson": exports("a"), "b.ndjson": exports("b") });
    const { workers } = await readyCheckWorkers(dir);
    const pool = new CheckPool(dir, workers);
    const ids: string[] = [];
    try {
      await pool.run(["a.ndjson", "b.ndjson"], {
        aliases: loadContentConfig(dir).config.aliases,
        facts: false,
        onBatch: ({ outcomes }) => {
          ids.push(...outcomes.map((outcome) => outcome.id ?? ""));
        },
      });
    } finally {
      pool.close();
    }
    expect(pool.filesByWorkers).toBe(1);
    expect(ids).toHaveLength(100);
    expect(ids.slice(0, 50).every((id) => id.startsWith("a-"))).toBe(true);
  });

  test("a check whose every read counts as one from the disk (a read-ahead thread started beside it) gives the same report", async () => {
    const dir = await makeContentDir(plantedFolder());
    const single = await checkFolder(dir);
    const { workers } = await readyCheckWorkers(dir);
    const readAhead = { diskReads: readsFromDiskEverySample(), window: 16 };
    expect(await checkFolderInParallel(dir, { workers, readAhead })).toEqual(single);
  });

  test("reads that come from the disk start the read-ahead thread, whichever thread reads the files", async () => {
    const dir = await makeContentDir(plantedFolder());
    const { workers } = await readyCheckWorkers(dir);
    const pool = new CheckPool(dir, workers);
    const reports: ReadAheadReport[] = [];
    let batches = 0;
    try {
      await pool.run((await findRecordFiles(dir)).files, {
        aliases: loadContentConfig(dir).config.aliases,
        facts: false,
        documents: true,
        readAhead: { diskReads: readsFromDiskEverySample(), window: 16, onReport: (report) => reports.push(report) },
        // An indexing pass: the files are read by the worker alone. After a few batches, the
        // pass waits until the read-ahead thread has read its window.
        onBatch: async () => {
          batches += 1;
          if (batches !== 6) return;
          await vi.waitFor(() => {
            if (reports.length === 0) throw new Error("the read-ahead thread has not reported yet");
          }, 15_000);
        },
      });
    } finally {
      pool.close();
    }
    expect(reports[0]?.touched).toBeGreaterThanOrEqual(16);
  });

  test("a small folder is checked the same without any worker", async () => {
    const dir = await makeContentDir({
      "a.json": JSON.stringify(makePost("a")),
      "b.ndjson": ndjson(makePost("b"), makePost("a")),
    });
    expect(await checkFolderInParallel(dir)).toEqual({
      indexed: [
        { id: "a", file: "a.json" },
        { id: "b", file: "b.ndjson" },
      ],
      excluded: [],
      rejected: [],
      duplicates: [{ id: "a", file: "b.ndjson", kept: "a.json" }],
      warnings: [],
      ignored: [],
    });
  });

  test("the CLI on a folder large enough for a worker: the same --json report, the broken file named", async () => {
    const dir = await makeContentDir(plantedFolder());
    const result = await runCli(["check", dir, "--json"]);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toEqual(await checkFolder(dir));
    expect(report.rejected[1]).toEqual({
      file: "exports/a.ndjson",
      line: 4,
      id: "x-3",
      field: "title",
      message: "title is missing",
    });
  });
});
