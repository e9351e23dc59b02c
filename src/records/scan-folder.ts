import { findRecordFiles, RecordFileWalk, type IgnoredEntry } from "./find-files.js";
import { isLineDelimited, type ParsedEntry } from "./parse-file.js";
import { evaluateRecord, type RecordOutcome } from "./evaluate.js";
import { EventLoopSlices } from "./event-loop-slices.js";
import { ReadAhead, type ReadAheadOptions } from "./read-ahead.js";
import { RecordFileReader } from "./record-file-reader.js";
import { applyAliases } from "../check/aliases.js";
import { loadContentConfig, type AliasTable } from "../check/content-config.js";
import type { CheckOutcome } from "./check-outcome.js";

/** A record outcome once duplicate ids are resolved: a later file's copy of a seen id is a duplicate. */
export type ScanOutcome =
  | RecordOutcome
  | { kind: "duplicate"; id: string; file: string; line: number | null; item: number | null; kept: string };

export type ScanEvent =
  | { type: "listed"; files: string[]; ignored: IgnoredEntry[] }
  | { type: "record"; outcome: ScanOutcome }
  | { type: "file-done"; file: string; index: number };

/**
 * Reads every record file under `dir` in path order and yields what each record turned into.
 * Files are read one at a time and NDJSON a chunk at a time, so memory stays flat however large
 * the folder. The first file (in path order) to hold an id wins it; later copies are duplicates.
 * An event per record: for the hot path, {@link scanWithProgress} does the same without them.
 */
export async function* scanFolder(dir: string): AsyncGenerator<ScanEvent> {
  const { files, ignored } = await findRecordFiles(dir);
  yield { type: "listed", files, ignored };
  const owners = new Map<string, string>();
  const reader = new RecordFileReader();
  const aliases = loadContentConfig(dir).config.aliases;
  try {
    for (const [index, file] of files.entries()) {
      reader.open(`${dir}/${file}`, isLineDelimited(file));
      for (let entries = reader.next(); entries !== undefined; entries = reader.next()) {
        for (const entry of entries)
          yield { type: "record", outcome: resolveDuplicate(outcomeOf(entry, file, aliases), owners) };
      }
      yield { type: "file-done", file, index };
    }
  } finally {
    reader.close();
  }
}

/** Every record of one file, evaluated; a file that cannot be parsed yields one rejection of scope `file`. */
export async function* evaluateFile(dir: string, file: string): AsyncGenerator<RecordOutcome> {
  const reader = new RecordFileReader();
  const aliases = loadContentConfig(dir).config.aliases;
  try {
    reader.open(`${dir}/${file}`, isLineDelimited(file));
    for (let entries = reader.next(); entries !== undefined; entries = reader.next()) {
      for (const entry of entries) yield outcomeOf(entry, file, aliases);
    }
  } finally {
    reader.close();
  }
}

/** One parsed entry evaluated, with the content folder's declared aliases applied (postindex.config.json). */
export function outcomeOf(entry: ParsedEntry, file: string, aliases: AliasTable): RecordOutcome {
  if ("error" in entry) {
    return {
      kind: "rejected",
      file,
      line: entry.line,
      item: entry.item,
      id: entry.id,
      field: null,
      message: entry.error,
      scope: entry.scope,
    };
  }
  const outcome = evaluateRecord(entry.value, { file, line: entry.line, item: entry.item });
  if (!aliases.empty && outcome.kind !== "rejected") applyAliases(outcome.record, aliases);
  return outcome;
}

/**
 * The first file (in path order) to hold an id wins it (`owners`: id → file); a later copy becomes
 * a duplicate. Any outcome with the same fields works: the full ones of a scan, the slim ones of `check`'s workers.
 */
