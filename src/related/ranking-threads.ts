import { availableParallelism } from "node:os";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../module-worker.js";
import {
  ExportRanker,
  planExport,
  type ExportChunk,
  type ExportOptions,
  type RelatedExportFormat,
} from "./export-ranking.js";
import type { RelatedDocument, RelatedIndex } from "./related-index.js";
import type { FromRankingWorker, ToRankingWorker } from "./ranking-worker.js";

/**
 * An export's ranking on every core: the main thread and worker threads (`ranking-worker.ts`)
 * each rank runs of the export's posts, and the runs come back in export order for the main
 * thread to write. Ranking is most of an export's time, and each post's list depends on the index
 * alone, so the threads need nothing from each other but the posts.
 *
 * Each worker keeps its own copy of the related-posts index (a few tens of MB at 100,000 posts),
 * built from the posts the main thread hands on as it reads them: the worker parses them on a core
 * the reading leaves idle, and builds its index while the main thread builds its own. Posts
 * asking the same question share one ranking in each thread (see `ExportPlan`), so the runs can
 * go to any thread and the bytes are those one thread would write.
 */

/** Posts handed on to the workers per message. */
const BATCH = 2_000;
/** Posts in a run: what a thread ranks at a time (~0.1 s at 100,000 posts). */
const RUN = 500;
/** Runs each worker has been given ahead, so that it never idles while the main thread ranks one of its own. */
const QUEUED_PER_WORKER = 3;
/** Runs ranked ahead of the next one to write, at most: past it the main thread waits instead of ranking more. */
const MAX_AHEAD = 16;
/** Worker threads by default: one per core besides the main thread's, at most this many. */
const MAX_DEFAULT_WORKERS = 3;
/** Below this many posts, the main thread ranks alone: starting a worker would cost more than it saves. */
const DEFAULT_MIN_POSTS = 5_000;

/** Options for {@link RankingThreads}. */
export interface RankingThreadsOptions {
  /** Worker threads besides the main thread (0: the main thread alone). @default one per other core, at most 3 */
  readonly workers?: number;
  /** Posts from which workers are started. @default 5,000 */
  readonly minPosts?: number;
  /** Whether this thread ranks runs too, besides writing them (false: the workers rank every run). @default true */
  readonly mainThreadRanks?: boolean;
}

interface RankingWorker {
  readonly worker: Worker;
  /** Whether its index is built: until then the main thread ranks the runs it would have been given. */
  ready: boolean;
  /** Runs given and not answered yet. */
  queued: number;
}

/** Whether JSON carries the value as it is (a number that is not NaN, ±Infinity or −0, or no number). */
function jsonKeeps(value: unknown): boolean {
  return typeof value !== "number" || (Number.isFinite(value) && !Object.is(value, -0));
}

/** Whether JSON carries the post's numbers as they are. */
function jsonKeepsNumbers(document: RelatedDocument): boolean {
  return jsonKeeps(document.last_reviewed_at) && jsonKeeps(document.indexed_at);
}

/**
 * The threads of one export: hand it every post of the index ({@link add}) as they come, then
 * run the export ({@link export}); {@link close} ends the workers (the export does when done).
 */
export class RankingThreads {
  readonly #wanted: number;
  readonly #minPosts: number;
  readonly #mainThreadRanks: boolean;
  readonly #workers: RankingWorker[] = [];
  #batch: RelatedDocument[] = [];
  #posts = 0;
  /** No workers for this export (none wanted, or a post JSON cannot carry). */
  #alone: boolean;
  #failure: unknown;
  #onChange: (() => void) | undefined;

