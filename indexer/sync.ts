import { addToReport, emptyReport, scanWithProgress, toDocumentId, toSearchDocument, type RunReport, type ScanOutcome, type ScanProgress } from "../src/index.js";
import { ContentRegistry } from "./content-registry.js";
import type { IndexerContext } from "./context.js";
import { IndexWriter, type SyncChanges } from "./index-writer.js";
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
    await prepareIndex(context, indexUid);
    const state = await retryWhileUnavailable(() => readIndexState(client, indexUid), retry);
    return await passOverFolder(context, dir, indexUid, state, options);
  } finally {
    await lock.release();
  }
}

/**
 * Scans `dir` once and brings index `targetUid`, which holds `state`, in step with it. A reindex
 * runs it on a fresh index with an empty state; a sync on the live index with what it holds.
 */
export async function passOverFolder(
  context: IndexerContext,
  dir: string,
  targetUid: string,
  state: IndexState,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const pass = new SyncPass(context, targetUid, state);
  pass.report.ignored.push(...(await scanWithProgress(dir, (outcome) => pass.take(outcome), options.onProgress)));
  const changes = await pass.finish();
  return { report: pass.report, changes, registry: pass.registry, state };
}

/** The bookkeeping of one full pass: what was seen, what is protected, what to push. */
class SyncPass {
  readonly report = emptyReport();
  readonly registry = new ContentRegistry();
  readonly #state: IndexState;
  readonly #writer: IndexWriter;
  readonly #wanted = new Set<string>();
  readonly #rejectedIds = new Set<string>();
  readonly #brokenFiles = new Set<string>();

  constructor(context: IndexerContext, targetUid: string, state: IndexState) {
    this.#state = state;
    this.#writer = new IndexWriter(context, targetUid, state);
  }

  async take(outcome: ScanOutcome): Promise<void> {
    addToReport(this.report, outcome);
    if (outcome.kind === "rejected") {
      if (outcome.id === null) this.#brokenFiles.add(outcome.file);
      else this.#rejectedIds.add(toDocumentId(outcome.id));
      return;
    }
    const documentId = toDocumentId(outcome.id);
    this.registry.addClaim(outcome.file, documentId);
    if (outcome.kind !== "indexed") return;
    this.#wanted.add(documentId);
    await this.#writer.upsert(toSearchDocument(outcome.record, outcome.file));
  }

  /** Deletes what no file wants any more, except what a broken file or record still stands for. */
  async finish(): Promise<SyncChanges> {
    for (const [documentId, entry] of this.#state) {
      if (this.#wanted.has(documentId)) continue;
      if (this.#rejectedIds.has(documentId) || this.#brokenFiles.has(entry.file)) {
        this.registry.addClaim(entry.file, documentId);
        this.#writer.keepBroken();
      } else {
        this.#writer.remove(documentId);
      }
    }
    return this.#writer.finish();
  }
}
