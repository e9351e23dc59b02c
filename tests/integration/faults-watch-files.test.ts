import { writeFileSync } from "node:fs";
import { mkdir, open, rename, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterEach, describe, expect, test } from "vitest";
import { reindexFolder } from "../../indexer/reindex.js";
import { FolderWatcher } from "../../indexer/watch.js";
import { bumpGeneration, generationPath } from "../../indexer/write-lock.js";
import { makeContentDir, ndjson } from "../helpers/content-dir.js";
import { bulkyState, expectConvergence, postsOf, storedPosts, type PostStates } from "../helpers/convergence.js";
import { bulkyPost, jsonFiles } from "../helpers/fault-corpus.js";
import { makeIndexerContext } from "../helpers/indexer-context.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

const meili = sharedMeili();

const watchers: FolderWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((watcher) => watcher.stop()));
});

/**
 * A watched folder holding `files`, reconciled to `expected` (what the test wrote, by default the
 * posts in `files`); `rejected` collects every rejection the watcher reports.
 */
async function watched(files: Record<string, string>, expected: PostStates = postsOf(files)) {
  const uid = freshIndexUid("watch_fs");
  const context = await makeIndexerContext(meili.client, uid, Number.POSITIVE_INFINITY);
  const dataDir = context.dataDir;
  const dir = await makeContentDir(files);
  const rejected: string[] = [];
  const watcher = new FolderWatcher(context, dir, {
    onApplied: ({ report }) => rejected.push(...report.rejected.map((r) => `${r.file}: ${r.message}`)),
  });
  watchers.push(watcher);
  await watcher.start();
  await expectConvergence(meili.client, uid, expected);
  /** Waits until the index holds `posts`, then again once the watcher is idle. */
  const expectConverges = async (posts: PostStates, timeoutMs = 30_000) => {
    await expectConvergence(meili.client, uid, posts, timeoutMs);
    await watcher.onIdle();
    await expectConvergence(meili.client, uid, posts);
  };
  return { uid, dir, dataDir, watcher, rejected, expectConverges };
}

/** `posts` with the files under folder `from` moved under `to`, as renaming the folder moves them. */
function moved(posts: PostStates, from: string, to: string): PostStates {
  return new Map(
    [...posts].map(([id, post]) => [
      id,
      post.file.startsWith(`${from}/`) ? { ...post, file: `${to}/${post.file.slice(from.length + 1)}` } : post,
    ]),
  );
}

/** `posts` without those of the files under `folder`. */
function without(posts: PostStates, folder: string): PostStates {
  return new Map([...posts].filter(([, post]) => !post.file.startsWith(`${folder}/`)));
}

/** Writes `files` (relative path → text), all at once. */
async function writeAll(dir: string, files: Record<string, string>): Promise<void> {
  const folders = new Set(Object.keys(files).map((file) => path.dirname(path.join(dir, file))));
  await Promise.all([...folders].map((folder) => mkdir(folder, { recursive: true })));
  await Promise.all(Object.entries(files).map(([file, text]) => writeFile(path.join(dir, file), text)));
}

