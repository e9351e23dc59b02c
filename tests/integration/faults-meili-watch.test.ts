import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { FolderWatcher } from "../../indexer/watch.js";
import { makeContentDir } from "../helpers/content-dir.js";
import { expectConvergence, postsOf } from "../helpers/convergence.js";
import { bulkyPost, jsonFiles } from "../helpers/fault-corpus.js";
import { makeIndexerContext } from "../helpers/indexer-context.js";
import { killMeili, restartMeili } from "../helpers/kill-meili.js";
import { freshIndexUid, startMeili } from "../helpers/start-meili.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The 500 changes of the burst: 200 edits, 200 new files, 100 deletions, interleaved. */
function burst(dir: string): (() => Promise<void>)[] {
  const changes: (() => Promise<void>)[] = [];
  for (let i = 0; i < 200; i += 1) {
    changes.push(() => writeFile(path.join(dir, "posts", `p-${i}.json`), JSON.stringify(bulkyPost(`p-${i}`, 2))));
    changes.push(() => writeFile(path.join(dir, "posts", `q-${i}.json`), JSON.stringify(bulkyPost(`q-${i}`))));
    if (i % 2 === 0) changes.push(() => rm(path.join(dir, "posts", `p-${200 + i / 2}.json`)));
  }
  return changes;
}

describe("Meilisearch killed during a watch burst", () => {
  test("500 file changes, Meilisearch SIGKILLed a third of the way in and restarted after: the index converges", async () => {
    const meili = await startMeili();
    cleanups.push(() => meili.stop());
    const uid = freshIndexUid("kill_watch");
    const context = await makeIndexerContext(meili.client, uid, Number.POSITIVE_INFINITY);
    const dir = await makeContentDir(jsonFiles("posts", "p", 300));
    let batches = 0;
    const watcher = new FolderWatcher(context, dir, { onApplied: () => (batches += 1) });
    cleanups.push(() => watcher.stop());
    await watcher.start();
    await expectConvergence(meili.client, uid, postsOf(jsonFiles("posts", "p", 300)));

    const changes = burst(dir);
    expect(changes).toHaveLength(500);
    const startedWith = batches;
    for (const change of changes.slice(0, 170)) await change();
    await expect
      .poll(() => batches, { message: "the watcher applies part of the burst", timeout: 20_000, interval: 25 })
      .toBeGreaterThan(startedWith);
    await killMeili(meili.server);
    for (const change of changes.slice(170)) await change();
    const restarted = await restartMeili(meili.dataDir, meili.url);
    cleanups.push(() => restarted.stop());
    // What the burst leaves: p-0 … p-199 edited (v2), q-0 … q-199 new, p-200 … p-299 deleted.
    const final = postsOf({ ...jsonFiles("posts", "p", 200, 2), ...jsonFiles("posts", "q", 200) });
    await expectConvergence(meili.client, uid, final, 60_000);
    await watcher.onIdle();
    await expectConvergence(meili.client, uid, final);
  });
});
