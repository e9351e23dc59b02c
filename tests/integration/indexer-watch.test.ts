import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { FolderWatcher } from "../../indexer/watch.js";
import { startEmbeddedMeili, type SearchDocument } from "../../src/index.js";
import { makeContentDir, ndjson, writeContentFiles } from "../helpers/content-dir.js";
import { makeIndexerContext, readDocuments } from "../helpers/indexer-context.js";
import { makePost as post } from "../helpers/records.js";
import { freshIndexUid, sharedMeili, startMeili } from "../helpers/start-meili.js";

const meili = sharedMeili();

const watchers: FolderWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((watcher) => watcher.stop()));
});

async function watchFolder(files: Record<string, string>, retryForMs = 2_000) {
  const uid = freshIndexUid("watch");
  const context = await makeIndexerContext(meili.client, uid, retryForMs);
  const dir = await makeContentDir(files);
  const rejections: string[] = [];
  const watcher = new FolderWatcher(context, dir, {
    onApplied: ({ report }) => rejections.push(...report.rejected.map((r) => `${r.file}: ${r.message}`)),
  });
  watchers.push(watcher);
  await watcher.start();
  const documents = (): Promise<Map<string, SearchDocument>> => readDocuments(meili.client, uid);
  /** Waits until the index's documents pass `check`, failing with `message`. */
  const expectSoon = (check: (docs: Map<string, SearchDocument>) => boolean, message: string, timeoutMs = 10_000) =>
    expect.poll(async () => check(await documents()), { message, timeout: timeoutMs }).toBe(true);
  return { uid, dir, watcher, documents, expectSoon, rejections };
}

describe("watch", () => {
  test("start-up reconciles the folder with the index", async () => {
    const { documents } = await watchFolder({ "a.json": JSON.stringify(post("a")) });
    expect([...(await documents()).keys()]).toEqual(["a"]);
  });

  test("a new, an edited and a deleted file show up in the index", async () => {
    const { dir, expectSoon } = await watchFolder({
      "a.json": JSON.stringify(post("a")),
      "b.json": JSON.stringify(post("b")),
    });
    await writeContentFiles(dir, { "new/c.ndjson": ndjson(post("c1"), post("c2")) });
    await expectSoon((docs) => docs.has("c1") && docs.has("c2"), "the new file's records are indexed");
    await writeContentFiles(dir, { "a.json": JSON.stringify(post("a", { title: "edited" })) });
    await expectSoon((docs) => docs.get("a")?.title === "edited", "the edit is indexed");
    await rm(path.join(dir, "b.json"));
    await expectSoon((docs) => !docs.has("b"), "the deleted file's post leaves the index");
  });

  test("a file's records are replaced as a set: a removed record and a record turned draft leave", async () => {
    const { dir, expectSoon } = await watchFolder({ "all.ndjson": ndjson(post("x"), post("y"), post("z")) });
    await writeContentFiles(dir, { "all.ndjson": ndjson(post("x"), post("z", {}, { flags: { noindex: "yes" } })) });
    await expectSoon((docs) => [...docs.keys()].join() === "x", "only x remains");
  });

  test("a half-written file keeps its last good documents, then its new content is applied", async () => {
    const { dir, documents, expectSoon, rejections } = await watchFolder({ "a.json": JSON.stringify(post("a")) });
    await writeFile(path.join(dir, "a.json"), '{"id": "a", "title": "new ti');
    await expect
      .poll(() => rejections.some((r) => r.startsWith("a.json: not valid JSON")), {
        message: "the broken write is reported",
        timeout: 5_000,
      })
      .toBe(true);
    expect((await documents()).get("a")?.title).toBe("Post a");
    await writeContentFiles(dir, { "a.json": JSON.stringify(post("a", { title: "new title" })) });
    await expectSoon((docs) => docs.get("a")?.title === "new title", "the completed write is indexed");
  });

  test("a move keeps the post", async () => {
    const { dir, expectSoon, documents } = await watchFolder({ "a.json": JSON.stringify(post("a")) });
    await writeContentFiles(dir, { "archive/b.json": JSON.stringify(post("b")) });
    await expectSoon((docs) => docs.has("b"), "b is indexed");
    await rename(path.join(dir, "a.json"), path.join(dir, "archive/a.json"));
    await expectSoon(
      (docs) => docs.get("a")?.source_file === "archive/a.json",
      "the moved post points at its new file",
    );
    expect((await documents()).has("a")).toBe(true);
  });

  test("when the winning file of a duplicate id goes away, the next file takes over", async () => {
    const { dir, expectSoon } = await watchFolder({
      "a.json": JSON.stringify(post("x", { title: "from a" })),
      "b.json": JSON.stringify(post("x", { title: "from b" })),
    });
    await expectSoon((docs) => docs.get("x")?.title === "from a", "a wins");
    await rm(path.join(dir, "a.json"));
    await expectSoon((docs) => docs.get("x")?.title === "from b", "b takes over");
    await rm(path.join(dir, "b.json"));
    await expectSoon((docs) => !docs.has("x"), "x leaves with its last file");
  });

  test("edits made while the watcher was down are picked up at start", async () => {
    const first = await watchFolder({ "a.json": JSON.stringify(post("a")), "b.json": JSON.stringify(post("b")) });
    await first.watcher.stop();
    await rm(path.join(first.dir, "b.json"));
    await writeContentFiles(first.dir, { "c.json": JSON.stringify(post("c")) });
    const context = await makeIndexerContext(meili.client, first.uid);
    const second = new FolderWatcher(context, first.dir);
    watchers.push(second);
    await second.start();
    expect([...(await first.documents()).keys()].sort()).toEqual(["a", "c"]);
  });
});

describe("watch through a server outage", () => {
  test("changes made while Meilisearch is down are applied once it is back, without a restart", async () => {
    const own = await startMeili();
    try {
      const uid = freshIndexUid("outage");
      const context = await makeIndexerContext(own.client, uid, Number.POSITIVE_INFINITY);
      const dir = await makeContentDir({ "a.json": JSON.stringify(post("a")) });
      const watcher = new FolderWatcher(context, dir);
      watchers.push(watcher);
      await watcher.start();
      const port = Number(new URL(own.url).port);
      await own.server.stop();
      await writeContentFiles(dir, {
        "b.json": JSON.stringify(post("b")),
        "a.json": JSON.stringify(post("a", { title: "edited offline" })),
      });
      const restarted = await startEmbeddedMeili({ dataDir: own.dataDir, port });
      try {
        await expect
          .poll(
            async () => {
              const docs = await readDocuments(own.client, uid);
              return { b: docs.has("b"), aTitle: docs.get("a")?.title };
            },
            { message: "the changes made during the outage are indexed", timeout: 30_000 },
          )
          .toEqual({ b: true, aTitle: "edited offline" });
      } finally {
        await watcher.stop();
        await restarted.stop();
      }
    } finally {
      await own.stop();
    }
  });
});