  constructor(options: RankingThreadsOptions = {}) {
    this.#wanted = Math.max(
      0,
      Math.floor(options.workers ?? Math.min(MAX_DEFAULT_WORKERS, availableParallelism() - 1)),
    );
    this.#minPosts = options.minPosts ?? DEFAULT_MIN_POSTS;
    this.#mainThreadRanks = options.mainThreadRanks ?? true;
    this.#alone = this.#wanted === 0;
  }

  /**
   * A post the export's index holds (in the order the index is built from): handed on to the
   * workers. Posts go as JSON, so a post whose numbers JSON would change (never one read from a
   * folder or from Meilisearch) leaves the export to this thread alone.
   */
  add(document: RelatedDocument): void {
    if (this.#alone) return;
    if (!jsonKeepsNumbers(document)) {
      this.#alone = true;
      this.#batch = [];
      void this.close();
      return;
    }
    this.#batch.push(document);
    this.#posts += 1;
    if (this.#workers.length === 0) {
      if (this.#posts < this.#minPosts) return;
      this.#start();
    }
    if (this.#batch.length >= BATCH) this.#send();
  }

  /**
   * Every run of the export of `index` (which must hold exactly the posts given to {@link add}),
   * in order: ranked by the main thread alone when no worker was started, else by all threads.
   */
  async *export(
    index: RelatedIndex,
    options: ExportOptions,
    format: RelatedExportFormat,
    withLists = false,
  ): AsyncGenerator<ExportChunk> {
    // The workers plan the export while this thread does.
    this.#send();
    this.#post({ kind: "start", options, format, withLists });
    const plan = planExport(index);
    const ranker = new ExportRanker(index, plan, options);
    const posts = plan.ids.length;
    const runs = Math.ceil(posts / RUN);
    const rank = (run: number) => ranker.rank(run * RUN, Math.min(posts, (run + 1) * RUN), format, withLists);
    if (this.#workers.length === 0) {
      for (let run = 0; run < runs; run += 1) yield rank(run);
      return;
    }
    try {
      const done = new Map<number, ExportChunk>();
      let next = 0;
      const handOut = () => {
        for (const worker of this.#workers) {
          if (!worker.ready) continue;
          for (; worker.queued < QUEUED_PER_WORKER && next < runs; next += 1) {
            worker.queued += 1;
            const message: ToRankingWorker = {
              kind: "rank",
              start: next * RUN,
              end: Math.min(posts, (next + 1) * RUN),
            };
            // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
            worker.worker.postMessage(message);
          }
        }
      };
      for (const worker of this.#workers) {
        worker.worker.on("message", (message: FromRankingWorker) => {
          if (message.kind === "ready") {
            // The same posts give the same index: a worker holding others would rank other lists.
            if (message.posts === posts) worker.ready = true;
            else this.#fail(new Error(`a ranking worker holds ${message.posts} posts, this thread ${posts}`));
          } else {
            worker.queued -= 1;
            done.set(message.chunk.start / RUN, message.chunk);
          }
          handOut();
          this.#onChange?.();
        });
      }
      handOut();
      for (let written = 0; written < runs;) {
        if (this.#failure !== undefined) throw this.#failure;
        const chunk = done.get(written);
        if (chunk !== undefined) {
          done.delete(written);
          written += 1;
          yield chunk;
        } else if (this.#mainThreadRanks && next < runs && done.size < MAX_AHEAD) {
          const run = next;
          next += 1;
          done.set(run, rank(run));
          // Lets the workers' answers in, and hands them more.
          await nextTurn();
        } else {
          await new Promise<void>((resolve) => (this.#onChange = resolve));
          this.#onChange = undefined;
        }
      }
    } finally {
      await this.close();
    }
  }

  /** Ends the workers. */
  async close(): Promise<void> {
    const workers = this.#workers.splice(0);
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }

  #start(): void {
    for (let started = 0; started < this.#wanted; started += 1) {
      const worker = startModuleWorker(import.meta.url, "ranking-worker");
      worker.on("error", (error) => this.#fail(error));
      worker.on("exit", (code) => {
        if (this.#workers.some((entry) => entry.worker === worker))
          this.#fail(new Error(`a ranking worker stopped (exit code ${code})`));
      });
      this.#workers.push({ worker, ready: false, queued: 0 });
    }
  }

  #fail(error: unknown): void {
    this.#failure ??= error;
    this.#onChange?.();
  }

  /** Hands the posts gathered so far on to every worker. */
  #send(): void {
    if (this.#batch.length === 0 || this.#workers.length === 0) return;
    this.#post({ kind: "documents", json: JSON.stringify(this.#batch) });
    this.#batch = [];
  }

  #post(message: ToRankingWorker): void {
    // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
    for (const { worker } of this.#workers) worker.postMessage(message);
  }
}
