import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../module-worker.js";

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
  /**
   * A read that took longer than this waited for the disk. Opening, `fstat` and reading a cached
   * 3 KB file takes 5–10 µs here (p90), and 60–500 µs once the page cache has dropped it.
   * @default 0.04 ms
   */
  readonly slowReadMs?: number;
  /** @default 1024 files */
  readonly window?: number;
  /** Told each {@link ReadAheadReport} (tests). */
  readonly onReport?: (report: ReadAheadReport) => void;
}

/** Files larger than this are not timed (see `observe`); the thread reads as much of each file. */
const TIMED_FILE_BYTES = 1 << 16;
/** Slow reads in a row that start the read-ahead thread. */
const SLOW_READS_IN_A_ROW = 8;
/** Reads in flight: the disk answers many at once far sooner than one after another. */
const LANES = 32;
/** How far the scan moves before its position is posted again. */
const POSITION_STEP = 32;

/**
 * Reads ahead of a scan that reads its files synchronously, one at a time (see
 * `RecordFileReader` for why), once those reads turn out to wait for the disk: a folder nobody
 * has read for a while, which the page cache has dropped. Each read then waits its turn, and a
 * folder of one-article files took 4× as long to check as the same records in one export, whose
 * pages the kernel reads ahead by itself. A worker thread then reads the next files, 32 at a
 * time, so that the scan's own reads find them cached (20,000 files, page cache dropped: 4.6 →
 * ~2.4 s, see bench/NOTES.md). It stays within a window ahead of the scan's position until the
 * scan ends. It is never started while the scan's reads find their files cached: its thread-pool
 * round trips cost ~15 µs of CPU a file, taken from a `check` that has both cores busy. (Its own
 * reads cannot tell cached files from the others: 32 at a time, each waits in line for the pool
 * either way.) What it reads is thrown away: the scan's results cannot depend on it.
 */
export class ReadAhead {
  readonly #dir: string;
  readonly #files: readonly string[];
  readonly #options: ReadAheadOptions;
  #worker: Worker | undefined;
  #slowInARow = 0;
  #position = 0;
  #posted = 0;

  constructor(dir: string, files: readonly string[], options: ReadAheadOptions = {}) {
    this.#dir = dir;
    this.#files = files;
    this.#options = options;
  }

  /** Whether the read-ahead thread has been started. */
  get started(): boolean {
    return this.#worker !== undefined;
  }

  /**
   * Told how long the scan's last read of a whole file took (open, `fstat`, read) and its size.
   * Only small files tell: reading a 3 MB array export takes longer than 40 µs however cached it is.
   */
  observe(readMs: number, bytes: number): void {
    if (bytes > TIMED_FILE_BYTES) return;
    if (readMs < (this.#options.slowReadMs ?? 0.04)) {
      this.#slowInARow = 0;
      return;
    }
    this.#slowInARow += 1;
    if (this.#slowInARow === SLOW_READS_IN_A_ROW && this.#worker === undefined) this.#start();
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

  #start(): void {
    const workerData: ReadAheadData = {
      dir: this.#dir,
      files: this.#files,
      from: this.#position,
      window: this.#options.window ?? 1024,
      lanes: LANES,
      touchBytes: TIMED_FILE_BYTES,
    };
    const worker = startModuleWorker(import.meta.url, "read-ahead-worker", {
      workerData,
      // Its promises are short-lived garbage: a small young generation keeps its memory down
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
