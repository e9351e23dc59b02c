import { rm } from "node:fs/promises";
import path from "node:path";
import request from "supertest";
import { afterEach, describe, expect, test } from "vitest";
import { nextIndexUid, reindexFolder } from "../../indexer/reindex.js";
import { createMeiliClient, type EmbeddedMeili, type MeiliClient } from "../../src/index.js";
import { testApp } from "../helpers/api.js";
import { makeContentDir, writeContentFiles } from "../helpers/content-dir.js";
import { expectIndexMatches, postsOf } from "../helpers/convergence.js";
import { ndjsonFiles } from "../helpers/fault-corpus.js";
import { startGatedProxy, type HoldRule } from "../helpers/gated-proxy.js";
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

/** The swap of the rebuilt index in: held, the rebuild has sent and checked all its documents. */
const theSwap: (uid: string) => HoldRule = () => (method, path) => method === "POST" && path === "/swap-indexes";
/** The rebuild's first documents: held, nothing has been sent to `_next` yet. */
const theFirstDocuments: (uid: string) => HoldRule = (uid) => (_method, path) =>
  path === `/indexes/${nextIndexUid(uid)}/documents`;

/**
 * A folder indexed once with 300 posts, then rewritten to 4,000 others: the reindex to interrupt.
 * Its context talks to Meilisearch through a proxy that holds back what `holds` names, so the
 * kill lands exactly there.
 */
async function rebuiltFolder(meili: TestMeili, retryForMs: number, holds: (uid: string) => HoldRule) {
  const uid = freshIndexUid("kill_reindex");
  const direct = await makeIndexerContext(meili.client, uid, retryForMs);
  const oldFiles = ndjsonFiles("old", 300, 100);
  const dir = await makeContentDir(oldFiles);
  await reindexFolder(direct, dir);
  await rm(path.join(dir, "old"), { recursive: true });
  const newFiles = ndjsonFiles("new", 4_000, 500);
  await writeContentFiles(dir, newFiles);
  const proxy = await startGatedProxy(meili.url, holds(uid));
  cleanups.push(() => proxy.close());
  const client = createMeiliClient({ url: proxy.url, apiKey: meili.masterKey });
  cleanups.push(() => client.close());
  return { uid, context: { ...direct, client }, proxy, dir, old: postsOf(oldFiles), rebuilt: postsOf(newFiles) };
}

describe("Meilisearch killed during a reindex", () => {
  test("killed as the rebuild is about to swap: the reindex fails, the old index keeps serving after a restart, and the next reindex succeeds and leaves no _next", async () => {
    const meili = await ownMeili();
    const { uid, context, proxy, dir, old, rebuilt } = await rebuiltFolder(meili, 1_500, theSwap);
    const reindex = reindexFolder(context, dir).then(
      () => "completed",
      (error: unknown) => error,
    );
    expect(await proxy.firstHeld).toBe("POST /swap-indexes");
    await killMeili(meili.server);
    proxy.release();
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

  test("killed and restarted while the reindex waits on it to swap: the same reindex completes, exactly, with no _next left", async () => {
    const meili = await ownMeili();
    const { uid, context, proxy, dir, rebuilt } = await rebuiltFolder(meili, 60_000, theSwap);
    const reindex = reindexFolder(context, dir);
    expect(await proxy.firstHeld).toBe("POST /swap-indexes");
    await killMeili(meili.server);
    await restart(meili);
    proxy.release();
    await reindex;
    await expectIndexMatches(meili.client, uid, rebuilt);
    expect(await indexExists(meili.client, nextIndexUid(uid))).toBe(false);
  });

  test("killed before the rebuild sent anything: the old index is untouched and the next reindex succeeds", async () => {
    const meili = await ownMeili();
    const { uid, context, proxy, dir, old, rebuilt } = await rebuiltFolder(meili, 1_000, theFirstDocuments);
    const reindex = reindexFolder(context, dir).then(
      () => "completed",
      (error: unknown) => error,
    );
    expect(await proxy.firstHeld).toMatch(new RegExp(`^POST /indexes/${nextIndexUid(uid)}/documents`));
    expect(await indexExists(meili.client, nextIndexUid(uid)), "the rebuild has created _next").toBe(true);
    await killMeili(meili.server);
    proxy.release();
    expect(await reindex).toMatchObject({ code: "meili_unavailable" });
    await restart(meili);
    await expectIndexMatches(meili.client, uid, old);
    await reindexFolder(context, dir);
    await expectIndexMatches(meili.client, uid, rebuilt);
    expect(await indexExists(meili.client, nextIndexUid(uid))).toBe(false);
  });

  test("the folder is read while the fresh index is prepared, and no document reaches it before its settings", async () => {
    const meili = await ownMeili();
    const settingsHeld: (uid: string) => HoldRule = (uid) => (method, path) =>
      method === "PATCH" && path === `/indexes/${nextIndexUid(uid)}/settings`;
    const { uid, context, proxy, dir, rebuilt } = await rebuiltFolder(meili, 60_000, settingsHeld);
    let read = (): void => {};
    const folderRead = new Promise<void>((done) => (read = done));
    const reindex = reindexFolder(context, dir, {
      onProgress: ({ doneFiles, totalFiles }) => doneFiles === totalFiles && read(),
    });
    const settings = `PATCH /indexes/${nextIndexUid(uid)}/settings`;
    expect(await proxy.firstHeld).toBe(settings);
    // Every file is read while the settings are held. Released, the held request's connection is
    // dropped and the client sends it again after a pause: documents sent without waiting for the
    // settings would reach the proxy before that second PATCH.
    await folderRead;
    proxy.release();
    await reindex;
    await expectIndexMatches(meili.client, uid, rebuilt);
    const firstDocuments = proxy.requests.indexOf(`POST /indexes/${nextIndexUid(uid)}/documents`);
    expect(firstDocuments).toBeGreaterThan(proxy.requests.lastIndexOf(settings));
    expect(proxy.requests.filter((line) => line === settings)).toHaveLength(2);
  });

  test("killed while the fresh index is prepared and the folder read: the reindex fails and the old index is untouched", async () => {
    const meili = await ownMeili();
    const settingsHeld: (uid: string) => HoldRule = (uid) => (method, path) =>
      method === "PATCH" && path === `/indexes/${nextIndexUid(uid)}/settings`;
    const { uid, context, proxy, dir, old } = await rebuiltFolder(meili, 1_000, settingsHeld);
    const reindex = reindexFolder(context, dir).then(
      () => "completed",
      (error: unknown) => error,
    );
    expect(await proxy.firstHeld).toBe(`PATCH /indexes/${nextIndexUid(uid)}/settings`);
    await killMeili(meili.server);
    proxy.release();
    expect(await reindex).toMatchObject({ code: "meili_unavailable" });
    await restart(meili);
    await expectIndexMatches(meili.client, uid, old);
  });
});
