import type { RunReport } from "../report.js";
import type { CheckOutcome } from "./check-outcome.js";

/**
 * Where the record of a report entry (a rejection, a duplicate, a warning) sits in its `.json`
 * file when that file holds an array of records (0-based), for the entries that have such a
 * position. Kept beside the report, as the contract's report has no field for it; it tells apart
 * two copies of one id in a file when `check` points at a record's line (`finding-lines.ts`).
 */
export class ReportItems {
  readonly #items = new WeakMap<object, number>();

  /** Records `entry`'s position (nothing for null: not in an array file). */
  note(entry: object, item: number | null): void {
    if (item !== null) this.#items.set(entry, item);
  }

  /** `entry`'s position in its array file; undefined when it has none. */
  of(entry: object): number | undefined {
    return this.#items.get(entry);
  }
}

/**
 * Adds one scanned record to a run report, in the contract's shape; `items`, when given, learns
 * where each rejection, duplicate and warning added sits in its array file.
 */
export function addToReport(report: RunReport, outcome: CheckOutcome, items?: ReportItems): void {
  const { file, line, item } = outcome;
  switch (outcome.kind) {
    case "indexed":
      report.indexed.push({ id: outcome.id, file });
      break;
    case "excluded":
      report.excluded.push({ id: outcome.id, file, reason: outcome.reason });
      break;
    case "rejected": {
      const entry = { file, line, id: outcome.id, field: outcome.field, message: outcome.message };
      report.rejected.push(entry);
      items?.note(entry, item);
      return;
    }
    case "duplicate": {
      const entry = { id: outcome.id, file, kept: outcome.kept };
      report.duplicates.push(entry);
      items?.note(entry, item);
      return;
    }
  }
  for (const warning of outcome.warnings) {
    const entry = { file, line, id: outcome.id, field: warning.field, message: warning.message };
    report.warnings.push(entry);
    items?.note(entry, item);
  }
}
