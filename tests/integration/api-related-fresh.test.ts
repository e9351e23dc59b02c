import { rm } from "node:fs/promises";
import { pino } from "pino";
import path from "node:path";
import { describe, expect, onTestFinished, test } from "vitest";
import { startApi } from "../../api/index.js";
import { LiveRelatedIndex } from "../../api/related-refresher.js";
import { relatedForDocument } from "../../src/index.js";
import { reindexFolder } from "../../indexer/reindex.js";
import { syncFolder } from "../../indexer/sync.js";
import type { IndexerContext } from "../../indexer/context.js";
import { apiClientFor, silentLog } from "../helpers/api.js";
import { makeContentDir, ndjson, writeContentFiles } from "../helpers/content-dir.js";
import { makeIndexerContext } from "../helpers/indexer-context.js";
import { post } from "../helpers/seed-index.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

/**
 * The API's related-posts index follows the live index: every change the indexer makes (an edit,
 * an exclusion, a deletion, a reindex's swap) shows in the next related answers within a second
 * of the indexer being done, through real HTTP against `startApi` and a real Meilisearch.
 */

/** How soon a change must show in related answers. */
const FRESH_WITHIN_MS = 1_000;

const meili = sharedMeili();

/** Posts around "q": it shares a rare topic with "near" and "far", and a common area with the fillers. */
function site(fillers: number): Record<string, string> {
  const files: Record<string, string> = {
    "q.json": JSON.stringify(
      post("q", {
        entities: [
          ["topic", "rare"],
          ["topic", "rarer"],
          ["area", "backend"],
        ],
        stack: ["python services"],
      }),
    ),
    "near.json": JSON.stringify(
      post("near", {
        entities: [
          ["topic", "rare"],
          ["topic", "rarer"],
        ],
      }),
    ),
    "far.json": JSON.stringify(post("far", { entities: [["topic", "rare"]] })),
    "lonely.json": JSON.stringify(post("lonely", { entities: [["topic", "nobody else"]], stack: ["go services"] })),
    "go-new.json": JSON.stringify(
      post("go-new", { entities: [["topic", "go a"]], stack: ["go services"], lastReviewed: "2023-01-01" }),
    ),
  };
  // Enough posts that finding a deletion splits stamp ranges before reading ids.
  const records = Array.from({ length: fillers }, (_, n) =>
    post(`filler-${String(n).padStart(4, "0")}`, {
      entities: [
        ["area", "backend"],
        ["topic", `filler ${n}`],
      ],
    }),
  );
  files["fillers.ndjson"] = ndjson(...records);
  return files;
}

/** A content folder synced into a fresh index, and the API over it (closed when the test ends). */
async function servedSite(fillers = 30) {
  const uid = freshIndexUid("fresh");
  const context = await makeIndexerContext(meili.client, uid);
  const dir = await makeContentDir(site(fillers));
  await syncFolder(context, dir);
  const api = await startApi({
    config: { indexUid: uid, port: 0 },
    adminClient: meili.client,
    log: silentLog(),
    host: "127.0.0.1",
  });
  onTestFinished(() => api.close());
  return { uid, context, dir, api };
}

/**
 * A reindex whose swap changes the related posts of `q`: `near` is gone and `newcomer`, sharing
 * more of `q`'s rare topics than anyone, arrives. `q`'s top 3 then reads newcomer, far, filler-0000.
 */
async function reindexWithNewcomer(context: IndexerContext, dir: string): Promise<void> {
  await rm(path.join(dir, "near.json"));
  const entities: [string, string][] = [
    ["topic", "rare"],
    ["topic", "rarer"],
    ["area", "backend"],
  ];
  await writeContentFiles(dir, { "newcomer.json": JSON.stringify(post("newcomer", { entities })) });
  await reindexFolder(context, dir);
}

async function relatedIds(url: string, id: string, limit = 3): Promise<string> {
  const response = await fetch(`${url}/posts/${id}/related?limit=${limit}`);
  if (!response.ok) return `HTTP ${response.status}`;
  const body = (await response.json()) as { related: { id: string }[] };
  return body.related.map((item) => item.id).join(",");
}

