import { readFileSync } from "node:fs";
import path from "node:path";
import { normaliseKey } from "../records/normalise-values.js";
import { normalisedIdOf } from "../records/normalise.js";
import { wholeFileText } from "../records/parse-file.js";
import { errorOffset, JsonPositions } from "../text/json-positions.js";
import { tryParseJson, type JsonReading } from "../text/parse-json.js";
import type { Finding } from "./findings.js";

/** Other spellings of a path segment the normaliser accepts (`post_meta` for `meta`). */
const SEGMENT_SPELLINGS: Readonly<Record<string, readonly string[]>> = { meta: ["meta", "post_meta"] };

/**
 * Where a field's value comes from when the record does not have the field itself: a post's
 * scenario is its outline's context when it has no payload scenario (the contract's fallback).
 */
const FALLBACK_FIELDS: Readonly<Record<string, string>> = { "meta.payload.scenario": "meta.ai_outline.context" };

/**
 * The findings with a line for those in `.json` files, which the report leaves without one (the
 * contract gives lines to NDJSON records only): the line of the field named, in the record the
 * finding is about — or of the nearest enclosing key the file has (`meta` when `meta.summary` is
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
  /** Each record's start and id (as the normaliser reads it), built on first use. */
  #records: { start: number; id: unknown }[] | undefined;

  constructor(text: string) {
    this.#positions = new JsonPositions(text);
    this.#parsed = tryParseJson(text);
  }

  lineOf(finding: Finding): number | null {
    const positions = this.#positions;
    if ("error" in this.#parsed) {
      const at = errorOffset(positions.text, this.#parsed.error);
      return at === undefined ? null : positions.lineAt(at);
    }
    const start = this.#recordStart(this.#parsed.value, finding.id);
    if (start === undefined) return null;
    let located = this.#fieldOffset(start, finding.field);
    const fallback = finding.field === null ? undefined : FALLBACK_FIELDS[finding.field];
    if (!located.whole && fallback !== undefined) {
      const instead = this.#fieldOffset(start, fallback);
      if (instead.whole) located = instead;
    }
    return positions.lineAt(located.offset);
  }

  /** Where the record with this id starts: the root for a one-record file. */
  #recordStart(root: unknown, id: string | null): number | undefined {
    const positions = this.#positions;
    const rootStart = positions.valueStart();
    if (!Array.isArray(root)) return rootStart;
    if (id === null) return undefined;
    this.#records ??= positions.items(rootStart).map((start, i) => ({ start, id: normalisedIdOf(root[i]) }));
    return this.#records.find((record) => record.id === id)?.start;
  }

  /**
   * The offset of the deepest key of the dotted `field` (`meta.revision.status`, `sections.2.heading`)
   * the record has, matched in any spelling the normaliser accepts; the record's start when it has
   * none; `whole` when the record has every segment. List items are followed only in lists of
   * objects, whose positions the normaliser keeps.
   */
  #fieldOffset(recordStart: number, field: string | null): { offset: number; whole: boolean } {
    const positions = this.#positions;
    let found = recordStart;
    let value = recordStart;
    for (const segment of field === null || field === "" ? [] : field.split(".")) {
      if (/^\d+$/.test(segment)) {
        const items = positions.items(value);
        if (!items.every((item) => positions.text[item] === "{")) return { offset: found, whole: false };
        const item = items[Number(segment)];
        if (item === undefined) return { offset: found, whole: false };
        found = item;
        value = item;
        continue;
      }
      const spellings = SEGMENT_SPELLINGS[segment] ?? [segment];
      const member = positions.members(value).find((m) => spellings.includes(normaliseKey(m.key)));
      if (member === undefined) return { offset: found, whole: false };
      found = member.keyStart;
      value = member.valueStart;
    }
    return { offset: found, whole: true };
  }
}
