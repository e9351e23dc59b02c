import { readdir, readdirSync, type Dirent } from "node:fs";
import { DiskReadWatch, type DiskReadCounter } from "./disk-reads.js";
import { EventLoopSlices } from "./event-loop-slices.js";
import { CONFIG_FILE } from "../check/content-config.js";

/** File name endings that hold article records. */
const RECORD_FILE_PATTERN = /\.(json|ndjson|jsonl)$/i;

/** A file or folder under the content folder that is not read, and why. */
export interface IgnoredEntry {
  file: string;
  reason: string;
}

export interface RecordFileListing {
  /** Record files relative to the content folder, `/`-separated, in the order duplicates are resolved. */
  files: string[];
  ignored: IgnoredEntry[];
}

/**
 * Whether a path relative to the content folder names a record file the folder scan reads: not
 * hidden, the right ending, and in no folder whose name looks like a record file (the scan skips
 * those, so a watcher must too).
 */
export function isRecordFilePath(relativePath: string): boolean {
  const parts = relativePath.split(/[\\/]/);
  const folders = parts.slice(0, -1);
  return (
    relativePath !== CONFIG_FILE &&
    parts.every((part) => !part.startsWith(".")) &&
    folders.every((folder) => !RECORD_FILE_PATTERN.test(folder)) &&
    RECORD_FILE_PATTERN.test(relativePath)
  );
}

/** Plain code-unit order of the `/`-separated relative path: "the file whose path sorts first wins". */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `mtime:size` of a file: what tells a catch-up pass that a file changed since it was read. The
 * folder scan takes it from the file it opens (no separate stat), a later check from `stat`.
 */
export function fileStamp(info: { mtimeMs: number; size: number }): string {
  return `${info.mtimeMs}:${info.size}`;
}

export interface ListingOptions {
  /**
   * What tells that the folder reads come from the disk: then the rest of the tree is read
   * concurrently. @default the process's block reads (`processDiskReads`)
   */
  readonly diskReads?: DiskReadCounter;
}

/**
 * Lists the record files under `dir`, recursively: `*.json`, `*.ndjson`, `*.jsonl`.
 * Hidden files and folders, other files, and folders whose name looks like a record file are
 * skipped and reported. Symbolic links are not followed (a link loop cannot hang the scan).
 * The whole tree, sorted ({@link RecordFileWalk} walked to its end).
 */
export async function findRecordFiles(dir: string, options: ListingOptions = {}): Promise<RecordFileListing> {
  const walk = new RecordFileWalk(dir, options);
  await walk.complete();
  return walk.listing();
}

/** An entry still to be walked: a record file, or a folder to read. */
interface PendingEntry {
  /** Relative to the content folder, `/`-separated. */
  path: string;
  folder: boolean;
  /** What orders it among its folder's entries as whole paths sort: a folder's path with a `/` after it. */
  key: string;
}

/**
 * The record files under a content folder (see {@link findRecordFiles}), listed as they are asked
 * for, in path order: a scan can read the first files before the last folders are listed (a tree
 * of 5,000 folders takes ~0.1–0.35 s to list, and a reindex's first documents waited for all of it).
 *
 * Depth first, each folder's entries in the order of their names with a `/` after a folder's:
 * that is the order of the whole paths ({@link comparePaths}), since a path under folder `d` differs
 * from its sibling `e`'s first where `d/` differs from `e`. Folders are read synchronously (an
 * awaited `readdir` per folder made listing ~3× slower on a tree of 5,000 small folders), in
 * slices that let the event loop turn; but once their reads turn out to come from the disk (a tree
 * the page cache has dropped: {@link DiskReadWatch}, a sample every {@link FOLDERS_PER_SAMPLE}
 * folders), everything left is read {@link LISTING_LANES} folders at a time and sorted (5,000
 * folders: ~0.65 s one after another, ~0.24 s so; see bench/NOTES.md).
 */
export class RecordFileWalk {
  /** The record files listed so far, in path order; it grows as the walk goes on. */
  readonly files: string[] = [];
  readonly #dir: string;
  readonly #ignored: IgnoredEntry[] = [];
  /** What is left to walk, the next entry in path order last. */
  readonly #pending: PendingEntry[] = [{ path: "", folder: true, key: "" }];
  readonly #diskReads: DiskReadWatch;
  readonly #slices = new EventLoopSlices();
  #foldersRead = 0;
  /** Everything left being read concurrently: set until it is appended. */
  #rest: Promise<void> | undefined;

  constructor(dir: string, options: ListingOptions = {}) {
    this.#dir = dir;
    this.#diskReads = new DiskReadWatch(FOLDER_BLOCKS, options.diskReads);
  }

  /** Whether every folder has been read: {@link files} is the whole listing. */
  get done(): boolean {
    return this.#pending.length === 0 && this.#rest === undefined;
  }

