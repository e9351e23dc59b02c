import type { ExclusionReason } from "./records/classify.js";

/**
 * The report every `check`, `reindex` and `sync` run ends with (`--json`, `--report FILE`).
 * `file` is relative to the content folder; `line` is set for NDJSON/JSONL records (1-based).
 * `kept` (reindex, sync): documents left in the index although their record cannot be read right
 * now (a broken line, a file that does not parse), each with the reason; docs/records.md has the rule.
 */
export interface RunReport {
  indexed: { id: string; file: string }[];
  excluded: { id: string; file: string; reason: ExclusionReason }[];
  rejected: { file: string; line: number | null; id: string | null; field: string | null; message: string }[];
  duplicates: { id: string; file: string; kept: string }[];
  warnings: { file: string; line: number | null; id: string; field: string; message: string }[];
  ignored: { file: string; reason: string }[];
  kept?: KeptDocument[];
}

/** A document kept at its last good version because its record is broken for now. */
export interface KeptDocument {
  id: string;
  file: string;
  /** The broken line (NDJSON), null for a whole `.json` file. */
  line: number | null;
  reason: string;
}

export function emptyReport(): RunReport {
  return { indexed: [], excluded: [], rejected: [], duplicates: [], warnings: [], ignored: [] };
}
