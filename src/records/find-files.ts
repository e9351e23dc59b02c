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
 * Folders are read synchronously (an awaited `readdir` per folder made listing ~3× slower on a
 * tree of 5,000 small folders), in slices that let the event loop turn; but once their reads
 * turn out to come from the disk (a tree the page cache has dropped: {@link DiskReadWatch}, a
 * sample every {@link FOLDERS_PER_SAMPLE} folders), the rest are read {@link LISTING_LANES} at a
 * time (5,000 folders: ~0.65 s one after another, ~0.24 s so; see bench/NOTES.md). The order they
 * are read in does not matter: the listing is sorted.
 */
export async function findRecordFiles(dir: string, options: ListingOptions = {}): Promise<RecordFileListing> {
  const listing: RecordFileListing = { files: [], ignored: [] };
  const slices = new EventLoopSlices();
  const diskReads = new DiskReadWatch(options.diskReads);
  const folders = [""];
  for (let folder = folders.pop(), read = 1; folder !== undefined; folder = folders.pop(), read += 1) {
    sortEntries(folder, readdirSync(folderPath(dir, folder), { withFileTypes: true }), listing, folders);
    if (read % FOLDERS_PER_SAMPLE === 0 && diskReads.sample()) {
      await listConcurrently(dir, listing, folders);
      break;
    }
    if (slices.due()) await slices.pause();
  }
  listing.files.sort(comparePaths);
  listing.ignored.sort((a, b) => comparePaths(a.file, b.file));
  return listing;
}

/** Folders read between two samples of the process's block reads. */
const FOLDERS_PER_SAMPLE = 8;
/** Folders read at once once the tree is found not cached. */
const LISTING_LANES = 32;

function folderPath(root: string, folder: string): string {
  return folder === "" ? root : `${root}/${folder}`;
}

/** Reads `folders` (and the subfolders they hold) {@link LISTING_LANES} at a time into `listing`. */
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
