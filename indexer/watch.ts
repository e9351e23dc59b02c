import path from "node:path";
import { watch, type FSWatcher } from "chokidar";
import PQueue from "p-queue";
import { findRecordFiles, isRecordFilePath, type RunReport } from "../src/index.js";
import { CONFIG_FILE } from "../src/check/content-config.js";
import { applyFileChanges, type IndexModel } from "./apply-changes.js";
import type { IndexerContext } from "./context.js";
import { fingerprintFile } from "./file-fingerprints.js";
import { readIndexState } from "./index-state.js";
import { backoffDelayMs, retryWhileUnavailable } from "./retry.js";
import { passOverFolder, type SyncChanges } from "./sync.js";
import { prepareIndex } from "./prepare-index.js";
import { generationPath, readGeneration, waitForWriteLock, writeLockPath } from "./write-lock.js";

/** chokidar emits at most one `change` per file in this window (and none at its end). */
const CHOKIDAR_CHANGE_THROTTLE_MS = 50;
/** When a new folder's files are listed again, after chokidar reported the folder (see `#recheckNewFolder`). */
const NEW_FOLDER_RECHECKS_MS = [250, 2_000] as const;

/** Options for {@link FolderWatcher}. */
export interface FolderWatcherOptions {
  /** Events arriving within this window are applied as one batch. @default 20 */
  readonly debounceMs?: number;
  /** Told after each applied batch (full reconcile or changed files). */
  readonly onApplied?: (applied: {
    kind: "reconcile" | "files";
    files: number;
    report: RunReport;
    changes: SyncChanges;
  }) => void;
}

/**
 * `postindex watch`: chokidar watching the folder, a full reconcile, then the events applied in
 * batches, one at a time (p-queue), each under the index's write lock. Events are only recorded
 * in the callback (a set of dirty files); the queue does the work and handles its errors. A failed
 * batch keeps its files dirty and asks for a full reconcile, as do a watcher error and a reindex
 * seen since the last batch, so edits made while anything was down are picked up.
 */
export class FolderWatcher {
  readonly #context: IndexerContext;
  readonly #dir: string;
  readonly #options: FolderWatcherOptions;
  readonly #queue = new PQueue({ concurrency: 1 });
  readonly #dirty = new Set<string>();
  readonly #stopping = new AbortController();
  #watcher: FSWatcher | undefined;
  #model: IndexModel | undefined;
  #generation = 0;
  #needsReconcile = true;
  #isScheduled = false;
  #failures = 0;

  constructor(context: IndexerContext, dir: string, options: FolderWatcherOptions = {}) {
    this.#context = { ...context, retry: { ...context.retry, signal: this.#stopping.signal } };
    this.#dir = path.resolve(dir);
    this.#options = options;
  }

