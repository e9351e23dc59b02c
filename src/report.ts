import type { ExclusionReason } from "./records/classify.js";

/**
 * The report every `check`, `reindex` and `sync` run ends with (`--json`, `--report FILE`).
 * `file` is relative to the content folder; `line` is set for NDJSON/JSONL records (1-based).
 * @see ../shared/CONTRACT.md "Command line"
 */
export interface RunReport {
  indexed: { id: string; file: string }[];
  excluded: { id: string; file: string; reason: ExclusionReason }[];
  rejected: { file: string; line: number | null; id: string | null; field: string | null; message: string }[];
  duplicates: { id: string; file: string; kept: string }[];
  warnings: { file: string; line: number | null; id: string; field: string; message: string }[];
  ignored: { file: string; reason: string }[];
}

export function emptyReport(): RunReport {
  return { indexed: [], excluded: [], rejected: [], duplicates: [], warnings: [], ignored: [] };
}
