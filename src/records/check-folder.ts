import type { Worker } from "node:worker_threads";
import { loadContentConfig } from "../check/content-config.js";
import { emptyReport, type RunReport } from "../report.js";
import { PinnedIdCheck } from "../related/pinned-check.js";
import type { BatchResult } from "./check-batch.js";
import type { CheckOutcome } from "./check-outcome.js";
import { openCheckPool } from "./check-pool.js";
import type { ReadAheadOptions } from "./read-ahead.js";
import type { IgnoredEntry } from "./find-files.js";
import { addToReport, type ReportItems } from "./report-builder.js";
import { resolveDuplicate, scanWithProgress, type ScanOutcome, type ScanProgress } from "./scan-folder.js";

/**
 * `check`'s bookkeeping of one pass, fed each outcome in path order once duplicate ids are
 * resolved: the report, the pinned-id check, and the caller's `observe` (the content lints).
 */
class CheckBook<Outcome extends CheckOutcome> {
  readonly report = emptyReport();
  // Pinned related posts that cannot be listed are warned about once every record is known.
  readonly #pins = new PinnedIdCheck();
  readonly #observe: ((outcome: Outcome) => void) | undefined;
  readonly #items: ReportItems | undefined;

  constructor(observe: ((outcome: Outcome) => void) | undefined, items?: ReportItems) {
    this.#observe = observe;
    this.#items = items;
  }

  take(outcome: Outcome): void {
    addToReport(this.report, outcome, this.#items);
    this.#pins.note(outcome);
    this.#observe?.(outcome);
  }

  finish(ignored: readonly IgnoredEntry[]): RunReport {
    this.report.warnings.push(...this.#pins.warnings(this.#items));
    this.report.ignored.push(...ignored);
    return this.report;
  }
}

/**
 * `postindex check`: parse, normalise, validate and classify every record under `dir`, with no
 * server. `onProgress` is called after each file; `observe` sees every outcome in the same pass
 * (the content lints), so nothing is read twice. One thread, full outcomes: the library's and the
 * tests' way; the CLI uses {@link checkFolderInParallel}.
 */
export async function checkFolder(
  dir: string,
  onProgress?: (progress: ScanProgress) => void,
  observe?: (outcome: ScanOutcome) => void,
): Promise<RunReport> {
  const book = new CheckBook(observe);
  const ignored = await scanWithProgress(dir, { onRecord: (outcome) => book.take(outcome), onProgress });
  return book.finish(ignored);
}

/** Options of {@link checkFolderInParallel}. */
export interface ParallelCheckOptions {
  /** After the folder is listed and after each file, in path order. */
  onProgress?: (progress: ScanProgress) => void;
  /** Every outcome, in path order, duplicates resolved (the slim kind: {@link CheckOutcome}). */
  observe?: (outcome: CheckOutcome) => void;
  /** Learns where the record of each rejection, duplicate and warning of the report sits in its array file. */
  items?: ReportItems;
  /**
   * Worker threads. Default: one (with the main thread, both cores) when the folder is large
   * enough to repay its start-up ({@link worthWorkers}), none for a small one. A number is used
   * whatever the folder's size, and so are workers already started with {@link startCheckWorker}
   * (tests: ones that have loaded their modules take files from the first one on).
   */
  workers?: number | readonly Worker[];
  /** What tells that reads come from the disk, and so start a read-ahead thread (default: see `ReadAhead`). */
  readAhead?: ReadAheadOptions;
}

/**
 * {@link checkFolder} on both cores: the same report, in the same order, from records read and
 * evaluated by a worker thread and the main thread at once (a worker sends back only what the
 * report, duplicate ids, pinned ids and lints read: {@link CheckOutcome}); duplicates, the report
 * and `observe` are done on the main thread in path order. The worker is started before the
 * folder is listed — by the CLI before it even loads `check` (`prestartCheckWorker`) — and a
 * small folder is checked on the main thread alone, with no worker started.
 */
export async function checkFolderInParallel(dir: string, options: ParallelCheckOptions = {}): Promise<RunReport> {
  const { onProgress, observe } = options;
  // The files are evaluated as the folder is listed.
  const { pool, walk } = await openCheckPool(dir, options.workers);
  const { files } = walk;
  try {
    const aliases = loadContentConfig(dir).config.aliases;
    const book = new CheckBook(observe, options.items);
    const progress: ScanProgress = { totalFiles: files.length, doneFiles: 0, records: 0 };
    onProgress?.(progress);
    const owners = new Map<string, string>();
    const onBatch = ({ outcomes, counts }: BatchResult): void => {
      let at = 0;
      for (const count of counts) {
        for (const end = at + count; at < end; at += 1) {
          book.take(resolveDuplicate(outcomes[at] as Exclude<CheckOutcome, { kind: "duplicate" }>, owners));
        }
        progress.records += count;
        progress.doneFiles += 1;
        progress.totalFiles = files.length;
        onProgress?.(progress);
      }
    };
    await pool.run(walk, { aliases, facts: observe !== undefined, onBatch, readAhead: options.readAhead });
    return book.finish(walk.listing().ignored);
  } finally {
    pool.close();
  }
}
