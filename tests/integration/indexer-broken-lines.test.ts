import { afterEach, describe, expect, test, vi } from "vitest";
import type { IndexerContext } from "../../indexer/context.js";
import { reindexFolder } from "../../indexer/reindex.js";
import { syncFolder } from "../../indexer/sync.js";
import { FolderWatcher } from "../../indexer/watch.js";
import type { KeptDocument, RunReport } from "../../src/index.js";
import { makeContentDir, ndjson, writeContentFiles } from "../helpers/content-dir.js";
import { makeIndexerContext, readDocuments } from "../helpers/indexer-context.js";
import { makePost as post } from "../helpers/records.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

/**
 * An NDJSON export with one broken line: the broken line stands for its own record only, every
 * other record of the file follows the file (issue: a post deleted at the source stayed searchable
 * while an unrelated line was broken). The same rule in every way the index is brought in step.
 */

const meili = sharedMeili();

const watchers: FolderWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((watcher) => watcher.stop()));
});

const FOUR_POSTS = ndjson(post("p1"), post("p2"), post("p3"), post("p4"));
/** p1 edited, p2's line cut off after its id, p3 as it was, p4 deleted at the source. */
const P2_BROKEN_P4_DELETED = `${JSON.stringify(post("p1", { title: "P1 v2" }))}\n{"id": "p2", "title": "P2 v2 cut off in the midd\n${JSON.stringify(post("p3"))}\n`;

async function indexedFolder(
  files: Record<string, string>,
): Promise<{ uid: string; context: IndexerContext; dir: string }> {
  const uid = freshIndexUid("broken");
  const context = await makeIndexerContext(meili.client, uid);
  const dir = await makeContentDir(files);
  await syncFolder(context, dir);
  return { uid, context, dir };
}

async function titles(uid: string): Promise<Record<string, string>> {
  return Object.fromEntries(
    [...(await readDocuments(meili.client, uid))].map(([id, document]) => [id, document.title]),
  );
}

const P2_KEPT: KeptDocument = {
  id: "p2",
  file: "export.ndjson",
  line: 2,
  reason: expect.stringMatching(
    /^line 2, this record, is broken \(not valid JSON.*\); its last good version stays$/,
  ) as unknown as string,
};

function watch(context: IndexerContext, dir: string, reports: RunReport[]): Promise<FolderWatcher> {
  const watcher = new FolderWatcher(context, dir, { onApplied: ({ report }) => reports.push(report) });
  watchers.push(watcher);
  return watcher.start().then(() => watcher);
}

