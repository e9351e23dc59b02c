import { readdirSync } from "node:fs";
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

/**
 * Lists the record files under `dir`, recursively: `*.json`, `*.ndjson`, `*.jsonl`.
 * Hidden files and folders, other files, and folders whose name looks like a record file are
 * skipped and reported. Symbolic links are not followed (a link loop cannot hang the scan).
 * Folders are read synchronously (an awaited `readdir` per folder made listing ~3× slower on a
 * tree of 5,000 small folders), in slices that let the event loop turn.
 */
export async function findRecordFiles(dir: string): Promise<RecordFileListing> {
  const listing: RecordFileListing = { files: [], ignored: [] };
  const slices = new EventLoopSlices();
  const folders = [""];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    listFolder(dir, folder, listing, folders);
    if (slices.due()) await slices.pause();
  }
  listing.files.sort(comparePaths);
  listing.ignored.sort((a, b) => comparePaths(a.file, b.file));
  return listing;
}

/** Sorts one folder's entries into `listing`; its subfolders to read go to `folders`. */
function listFolder(root: string, folder: string, listing: RecordFileListing, folders: string[]): void {
  const entries = readdirSync(folder === "" ? root : `${root}/${folder}`, { withFileTypes: true });
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