async function expectSoon(url: string, id: string, expected: string, message: string, limit = 3): Promise<void> {
  await expect
    .poll(() => relatedIds(url, id, limit), { message, timeout: FRESH_WITHIN_MS, interval: 25 })
    .toBe(expected);
}

describe("related answers follow the indexer within a second", () => {
  test("an edit: changed entities move a post, a changed title shows", async () => {
    const { context, dir, api } = await servedSite();
    expect(await relatedIds(api.url, "q", 2)).toBe("near,far");
    await writeContentFiles(dir, {
      "far.json": JSON.stringify(
        post("far", {
          title: "far, now nearest",
          entities: [
            ["topic", "rare"],
            ["topic", "rarer"],
            ["area", "backend"],
          ],
        }),
      ),
    });
    await syncFolder(context, dir);
    await expectSoon(api.url, "q", "far,near", "the edited post ranks first", 2);
    const body = (await (await fetch(`${api.url}/posts/q/related?limit=1`)).json()) as { related: { title: string }[] };
    expect(body.related[0]?.title).toBe("far, now nearest");
  });

  test("an exclusion: a post turned noindex leaves the lists, and its own list is a 404", async () => {
    const { context, dir, api } = await servedSite();
    await writeContentFiles(dir, {
      "near.json": JSON.stringify(
        post("near", {
          entities: [
            ["topic", "rare"],
            ["topic", "rarer"],
          ],
          noindex: true,
        }),
      ),
    });
    await syncFolder(context, dir);
    await expectSoon(api.url, "q", "far,filler-0000,filler-0001", "the excluded post leaves the list");
    expect(await relatedIds(api.url, "near")).toBe("HTTP 404");
  });

  test("a deletion among hundreds of posts, and of the most recently indexed one", async () => {
    const { context, dir, api } = await servedSite(600);
    expect(await relatedIds(api.url, "q", 2)).toBe("near,far");
    await rm(path.join(dir, "near.json"));
    await syncFolder(context, dir);
    await expectSoon(api.url, "q", "far,filler-0000", "the deleted post leaves the list", 2);
    // A post indexed last carries the highest stamp; then it goes.
    await writeContentFiles(dir, { "newest.json": JSON.stringify(post("newest", { entities: [["topic", "rare"]] })) });
    await syncFolder(context, dir);
    await expectSoon(api.url, "newest", "far,q", "the new post is indexed");
    await rm(path.join(dir, "newest.json"));
    await syncFolder(context, dir);
    await expect
      .poll(() => relatedIds(api.url, "newest"), {
        message: "the deleted newest post is unknown",
        timeout: FRESH_WITHIN_MS,
        interval: 25,
      })
      .toBe("HTTP 404");
    expect(await relatedIds(api.url, "far", 5)).toBe("q");
  });

  test("a reindex's swap: the rebuilt index's posts, and only those, are related", async () => {
    const { context, dir, api } = await servedSite(300);
    await reindexWithNewcomer(context, dir);
    await expectSoon(api.url, "q", "newcomer,far,filler-0000", "the swapped-in index is related");
  });

  test("the fallback follows too: a new post of the same stack", async () => {
    const { context, dir, api } = await servedSite();
    expect(await relatedIds(api.url, "lonely")).toBe("go-new");
    await writeContentFiles(dir, {
      "go-newer.json": JSON.stringify(
        post("go-newer", { entities: [["topic", "go b"]], stack: ["go services"], lastReviewed: "2024-01-01" }),
      ),
    });
    await syncFolder(context, dir);
    await expectSoon(api.url, "lonely", "go-newer,go-new", "the new post heads the fallback");
  });
});

