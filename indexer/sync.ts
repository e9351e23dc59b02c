import type { Worker } from "node:worker_threads";
import {
  addToReport,
  emptyReport,
  scanForIndexing,
  toDocumentId,
  type CheckOutcome,
  type KeptDocument,
  type PreparedDocument,
  type RunReport,
  type ScanProgress,
} from "../src/index.js";
import { loadContentConfig } from "../src/check/content-config.js";
import { applySynonyms } from "../src/check/synonyms.js";
import { ContentRegistry } from "./content-registry.js";
import type { IndexerContext } from "./context.js";
import { IndexWriter, type SyncChanges } from "./index-writer.js";
import { FileDamage } from "./kept-documents.js";
import { readIndexState, type IndexState } from "./index-state.js";
import { prepareIndex } from "./prepare-index.js";
import { retryWhileUnavailable } from "./retry.js";
import { acquireWriteLock, writeLockPath } from "./write-lock.js";

export type { SyncChanges };

export interface SyncResult {
  report: RunReport;
  changes: SyncChanges;
  /** Who claims which id, for a watcher to carry on from. */
  registry: ContentRegistry;
  /** What the index holds after the pass. */
  state: IndexState;
}

export interface SyncOptions {
  onProgress?: (progress: ScanProgress) => void;
  /** Each file's stamp as the scan opens it (see `ScanHandlers.onFileOpened`). */
  onFileOpened?: (file: string, stamp: string | undefined) => void;
  /**
   * The worker threads that read and evaluate the folder beside this one (see `scanForIndexing`):
   * by default one for a folder large enough to repay its start-up.
   */
  workers?: number | readonly Worker[];
}

/**
 * `postindex sync`: one incremental pass. Compares every record under `dir` with what the index
 * holds (source file + content hash on every document), pushes only what changed and deletes
 * what is gone or now excluded. A broken file or record keeps its last good documents. Holds the
 * index's write lock for the pass.
 */
export async function syncFolder(context: IndexerContext, dir: string, options: SyncOptions = {}): Promise<SyncResult> {
  const { client, indexUid, retry } = context;
  const lock = await acquireWriteLock(writeLockPath(context.dataDir, indexUid), "sync");
  try {
    // What the index holds is read while its settings are checked (settings never change
    // documents), and the folder is read meanwhile; both have settled before the write lock
    // can be released.
    const prepared = prepareIndex(context, indexUid);
    const state = retryWhileUnavailable(() => readIndexState(client, indexUid), retry);
    try {
      return await passOverFolder(context, dir, indexUid, state, { ...options, prepared });
    } finally {
      await Promise.allSettled([prepared, state]);
    }
  } finally {
    await lock.release();
  }
}

/** Where a pass takes the documents it keeps for broken records from. */
export interface KeptSource {
  /** What the live index holds: which documents each file had before this pass (read only when a file is damaged). */
  readState(): Promise<IndexState>;
  /** The live index uid, when the pass writes another index (a rebuild copies kept documents over). */
  copyFrom?: string;
}

/** How a pass's target index is made ready, and where it keeps broken records' documents from. */
export interface PassSetup {
  kept?: KeptSource;
  /**
   * Settles once `targetUid` can take documents (a rebuild's fresh index, its settings applied):
   * the folder is read meanwhile, and nothing is written before it resolves; its rejection fails the pass.
   */
  prepared?: Promise<void>;
}

/**
 * Scans `dir` once and brings index `targetUid`, which holds `state`, in step with it. A sync runs
 * it on the live index with what it holds (still being read: the folder is read meanwhile, and
 * the first record waits for it); a reindex on a fresh index with an empty state, keeping broken
 * records' documents from the live index (`kept`).
 */
export async function passOverFolder(
  context: IndexerContext,
  dir: string,
  targetUid: string,
  state: IndexState | Promise<IndexState>,
  options: SyncOptions & PassSetup = {},
): Promise<SyncResult> {
  // The folder's aliases as the index's synonyms (postindex.config.json), before its documents:
  // the folder is read meanwhile, and the writes wait for them (and for `prepared`).
  const { aliases } = loadContentConfig(dir).config;
  const ready = (options.prepared ?? Promise.resolve()).then(() =>
    retryWhileUnavailable(() => applySynonyms(context.client, targetUid, aliases), context.retry),
  );
  // Its rejection fails the pass's writer, which exists only once the state is read: until then
  // (and if reading the state fails first) it is not an unhandled rejection.
  ready.catch(() => {});
  let pass: SyncPass | undefined;
  const passReady = Promise.resolve(state).then((held) => {
    const kept = options.kept ?? { readState: () => Promise.resolve(held) };
    pass = new SyncPass(context, targetUid, held, kept, ready);
    return pass;
  });
  // A failure to read the state fails the pass where it is awaited, not as an unhandled rejection.
  passReady.catch(() => {});
  const { onProgress, onFileOpened, workers } = options;
  const onRecord = (outcome: CheckOutcome, document: PreparedDocument | undefined): void | Promise<void> =>
    pass === undefined ? passReady.then((started) => started.take(outcome, document)) : pass.take(outcome, document);
  const ignored = await scanForIndexing(dir, {
    onRecord,
    onProgress,
    onFileOpened,
    evaluateHere: () => pass?.readsHereToo === true,
    ...(workers !== undefined && { workers }),
  });
  const started = await passReady;
  started.report.ignored.push(...ignored);
  const changes = await started.finish();
  return { report: started.report, changes, registry: started.registry, state: await state };
}

