import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { describe, expect, onTestFinished, test } from "vitest";
import type { ReadAheadData } from "../../src/records/read-ahead.js";
import type { ToRankingWorker } from "../../src/related/ranking-worker.js";
import { makeContentDir, ndjson } from "../helpers/content-dir.js";
import { makePost } from "../helpers/records.js";
import { runBuiltCli, runCli } from "../helpers/run-cli.js";
import { makeTempDir, removeTempDir } from "../helpers/tmp-dir.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const STACKS = ["python", "rust", "go", "java", "php", "ruby", "node", "elixir"];
const TOOLS = ["git", "docker", "redis", "postgres", "kafka", "nginx"];

/** `count` posts, one file each, with a stack and two tools apiece: enough shared entities for related lists. */
function postFiles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let n = 0; n < count; n += 1) {
    const meta = {
      stack: [STACKS[n % STACKS.length]],
      tools: [TOOLS[n % TOOLS.length], TOOLS[(n * 7) % TOOLS.length]],
    };
    files[`posts/p-${String(n).padStart(5, "0")}.json`] = JSON.stringify(makePost(`p-${n}`, {}, meta));
  }
  return files;
}

describe("the built CLI (bin/postindex.js, the bundle in dist/bundle)", () => {
  test("--version prints package.json's version", async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    const result = await runBuiltCli(["--version"]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  test("check --json gives the report the sources give, on a folder large enough for its worker thread", async () => {
    const dir = await makeContentDir({
      ...postFiles(400),
      "exports/a.ndjson": ndjson(makePost("x-1"), { id: "x-2", meta: { revision: { status: "reviewed" } } }),
      "posts/broken.json": '{ "id": "b-1", ',
    });
    const [built, sources] = await Promise.all([
      runBuiltCli(["check", dir, "--json"]),
      runCli(["check", dir, "--json"]),
    ]);
    expect(built.status).toBe(1);
    expect(JSON.parse(built.stdout)).toEqual(JSON.parse(sources.stdout));
    expect(JSON.parse(built.stdout).rejected).toHaveLength(2);
  });

  test("its worker threads' entries load from the bundle and answer", async () => {
    const dir = await makeContentDir({ "a.json": JSON.stringify(makePost("a-1")) });
    const firstAnswer = async (worker: Worker, messages: readonly unknown[]): Promise<unknown> => {
      try {
        const answer = new Promise<unknown>((resolve, reject) => {
          worker.once("message", resolve);
          worker.once("error", reject);
        });
        for (const message of messages) worker.postMessage(message);
        return await answer;
      } finally {
        await worker.terminate();
      }
    };
    const checkWorker = new Worker(path.join(ROOT, "dist/bundle/check-worker.js"), { workerData: { dir } });
    expect(await firstAnswer(checkWorker, [])).toEqual({ ready: true });
    const toRankingWorker: ToRankingWorker[] = [
      { kind: "documents", json: "[]" },
      { kind: "start", options: { limit: 5 }, format: "ndjson", withLists: false },
    ];
    const rankingWorker = new Worker(path.join(ROOT, "dist/bundle/ranking-worker.js"));
    expect(await firstAnswer(rankingWorker, toRankingWorker)).toEqual({ kind: "ready", posts: 0 });
    const readAheadData: ReadAheadData = { dir, files: ["a.json"], from: 0, window: 8, lanes: 2, touchBytes: 1024 };
    const readAheadWorker = new Worker(path.join(ROOT, "dist/bundle/read-ahead-worker.js"), {
      workerData: readAheadData,
    });
    expect(await firstAnswer(readAheadWorker, [])).toEqual({ touched: 1, next: 1 });
  });

  test("related DIR with a ranking worker writes, byte for byte, the one-thread export", async () => {
    // 5,000 posts: the size from which the export ranks on a worker thread too.
    const dir = await makeContentDir(postFiles(5_000));
    const out = await makeTempDir("built-related");
    onTestFinished(() => removeTempDir(out));
    const twoThreads = path.join(out, "two.ndjson");
    const oneThread = path.join(out, "one.ndjson");
    const [two, one] = await Promise.all([
      runBuiltCli(["related", dir, "--out", twoThreads], { POSTINDEX_RELATED_WORKERS: "1" }),
      runBuiltCli(["related", dir, "--out", oneThread], { POSTINDEX_RELATED_WORKERS: "0" }),
    ]);
    expect(two.status).toBe(0);
    expect(one.status).toBe(0);
    const exported = await readFile(twoThreads, "utf8");
    expect(exported.split("\n").filter(Boolean)).toHaveLength(5_000);
    expect(exported).toBe(await readFile(oneThread, "utf8"));
  });
});