describe("the refresher on its own", () => {
  /** A refresher of its own on `uid` (closed after the test), and the lines it logged at `level`. */
  async function refresherOn(
    uid: string,
    level: "info" | "debug",
    options: { pageSize?: number; rebuildAfter?: number },
  ): Promise<{ live: LiveRelatedIndex; lines: string[] }> {
    const client = await apiClientFor(meili, uid);
    const lines: string[] = [];
    const log = pino({ level }, { write: (line: string) => void lines.push(line) });
    const live = new LiveRelatedIndex({ client, indexUid: uid, log, ...options });
    onTestFinished(async () => {
      await live.close();
      await client.close();
    });
    return { live, lines };
  }

  test("a swap that restamps most posts is read as a fresh load (pages of 50), the old index answering meanwhile", async () => {
    const { uid, context, dir } = await servedSite(300);
    const { live, lines } = await refresherOn(uid, "info", { pageSize: 50 });
    const ids = async () =>
      relatedForDocument(await live.current(), "q", { limit: 3 })
        .related.map((item) => item.id)
        .join(",");
    expect(await ids()).toBe("near,far,filler-0000");
    await reindexWithNewcomer(context, dir);
    await expect
      .poll(ids, { message: "the swapped-in index is loaded", timeout: FRESH_WITHIN_MS, interval: 25 })
      .toBe("newcomer,far,filler-0000");
    const index = await live.current();
    expect(index.has("near")).toBe(false);
    expect(index.size).toBe(305);
    expect(lines.filter((line) => line.includes("related-posts index loaded"))).toHaveLength(2);
  });

  test("posts added since the index was built make it build again, in freshness order, answers unchanged", async () => {
    const { uid, context, dir } = await servedSite(20);
    const { live, lines } = await refresherOn(uid, "debug", { rebuildAfter: 3 });
    expect((await live.current()).disorder).toBe(0);
    const added = Array.from({ length: 6 }, (_, n) =>
      post(`added-${n}`, { entities: [["topic", "rare"]], lastReviewed: `2021-0${n + 1}-01` }),
    );
    await writeContentFiles(dir, { "added.ndjson": ndjson(...added) });
    await syncFolder(context, dir);
    await expect
      .poll(() => lines.some((line) => line.includes("rebuilt in freshness order")), {
        message: "the index is rebuilt",
        timeout: FRESH_WITHIN_MS * 2,
        interval: 25,
      })
      .toBe(true);
    const index = await live.current();
    expect(index.disorder).toBe(0);
    expect(relatedForDocument(index, "far", { limit: 4 }).related.map((item) => item.id)).toEqual([
      "added-5",
      "added-4",
      "added-3",
      "added-2",
    ]);
  });
});

describe("start-up", () => {
  test("on a missing index: related answers are 503 until the index is built, then answer", async () => {
    const uid = freshIndexUid("fresh_missing");
    const api = await startApi({
      config: { indexUid: uid, port: 0 },
      adminClient: meili.client,
      log: silentLog(),
      host: "127.0.0.1",
    });
    onTestFinished(() => api.close());
    const missing = await fetch(`${api.url}/posts/q/related`);
    expect(missing.status).toBe(503);
    expect(missing.headers.get("retry-after")).toBe("5");
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("meili_unavailable");
    const draft = await fetch(`${api.url}/related`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ entities: [] }),
    });
    expect(draft.status).toBe(503);
    await syncFolder(await makeIndexerContext(meili.client, uid), await makeContentDir(site(5)));
    await expectSoon(api.url, "q", "near,far,filler-0000", "the built index is related");
  });

  test("on an empty index: unknown posts are 404, drafts fall back to nothing, then posts arrive", async () => {
    const uid = freshIndexUid("fresh_empty");
    const context = await makeIndexerContext(meili.client, uid);
    await syncFolder(context, await makeContentDir({}));
    const api = await startApi({
      config: { indexUid: uid, port: 0 },
      adminClient: meili.client,
      log: silentLog(),
      host: "127.0.0.1",
    });
    onTestFinished(() => api.close());
    expect(await relatedIds(api.url, "q")).toBe("HTTP 404");
    const draft = await fetch(`${api.url}/related`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ entities: [{ name: "rare", type: "topic" }] }),
    });
    expect(await draft.json()).toEqual({ id: null, related: [], fallback: "recent" });
    await syncFolder(context, await makeContentDir(site(5)));
    await expectSoon(api.url, "q", "near,far,filler-0000", "the new posts are related");
  });
});