/** The bookkeeping of one full pass: what was seen, what is protected, what to push. */
class SyncPass {
  readonly report = emptyReport();
  readonly registry = new ContentRegistry();
  readonly #context: IndexerContext;
  readonly #state: IndexState;
  readonly #kept: KeptSource;
  readonly #writer: IndexWriter;
  readonly #wanted = new Set<string>();
  readonly #damage = new Map<string, FileDamage>();
  /** Whether the index held documents when the pass began (see {@link readsHereToo}). */
  readonly #heldDocuments: boolean;

  /** `ready`: what the writes wait for (see `PassSetup.prepared`). */
  constructor(context: IndexerContext, targetUid: string, state: IndexState, kept: KeptSource, ready: Promise<void>) {
    this.#context = context;
    this.#state = state;
    this.#kept = kept;
    this.#writer = new IndexWriter(context, targetUid, state, ready);
    this.#heldDocuments = state.size > 0;
  }

  /**
   * Whether this thread should read and evaluate files too, beside the worker. Only in a pass over
   * an index that held documents, where most are found unchanged, and only while the pass has
   * handed Meilisearch nothing to index, which leaves a core free (a pass that changes nothing
   * reads on both threads to the end). Not in a pass into an empty index (a rebuild): it sends
   * every document, and a second thread warming up its own code delayed the first batch.
   */
  get readsHereToo(): boolean {
    return this.#heldDocuments && !this.#writer.startedSending;
  }

  /** Books one outcome (an indexed one with its document); a promise only when the writer makes the scan wait. */
  take(outcome: CheckOutcome, document: PreparedDocument | undefined): void | Promise<void> {
    addToReport(this.report, outcome);
    if (outcome.kind === "rejected") {
      const damage = this.#damage.get(outcome.file) ?? new FileDamage();
      damage.note(outcome);
      this.#damage.set(outcome.file, damage);
      return;
    }
    const documentId = toDocumentId(outcome.id);
    this.registry.addClaim(outcome.file, documentId);
    if (outcome.kind !== "indexed") return;
    if (document === undefined) throw new Error(`no document for the indexed record ${outcome.id}`);
    this.#wanted.add(documentId);
    return this.#writer.upsertPrepared(document);
  }

  /** Keeps what a broken file or record still stands for, then deletes what no file wants any more. */
  async finish(): Promise<SyncChanges> {
    const kept =
      this.#damage.size === 0 ? new Map<string, KeptDocument>() : this.#keptDocuments(await this.#kept.readState());
    this.report.kept = [...kept.values()];
    for (const [documentId, entry] of kept) this.registry.addClaim(entry.file, documentId);
    if (this.#kept.copyFrom === undefined) {
      for (let count = 0; count < kept.size; count += 1) this.#writer.keepBroken();
    } else {
      await this.#copyKept(this.#kept.copyFrom, [...kept.keys()]);
    }
    for (const documentId of this.#state.keys()) {
      if (!this.#wanted.has(documentId) && !kept.has(documentId)) this.#writer.remove(documentId);
    }
    return this.#writer.finish();
  }

  /** The live index's documents that no valid record claims now, kept where their file's damage explains them. */
  #keptDocuments(live: IndexState): Map<string, KeptDocument> {
    const missingByFile = new Map<string, string[]>();
    for (const [documentId, entry] of live) {
      if (this.#wanted.has(documentId) || this.registry.winnerOf(documentId) !== undefined) continue;
      if (!this.#damage.has(entry.file)) continue;
      const missing = missingByFile.get(entry.file) ?? [];
      missing.push(documentId);
      missingByFile.set(entry.file, missing);
    }
    const kept = new Map<string, KeptDocument>();
    for (const [file, missing] of missingByFile) {
      for (const [documentId, entry] of this.#damage.get(file)?.keptDocuments(file, missing) ?? [])
        kept.set(documentId, entry);
    }
    return kept;
  }

  /** A rebuild starts empty: kept documents are copied, as they are, from the live index. */
  async #copyKept(liveUid: string, documentIds: string[]): Promise<void> {
    const { client, retry } = this.#context;
    for (let start = 0; start < documentIds.length; start += COPY_BATCH) {
      const ids = documentIds.slice(start, start + COPY_BATCH);
      const page = await retryWhileUnavailable(
        () => client.index(liveUid).getDocuments({ ids, limit: ids.length }),
        retry,
      );
      for (const document of page.results) await this.#writer.upsert(document);
      for (let count = 0; count < page.results.length; count += 1) this.#writer.keepBroken();
    }
  }
}

const COPY_BATCH = 1000;