  /**
   * Follows changes, then reconciles the index with the folder. Resolves once watching and
   * reconciled. Watching comes first: a file changed while the reconcile reads the folder (which
   * takes a while on a large one) is then marked dirty and applied after it, never lost.
   */
  async start(): Promise<void> {
    await prepareIndex(this.#context, this.#context.indexUid);
    const watcher = watch(this.#dir, {
      ignoreInitial: true,
      ignored: (file) => file !== this.#dir && path.basename(file).startsWith("."),
      // As the folder scan: a link is not followed, so a link loop or a link out of the folder is never read.
      followSymlinks: false,
    });
    watcher.on("add", (file) => this.#markDirty(file));
    watcher.on("change", (file) => this.#markDirty(file));
    watcher.on("unlink", (file) => this.#markDirty(file));
    watcher.on("addDir", (folder) => this.#recheckNewFolder(folder));
    watcher.on("error", (error) => {
      this.#context.log.warn({ err: error }, "watcher error: a full reconcile follows");
      this.#needsReconcile = true;
      this.#schedule();
    });
    this.#watcher = watcher;
    await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
    await this.#queue.add(() => this.#runBatch());
  }

  /** Resolves when no batch is running or waiting. */
  async onIdle(): Promise<void> {
    await this.#queue.onIdle();
  }

  /** Stops following changes and finishes the batch in flight (retries while the server is down end). */
  async stop(): Promise<void> {
    await this.#watcher?.close();
    this.#queue.clear();
    this.#stopping.abort();
    await this.#queue.onIdle();
  }

  /**
   * chokidar drops a file's `change` events that follow another within 50 ms, with no trailing
   * event: a write that lands while a file is read (truncate, then a slow write) would be lost.
   * Once that window has passed, a file that changed since it was read is marked dirty again,
   * after a batch of changed files and after a full reconcile alike (the pass reads them too).
   */
  #recheckLater(files: readonly string[], readAs: readonly (string | undefined)[]): void {
    if (files.length === 0) return;
    const timer = setTimeout(() => {
      this.#queue
        .add(async () => {
          const now = await Promise.all(files.map((file) => fingerprintFile(this.#dir, file)));
          files.forEach((file, index) => {
            if (now[index] !== readAs[index]) this.#markDirty(path.join(this.#dir, file));
          });
        })
        .catch((error: unknown) => this.#context.log.warn({ err: error }, "could not re-check changed files"));
    }, CHOKIDAR_CHANGE_THROTTLE_MS + 30);
    timer.unref();
  }

  /**
   * chokidar reads a new folder and only then watches it (chokidar#1471, open in v5): a file
   * created in between gets no `add`, ever — a post written into a fresh folder would stay out of
   * the index. So a new folder's record files are listed again 250 ms and 2 s later (best effort:
   * by then its watch is in place on any machine seen so far, not by any guarantee), and those
   * the index has nothing from yet are marked dirty.
   */
  #recheckNewFolder(absolute: string): void {
    if (absolute === this.#dir) return;
    for (const delayMs of NEW_FOLDER_RECHECKS_MS) {
      const timer = setTimeout(() => {
        if (this.#stopping.signal.aborted) return;
        findRecordFiles(absolute).then(
          ({ files }) => {
            for (const file of files) {
              const found = path.join(absolute, file);
              if ((this.#model?.registry.claimsOf(this.#relative(found)).size ?? 0) === 0) this.#markDirty(found);
            }
          },
          // Gone again (or unreadable): its `unlinkDir` and files' `unlink` events say what to do.
          () => undefined,
        );
      }, delayMs);
      timer.unref();
    }
  }

  /** A path under the folder as the index names files: relative, `/`-separated. */
  #relative(absolute: string): string {
    return path.relative(this.#dir, absolute).split(path.sep).join("/");
  }

  #markDirty(absolute: string): void {
    const relative = this.#relative(absolute);
    if (relative === CONFIG_FILE) {
      // Aliases may rename values in any post: a full reconcile re-reads the folder and pushes what changed.
      this.#needsReconcile = true;
      this.#schedule();
      return;
    }
    if (!isRecordFilePath(relative)) return;
    this.#dirty.add(relative);
    this.#schedule();
  }

  #schedule(delayMs = this.#options.debounceMs ?? 20): void {
    if (this.#isScheduled || this.#stopping.signal.aborted) return;
    this.#isScheduled = true;
    setTimeout(() => {
      this.#isScheduled = false;
      void this.#queue.add(() => this.#runBatch());
    }, delayMs);
  }

  async #runBatch(): Promise<void> {
    const files = [...this.#dirty];
    this.#dirty.clear();
    if (files.length === 0 && !this.#needsReconcile) return;
    const context = this.#context;
    try {
      const lock = await waitForWriteLock(
        writeLockPath(context.dataDir, context.indexUid),
        "watch",
        this.#stopping.signal,
      );
      try {
        await this.#apply(files);
      } finally {
        await lock.release();
      }
      this.#failures = 0;
    } catch (error) {
      for (const file of files) this.#dirty.add(file);
      if (this.#stopping.signal.aborted) return;
      this.#failures += 1;
      this.#needsReconcile = true;
      const delayMs = backoffDelayMs(this.#failures, context.retry);
      context.log.error(
        { err: error, files: files.length, retryInMs: delayMs },
        "could not apply changes; will reconcile",
      );
      this.#schedule(delayMs);
    }
  }

  /** Applies `files` (or, when needed, reconciles the whole folder), then re-checks `files` later either way. */
  async #apply(files: string[]): Promise<void> {
    const before = await Promise.all(files.map((file) => fingerprintFile(this.#dir, file)));
    await this.#applyOrReconcile(files);
    this.#recheckLater(files, before);
  }

  async #applyOrReconcile(files: string[]): Promise<void> {
    const context = this.#context;
    const generation = await readGeneration(generationPath(context.dataDir, context.indexUid));
    if (generation !== this.#generation) this.#needsReconcile = true;
    if (this.#needsReconcile || this.#model === undefined) {
      const state = await retryWhileUnavailable(() => readIndexState(context.client, context.indexUid), context.retry);
      const result = await passOverFolder(context, this.#dir, context.indexUid, state);
      this.#model = result;
      this.#generation = generation;
      this.#needsReconcile = false;
      this.#options.onApplied?.({ kind: "reconcile", files: 0, report: result.report, changes: result.changes });
      return;
    }
    const applied = await applyFileChanges(context, this.#dir, files, this.#model);
    this.#options.onApplied?.({ kind: "files", files: files.length, ...applied });
  }
}
