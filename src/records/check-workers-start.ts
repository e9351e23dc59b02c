// Light on purpose (Node built-ins only): the CLI imports it before `check`'s own modules, so the
// worker thread loads zod and the normaliser on the other core while the main thread loads them too.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../module-worker.js";

/** A folder with at least this many record files repays a worker's start-up (~0.25 s of CPU). */
export const MIN_FILES_FOR_WORKERS = 200;
/** Or with at least this many bytes of records (~1,000 records of 3 KB, ~0.1 s on one thread). */
const MIN_BYTES_FOR_WORKERS = 3 * 2 ** 20;
/** Folders {@link worthWorkers} reads before it takes a folder tree for a large one. */
const PROBED_FOLDERS = 32;
const RECORD_FILE = /\.(json|ndjson|jsonl)$/i;

/** What a `check` worker is started with. */
export interface CheckWorkerData {
  dir: string;
}

/**
 * Starts a `check` worker thread for `dir` (`check-worker`, see {@link startModuleWorker}).
 * Unreferenced: it keeps no process alive until a pool runs it.
 */
export function startCheckWorker(dir: string): Worker {
  const workerData: CheckWorkerData = { dir };
  const worker = startModuleWorker(import.meta.url, "check-worker", { workerData });
  // A worker that fails before a pool adopts it is simply not used (the pool sees it has exited).
  worker.on("error", () => {});
  const onReady = (message: unknown): void => {
    if (!isReadyMessage(message)) return;
    readyWorkers.add(worker);
    worker.off("message", onReady);
  };
  worker.on("message", onReady);
  worker.unref();
  return worker;
}

/**
 * Workers that said their modules are loaded. Recorded here, from the start, not by the pool: a
 * `Worker` emits a message to whoever listens at that moment, and the listing of a large folder
 * tree lets the event loop turn before the pool exists, so a pool that listened only from then on
 * missed the message and never gave the worker a file (a `check` of 20,000 one-article files ran
 * on the main thread alone).
 */
const readyWorkers = new WeakSet<Worker>();

/** What a `check` worker posts once its modules are loaded. */
export interface WorkerReadyMessage {
  ready: true;
}

/** Whether a worker's message is its {@link WorkerReadyMessage}. */
export function isReadyMessage(message: unknown): message is WorkerReadyMessage {
  return typeof message === "object" && message !== null && "ready" in message;
}

/** Whether a worker {@link startCheckWorker} started has loaded its modules (said it is ready). */
export function isCheckWorkerReady(worker: Worker): boolean {
  return readyWorkers.has(worker);
}

let prestarted: { dir: string; worker: Worker } | undefined;

/**
 * Starts `check`'s worker thread for `dir` before anything else is loaded, when the folder looks
 * large enough to repay it ({@link worthWorkers}); {@link takePrestartedWorker} hands it over.
 */
export function prestartCheckWorker(dir: string): void {
  if (prestarted === undefined && worthWorkers(dir))
    prestarted = { dir: path.resolve(dir), worker: startCheckWorker(dir) };
}

/** The worker {@link prestartCheckWorker} started for `dir`, once. */
function takePrestartedWorker(dir: string): Worker | undefined {
  if (prestarted === undefined || prestarted.dir !== path.resolve(dir)) return undefined;
  const { worker } = prestarted;
  prestarted = undefined;
  return worker;
}

/**
 * Whether `dir` holds enough records to repay a worker thread's start-up, judged before the
 * listing from a look at its first {@link PROBED_FOLDERS} folders: at least
 * {@link MIN_FILES_FOR_WORKERS} record files, more folders than that, or
 * {@link MIN_BYTES_FOR_WORKERS} of record files. `files`: the listing, when it is known.
 */
function worthWorkers(dir: string, files?: readonly string[]): boolean {
  const found = files === undefined ? probe(dir) : [...files];
  if (found === undefined || found.length >= MIN_FILES_FOR_WORKERS) return true;
  let bytes = 0;
  for (const file of found) {
    try {
      bytes += statSync(`${dir}/${file}`).size;
    } catch {
      // A file that cannot be read is reported by the scan.
    }
    if (bytes >= MIN_BYTES_FOR_WORKERS) return true;
  }
  return false;
}

/**
 * The record files of a small folder tree (at most {@link MIN_FILES_FOR_WORKERS} files in at most
 * {@link PROBED_FOLDERS} folders); undefined when there is more than that, or (empty list) when
 * the folder cannot be read: the listing will say why.
 */
function probe(dir: string): string[] | undefined {
  const files: string[] = [];
  const folders = [""];
  for (let read = 0; folders.length > 0; read += 1) {
    if (read === PROBED_FOLDERS) return undefined;
    const folder = folders.shift() as string;
    let entries;
    try {
      entries = readdirSync(folder === "" ? dir : `${dir}/${folder}`, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const relative = folder === "" ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) folders.push(relative);
      else if (RECORD_FILE.test(entry.name)) files.push(relative);
    }
    if (files.length >= MIN_FILES_FOR_WORKERS) return undefined;
  }
  return files;
}

/**
 * The worker threads a pass over `dir` runs with. `requested`: a number of them, used whatever
 * the folder's size (the one {@link prestartCheckWorker} started counts), or workers already
 * started with {@link startCheckWorker} (tests); by default one when the folder looks large enough
 * to repay its start-up ({@link worthWorkers}), the prestarted one if there is one.
 */
export function pickCheckWorkers(dir: string, requested?: number | readonly Worker[]): Worker[] {
  const started = takePrestartedWorker(dir);
  if (Array.isArray(requested)) {
    if (started !== undefined) void started.terminate();
    return [...requested];
  }
  if (typeof requested === "number") {
    const workers = started === undefined ? [] : [started];
    while (workers.length < requested) workers.push(startCheckWorker(dir));
    return workers;
  }
  if (started !== undefined) return [started];
  return worthWorkers(dir) ? [startCheckWorker(dir)] : [];
}

/**
 * `workers` once the folder is listed (`files`, all of them): the default choice of
 * {@link pickCheckWorkers} is undone (the workers stopped) when the listing shows the folder too
 * small after all. A listing that goes on past {@link MIN_FILES_FOR_WORKERS} files needs no call.
 */
export function keepWorkersWorthIt(
  dir: string,
  files: readonly string[],
  workers: Worker[],
  requested?: number | readonly Worker[],
): Worker[] {
  if (requested !== undefined || workers.length === 0 || worthWorkers(dir, files)) return workers;
  for (const worker of workers) void worker.terminate();
  return [];
}
