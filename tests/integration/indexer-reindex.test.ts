import { rm } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { nextIndexUid, reindexFolder } from "../../indexer/reindex.js";
import { acquireWriteLock, writeLockPath } from "../../indexer/write-lock.js";
import { verifySettings } from "../../src/index.js";
import { makeContentDir, ndjson, writeContentFiles } from "../helpers/content-dir.js";
import { makeIndexerContext, readDocuments, readIds } from "../helpers/indexer-context.js";
import { makePost as post } from "../helpers/records.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

const meili = sharedMeili();

async function indexExists(uid: string): Promise<boolean> {
  return meili.client.getDocumentCount(uid).then(
    () => true,
    () => false,
  );
}

describe("reindex", () => {
  test("indexes what check would index, reports the rest, and leaves no _next behind", async () => {
    const uid = freshIndexUid("reindex");
    const context = await makeIndexerContext(meili.client, uid);
    const dir = await makeContentDir({
      "a.json": JSON.stringify(post("a", {}, { tools: "Git, Docker" })),
      "posts.ndjson": ndjson(
        post("b"),
        post("draft", {}, { revision: { status: "draft" } }),
        post("hidden", {}, { flags: { noindex: 1 } }),
        { id: "bad" },
      ),
      "z.json": JSON.stringify(post("a")),
      "odd id.json": JSON.stringify(post("odd id/é")),
    });
    const { report, changes } = await reindexFolder(context, dir);
    expect(report.indexed.map((r) => r.id).sort()).toEqual(["a", "b", "odd id/é"]);
    expect(report.excluded.map((r) => r.reason).sort()).toEqual(["noindex", "unreviewed"]);
    expect(report.rejected).toEqual([
      { file: "posts.ndjson", line: 4, id: "bad", field: "title", message: "title is missing" },
    ]);
    expect(report.duplicates).toEqual([{ id: "a", file: "z.json", kept: "a.json" }]);
    expect(changes.upserted).toBe(3);
    const documents = await readDocuments(meili.client, uid);
    expect([...documents.keys()].sort()).toEqual(["a", "b", "odd id/é"]);
    expect(documents.get("a")).toMatchObject({ tools: ["git", "docker"], source_file: "a.json" });
    expect(documents.get("odd id/é")?.id).toMatch(/^b64_[A-Za-z0-9_-]+$/);
    expect(await indexExists(nextIndexUid(uid))).toBe(false);
  });

  test("a second reindex replaces the index: removed records are gone", async () => {
    const uid = freshIndexUid("reindex");
    const context = await makeIndexerContext(meili.client, uid);
    const dir = await makeContentDir({ "a.json": JSON.stringify(post("a")), "b.json": JSON.stringify(post("b")) });
    await reindexFolder(context, dir);
    await rm(path.join(dir, "b.json"));
    await writeContentFiles(dir, { "c.json": JSON.stringify(post("c")) });
    await reindexFolder(context, dir);
    expect(await readIds(meili.client, uid)).toEqual(["a", "c"]);
  });

  test("leftovers of an interrupted reindex are cleaned up by the next run", async () => {
    const uid = freshIndexUid("reindex");
    const context = await makeIndexerContext(meili.client, uid);
    await meili.client.waitForTask(meili.client.index(nextIndexUid(uid)).addDocuments([{ id: "junk" } as never]), {
      timeoutMs: 10_000,
    });
    const dir = await makeContentDir({ "a.json": JSON.stringify(post("a")) });
    await reindexFolder(context, dir);
    expect(await readIds(meili.client, uid)).toEqual(["a"]);
    expect(await indexExists(nextIndexUid(uid))).toBe(false);
  });

  test("the swapped-in index has postindex's settings, whatever the old live index had", async () => {
    const uid = freshIndexUid("reindex");
    const context = await makeIndexerContext(meili.client, uid);
    await meili.client.ensureIndex(uid, { timeoutMs: 10_000 });
    await meili.client.waitForTask(meili.client.index(uid).updateSettings({ searchableAttributes: ["intro"] }), {
      timeoutMs: 10_000,
    });
    const dir = await makeContentDir({ "a.json": JSON.stringify(post("a")) });
    await reindexFolder(context, dir);
    await expect(verifySettings(meili.client, uid)).resolves.toBeUndefined();
    expect(await readIds(meili.client, uid)).toEqual(["a"]);
  });

  test("a searcher never sees a partial index during a reindex", async () => {
    const uid = freshIndexUid("swap");
    const context = await makeIndexerContext(meili.client, uid);
    const old = Array.from({ length: 300 }, (_, i) => post(`old-${i}`));
    const dir = await makeContentDir({ "all.ndjson": ndjson(...old) });
    await reindexFolder(context, dir);
    const fresh = Array.from({ length: 3_000 }, (_, i) => post(`new-${i}`));
    await writeContentFiles(dir, { "all.ndjson": ndjson(...fresh) });
    const seen = new Set<number>();
    let isDone = false;
    const searcher = (async () => {
      while (!isDone) {
        const answer = await meili.client.index(uid).search("", { limit: 0, hitsPerPage: 0, page: 1 });
        seen.add(answer.totalHits ?? -1);
      }
    })();
    await reindexFolder(context, dir);
    isDone = true;
    await searcher;
    expect(seen.size).toBeGreaterThan(0);
    expect([...seen].every((total) => total === 300 || total === 3_000)).toBe(true);
    expect(await meili.client.getDocumentCount(uid)).toBe(3_000);
  });

  test("a concurrent reindex is refused while one runs, and the index stays whole", async () => {
    const uid = freshIndexUid("lock");
    const context = await makeIndexerContext(meili.client, uid);
    const dir = await makeContentDir({ "a.ndjson": ndjson(...Array.from({ length: 500 }, (_, i) => post(`p-${i}`))) });
    const results = await Promise.allSettled([reindexFolder(context, dir), reindexFolder(context, dir)]);
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(1);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/another postindex reindex/);
    expect(await meili.client.getDocumentCount(uid)).toBe(500);
  });

  test("a lock left by a process that no longer runs is taken over", async () => {
    const uid = freshIndexUid("stale");
    const context = await makeIndexerContext(meili.client, uid);
    const file = writeLockPath(context.dataDir, uid);
    await writeContentFiles(path.dirname(file), {
      [path.basename(file)]: JSON.stringify({ pid: 2 ** 22 + 7, command: "reindex", since: "then" }),
    });
    const dir = await makeContentDir({ "a.json": JSON.stringify(post("a")) });
    await reindexFolder(context, dir);
    expect(await readIds(meili.client, uid)).toEqual(["a"]);
    const lock = await acquireWriteLock(file, "test");
    await lock.release();
  });
});