  /**
   * Walks on until `files[index]` is listed or the walk is done: whether it exists. Calls may
   * overlap (each takes the next entries in turn).
   */
  async reach(index: number): Promise<boolean> {
    const pending = this.#pending;
    while (this.files.length <= index) {
      if (this.#rest !== undefined) {
        await this.#rest;
        continue;
      }
      const next = pending.pop();
      if (next === undefined) break;
      if (!next.folder) {
        this.files.push(next.path);
        continue;
      }
      this.#readFolder(next.path);
      this.#foldersRead += 1;
      if (this.#foldersRead % FOLDERS_PER_SAMPLE === 0 && this.#diskReads.sample(FOLDERS_PER_SAMPLE)) {
        this.#rest = this.#listRestConcurrently().finally(() => {
          this.#rest = undefined;
        });
      } else if (this.#slices.due()) {
        await this.#slices.pause();
      }
    }
    return index < this.files.length;
  }

  /** Walks to the end. */
  async complete(): Promise<void> {
    await this.reach(Number.POSITIVE_INFINITY);
  }

  /** The whole listing, once {@link done}: the files, and what was skipped in path order. */
  listing(): RecordFileListing {
    if (!this.done) throw new Error("the folder walk has not ended");
    return { files: this.files, ignored: this.#ignored.toSorted((a, b) => comparePaths(a.file, b.file)) };
  }

  /** Reads one folder: its record files and subfolders go to the pending entries in path order. */
  #readFolder(folder: string): void {
    const listing = { files: [] as string[], ignored: this.#ignored };
    const folders: string[] = [];
    sortEntries(folder, readdirSync(folderPath(this.#dir, folder), { withFileTypes: true }), listing, folders);
    const children: PendingEntry[] = [];
    for (const path of listing.files) children.push({ path, folder: false, key: path });
    for (const path of folders) children.push({ path, folder: true, key: `${path}/` });
    // Last first: a folder sorts as its name followed by `/`.
    if (children.length > 1) children.sort((a, b) => comparePaths(b.key, a.key));
    for (const child of children) this.#pending.push(child);
  }

  /** Everything left, its folders read {@link LISTING_LANES} at a time, appended in path order. */
  async #listRestConcurrently(): Promise<void> {
    const rest: RecordFileListing = { files: [], ignored: this.#ignored };
    const folders: string[] = [];
    for (const entry of this.#pending) (entry.folder ? folders : rest.files).push(entry.path);
    this.#pending.length = 0;
    await listConcurrently(this.#dir, rest, folders);
    // All of it sorts after every file listed so far: the walk is depth first, in path order.
    rest.files.sort(comparePaths);
    for (const file of rest.files) this.files.push(file);
  }
}

/** Block reads per folder listed that tell a tree read from the disk (a cold folder here: 8, one page; more for large ones). */
const FOLDER_BLOCKS = 4;
/** Folders read between two samples of the process's block reads. */
const FOLDERS_PER_SAMPLE = 8;
/** Folders read at once once the tree is found not cached. */
const LISTING_LANES = 32;

function folderPath(root: string, folder: string): string {
  return folder === "" ? root : `${root}/${folder}`;
}

/** Reads `folders` (and the subfolders they hold) {@link LISTING_LANES} at a time into `listing`, unsorted. */
function listConcurrently(root: string, listing: RecordFileListing, folders: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let running = 0;
    let failed = false;
    const readNext = (): void => {
      while (running < LISTING_LANES && folders.length > 0) {
        const folder = folders.pop() as string;
        running += 1;
        readdir(folderPath(root, folder), { withFileTypes: true }, (error, entries) => {
          running -= 1;
          if (failed) return;
          if (error !== null) {
            // Nothing more is read: the listing has failed, as a folder read one by one fails it.
            failed = true;
            reject(error);
            return;
          }
          sortEntries(folder, entries, listing, folders);
          if (running === 0 && folders.length === 0) resolve();
          else readNext();
        });
      }
    };
    readNext();
    if (running === 0) resolve();
  });
}

/** Sorts one folder's entries into `listing`; its subfolders to read go to `folders`. */
function sortEntries(folder: string, entries: readonly Dirent[], listing: RecordFileListing, folders: string[]): void {
  for (const entry of entries) {
    const relative = folder === "" ? entry.name : `${folder}/${entry.name}`;
    if (entry.name.startsWith(".")) {
      listing.ignored.push({ file: relative, reason: entry.isDirectory() ? "hidden folder" : "hidden file" });
    } else if (entry.isDirectory()) {
      if (RECORD_FILE_PATTERN.test(entry.name)) {
        listing.ignored.push({ file: relative, reason: "a folder, not a record file" });
      } else {
        folders.push(relative);
      }
    } else if (!entry.isFile()) {
      listing.ignored.push({
        file: relative,
        reason: entry.isSymbolicLink() ? "symbolic link (not followed)" : "not a regular file",
      });
    } else if (relative === CONFIG_FILE) {
      listing.ignored.push({
        file: relative,
        reason: "the postindex configuration (aliases, lint settings), not a record",
      });
    } else if (RECORD_FILE_PATTERN.test(entry.name)) {
      listing.files.push(relative);
    } else {
      listing.ignored.push({ file: relative, reason: "not a .json, .ndjson or .jsonl file" });
    }
  }
}
