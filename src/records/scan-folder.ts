import { findRecordFiles, type IgnoredEntry } from "./find-files.js";
import { readRecordFile } from "./parse-file.js";
import { evaluateRecord, type RecordOutcome } from "./evaluate.js";

/** A record outcome once duplicate ids are resolved: a later file's copy of a seen id is a duplicate. */
export type ScanOutcome = RecordOutcome | { kind: "duplicate"; id: string; file: string; line: number | null; kept: string };

export type ScanEvent =
  | { type: "listed"; files: string[]; ignored: IgnoredEntry[] }
  | { type: "record"; outcome: ScanOutcome }
  | { type: "file-done"; file: string; index: number };

/**
 * Reads every record file under `dir` in path order and yields what each record turned into.
 * Files are read one at a time and NDJSON line by line, so memory stays flat however large the
 * folder. The first file (in path order) to hold an id wins it; later copies are duplicates.
 */
export async function* scanFolder(dir: string): AsyncGenerator<ScanEvent> {
  const { files, ignored } = await findRecordFiles(dir);
  yield { type: "listed", files, ignored };
  const owners = new Map<string, string>();
  for (const [index, file] of files.entries()) {
    for await (const outcome of evaluateFile(dir, file)) {
      yield { type: "record", outcome: resolveDuplicate(outcome, owners) };
    }
    yield { type: "file-done", file, index };
  }
}

/** Every record of one file, evaluated; a file that cannot be parsed yields one rejection of scope `file`. */
export async function* evaluateFile(dir: string, file: string): AsyncGenerator<RecordOutcome> {
  for await (const entry of readRecordFile(dir, file)) {
    if ("error" in entry) {
      yield { kind: "rejected", file, line: entry.line, id: entry.id, field: null, message: entry.error, scope: entry.scope };
    } else {
      yield evaluateRecord(entry.value, { file, line: entry.line });
    }
  }
}

function resolveDuplicate(outcome: RecordOutcome, owners: Map<string, string>): ScanOutcome {
  if (outcome.kind === "rejected") return outcome;
  const owner = owners.get(outcome.id);
  if (owner === undefined) {
    owners.set(outcome.id, outcome.file);
    return outcome;
  }
  return { kind: "duplicate", id: outcome.id, file: outcome.file, line: outcome.line, kept: owner };
}

/** How far a scan has got, after each file. */
export interface ScanProgress {
  /** Record files found (known once the folder is listed). */
  totalFiles: number;
  doneFiles: number;
  records: number;
}

/**
 * {@link scanFolder} with the bookkeeping every caller needs: `onRecord` for each outcome (awaited,
 * so a slow consumer slows the scan), `onProgress` once the folder is listed and after each file.
 * @returns what was ignored, and why
 */
export async function scanWithProgress(
  dir: string,
  onRecord: (outcome: ScanOutcome) => void | Promise<void>,
  onProgress?: (progress: ScanProgress) => void,
): Promise<IgnoredEntry[]> {
  const progress: ScanProgress = { totalFiles: 0, doneFiles: 0, records: 0 };
  let ignored: IgnoredEntry[] = [];
  for await (const event of scanFolder(dir)) {
    if (event.type === "record") {
      await onRecord(event.outcome);
      progress.records += 1;
      continue;
    }
    if (event.type === "listed") {
      ignored = event.ignored;
      progress.totalFiles = event.files.length;
    } else {
      progress.doneFiles = event.index + 1;
    }
    onProgress?.(progress);
  }
  return ignored;
}
