import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { syncFolder } from "../../indexer/sync.js";
import { createMeiliClient } from "../../src/index.js";
import { makeContentDir, ndjson, writeContentFiles } from "../helpers/content-dir.js";
import { makeIndexerContext, readDocuments, readIds } from "../helpers/indexer-context.js";
import { makePost as post } from "../helpers/records.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

const meili = sharedMeili();

async function setUp(files: Record<string, string>) {
  const uid = freshIndexUid("sync");
  const context = await makeIndexerContext(meili.client, uid);
  const dir = await makeContentDir(files);
  const first = await syncFolder(context, dir);
  return { uid, context, dir, first };
}

describe("sync", () => {
  test("a first sync creates the index with its settings and every indexed record", async () => {
    const { uid, first } = await setUp({
      "a.json": JSON.stringify(post("a")),
      "b.ndjson": ndjson(post("b"), post("c")),
    });
    expect(first.changes).toMatchObject({ upserted: 3, deleted: 0, unchanged: 0 });
    expect(await readIds(meili.client, uid)).toEqual(["a", "b", "c"]);
    const settings = await meili.client.index(uid).getSettings();
    expect(settings.searchableAttributes?.[0]).toBe("title");
  });

  test("after offline edits only what changed is pushed, and what is gone or excluded leaves", async () => {
    const { uid, context, dir } = await setUp({
      "a.json": JSON.stringify(post("a")),
      "b.json": JSON.stringify(post("b")),
      "c.ndjson": ndjson(post("c1"), post("c2"), post("c3")),
    });
    await writeContentFiles(dir, {
      "a.json": JSON.stringify(post("a", { title: "A new title" })),
      "c.ndjson": ndjson(post("c1"), post("c3", {}, { revision: { status: "draft" } })),
      "d.json": JSON.stringify(post("d")),
    });
    await rm(path.join(dir, "b.json"));
    const { changes } = await syncFolder(context, dir);
    expect(changes).toMatchObject({ upserted: 2, deleted: 3, unchanged: 1 });
    const documents = await readDocuments(meili.client, uid);
    expect([...documents.keys()].sort()).toEqual(["a", "c1", "d"]);
    expect(documents.get("a")?.title).toBe("A new title");
  });

  test("a second sync with no change writes nothing", async () => {
    const { context, dir } = await setUp({ "a.json": JSON.stringify(post("a")) });
    expect((await syncFolder(context, dir)).changes).toMatchObject({ upserted: 0, deleted: 0, unchanged: 1 });
  });

  test("a moved file keeps its posts and updates their source file", async () => {
    const { uid, context, dir } = await setUp({ "a.json": JSON.stringify(post("a")) });
    await writeContentFiles(dir, { "archive/.keep.json": "{}" });
    await rename(path.join(dir, "a.json"), path.join(dir, "archive/a.json"));
    const { changes } = await syncFolder(context, dir);
    expect(changes).toMatchObject({ upserted: 1, deleted: 0 });
    expect((await readDocuments(meili.client, uid)).get("a")?.source_file).toBe("archive/a.json");
  });

  test("a broken file keeps its last good documents until it parses again", async () => {
    const { uid, context, dir } = await setUp({
      "a.json": JSON.stringify(post("a")),
      "b.ndjson": ndjson(post("b1"), post("b2")),
    });
    await writeContentFiles(dir, {
      "a.json": '{"id": "a", "title": "half writ',
      "b.ndjson": `${JSON.stringify(post("b1", { title: "B1 v2" }))}\n{"id": "b2", "ti`,
    });
    const broken = await syncFolder(context, dir);
    expect(broken.report.rejected.map((r) => [r.file, r.line])).toEqual([
      ["a.json", null],
      ["b.ndjson", 2],
    ]);
    expect(broken.changes).toMatchObject({ upserted: 1, deleted: 0, keptBroken: 2 });
    const documents = await readDocuments(meili.client, uid);
    expect([...documents.keys()].sort()).toEqual(["a", "b1", "b2"]);
    expect(documents.get("b1")?.title).toBe("B1 v2");
    await writeContentFiles(dir, {
      "a.json": JSON.stringify(post("a", { title: "A v2" })),
      "b.ndjson": ndjson(post("b1")),
    });
    await syncFolder(context, dir);
    const healed = await readDocuments(meili.client, uid);
    expect([...healed.keys()].sort()).toEqual(["a", "b1"]);
    expect(healed.get("a")?.title).toBe("A v2");
  });

  test("a record that became invalid keeps its last good document", async () => {
    const { uid, context, dir } = await setUp({ "a.json": JSON.stringify(post("a")) });
    await writeContentFiles(dir, { "a.json": JSON.stringify({ id: "a", meta: { revision: { status: "reviewed" } } }) });
    const { report } = await syncFolder(context, dir);
    expect(report.rejected).toEqual([
      { file: "a.json", line: null, id: "a", field: "title", message: "title is missing" },
    ]);
    expect(await readIds(meili.client, uid)).toEqual(["a"]);
  });

  test("when the winning file of a duplicate id goes away, the next file takes over", async () => {
    const { uid, context, dir } = await setUp({
      "a.json": JSON.stringify(post("x", { title: "from a" })),
      "b.json": JSON.stringify(post("x", { title: "from b" })),
    });
    expect((await readDocuments(meili.client, uid)).get("x")?.title).toBe("from a");
    await rm(path.join(dir, "a.json"));
    await syncFolder(context, dir);
    expect((await readDocuments(meili.client, uid)).get("x")).toMatchObject({ title: "from b", source_file: "b.json" });
  });

  test("an unreachable server fails the sync with a clear error after bounded retries", async () => {
    const uid = freshIndexUid("down");
    const context = await makeIndexerContext(meili.client, uid);
    const client = createMeiliClient({ url: "http://127.0.0.1:9", timeoutMs: 500 });
    const unreachable = { ...context, client, retry: { retryForMs: 300, initialDelayMs: 50 } };
    const dir = await makeContentDir({ "a.json": JSON.stringify(post("a")) });
    await expect(syncFolder(unreachable, dir)).rejects.toMatchObject({ code: "meili_unavailable" });
  });
});
