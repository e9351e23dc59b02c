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
    const copies = duplicateCopies(
      indexes.map((i) => findings[i] as Finding),
      locator,
    );
    indexes.forEach((i, k) => {
      const finding = findings[i] as Finding;
      const line = locator.lineOf(finding, copies[k] ?? 0);
      if (line !== null) located[i] = { ...finding, line };
    });
  }
  return located;
}

/**
 * Which copy of its id (0: the first in the file) each finding of one file is about. A
 * `duplicate-id` finding is about a copy that is not indexed: the first copy read (a rejected one
 * aside) is the one indexed, so when the file holds one copy more than it has such findings, the
 * indexed one is its first and the findings are about the copies after it; otherwise about its
 * copies from the first. Any other finding is about the first copy.
 */
function duplicateCopies(findings: readonly Finding[], locator: RecordFileLocator): number[] {
  const total = new Map<string, number>();
  for (const finding of findings) {
    if (finding.rule === "duplicate-id" && finding.id !== null) total.set(finding.id, (total.get(finding.id) ?? 0) + 1);
  }
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    if (finding.rule !== "duplicate-id" || finding.id === null) return 0;
    const before = seen.get(finding.id) ?? 0;
    seen.set(finding.id, before + 1);
    const indexedHere = locator.copiesOf(finding.id) > (total.get(finding.id) ?? 0);
    return before + (indexedHere ? 1 : 0);
  });
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
  /** An array file's records by id, in file order, built on first use. */
  #byId: Map<unknown, RecordAt[]> | undefined;

  constructor(text: string) {
    this.#positions = new JsonPositions(text);
    this.#parsed = tryParseJson(text);
  }

  /** The line of `finding`, in the given copy of its record when the file holds its id more than once. */
  lineOf(finding: Finding, copy = 0): number | null {
    const positions = this.#positions;
    if ("error" in this.#parsed) {
      const at = errorOffset(positions.text, this.#parsed.error);
      return at === undefined ? null : positions.lineAt(at);
    }
    const record = this.#record(finding.id, copy);
    if (record === undefined) return null;
    let located = this.#fieldOffset(record, finding.field);
    const fallback = finding.field === null ? undefined : FALLBACK_FIELDS[finding.field];
    if (!located.whole && fallback !== undefined) {
      const instead = this.#fieldOffset(record, fallback);
      if (instead.whole) located = instead;
    }
    return positions.lineAt(located.offset);
  }

  /** How many records of the file carry this id (1 for a one-record file). */
  copiesOf(id: string): number {
    const byId = this.#recordsById();
    return byId === undefined ? 1 : (byId.get(id)?.length ?? 0);
  }

  /** The `copy`-th record with this id: the root for a one-record file. */
  #record(id: string | null, copy: number): RecordAt | undefined {
    if ("error" in this.#parsed) return undefined;
    const byId = this.#recordsById();
    if (byId === undefined) return { start: this.#positions.valueStart(), value: this.#parsed.value };
    return id === null ? undefined : byId.get(id)?.[copy];
  }

  /** An array file's records by id (as the normaliser reads it), built on first use; undefined for one record. */
  #recordsById(): Map<unknown, RecordAt[]> | undefined {
    if ("error" in this.#parsed || !Array.isArray(this.#parsed.value)) return undefined;
    if (this.#byId !== undefined) return this.#byId;
    const root: unknown[] = this.#parsed.value;
    const byId = new Map<unknown, RecordAt[]>();
    this.#positions.items(this.#positions.valueStart()).forEach((start, i) => {
      const id = normalisedIdOf(root[i]);
      const copies = byId.get(id);
      if (copies === undefined) byId.set(id, [{ start, value: root[i] }]);
      else copies.push({ start, value: root[i] });
    });
    this.#byId = byId;
    return byId;
  }

  /**
   * The offset of the deepest key of the dotted `field` (`meta.revision.status`, `sections.2.heading`)
   * the record has, matched in any spelling the normaliser accepts; the record's start when it has
   * none; `whole` when the record has every segment. List items are followed only in lists of
   * objects, whose positions the normaliser keeps but for the duplicate entities it drops.
   */
  #fieldOffset(record: RecordAt, field: string | null): { offset: number; whole: boolean } {
    const positions = this.#positions;
    let found = record.start;
    let value = record.start;
    let raw = record.value;
    let previous = "";
    for (const segment of field === null || field === "" ? [] : field.split(".")) {
      if (/^\d+$/.test(segment)) {
        const items = positions.items(value);
        if (!items.every((item) => positions.text[item] === "{")) return { offset: found, whole: false };
        const position = previous === "entities" ? entitySources(raw)?.[Number(segment)] : Number(segment);
        const item = position === undefined ? undefined : items[position];
        if (item === undefined || position === undefined) return { offset: found, whole: false };
        found = item;
        value = item;
        raw = Array.isArray(raw) ? (raw[position] as unknown) : undefined;
        previous = segment;
        continue;
      }
      const spellings = SEGMENT_SPELLINGS[segment] ?? [segment];
      const member = positions.members(value).find((m) => spellings.includes(normaliseKey(m.key)));
      if (member === undefined) return { offset: found, whole: false };
      found = member.keyStart;
      value = member.valueStart;
      raw = isPlainObject(raw) ? raw[member.key] : undefined;
      previous = segment;
    }
    return { offset: found, whole: true };
  }
}

/** A record of the file: where it starts, and its value as parsed. */
interface RecordAt {
  start: number;
  value: unknown;
}
