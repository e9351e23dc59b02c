import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../module-worker.js";
import { DiskReadWatch, type DiskReadCounter } from "./disk-reads.js";

/** What the read-ahead thread is started with. */
export interface ReadAheadData {
  dir: string;
  /** The scan's files, relative to `dir`, in the order it reads them. */
  files: readonly string[];
  /** The scan's position when the thread starts: it reads from there. */
  from: number;
  /** Files it reads past the scan's position at most. */
  window: number;
  /** Reads it has in flight at once. */
  lanes: number;
  /** Bytes it reads of each file: a one-article file whole; the kernel reads a large export ahead by itself. */
  touchBytes: number;
}

/** What the scan tells the read-ahead thread. */
export interface ReadAheadMessage {
  /** The scan's position: the index of the next file it reads. */
  reached: number;
}

/** What the read-ahead thread tells the scan whenever it has nothing left to read for now. */
export interface ReadAheadReport {
  /** Files it has read so far. */
  touched: number;
  /** The index of the next file it would read. */
  next: number;
}

export interface ReadAheadOptions {
  /** What tells that the scan reads from the disk. @default the process's block reads (`processDiskReads`) */
  readonly diskReads?: DiskReadCounter;
  /** @default 1024 files */
  readonly window?: number;
  /** Told each {@link ReadAheadReport} (tests). */
  readonly onReport?: (report: ReadAheadReport) => void;
}

/** What the thread reads of each file: a one-article file whole; the kernel reads a large export ahead by itself. */
const TOUCH_BYTES = 1 << 16;
/** Block reads per file read that tell files read from the disk (a cold one-article file here: ~8, a page). */
const FILE_BLOCKS = 2;
/** Reads in flight: the disk answers many at once far sooner than one after another. */
const LANES = 32;
/** How far the scan moves before its position is posted again. */
const POSITION_STEP = 32;

/**
 * Reads ahead of a scan that reads its files synchronously, one at a time (see
 * `RecordFileReader` for why), once those reads turn out to come from the disk: a folder nobody
 * has read for a while, which the page cache has dropped. Each read then waits its turn, and a
 * folder of one-article files took 4× as long to check as the same records in one export, whose
 * pages the kernel reads ahead by itself. A worker thread then reads the next files, 32 at a
 * time, so that the scan's own reads find them cached (20,000 files, page cache dropped: 4.6 →
 * ~2.1 s, see bench/NOTES.md). It stays within a window ahead of the scan's position until the
 * scan ends.
 *
 * The scan asks whether it is {@link wanted} as it goes; the thread starts once the process's
 * count of block reads grew by {@link FILE_BLOCKS} a file at two samples in a row
 * ({@link DiskReadWatch}). Timing the reads was tried first, but a
 * busy machine makes cached reads slow too: with Meilisearch indexing on the other core, reindexes
 * started the thread at the 527th–3,307th file. It is never started while the reads are served
 * from the page cache: its thread-pool round trips cost ~15 µs of CPU a file. Nor does it stop by
 * itself: its own reads count in the same total, and 32 at a time each waits in line for the pool,
 * cached or not. What it reads is thrown away: the scan's results cannot depend on it.
 */
export class ReadAhead {
  readonly #dir: string;
  readonly #files: readonly string[];
  readonly #options: ReadAheadOptions;
  readonly #watch: DiskReadWatch;
  #worker: Worker | undefined;
  #position = 0;
  #posted = 0;

  constructor(dir: string, files: readonly string[], options: ReadAheadOptions = {}) {
    this.#dir = dir;
    this.#files = files;
    this.#options = options;
    this.#watch = new DiskReadWatch(FILE_BLOCKS, options.diskReads);
  }

  /** Whether the read-ahead thread has been started. */
  get started(): boolean {
    return this.#worker !== undefined;
  }

  /**
   * Told that the scan read `files` more files (16 or so): whether the thread is not started and
   * the reads now come from the disk. The caller then lists the rest of the folder, if it is still
   * being listed, and calls {@link start}.
   */
  wanted(files: number): boolean {
    return this.#worker === undefined && this.#watch.sample(files);
  }

  /** The scan's position: the index in `files` of the next file it reads. */
  reached(index: number): void {
    this.#position = index;
    if (this.#worker === undefined || index - this.#posted < POSITION_STEP) return;
    const message: ReadAheadMessage = { reached: index };
    // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
    this.#worker.postMessage(message);
    this.#posted = index;
  }

  /** Stops the read-ahead thread, if it runs. */
  close(): void {
    void this.#worker?.terminate();
    this.#worker = undefined;
  }

  /** Starts the thread at the scan's position, over the files the scan was given (as they are now). */
  start(): void {
    if (this.#worker !== undefined) return;
    const workerData: ReadAheadData = {
      dir: this.#dir,
      files: this.#files,
      from: this.#position,
      window: this.#options.window ?? 1024,
      lanes: LANES,
      touchBytes: TOUCH_BYTES,
    };
    const worker = startModuleWorker(import.meta.url, "read-ahead-worker", {
      workerData,
      // What it allocates is short-lived: a small young generation keeps its memory down
      // (100,000 files from the disk: peak RSS ~25 MB lower, in about the same time).
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    // A read-ahead that fails costs the scan nothing but the speed it would have given.
    worker.on("error", () => {});
    const { onReport } = this.#options;
    if (onReport !== undefined) worker.on("message", (report: ReadAheadReport) => onReport(report));
    worker.unref();
    this.#worker = worker;
    this.#posted = this.#position;
  }
}
