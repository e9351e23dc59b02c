import type { Worker } from "node:worker_threads";
import type { AliasTable } from "../check/content-config.js";
import type { RecordOutcome } from "./evaluate.js";
import { BatchEvaluation, type BatchResult, type BatchSetup, type FileBatch } from "./check-batch.js";
import { slimOutcome, type CheckOutcome } from "./check-outcome.js";
import type { CheckWorkerSetup, WorkerBatchResult } from "./check-worker.js";
import {
  isCheckWorkerReady,
  isReadyMessage,
  keepWorkersWorthIt,
  MIN_FILES_FOR_WORKERS,
  pickCheckWorkers,
  type WorkerReadyMessage,
} from "./check-workers-start.js";
import { OutcomeDecoder } from "./outcome-codec.js";
import { isLineDelimited } from "./parse-file.js";
import { RecordFileWalk } from "./find-files.js";
import { ReadAhead, type ReadAheadOptions } from "./read-ahead.js";
import { RecordFileReader } from "./record-file-reader.js";

/** Batches a worker holds at once: the one it evaluates and the next, so it never waits for the main thread. */
const BATCHES_IN_FLIGHT = 2;
/** Most files in one batch: few enough that the last batches balance, enough that a message carries real work. */
const MAX_BATCH_FILES = 48;
/** Batches per thread the remaining files are cut into (guided scheduling: batches shrink towards the end). */
const BATCHES_PER_THREAD = 4;

/** Files passed on between two samples of the block reads, at least (a batch may be a single export). */
const MIN_FILES_PER_SAMPLE = 16;
/** Files listed past the last batch handed out, while the folder is still being listed. */
const LISTED_AHEAD = 256;
/**
 * How long this thread evaluates before it lets its event loop turn (worker answers, the index
 * writer's requests): an export of 1,000 records takes 0.1–0.3 s, and is evaluated in slices.
 */
const SLICE_MS = 10;

/** What a {@link CheckPool} run needs besides the files. */
export interface PoolRun {
  aliases: AliasTable;
  /** Whether the content lints run (what they read of each record is then sent back too). */
  facts: boolean;
  /** Whether an indexing pass runs: each batch then comes with its documents and its files' stamps. */
  documents?: boolean;
  /**
   * Each batch's outcomes, in path order. A promise holds the pool until it settles: no batch is
   * passed on or evaluated on this thread meanwhile (the writer's backpressure), and its rejection
   * fails the run.
   */
  onBatch: (result: BatchResult) => void | Promise<void>;
  /** What tells that the reads come from the disk, and so start a read-ahead thread. */
  readAhead?: ReadAheadOptions | undefined;
  /**
   * For an indexing pass: whether this thread takes batches too while a worker is left, asked
   * before each (default: never; see {@link CheckPool.run}).
   */
  evaluateHere?: (() => boolean) | undefined;
}

interface PoolWorker {
  readonly worker: Worker;
  /** Whether its modules are loaded (it said so): until then it is sent nothing. */
  ready: boolean;
  /** Set once it failed: its batches in flight are evaluated again by the main thread. */
  failed: boolean;
  readonly inFlight: Map<number, FileBatch>;
  /** Its outcomes, decoded in the order it sent them, as its string table needs. */
  decoder: OutcomeDecoder;
}

/**
 * Worker threads that read and evaluate `check`'s record files, and the main thread's share of
 * the same work. The workers are started before the folder is listed (they load zod and the
 * normaliser on the other core meanwhile); {@link run} hands out consecutive batches of the
 * path-sorted files, the batches shrinking towards the end so the threads finish together, and
 * passes each batch's outcomes on in path order, whichever thread finished first. A worker that
 * fails is replaced by the main thread for its batches, so a check never loses records to a thread.
 */