describe("a broken NDJSON line stands only for its own record", () => {
  test("sync: the deleted post leaves, the broken one keeps its last good version, the edit lands", async () => {
    const { uid, context, dir } = await indexedFolder({ "export.ndjson": FOUR_POSTS });
    await writeContentFiles(dir, { "export.ndjson": P2_BROKEN_P4_DELETED });
    const { report, changes } = await syncFolder(context, dir);
    expect(await titles(uid)).toEqual({ p1: "P1 v2", p2: "Post p2", p3: "Post p3" });
    expect(report.rejected).toEqual([
      { file: "export.ndjson", line: 2, id: "p2", field: null, message: expect.stringMatching(/^not valid JSON/) },
    ]);
    expect(report.kept).toEqual([P2_KEPT]);
    expect(changes).toMatchObject({ upserted: 1, deleted: 1, keptBroken: 1 });
  });

  test("sync again after the line is fixed: the record's new version replaces the kept one", async () => {
    const { uid, context, dir } = await indexedFolder({ "export.ndjson": FOUR_POSTS });
    await writeContentFiles(dir, { "export.ndjson": P2_BROKEN_P4_DELETED });
    await syncFolder(context, dir);
    await writeContentFiles(dir, {
      "export.ndjson": ndjson(post("p1", { title: "P1 v2" }), post("p2", { title: "P2 v2" }), post("p3")),
    });
    const { report } = await syncFolder(context, dir);
    expect(report.kept).toEqual([]);
    expect(await titles(uid)).toEqual({ p1: "P1 v2", p2: "P2 v2", p3: "Post p3" });
  });

  test("a line cut off before its id keeps one missing record, never more than there are such lines", async () => {
    const { uid, context, dir } = await indexedFolder({ "export.ndjson": ndjson(post("p1"), post("p2"), post("p3")) });
    // p2's line lost its id: the missing p2 may be that line, so it stays.
    await writeContentFiles(dir, {
      "export.ndjson": `${JSON.stringify(post("p1"))}\n{"title": "Post p2", "me\n${JSON.stringify(post("p3"))}\n`,
    });
    const oneUnnamed = await syncFolder(context, dir);
    expect(Object.keys(await titles(uid)).sort()).toEqual(["p1", "p2", "p3"]);
    expect(oneUnnamed.report.kept).toEqual([
      {
        id: "p2",
        file: "export.ndjson",
        line: 2,
        reason: expect.stringMatching(/^line 2 is broken \(.*\) and names no id; it may be this record/),
      },
    ]);
    // Now p2 and p3 are missing but only one line is broken: at least one was deleted, and which
    // cannot be told, so neither is kept (a deleted post must not stay searchable).
    await writeContentFiles(dir, { "export.ndjson": `${JSON.stringify(post("p1"))}\n{"title": "Post p2", "me\n` });
    const twoMissing = await syncFolder(context, dir);
    expect(Object.keys(await titles(uid))).toEqual(["p1"]);
    expect(twoMissing.report.kept).toEqual([]);
  });

  test("a .json file that does not parse keeps all of its documents, and the report says why", async () => {
    const { uid, context, dir } = await indexedFolder({ "batch.json": JSON.stringify([post("j1"), post("j2")]) });
    await writeContentFiles(dir, { "batch.json": `[${JSON.stringify(post("j1"))}, {"id": "j2", "ti` });
    const { report } = await syncFolder(context, dir);
    expect(Object.keys(await titles(uid)).sort()).toEqual(["j1", "j2"]);
    expect(report.kept?.map((kept) => [kept.id, kept.file, kept.line])).toEqual([
      ["j1", "batch.json", null],
      ["j2", "batch.json", null],
    ]);
    expect(report.kept?.[0]?.reason).toMatch(/^the file cannot be read \(not valid JSON/);
  });

  test("watch: the same edit applied live", async () => {
    const { uid, context, dir } = await indexedFolder({ "export.ndjson": FOUR_POSTS });
    const reports: RunReport[] = [];
    await watch(context, dir, reports);
    await writeContentFiles(dir, { "export.ndjson": P2_BROKEN_P4_DELETED });
    const applied = await vi.waitFor(
      () => {
        const found = reports.find((report) => report.rejected.length > 0);
        if (found === undefined) throw new Error("the broken export is applied");
        return found;
      },
      { timeout: 5_000, interval: 25 },
    );
    expect(applied.kept).toEqual([P2_KEPT]);
    expect(await titles(uid)).toEqual({ p1: "P1 v2", p2: "Post p2", p3: "Post p3" });
  });

  test("the watcher's start-up reconcile, after edits made while it was down, and after a restart", async () => {
    const { uid, context, dir } = await indexedFolder({ "export.ndjson": FOUR_POSTS });
    await writeContentFiles(dir, { "export.ndjson": P2_BROKEN_P4_DELETED });
    const reports: RunReport[] = [];
    const first = await watch(context, dir, reports);
    expect(await titles(uid)).toEqual({ p1: "P1 v2", p2: "Post p2", p3: "Post p3" });
    expect(reports[0]?.kept).toEqual([P2_KEPT]);
    await first.stop();
    // Restarted with the file still broken: p2 stays, p4 does not come back.
    await watch(context, dir, reports);
    expect(await titles(uid)).toEqual({ p1: "P1 v2", p2: "Post p2", p3: "Post p3" });
    expect(reports.at(-1)?.kept).toEqual([P2_KEPT]);
  });

  test("reindex: the rebuilt index copies the broken record's last good document from the live one", async () => {
    const { uid, context, dir } = await indexedFolder({
      "export.ndjson": FOUR_POSTS,
      "other.json": JSON.stringify(post("o")),
    });
    await writeContentFiles(dir, { "export.ndjson": P2_BROKEN_P4_DELETED });
    const { report } = await reindexFolder(context, dir);
    expect(await titles(uid)).toEqual({ o: "Post o", p1: "P1 v2", p2: "Post p2", p3: "Post p3" });
    expect(report.kept).toEqual([P2_KEPT]);
    const copied = (await readDocuments(meili.client, uid)).get("p2");
    expect(copied).toMatchObject({ source_file: "export.ndjson", title: "Post p2" });
  });

  test("reindex of a folder with nothing broken keeps nothing: records deleted at the source are gone", async () => {
    const { uid, context, dir } = await indexedFolder({ "export.ndjson": FOUR_POSTS });
    await writeContentFiles(dir, { "export.ndjson": ndjson(post("p1")) });
    const { report } = await reindexFolder(context, dir);
    expect(report.kept).toEqual([]);
    expect(Object.keys(await titles(uid))).toEqual(["p1"]);
  });
});
