import type { AliasTable } from "../check/content-config.js";
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
}

/**
 * Reads and evaluates the files of one batch, exactly as the folder scan does (aliases applied),
 * handing each outcome to `take` in file order, but without duplicate resolution, which needs
 * every earlier file: the caller does it in path order.
 * @returns how many outcomes each file gave
 */
export function evaluateBatch(
  dir: string,
  files: readonly string[],
  aliases: AliasTable,
  reader: RecordFileReader,
  take: (outcome: RecordOutcome) => void,
): number[] {
  const counts: number[] = [];
  try {
    for (const file of files) {
      let count = 0;
      reader.open(`${dir}/${file}`, isLineDelimited(file));
      for (let entries = reader.next(); entries !== undefined; entries = reader.next()) {
        for (const entry of entries) take(outcomeOf(entry, file, aliases));
        count += entries.length;
      }
      counts.push(count);
    }
  } finally {
    reader.close();
  }
  return counts;
}
