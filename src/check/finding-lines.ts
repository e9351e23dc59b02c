import { readFileSync } from "node:fs";
import path from "node:path";
import { isPlainObject, normaliseKey } from "../records/normalise-values.js";
import { entitySources, normalisedIdOf } from "../records/normalise.js";
import { wholeFileText } from "../records/parse-file.js";
import { errorOffset, JsonPositions } from "../text/json-positions.js";
import { tryParseJson, type JsonReading } from "../text/parse-json.js";
import type { Finding } from "./findings.js";

/** Other spellings of a path segment the normaliser accepts (`post_meta` for `meta`). */
const SEGMENT_SPELLINGS: Readonly<Record<string, readonly string[]>> = { meta: ["meta", "post_meta"] };

/**
 * The findings with a line for those in `.json` files, which the report leaves without one (the
 * contract gives lines to NDJSON records only): the line of the field named, in the record the
 * finding is about (in an array file, the one at the finding's `item`; without one, the first
 * with its id) — or of the nearest enclosing key the file has (`meta` when `meta.summary` is
 * missing), or of the record's start. A file that does not parse gets the line its parse error
 * points at. Only files with such findings are read again, once each; `folder` is what the
 * findings' paths are relative to. Findings already with a line, or in files that cannot be read
 * again, are kept as they are. Files are read synchronously: nothing else runs meanwhile, and a
 * read that waits for the thread pool costs several times a small file's own read.
 */
export function withJsonLines(folder: string, findings: readonly Finding[]): Finding[] {
  const byFile = new Map<string, number[]>();
  findings.forEach((finding, i) => {
    if (finding.line !== null || !/\.json$/i.test(finding.file)) return;
    const list = byFile.get(finding.file);
    if (list === undefined) byFile.set(finding.file, [i]);
    else list.push(i);
  });
  if (byFile.size === 0) return [...findings];
  const located = [...findings];
  for (const [file, indexes] of byFile) {
    const text = readRecordText(path.join(folder, file));
    if (text === undefined) continue;
    const locator = new RecordFileLocator(text);
    for (const i of indexes) {
      const finding = findings[i] as Finding;
      const line = locator.lineOf(finding);
      if (line !== null) located[i] = { ...finding, line };
    }
  }
  return located;
}

/** The file's text as the scan parsed it; undefined when it cannot be read or is not UTF-8. */
function readRecordText(file: string): string | undefined {
  try {
    return wholeFileText(readFileSync(file));
  } catch {
    return undefined;
  }
}

/** Finds lines in one `.json` record file: one record, or an array of them. */
class RecordFileLocator {
  readonly #positions: JsonPositions;
  readonly #parsed: JsonReading;
  /** An array file's records in file order, and the first with each id, built on first use. */
  #records: RecordAt[] | undefined;
  #firstById: Map<unknown, RecordAt> | undefined;

  constructor(text: string) {
    this.#positions = new JsonPositions(text);
    this.#parsed = tryParseJson(text);
  }

  /** The line of `finding`, in its record. */
  lineOf(finding: Finding): number | null {
    const positions = this.#positions;
    if ("error" in this.#parsed) {
      const at = errorOffset(positions.text, this.#parsed.error);
      return at === undefined ? null : positions.lineAt(at);
    }
    const record = this.#record(finding);
    if (record === undefined) return null;
    return positions.lineAt(this.#fieldOffset(record, finding.field));
  }

  /** The record `finding` is about: the root of a one-record file; in an array file, the one at its `item`, else the first with its id. */
  #record(finding: Finding): RecordAt | undefined {
    if ("error" in this.#parsed) return undefined;
    const records = this.#arrayRecords();
    if (records === undefined) return { start: this.#positions.valueStart(), value: this.#parsed.value };
    if (finding.item !== undefined) return records[finding.item];
    if (finding.id === null) return undefined;
    if (this.#firstById === undefined) {
      this.#firstById = new Map();
      for (const record of records) {
        const id = normalisedIdOf(record.value);
        if (!this.#firstById.has(id)) this.#firstById.set(id, record);
      }
    }
    return this.#firstById.get(finding.id);
  }

  /** An array file's records, in file order (built on first use); undefined for a one-record file. */
  #arrayRecords(): RecordAt[] | undefined {
    if ("error" in this.#parsed || !Array.isArray(this.#parsed.value)) return undefined;
    if (this.#records !== undefined) return this.#records;
    const root: unknown[] = this.#parsed.value;
    this.#records = this.#positions.items(this.#positions.valueStart()).map((start, i) => ({ start, value: root[i] }));
    return this.#records;
  }

  /**
   * The offset of the deepest key of the dotted `field` (`meta.revision.status`, `sections.2.heading`)
   * the record has, matched in any spelling the normaliser accepts; the record's start when it has
   * none. List items are followed only in lists of objects, whose positions the normaliser keeps
   * but for the duplicate entities it drops.
   */
  #fieldOffset(record: RecordAt, field: string | null): number {
    const positions = this.#positions;
    let found = record.start;
    let value = record.start;
    let raw = record.value;
    let previous = "";
    for (const segment of field === null || field === "" ? [] : field.split(".")) {
      if (/^\d+$/.test(segment)) {
        const items = positions.items(value);
        if (!items.every((item) => positions.text[item] === "{")) return found;
        const position = previous === "entities" ? entitySources(raw)?.[Number(segment)] : Number(segment);
        const item = position === undefined ? undefined : items[position];
        if (item === undefined || position === undefined) return found;
        found = item;
        value = item;
        raw = Array.isArray(raw) ? (raw[position] as unknown) : undefined;
        previous = segment;
        continue;
      }
      const spellings = SEGMENT_SPELLINGS[segment] ?? [segment];
      const member = positions.members(value).find((m) => spellings.includes(normaliseKey(m.key)));
      if (member === undefined) return found;
      found = member.keyStart;
      value = member.valueStart;
      raw = isPlainObject(raw) ? raw[member.key] : undefined;
      previous = segment;
    }
    return found;
  }
}

/** A record of the file: where it starts, and its value as parsed. */
interface RecordAt {
  start: number;
  value: unknown;
}
