import type { ArticleRecord } from "./schema.js";
import { classifyRecord, type ExclusionReason } from "./classify.js";
import { normaliseRecord } from "./normalise.js";
import { validateRecord, type FieldProblem } from "./validate.js";
import { isPlainObject } from "./normalise-values.js";

/**
 * Where a record was read: the file relative to the content folder, its line for NDJSON (1-based),
 * and its position in a `.json` file holding an array of records (0-based; null otherwise), which
 * tells apart two copies of an id in one file.
 */
export interface RecordLocation {
  file: string;
  line: number | null;
  item: number | null;
}

/** What one exported record turned into, before duplicate ids across files are resolved. */
export type RecordOutcome = RecordLocation &
  (
    | { kind: "indexed"; id: string; record: ArticleRecord; warnings: FieldProblem[] }
    | { kind: "excluded"; id: string; reason: ExclusionReason; record: ArticleRecord; warnings: FieldProblem[] }
    | {
        kind: "rejected";
        id: string | null;
        field: string | null;
        message: string;
        /** `file`: the whole file could not be read or parsed; `record`: this record alone. */
        scope: "file" | "record";
      }
  );

/**
 * Normalises, validates and classifies one parsed record. Pure: never throws for any input.
 * Outcomes are written out field by field rather than spread from `location`: an object spread
 * is a generic property copy, and this runs for every record of every pass.
 */
export function evaluateRecord(raw: unknown, location: RecordLocation): RecordOutcome {
  const { file, line, item } = location;
  const normalised = normaliseRecord(raw);
  const validation = validateRecord(normalised);
  if (!validation.ok) {
    const { field, message } = validation.problem;
    const id = readableId(normalised);
    return { file, line, item, kind: "rejected", id, field: field === "" ? null : field, message, scope: "record" };
  }
  const { record, warnings } = validation;
  const classification = classifyRecord(record);
  if (classification.status === "excluded") {
    return { file, line, item, kind: "excluded", id: record.id, reason: classification.reason, record, warnings };
  }
  return { file, line, item, kind: "indexed", id: record.id, record, warnings };
}

/** The id a record was meant to have, when one can be read, so the editor can find a rejected one. */
function readableId(normalised: unknown): string | null {
  const id = isPlainObject(normalised) ? normalised["id"] : undefined;
  return typeof id === "string" && id !== "" ? id : null;
}