export function resolveDuplicate<Outcome extends RecordOutcome | Exclude<CheckOutcome, { kind: "duplicate" }>>(
  outcome: Outcome,
  owners: Map<string, string>,
): Outcome | Extract<ScanOutcome, { kind: "duplicate" }> {
  if (outcome.kind === "rejected") return outcome;
  const owner = owners.get(outcome.id);
  if (owner === undefined) {
    owners.set(outcome.id, outcome.file);
    return outcome;
  }
  const { id, file, line, item } = outcome;
  return { kind: "duplicate", id, file, line, item, kept: owner };
}

/** Files read between two samples of whether the reads come from the disk ({@link ReadAhead.wanted}). */
const FILES_PER_SAMPLE = 16;

/** How far a scan has got, after each file. */
export interface ScanProgress {
  /**
   * Record files found so far. The folder is listed as its files are read, so this grows until
   * the listing ends; it reaches {@link doneFiles} only once every file is read.
   */
  totalFiles: number;
  doneFiles: number;
  records: number;
}

/** What {@link scanWithProgress} tells its caller. */
export interface ScanHandlers {
  /**
   * Each outcome, in path order. Return a promise only to make the scan wait (backpressure);
   * returning nothing lets it carry on without a promise per record.
   */
  onRecord: (outcome: ScanOutcome) => void | Promise<void>;
  /** Once the folder is listed and after each file. */
  onProgress?: (progress: ScanProgress) => void;
  /**
   * As each file is opened, before its records: its stamp (`mtime:size` of the file as read,
   * {@link fileStamp}), undefined when it could not be opened.
   */
  onFileOpened?: (file: string, stamp: string | undefined) => void;
  /** What tells that reads come from the disk, and so start a read-ahead thread (default: see {@link ReadAhead}). */
  readAhead?: ReadAheadOptions;
}

/**
 * {@link scanFolder} with the bookkeeping every caller needs, and none of its per-record events:
 * files are read synchronously in path order by one {@link RecordFileReader} as the folder is
 * listed ({@link RecordFileWalk}: a reindex's first documents no longer wait for the whole tree;
 * and with a {@link ReadAhead} once its reads come from the disk), each batch of records evaluated
 * in a plain loop, the event loop let through every few milliseconds.
 * @returns what was ignored, and why
 */
export async function scanWithProgress(dir: string, handlers: ScanHandlers): Promise<IgnoredEntry[]> {
  const { onRecord, onProgress, onFileOpened } = handlers;
  const walk = new RecordFileWalk(dir);
  const { files } = walk;
  await walk.reach(0);
  const progress: ScanProgress = { totalFiles: files.length, doneFiles: 0, records: 0 };
  onProgress?.(progress);
  const owners = new Map<string, string>();
  const readAhead = new ReadAhead(dir, files, handlers.readAhead);
  const reader = new RecordFileReader();
  const slices = new EventLoopSlices();
  const aliases = loadContentConfig(dir).config.aliases;
  try {
    for (let index = 0; index < files.length; index += 1) {
      const file = files[index] as string;
      readAhead.reached(index);
      if (index % FILES_PER_SAMPLE === 0 && readAhead.wanted(FILES_PER_SAMPLE)) {
        // The thread reads ahead over the whole listing.
        await walk.complete();
        readAhead.start();
      }
      const stamp = reader.open(`${dir}/${file}`, isLineDelimited(file));
      onFileOpened?.(file, stamp);
      for (let entries = reader.next(); entries !== undefined; entries = reader.next()) {
        for (const entry of entries) {
          const waiting = onRecord(resolveDuplicate(outcomeOf(entry, file, aliases), owners));
          if (waiting !== undefined) await waiting;
          progress.records += 1;
          if (slices.due()) await slices.pause();
        }
      }
      // One file listed ahead, so that the loop goes on, and the total reaches the files done only at the end.
      if (files.length === index + 1) await walk.reach(index + 1);
      progress.doneFiles = index + 1;
      progress.totalFiles = files.length;
      onProgress?.(progress);
    }
  } finally {
    reader.close();
    readAhead.close();
  }
  return walk.listing().ignored;
}
