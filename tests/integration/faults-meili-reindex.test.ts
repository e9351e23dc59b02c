import { rm } from "node:fs/promises";
import path from "node:path";
import request from "supertest";
import { afterEach, describe, expect, test } from "vitest";
import { nextIndexUid, reindexFolder } from "../../indexer/reindex.js";
import type { EmbeddedMeili, MeiliClient } from "../../src/index.js";
import { testApp } from "../helpers/api.js";
import { makeContentDir, writeContentFiles } from "../helpers/content-dir.js";
import { expectIndexMatches, postsOf } from "../helpers/convergence.js";
import { ndjsonFiles } from "../helpers/fault-corpus.js";
import { makeIndexerContext } from "../helpers/indexer-context.js";
import { killMeili, restartMeili } from "../helpers/kill-meili.js";
import { freshIndexUid, startMeili, type TestMeili } from "../helpers/start-meili.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function ownMeili(): Promise<TestMeili> {
  const meili = await startMeili();
  cleanups.push(() => meili.stop());
  return meili;
}

async function restart(meili: TestMeili): Promise<EmbeddedMeili> {
  const restarted = await restartMeili(meili.dataDir, meili.url);
  cleanups.push(() => restarted.stop());
  return restarted;
}

async function indexExists(client: MeiliClient, uid: string): Promise<boolean> {
  return client.getDocumentCount(uid).then(
    () => true,
    () => false,
  );
}

/** Whether Meilisearch has been handed documents for index `uid` (a document task exists). */
async function hasDocumentTask(client: MeiliClient, uid: string): Promise<boolean> {
  const { results } = await client.raw.tasks.getTasks({
    indexUids: [uid],
    types: ["documentAdditionOrUpdate"],
    limit: 1,
  });
  return results.length > 0;
}

/** A folder indexed once with 300 posts, then rewritten to 4,000 others: the reindex to interrupt. */
async function rebuiltFolder(meili: TestMeili, retryForMs: number) {
  const uid = freshIndexUid("kill_reindex");
  const context = await makeIndexerContext(meili.client, uid, retryForMs);
  const oldFiles = ndjsonFiles("old", 300, 100);
  const dir = await makeContentDir(oldFiles);
  await reindexFolder(context, dir);
  await rm(path.join(dir, "old"), { recursive: true });
  const newFiles = ndjsonFiles("new", 4_000, 500);
  await writeContentFiles(dir, newFiles);
  return { uid, context, dir, old: postsOf(oldFiles), rebuilt: postsOf(newFiles) };
}

describe("Meilisearch killed during a reindex", () => {
  test("the reindex fails, the old index keeps serving after a restart, and the next reindex succeeds and leaves no _next", async () => {
    const meili = await ownMeili();
    const { uid, context, dir, old, rebuilt } = await rebuiltFolder(meili, 1_500);
    const reindex = reindexFolder(context, dir).then(
      () => "completed",
      (error: unknown) => error,
    );
    await expect
      .poll(() => hasDocumentTask(meili.client, nextIndexUid(uid)), {
        message: "the rebuild sends its documents",
        timeout: 20_000,
        interval: 5,
      })
      .toBe(true);
    await killMeili(meili.server);
    expect(await reindex).toMatchObject({ code: "meili_unavailable" });

    await restart(meili);
    await expectIndexMatches(meili.client, uid, old);
    const api = await testApp(meili, uid);
    cleanups.push(() => api.close());
    const { body } = await request(api.app).get("/search?limit=1").expect(200);
    expect(body.total).toBe(300);
    await request(api.app).get("/posts/old-7").expect(200);

    await reindexFolder(context, dir);
    await expectIndexMatches(meili.client, uid, rebuilt);
    expect(await indexExists(meili.client, nextIndexUid(uid))).toBe(false);
    expect((await request(api.app).get("/search?limit=1").expect(200)).body.total).toBe(4_000);
  });

  test("killed and restarted while the reindex waits on it: the same reindex completes, exactly, with no _next left", async () => {
    const meili = await ownMeili();
    const { uid, context, dir, rebuilt } = await rebuiltFolder(meili, 60_000);
    const reindex = reindexFolder(context, dir);
    await expect
      .poll(() => hasDocumentTask(meili.client, nextIndexUid(uid)), {
        message: "the rebuild sends its documents",
        timeout: 20_000,
        interval: 5,
      })
      .toBe(true);
    await killMeili(meili.server);
    await restart(meili);
    await reindex;
    await expectIndexMatches(meili.client, uid, rebuilt);
    expect(await indexExists(meili.client, nextIndexUid(uid))).toBe(false);
  });

  test("killed before the rebuild sent anything: the old index is untouched and the next reindex succeeds", async () => {
    const meili = await ownMeili();
    const { uid, context, dir, old, rebuilt } = await rebuiltFolder(meili, 1_000);
    const reindex = reindexFolder(context, dir).then(
      () => "completed",
      (error: unknown) => error,
    );
    await expect
      .poll(() => indexExists(meili.client, nextIndexUid(uid)), {
        message: "the rebuild creates _next",
        timeout: 20_000,
        interval: 5,
      })
      .toBe(true);
    await killMeili(meili.server);
    expect(await reindex).toMatchObject({ code: "meili_unavailable" });
    await restart(meili);
    await expectIndexMatches(meili.client, uid, old);
    await reindexFolder(context, dir);
    await expectIndexMatches(meili.client, uid, rebuilt);
    expect(await indexExists(meili.client, nextIndexUid(uid))).toBe(false);
  });
});