/** Replaces a file the way editors and exporters do it atomically: write a temporary file, rename it over. */
async function replaceAtomically(file: string, text: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.hrtime.bigint()}.tmp`);
  await writeFile(temporary, text);
  await rename(temporary, file);
}

/** Truncates `file` and writes the first half of `text` (synced to disk); `finish()` writes the rest and closes it. */
async function halfWritten(file: string, text: string): Promise<{ finish(): Promise<void> }> {
  const handle = await open(file, "w");
  const bytes = Buffer.from(text);
  const middle = Math.floor(bytes.length / 2);
  await handle.write(bytes.subarray(0, middle));
  await handle.datasync();
  return {
    async finish() {
      try {
        await handle.write(bytes.subarray(middle));
      } finally {
        await handle.close();
      }
    },
  };
}

/** Rewrites a file in place, slowly: truncated first, then written in `chunks` parts with a pause between. */
async function rewriteSlowly(file: string, text: string, chunks: number, pauseMs: number): Promise<void> {
  const handle = await open(file, "w");
  try {
    const bytes = Buffer.from(text);
    const size = Math.ceil(bytes.length / chunks);
    for (let start = 0; start < bytes.length; start += size) {
      await handle.write(bytes.subarray(start, start + size));
      await handle.datasync();
      await delay(pauseMs);
    }
  } finally {
    await handle.close();
  }
}

describe("the watcher under file system stress", () => {
  test("2,000 files created at once, half of them in 20 new folders, are all indexed", async () => {
    const seed = jsonFiles("seed", "s", 10);
    const { dir, expectConverges } = await watched(seed);
    const files: Record<string, string> = jsonFiles("flat", "f", 1_000);
    for (let folder = 0; folder < 20; folder += 1) Object.assign(files, jsonFiles(`new/${folder}`, `n${folder}`, 50));
    await writeAll(dir, files);
    await expectConverges(postsOf({ ...seed, ...files }), 60_000);
    // Longer than the wait above, so that a failure says which posts are missing.
  }, 90_000);

  test("a whole folder renamed, renamed again so another copy of a duplicate wins, then deleted", async () => {
    const unique = {
      ...jsonFiles("m/2024/a", "a", 40),
      ...jsonFiles("m/2024/b", "b", 40),
      "t/other.ndjson": ndjson(bulkyPost("o-1"), bulkyPost("o-2")),
    };
    // An id in two files belongs to the file whose path sorts first: m/dup.json (v1) before t/dup.json (v2).
    const first: PostStates = new Map([...postsOf(unique), ["dup", bulkyState("dup", 1, "m/dup.json")]]);
    const { dir, expectConverges } = await watched(
      {
        ...unique,
        "m/dup.json": JSON.stringify(bulkyPost("dup", 1)),
        "t/dup.json": JSON.stringify(bulkyPost("dup", 2)),
      },
      first,
    );
    await rename(path.join(dir, "m"), path.join(dir, "archive"));
    const archived = moved(first, "m", "archive");
    await expectConverges(archived);
    await rename(path.join(dir, "archive"), path.join(dir, "z-archive"));
    // z-archive/dup.json now sorts after t/dup.json: the other copy wins.
    const last = new Map([...moved(archived, "archive", "z-archive"), ["dup", bulkyState("dup", 2, "t/dup.json")]]);
    await expectConverges(last);
    await rename(path.join(dir, "t"), path.join(dir, "0-first"));
    const renamed = moved(last, "t", "0-first");
    await expectConverges(renamed);
    await rm(path.join(dir, "z-archive"), { recursive: true });
    await expectConverges(without(renamed, "z-archive"));
  });

  test("files replaced atomically (temporary file + rename), 10 rounds: converges and never sees a half-written file", async () => {
    const names = Array.from({ length: 40 }, (_, i) => `posts/p-${i}.json`);
    const { dir, rejected, expectConverges } = await watched({
      ...jsonFiles("posts", "p", 40),
      "feed.ndjson": ndjson(bulkyPost("feed-0")),
    });
    for (let round = 2; round <= 11; round += 1) {
      await Promise.all(
        names.map((name, i) => replaceAtomically(path.join(dir, name), JSON.stringify(bulkyPost(`p-${i}`, round)))),
      );
      const feed = Array.from({ length: round }, (_, i) => bulkyPost(`feed-${i}`, round));
      await replaceAtomically(path.join(dir, "feed.ndjson"), ndjson(...feed));
    }
    const lastFeed = Array.from({ length: 11 }, (_, i) => bulkyPost(`feed-${i}`, 11));
    await expectConverges(postsOf({ ...jsonFiles("posts", "p", 40, 11), "feed.ndjson": ndjson(...lastFeed) }));
    expect(rejected).toEqual([]);
  });

  test("files truncated and rewritten slowly in chunks: converges, and a JSON post never leaves the index meanwhile", async () => {
    const { uid, dir, rejected, expectConverges } = await watched({
      ...jsonFiles("posts", "p", 12),
      "feed.ndjson": ndjson(...Array.from({ length: 6 }, (_, i) => bulkyPost(`feed-${i}`))),
    });
    const missing = new Set<string>();
    let isWriting = true;
    const sampler = (async () => {
      while (isWriting) {
        const { posts } = await storedPosts(meili.client, uid);
        for (let i = 0; i < 12; i += 1) if (!posts.has(`p-${i}`)) missing.add(`p-${i}`);
        await delay(20);
      }
    })();
    try {
      // One read of a half-written file, forced: p-0 truncated and half rewritten, the rest written only once
      // the watcher has reported it as broken (whichever way the slow writes below race it).
      const half = await halfWritten(path.join(dir, "posts/p-0.json"), JSON.stringify(bulkyPost("p-0", 2)));
      try {
        await expect
          .poll(() => rejected.some((r) => r.startsWith("posts/p-0.json: not valid JSON")), {
            message: "the watcher reads the half-written p-0.json and reports it",
            timeout: 10_000,
            interval: 10,
          })
          .toBe(true);
      } finally {
        await half.finish();
      }
      for (let round = 2; round <= 4; round += 1) {
        const writes = Array.from({ length: 12 }, (_, i) =>
          rewriteSlowly(
            path.join(dir, `posts/p-${i}.json`),
            JSON.stringify(bulkyPost(`p-${i}`, round)),
            5,
            15 + ((i * 7) % 40),
          ),
        );
        const feed = ndjson(...Array.from({ length: 6 }, (_, i) => bulkyPost(`feed-${i}`, round)));
        await Promise.all([...writes, rewriteSlowly(path.join(dir, "feed.ndjson"), feed, 7, 25)]);
      }
    } finally {
      isWriting = false;
      await sampler;
    }
    const lastFeed = Array.from({ length: 6 }, (_, i) => bulkyPost(`feed-${i}`, 4));
    await expectConverges(postsOf({ ...jsonFiles("posts", "p", 12, 4), "feed.ndjson": ndjson(...lastFeed) }));
    expect([...missing]).toEqual([]);
    expect(
      rejected.some((r) => r.includes("not valid JSON")),
      "the watcher did read half-written files",
    ).toBe(true);
  });

  test("files rewritten slowly while other processes reindex (every batch a full reconcile): converges", async () => {
    const { uid, dir, dataDir, expectConverges } = await watched(jsonFiles("posts", "p", 12));
    let isWriting = true;
    const reindexer = (async () => {
      // What a reindex by another process leaves behind: a new generation, so the next batch reconciles.
      while (isWriting) {
        await bumpGeneration(generationPath(dataDir, uid));
        await delay(10);
      }
    })();
    try {
      for (let round = 2; round <= 4; round += 1) {
        await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            rewriteSlowly(
              path.join(dir, `posts/p-${i}.json`),
              JSON.stringify(bulkyPost(`p-${i}`, round)),
              6,
              i < 6 ? 40 : 10 + i * 3,
            ),
          ),
        );
      }
    } finally {
      isWriting = false;
      await reindexer;
    }
    await expectConverges(postsOf(jsonFiles("posts", "p", 12, 4)));
  });

  test("a file changed while the start-up reconcile reads the folder is not lost", async () => {
    const uid = freshIndexUid("watch_fs");
    const context = await makeIndexerContext(meili.client, uid, Number.POSITIVE_INFINITY);
    const dir = await makeContentDir(jsonFiles("posts", "p", 200));
    let isFirst = true;
    const watcher = new FolderWatcher(context, dir, {
      onApplied: () => {
        // The reconcile has read every file: an edit lands now, as the watcher comes up.
        if (isFirst) writeFileSync(path.join(dir, "posts/p-0.json"), JSON.stringify(bulkyPost("p-0", 2)));
        isFirst = false;
      },
    });
    watchers.push(watcher);
    await watcher.start();
    const edited = { ...jsonFiles("posts", "p", 200), "posts/p-0.json": JSON.stringify(bulkyPost("p-0", 2)) };
    await expectConvergence(meili.client, uid, postsOf(edited), 10_000);
  });

  test("symbolic links to files and folders are ignored, as check ignores them", async () => {
    const outside = await makeContentDir({
      "linked.json": JSON.stringify(bulkyPost("linked-file")),
      "folder/inner.json": JSON.stringify(bulkyPost("linked-folder")),
    });
    const { dir, expectConverges } = await watched(jsonFiles("posts", "p", 3));
    await symlink(path.join(outside, "linked.json"), path.join(dir, "posts/link.json"));
    await symlink(path.join(outside, "folder"), path.join(dir, "linked-folder"));
    await symlink(dir, path.join(dir, "posts/loop"));
    // A change after the links: once it is indexed, the links' events have been handled too.
    await writeFile(path.join(dir, "posts/p-0.json"), JSON.stringify(bulkyPost("p-0", 2)));
    const edited = { ...jsonFiles("posts", "p", 3), "posts/p-0.json": JSON.stringify(bulkyPost("p-0", 2)) };
    await expectConverges(postsOf(edited));
    await writeFile(path.join(outside, "linked.json"), JSON.stringify(bulkyPost("linked-file", 2)));
    await writeFile(path.join(outside, "folder/inner.json"), JSON.stringify(bulkyPost("linked-folder", 2)));
    await writeFile(path.join(dir, "posts/p-1.json"), JSON.stringify(bulkyPost("p-1", 2)));
    await expectConverges(postsOf({ ...edited, "posts/p-1.json": JSON.stringify(bulkyPost("p-1", 2)) }));
  });

  test("a folder named like a record file is ignored, as check ignores it, even when it replaces a file", async () => {
    const { dir, expectConverges } = await watched({
      ...jsonFiles("posts", "p", 3),
      "feed.ndjson": ndjson(bulkyPost("f-1")),
    });
    await rm(path.join(dir, "feed.ndjson"));
    await writeAll(dir, {
      "feed.ndjson/inner.json": JSON.stringify(bulkyPost("inner")),
      "posts/archive.json/old.json": JSON.stringify(bulkyPost("old")),
    });
    await writeFile(path.join(dir, "posts/p-0.json"), JSON.stringify(bulkyPost("p-0", 2)));
    // f-1 left with feed.ndjson; nothing inside the folders named like record files is indexed.
    await expectConverges(
      postsOf({ ...jsonFiles("posts", "p", 3), "posts/p-0.json": JSON.stringify(bulkyPost("p-0", 2)) }),
    );
  });

  test("a reindex in the middle of a burst of edits: the watcher waits for it, the catch-up and the watcher converge", async () => {
    const uid = freshIndexUid("watch_fs");
    const context = await makeIndexerContext(meili.client, uid, Number.POSITIVE_INFINITY);
    const dir = await makeContentDir(jsonFiles("posts", "p", 200));
    const watcher = new FolderWatcher(context, dir);
    watchers.push(watcher);
    await watcher.start();
    const edits = async (round: number, from: number, to: number) => {
      for (let i = from; i < to; i += 1) {
        if (i % 10 === 9) await rm(path.join(dir, `posts/p-${i}.json`), { force: true });
        else await writeFile(path.join(dir, `posts/p-${i}.json`), JSON.stringify(bulkyPost(`p-${i}`, round)));
      }
    };
    const reindex = reindexFolder(context, dir);
    await Promise.all([reindex, edits(2, 0, 200), edits(3, 200, 260)]);
    await edits(4, 0, 50);
    // What the edits leave: every tenth post deleted, p-0 … p-49 at v4, p-50 … p-199 at v2, p-200 … p-259 at v3.
    const final: Record<string, string> = {};
    for (let i = 0; i < 260; i += 1)
      if (i % 10 !== 9) final[`posts/p-${i}.json`] = JSON.stringify(bulkyPost(`p-${i}`, i < 50 ? 4 : i < 200 ? 2 : 3));
    await expectConvergence(meili.client, uid, postsOf(final), 60_000);
    await watcher.onIdle();
    await expectConvergence(meili.client, uid, postsOf(final));
  });
});
