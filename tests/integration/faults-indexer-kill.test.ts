import { once } from "node:events";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { describe, expect, onTestFinished, test } from "vitest";
import { nextIndexUid } from "../../indexer/reindex.js";
import { syncFolder } from "../../indexer/sync.js";
import { writeLockPath } from "../../indexer/write-lock.js";
import type { MeiliClient } from "../../src/index.js";
import { makeContentDir, writeContentFiles } from "../helpers/content-dir.js";
import { expectIndexMatches, postsOf } from "../helpers/convergence.js";
import { ndjsonFiles } from "../helpers/fault-corpus.js";
import { makeIndexerContext } from "../helpers/indexer-context.js";
import { runCli, spawnCli } from "../helpers/run-cli.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";
import { makeTempDir, removeTempDir } from "../helpers/tmp-dir.js";

const meili = sharedMeili();

/** Document tasks Meilisearch has been handed for index `uid`. */
async function documentTasks(client: MeiliClient, uid: string): Promise<number> {
  const { results } = await client.raw.tasks.getTasks({
    indexUids: [uid],
    types: ["documentAdditionOrUpdate", "documentDeletion"],
    limit: 1_000,
  });
  return results.length;
}

async function indexExists(uid: string): Promise<boolean> {
  return meili.client.getDocumentCount(uid).then(
    () => true,
    () => false,
  );
}

/**
 * An index synced from 1,500 posts, then a folder changed under it (500 edited, 500 deleted,
 * 1,000 added): the run to interrupt has writes and deletions to make.
 */
async function changedFolder() {
  const uid = freshIndexUid("kill_indexer");
  const dataDir = await makeTempDir("kill-indexer");
  onTestFinished(() => removeTempDir(dataDir));
  const env = {
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.masterKey,
    MEILI_INDEX: uid,
    POSTINDEX_DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    POSTINDEX_MEILI_RETRY_MS: "5000",
  };
  const first = { ...ndjsonFiles("a", 500, 100), ...ndjsonFiles("b", 500, 100), ...ndjsonFiles("c", 500, 100) };
  const dir = await makeContentDir(first);
  await syncFolder(await makeIndexerContext(meili.client, uid), dir);
  await rm(path.join(dir, "b"), { recursive: true });
  const changes = { ...ndjsonFiles("a", 500, 100, 2), ...ndjsonFiles("d", 1_000, 100) };
  await writeContentFiles(dir, changes);
  // What the test wrote: the first folder, and the folder after the changes (b gone, a at v2, d new).
  const before = postsOf(first);
  const after = postsOf({ ...ndjsonFiles("c", 500, 100), ...changes });
  return { uid, dataDir, env, dir, before, after };
}

/**
 * Starts `postindex COMMAND DIR` and SIGKILLs it once it holds the write lock and Meilisearch has
 * been handed its first documents for `target`. Resolves with the pid the lock file names.
 */
async function killMidRun(
  command: "sync" | "reindex",
  dir: string,
  env: NodeJS.ProcessEnv,
  target: string,
  lockFile: string,
): Promise<number> {
  const tasksBefore = await documentTasks(meili.client, target);
  const child = spawnCli([command, dir], env);
  const exited = once(child, "exit");
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  try {
    await expect
      .poll(async () => child.exitCode === null && (await documentTasks(meili.client, target)) > tasksBefore, {
        message: `${command} sends its first documents`,
        timeout: 30_000,
        interval: 5,
      })
      .toBe(true);
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
  expect(child.signalCode, stderr).toBe("SIGKILL");
  const holder = JSON.parse(await readFile(lockFile, "utf8")) as { pid: number; command: string };
  expect(holder).toMatchObject({ pid: child.pid, command });
  return holder.pid;
}

describe("the indexer SIGKILLed mid-run", () => {
  test("a sync killed after its first writes: the next sync takes over the dead lock and converges", async () => {
    const { uid, dataDir, env, dir, after } = await changedFolder();
    await killMidRun("sync", dir, env, uid, writeLockPath(dataDir, uid));
    const next = await runCli(["sync", dir], env);
    expect(next.status, next.stderr).toBe(0);
    await expectIndexMatches(meili.client, uid, after);
  });

  test("a reindex killed mid-build: the old index keeps serving, the next reindex is not blocked, converges and leaves no _next", async () => {
    const { uid, dataDir, env, dir, before, after } = await changedFolder();
    await killMidRun("reindex", dir, env, nextIndexUid(uid), writeLockPath(dataDir, uid));
    await expectIndexMatches(meili.client, uid, before);
    const next = await runCli(["reindex", dir], env);
    expect(next.status, next.stderr).toBe(0);
    await expectIndexMatches(meili.client, uid, after);
    expect(await indexExists(nextIndexUid(uid))).toBe(false);
  });

  test("a reindex killed mid-build, then a sync: the sync converges the live index", async () => {
    const { uid, dataDir, env, dir, after } = await changedFolder();
    await killMidRun("reindex", dir, env, nextIndexUid(uid), writeLockPath(dataDir, uid));
    const next = await runCli(["sync", dir], env);
    expect(next.status, next.stderr).toBe(0);
    await expectIndexMatches(meili.client, uid, after);
  });
});
