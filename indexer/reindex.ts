import { MeiliTaskError } from "../src/index.js";
import { applyFileChanges } from "./apply-changes.js";
import type { IndexerContext } from "./context.js";
import { changedFiles, fingerprintFiles, type FileFingerprints } from "./file-fingerprints.js";
import { readIndexState } from "./index-state.js";
import { prepareIndex } from "./prepare-index.js";
import { retryWhileUnavailable } from "./retry.js";
import { passOverFolder, type SyncOptions, type SyncResult } from "./sync.js";
import { acquireWriteLock, bumpGeneration, generationPath, writeLockPath } from "./write-lock.js";

/** The index a reindex builds before swapping it in. */
export function nextIndexUid(indexUid: string): string {
  return `${indexUid}_next`;
}

/**
 * `postindex reindex`: a full rebuild into `<index>_next` (settings first, then every document in
 * byte-sized batches), a check that it holds exactly the documents sent, then an atomic swap, so
 * searchers never see a half-built index. A failed or interrupted run leaves the old index
 * serving; its leftover `_next` is removed by the next run. Files changed while the rebuild ran
 * are applied to the live index after the swap. A record broken for now keeps its last good
 * document: it is copied from the live index into the new one. Holds the index's write lock throughout.
 */
export async function reindexFolder(
  context: IndexerContext,
  dir: string,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const lock = await acquireWriteLock(writeLockPath(context.dataDir, context.indexUid), "reindex");
  try {
    return await rebuild(context, dir, options);
  } finally {
    await lock.release();
  }
}

/** The fingerprint of a file the pass could not open: unlike any stamp, so the catch-up looks at it again. */
const UNREADABLE = "unreadable";

async function rebuild(context: IndexerContext, dir: string, options: SyncOptions): Promise<SyncResult> {
  const { client, indexUid, retry, log } = context;
  const nextUid = nextIndexUid(indexUid);
  const timeout = { timeoutMs: 120_000 };
  // The folder is read while `_next` is made afresh; the first documents wait for it.
  const prepared = retryWhileUnavailable(() => client.deleteIndexIfExists(nextUid, timeout), retry).then(() =>
    prepareIndex(context, nextUid),
  );
  // What each file was as the pass read it (its stamp from the open file: no separate stat pass).
  const fingerprints: FileFingerprints = new Map();
  const onFileOpened = (file: string, stamp: string | undefined): void =>
    void fingerprints.set(file, stamp ?? UNREADABLE);
  const live = {
    readState: () => retryWhileUnavailable(() => readIndexState(client, indexUid), retry),
    copyFrom: indexUid,
  };
  let result: SyncResult;
  try {
    result = await passOverFolder(context, dir, nextUid, new Map(), { ...options, onFileOpened, kept: live, prepared });
  } finally {
    // A pass that failed early leaves nothing preparing `_next` once the write lock is released.
    await prepared.catch(() => {});
  }
  const count = await retryWhileUnavailable(() => client.getDocumentCount(nextUid), retry);
  if (count !== result.state.size) {
    throw new MeiliTaskError(
      `index "${nextUid}" holds ${count} documents, ${result.state.size} were sent; the live index was left as it was`,
    );
  }
  // The swap needs a live index to exist; its settings do not matter, it is about to be replaced
  // (applying new settings to it would make Meilisearch re-index the old documents for nothing).
  await retryWhileUnavailable(() => client.ensureIndex(indexUid, timeout), retry);
  await retryWhileUnavailable(() => client.swapIndexes(indexUid, nextUid, timeout), retry);
  await bumpGeneration(generationPath(context.dataDir, indexUid));
  log.info({ index: indexUid, documents: count }, "swapped the rebuilt index in");
  // The old index is deleted while the files are checked for changes made during the rebuild.
  const [, now] = await Promise.all([
    retryWhileUnavailable(() => client.deleteIndexIfExists(nextUid, timeout), retry),
    fingerprintFiles(dir),
  ]);
  const changed = changedFiles(fingerprints, now);
  if (changed.length > 0) {
    const catchUp = await applyFileChanges(context, dir, changed, result);
    log.info({ files: changed.length, ...catchUp.changes }, "applied files changed during the rebuild");
  }
  return result;
}