export class CheckPool {
  readonly #dir: string;
  readonly #workers: PoolWorker[] = [];
  /** Batches of failed workers, waiting for the main thread. */
  readonly #retry: FileBatch[] = [];
  /**
   * Finished batches not yet passed on, by position. A worker's are decoded only when passed on
   * (in path order, which is also the order each worker sent them), so the outcomes of a batch
   * that waits for an earlier one are not kept as objects meanwhile.
   */
  readonly #results = new Map<number, () => BatchResult>();
  #filesByWorkers = 0;
  /** What runs when a worker reports back (the current {@link run}'s step). */
  #wake: () => void = () => {};

  /** Files the worker threads evaluated, over every run: how much of the work they took. */
  get filesByWorkers(): number {
    return this.#filesByWorkers;
  }

  /** `workers`: started with `startCheckWorker` for the same folder (none: the main thread alone). */
  constructor(dir: string, workers: readonly Worker[]) {
    this.#dir = dir;
    for (const worker of workers) this.#adopt(worker);
  }

  #adopt(worker: Worker): void {
    const entry: PoolWorker = {
      worker,
      // It may have said so before this pool existed (see `isCheckWorkerReady`).
      ready: isCheckWorkerReady(worker),
      failed: false,
      inFlight: new Map(),
      decoder: new OutcomeDecoder(false),
    };
    const fail = (): void => {
      if (entry.failed) return;
      entry.failed = true;
      this.#retry.push(...entry.inFlight.values());
      entry.inFlight.clear();
      this.#wake();
    };
    worker.on("message", (message: WorkerReadyMessage | WorkerBatchResult) => {
      if (isReadyMessage(message)) {
        entry.ready = true;
      } else if (!entry.failed) {
        this.#filesByWorkers += entry.inFlight.get(message.seq)?.files.length ?? 0;
        entry.inFlight.delete(message.seq);
        const { seq: _seq, encoded, ...evaluated } = message;
        this.#results.set(message.seq, () => ({ outcomes: entry.decoder.decode(encoded), ...evaluated }));
      }
      this.#wake();
    });
    worker.on("error", fail);
    worker.on("exit", fail);
    // One that failed before it was adopted has exited already.
    if (worker.threadId === -1) entry.failed = true;
    this.#workers.push(entry);
  }

  /**
   * Evaluates the files (path order: a list, or a {@link RecordFileWalk} still listing, which is
   * walked on as batches are handed out), passing each batch's outcomes to `onBatch` in path order. The
   * main thread takes a batch itself whenever the workers hold theirs (on 2 cores, the main thread
   * and one worker beat two workers: one start-up less, and the bookkeeping is light), and all of
   * them when no worker is left; in an indexing pass only then or while `evaluateHere` says so
   * (see {@link #evaluatesHere}). It evaluates in slices of {@link SLICE_MS}, letting its event
   * loop turn between them.
   */
  run(source: readonly string[] | RecordFileWalk, options: PoolRun): Promise<void> {
    const walk = source instanceof RecordFileWalk ? source : undefined;
    const files = walk?.files ?? (source as readonly string[]);
    const { aliases, facts, onBatch } = options;
    const documents = options.documents === true;
    const setup: CheckWorkerSetup = { aliases, facts, documents };
    for (const entry of this.#workers) {
      entry.decoder = new OutcomeDecoder(facts);
      entry.worker.ref();
      // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
      entry.worker.postMessage(setup);
    }
    const plan = new BatchPlan(files, this.#workers.length + 1, () => walk?.done ?? true);
    const readAhead = new ReadAhead(this.#dir, files, options.readAhead);
    const evaluating: BatchSetup = { dir: this.#dir, aliases, reader: new RecordFileReader(), documents };
    let delivered = 0;
    /** The batch this thread is evaluating, in slices. */
    let current: { seq: number; outcomes: CheckOutcome[]; evaluation: BatchEvaluation } | undefined;
    return new Promise<void>((resolve, reject) => {
      let pending: NodeJS.Immediate | undefined;
      /** Set while the caller works on a batch it was passed (`onBatch`'s promise). */
      let delivering = false;
      /** Set while the walk lists more folders, or lists the rest for the read-ahead thread. */
      let listing = false;
      /** Files read by any thread since the last sample of the block reads. */
      let filesRead = 0;
      /**
       * Samples the block reads once enough files were passed on (whichever thread read them; not
       * after each batch: several passed on in one go would make samples microseconds apart); the
       * thread reads ahead over the whole listing.
       */
      const sampleReads = (): void => {
        if (filesRead < MIN_FILES_PER_SAMPLE) return;
        const read = filesRead;
        filesRead = 0;
        if (!readAhead.wanted(read)) return;
        if (walk === undefined || walk.done) readAhead.start();
        else listMore(true);
      };
      /** Lists on (`whole`: to the end), then steps again; a listing that fails fails the run. */
      const listMore = (whole: boolean): void => {
        if (walk === undefined || walk.done || listing) return;
        listing = true;
        void (whole ? walk.complete() : walk.reach(plan.startOf(plan.count) + LISTED_AHEAD)).then(
          () => {
            listing = false;
            if (whole) readAhead.start();
            pending ??= setImmediate(step);
          },
          (error: unknown) => finish(error as Error),
        );
      };
      let finished = false;
      const finish = (error?: Error): void => {
        if (finished) return;
        finished = true;
        this.#wake = () => {};
        // A batch left half-evaluated (the run failed) holds its file open.
        evaluating.reader.close();
        readAhead.close();
        for (const entry of this.#workers) entry.worker.unref();
        if (error === undefined) resolve();
        else reject(error);
      };
      const step = (): void => {
        pending = undefined;
        if (finished) return;
        try {
          // Enough listed ahead that every thread has files to take (most of the listing runs here, in slices).
          if (walk !== undefined && walk.files.length < plan.startOf(plan.count) + LISTED_AHEAD) listMore(false);
          this.#feed(plan, 1);
          if (delivering) return;
          for (let result = this.#results.get(delivered); result !== undefined; result = this.#results.get(delivered)) {
            this.#results.delete(delivered);
            const batchResult = result();
            filesRead += batchResult.counts.length;
            const waiting = onBatch(batchResult);
            delivered += 1;
            if (waiting !== undefined) {
              sampleReads();
              delivering = true;
              waiting.then(
                () => {
                  delivering = false;
                  pending ??= setImmediate(step);
                },
                (error: unknown) => finish(error as Error),
              );
              return;
            }
          }
          sampleReads();
          if (plan.done && delivered === plan.count) {
            finish();
            return;
          }
          const batch =
            current === undefined
              ? (this.#retry.shift() ?? (this.#evaluatesHere(documents, options) ? plan.take() : undefined))
              : undefined;
          // The workers' next batches only once this thread has its own: as the plan runs out, the
          // last batch is evaluated here rather than queued behind a worker's (20 exports of 1,000
          // records: the main thread idled while the worker did the last two, ~70 ms).
          this.#feed(plan, BATCHES_IN_FLIGHT);
          // From the first file not yet passed on: the workers' batches in flight are read ahead too.
          readAhead.reached(plan.startOf(delivered));
          if (batch !== undefined) {
            const outcomes: CheckOutcome[] = [];
            const take = (outcome: RecordOutcome): void => void outcomes.push(slimOutcome(outcome, facts));
            const evaluation = new BatchEvaluation(evaluating, batch.files, take);
            current = { seq: batch.seq, outcomes, evaluation };
          }
          if (current === undefined) return;
          const sliceEnd = performance.now() + SLICE_MS;
          const evaluated = current.evaluation.run(() => performance.now() < sliceEnd);
          if (evaluated !== undefined) {
            const result = { outcomes: current.outcomes, ...evaluated };
            this.#results.set(current.seq, () => result);
            current = undefined;
          }
          // Let the workers' answers in before the next batch.
          pending ??= setImmediate(step);
        } catch (error) {
          finish(error as Error);
        }
      };
      this.#wake = () => {
        pending ??= setImmediate(step);
      };
      step();
    });
  }

  /**
   * Whether this thread takes batches of the plan too. For an indexing pass while a worker is left,
   * only while the caller's `evaluateHere` says so: this thread writes the index, and its CPU is
   * then taken from Meilisearch's indexing.
   */
  #evaluatesHere(documents: boolean, { evaluateHere }: PoolRun): boolean {
    return !documents || this.#workers.every((worker) => worker.failed) || evaluateHere?.() === true;
  }

  /** Gives each ready worker batches until it holds `inFlight` (at most {@link BATCHES_IN_FLIGHT}). */
  #feed(plan: BatchPlan, inFlight: number): void {
    for (const worker of this.#workers) {
      if (!worker.ready || worker.failed) continue;
      while (worker.inFlight.size < inFlight) {
        const batch = plan.take();
        if (batch === undefined) return;
        worker.inFlight.set(batch.seq, batch);
        // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
        worker.worker.postMessage(batch);
      }
    }
  }

  /** Stops the workers (without waiting for their threads to end: nothing of theirs is pending). */
  close(): void {
    this.#wake = () => {};
    for (const entry of this.#workers) {
      entry.failed = true;
      entry.worker.unref();
      void entry.worker.terminate();
    }
  }
}

/**
 * A pool for a pass over `dir` and the walk that lists its files: the workers chosen as
 * `pickCheckWorkers` chooses them (`requested`, or by default one for a folder large enough),
 * started before the folder is listed, and stopped again when the listing ends early, too small
 * for them after all. Close the pool when done.
 */
export async function openCheckPool(
  dir: string,
  requested?: number | readonly Worker[],
): Promise<{ pool: CheckPool; walk: RecordFileWalk }> {
  let workers = pickCheckWorkers(dir, requested);
  try {
    const walk = new RecordFileWalk(dir);
    if (!(await walk.reach(MIN_FILES_FOR_WORKERS))) workers = keepWorkersWorthIt(dir, walk.files, workers, requested);
    return { pool: new CheckPool(dir, workers), walk };
  } catch (error) {
    for (const worker of workers) void worker.terminate();
    throw error;
  }
}

/**
 * Cuts the path-sorted files into consecutive batches as they are asked for: about
 * 1/({@link BATCHES_PER_THREAD} × threads) of what is left each, at most {@link MAX_BATCH_FILES},
 * an NDJSON file (usually an export of many records) in a batch of its own. The files may still be
 * being listed (`listedAll`): what is left counts only those listed so far.
 */
class BatchPlan {
  readonly #files: readonly string[];
  readonly #threads: number;
  readonly #listedAll: () => boolean;
  #next = 0;
  /** Where each batch handed out starts in the files. */
  readonly #starts: number[] = [];
  /** Batches handed out so far. */
  count = 0;

  constructor(files: readonly string[], threads: number, listedAll: () => boolean) {
    this.#files = files;
    this.#threads = threads;
    this.#listedAll = listedAll;
  }

  get done(): boolean {
    return this.#next === this.#files.length && this.#listedAll();
  }

  /** The index in the files of batch `seq`'s first file (past the last batch handed out: of the next one). */
  startOf(seq: number): number {
    return this.#starts[seq] ?? this.#next;
  }

  take(): FileBatch | undefined {
    const left = this.#files.length - this.#next;
    if (left === 0) return undefined;
    this.#starts.push(this.#next);
    const size = Math.min(MAX_BATCH_FILES, Math.max(1, Math.ceil(left / (this.#threads * BATCHES_PER_THREAD))));
    const files: string[] = [];
    while (files.length < size && this.#next < this.#files.length) {
      const file = this.#files[this.#next] as string;
      if (files.length > 0 && isLineDelimited(file)) break;
      files.push(file);
      this.#next += 1;
      if (isLineDelimited(file)) break;
    }
    const batch = { seq: this.count, files };
    this.count += 1;
    return batch;
  }
}
