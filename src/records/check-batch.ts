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

/** What a thread evaluates its batches of a run with. */
export interface BatchSetup {
  /** The content folder the batches' paths are relative to. */
  dir: string;
  aliases: AliasTable;
  /** The thread's one reader (see {@link BatchEvaluation} on sharing it). */
  reader: RecordFileReader;
  /** Whether an indexing pass runs: each indexed record's document is built and each file's stamp kept. */
  documents: boolean;
}

/**
 * Reads and evaluates the files of one batch, exactly as the folder scan does (aliases applied),
 * handing each outcome to `take` in file order, but without duplicate resolution, which needs
 * every earlier file: the caller does it in path order. For an indexing pass (`documents`), each
 * indexed record's document is built here too, and each file's stamp kept.
 * @returns how many outcomes each file gave, and for an indexing pass the documents and stamps
 */
export function evaluateBatch(
  setup: BatchSetup,
  files: readonly string[],
  take: (outcome: RecordOutcome) => void,
): Omit<BatchResult, "outcomes"> {
  return new BatchEvaluation(setup, files, take).run(() => true) as Omit<BatchResult, "outcomes">;
}

/**
 * {@link evaluateBatch} in steps: {@link run} evaluates a chunk of records at a time (a whole
 * one-article file, or what one read of an NDJSON file gave) for as long as it is told to go on,
 * so that a thread with an event loop to keep turning (the one writing an index) can evaluate a
 * 1,000-record export in slices. The reader stays on the current file between steps: give it no
 * other work until the evaluation is done (or close it, to give the evaluation up).
 */
export class BatchEvaluation {
  readonly #setup: BatchSetup;
  readonly #files: readonly string[];
  readonly #take: (outcome: RecordOutcome) => void;
  readonly #counts: number[] = [];
  readonly #prepared: PreparedDocument[] = [];
  readonly #stamps: (string | undefined)[] = [];
  /** The file being read (its index in the batch), whether it is open yet, and its outcomes so far. */
  #file = 0;
  #opened = false;
  #count = 0;

  constructor(setup: BatchSetup, files: readonly string[], take: (outcome: RecordOutcome) => void) {
    this.#setup = setup;
    this.#files = files;
    this.#take = take;
  }

  /**
   * Evaluates chunks while `goOn()` says so after each (at least one).
   * @returns what {@link evaluateBatch} returns once every file is done; undefined while some are left
   */
  run(goOn: () => boolean): Omit<BatchResult, "outcomes"> | undefined {
    const { dir, aliases, reader, documents } = this.#setup;
    try {
      while (this.#file < this.#files.length) {
        const file = this.#files[this.#file] as string;
        if (!this.#opened) {
          const stamp = reader.open(`${dir}/${file}`, isLineDelimited(file));
          if (documents) this.#stamps.push(stamp);
          this.#opened = true;
          this.#count = 0;
        }
        const entries = reader.next();
        if (entries === undefined) {
          this.#counts.push(this.#count);
          this.#file += 1;
          this.#opened = false;
          continue;
        }
        for (const entry of entries) {
          const outcome = outcomeOf(entry, file, aliases);
          this.#take(outcome);
          if (documents && outcome.kind === "indexed") this.#prepared.push(prepareDocument(outcome.record, file));
        }
        this.#count += entries.length;
        if (!goOn()) return undefined;
      }
    } catch (error) {
      reader.close();
      throw error;
    }
    const counts = this.#counts;
    return documents ? { counts, documents: this.#prepared, stamps: this.#stamps } : { counts };
  }
}
