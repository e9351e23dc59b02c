import type { Worker } from "node:worker_threads";
import { loadContentConfig } from "../check/content-config.js";
import type { PreparedDocument } from "../document.js";
import type { BatchResult } from "./check-batch.js";
import type { CheckOutcome } from "./check-outcome.js";
import { openCheckPool } from "./check-pool.js";
import type { IgnoredEntry } from "./find-files.js";
import type { ReadAheadOptions } from "./read-ahead.js";
import { resolveDuplicate, type ScanProgress } from "./scan-folder.js";

/** What {@link scanForIndexing} tells its caller, and how it runs. */
export interface IndexingScanHandlers {
  /**
   * Each outcome in path order, duplicate ids resolved (the slim kind, {@link CheckOutcome}), with
   * its document when it is indexed. Return a promise only to make the scan wait (backpressure).
   */
  onRecord: (outcome: CheckOutcome, document: PreparedDocument | undefined) => void | Promise<void>;
  /** Once the folder is listed and after each file. */
  onProgress?: (progress: ScanProgress) => void;
  /** Each file's stamp as it was read (see `ScanHandlers.onFileOpened`), before its records. */
  onFileOpened?: (file: string, stamp: string | undefined) => void;
  /** Worker threads, as for `checkFolderInParallel` (default: one for a folder large enough to repay it). */
  workers?: number | readonly Worker[];
  /** What tells that reads come from the disk, and so start a read-ahead thread. */
  readAhead?: ReadAheadOptions;
  /**
   * Whether the calling thread should read and evaluate files too, beside the worker (asked before
   * each batch; default: never). Worth it while Meilisearch has nothing to index, and so leaves a
   * core free: before the first documents are sent, and through a pass that changes nothing.
   */
  evaluateHere?: () => boolean;
}

/**
 * The folder scan of an indexing pass (`sync`, `reindex`, the watcher's reconcile) on both cores:
 * what `scanWithProgress` and `toSearchDocument` would give, from records read, evaluated and
 * turned into documents by a worker thread (`check`'s `CheckPool`) while the calling thread
 * writes the index: it resolves duplicates and hands each outcome on in path order, and evaluates
 * files itself only when no worker is left (or none was worth starting) or while `evaluateHere`
 * says so, in slices that keep its event loop turning. While it waits on a
 * returned promise (the index writer's backpressure), no more batches are passed on, so memory
 * stays bounded. The folder is listed as the files are handed out. A 20,000-file `sync` that
 * changes nothing evaluated every record on one thread before; see bench/NOTES.md.
 * @returns what was ignored, and why
 */
export async function scanForIndexing(dir: string, handlers: IndexingScanHandlers): Promise<IgnoredEntry[]> {
  const { onRecord, onProgress, onFileOpened } = handlers;
  // The files are evaluated as the folder is listed: the first documents need not wait for the whole tree.
  const { pool, walk } = await openCheckPool(dir, handlers.workers);
  const { files } = walk;
  try {
    const aliases = loadContentConfig(dir).config.aliases;
    const progress: ScanProgress = { totalFiles: files.length, doneFiles: 0, records: 0 };
    onProgress?.(progress);
    const owners = new Map<string, string>();
    // Batches come in path order, one after another: the next file of the listing is the batch's next.
    let fileIndex = 0;
    const onBatch = async ({ outcomes, counts, documents = [], stamps = [] }: BatchResult): Promise<void> => {
      let at = 0;
      let nextDocument = 0;
      for (const [index, count] of counts.entries()) {
        onFileOpened?.(files[fileIndex] as string, stamps[index]);
        for (const end = at + count; at < end; at += 1) {
          const outcome = outcomes[at] as Exclude<CheckOutcome, { kind: "duplicate" }>;
          const document = outcome.kind === "indexed" ? documents[nextDocument++] : undefined;
          const resolved = resolveDuplicate(outcome, owners);
          const waiting = onRecord(resolved, resolved.kind === "indexed" ? document : undefined);
          if (waiting !== undefined) await waiting;
        }
        fileIndex += 1;
        // One file listed ahead: the total reaches the files done only at the end.
        if (files.length === fileIndex) await walk.reach(fileIndex);
        progress.records += count;
        progress.doneFiles = fileIndex;
        progress.totalFiles = files.length;
        onProgress?.(progress);
      }
    };
    const { readAhead, evaluateHere } = handlers;
    await pool.run(walk, { aliases, facts: false, documents: true, onBatch, readAhead, evaluateHere });
    return walk.listing().ignored;
  } finally {
    pool.close();
  }
}
