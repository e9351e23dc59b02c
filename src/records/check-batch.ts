import type { AliasTable } from "../check/content-config.js";
import { prepareDocument, type PreparedDocument } from "../document.js";
import type { CheckOutcome } from "./check-outcome.js";
import type { RecordOutcome } from "./evaluate.js";
import { isLineDelimited } from "./parse-file.js";
import { RecordFileReader } from "./record-file-reader.js";
import { outcomeOf } from "./scan-folder.js";

/** A run of consecutive files (in path order) that one thread reads and evaluates: the unit of work `check` shares out. */
export interface FileBatch {
  /** Position of the batch in path order, from 0. */
  seq: number;
  files: string[];
}

/** What one batch turned into: every record's outcome in file order, and how many records each file held. */
export interface BatchResult {
  outcomes: CheckOutcome[];
  /** `counts[i]`: outcomes of the batch's `files[i]` (a file that cannot be read has one, its rejection). */
  counts: number[];
  /** When an indexing pass asked for them: the document of each indexed outcome, in order. */
  documents?: PreparedDocument[];
  /** When an indexing pass asked for them: `stamps[i]`, `files[i]`'s stamp as it was read (see `RecordFileReader.open`). */
  stamps?: (string | undefined)[];
}

/**
 * Reads and evaluates the files of one batch, exactly as the folder scan does (aliases applied),
 * handing each outcome to `take` in file order, but without duplicate resolution, which needs
 * every earlier file: the caller does it in path order. For an indexing pass (`documents`), each
 * indexed record's document is built here too, and each file's stamp kept.
 * @returns how many outcomes each file gave, and for an indexing pass the documents and stamps
 */
export function evaluateBatch(
  dir: string,
  files: readonly string[],
  aliases: AliasTable,
  reader: RecordFileReader,
  take: (outcome: RecordOutcome) => void,
  documents: boolean,
): Omit<BatchResult, "outcomes"> {
  const counts: number[] = [];
  const prepared: PreparedDocument[] = [];
  const stamps: (string | undefined)[] = [];
  try {
    for (const file of files) {
      let count = 0;
      const stamp = reader.open(`${dir}/${file}`, isLineDelimited(file));
      if (documents) stamps.push(stamp);
      for (let entries = reader.next(); entries !== undefined; entries = reader.next()) {
        for (const entry of entries) {
          const outcome = outcomeOf(entry, file, aliases);
          take(outcome);
          if (documents && outcome.kind === "indexed") prepared.push(prepareDocument(outcome.record, file));
        }
        count += entries.length;
      }
      counts.push(count);
    }
  } finally {
    reader.close();
  }
  return documents ? { counts, documents: prepared, stamps } : { counts };
}
