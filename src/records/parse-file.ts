import { tryParseJson } from "../text/parse-json.js";
import { readIdFromBrokenText } from "./broken-text-id.js";

/**
 * One value read from a record file: a parsed JSON value, or why the text could not be read.
 * `line` is an NDJSON record's (1-based); `item` a record's position in a `.json` file holding an
 * array of them (0-based), null otherwise. A failure's `scope` says what it stands for: `file` (a
 * `.json` file that does not parse, a file that cannot be read: every record it held) or `record`
 * (one NDJSON line, whose `id` is read from the broken text when it can be).
 */
export type ParsedEntry =
  | { line: number | null; item: number | null; value: unknown }
  | { line: number | null; item: null; error: string; scope: "file" | "record"; id: string | null };

const BOM = "\uFEFF";
const utf8 = new TextDecoder("utf-8", { fatal: true });
const lossyText = new TextDecoder("utf-8");

/** Whether the file holds one record per line (NDJSON / JSONL). */
export function isLineDelimited(file: string): boolean {
  return /\.(ndjson|jsonl)$/i.test(file);
}

/**
 * The records of a whole `*.json` file: one record or an array of them (`line` is null), or one
 * failure of scope `file` when it is not UTF-8 (with or without BOM) or not JSON.
 */
export function parseWholeFile(bytes: Uint8Array): ParsedEntry[] {
  const text = wholeFileText(bytes);
  if (text === undefined) return [fileFailure(null, "not valid UTF-8 text")];
  const parsed = tryParseJson(text);
  if ("error" in parsed) return [fileFailure(null, `not valid JSON: ${parsed.error}`)];
  if (!Array.isArray(parsed.value)) return [{ line: null, item: null, value: parsed.value }];
  return parsed.value.map((value: unknown, item: number): ParsedEntry => ({ line: null, item, value }));
}

/** A `*.json` file's bytes as the text {@link parseWholeFile} parses (its BOM dropped); undefined when not UTF-8. */
export function wholeFileText(bytes: Uint8Array): string | undefined {
  try {
    return stripBom(utf8.decode(bytes));
  } catch {
    return undefined;
  }
}

/**
 * One NDJSON line (its bytes without LF or CRLF; `line` is 1-based): its record, a failure of
 * scope `record` naming the id it was written for when that can be read, or undefined for a
 * blank line. Each line is decoded on its own, so bad UTF-8 rejects only its line.
 */
export function parseLine(bytes: Uint8Array, line: number): ParsedEntry | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return lineFailure(line, "not valid UTF-8 text", lossyText.decode(bytes));
  }
  const content = line === 1 ? stripBom(text) : text;
  if (content.trim() === "") return undefined;
  const parsed = tryParseJson(content);
  return "error" in parsed
    ? lineFailure(line, `not valid JSON: ${parsed.error}`, content)
    : { line, item: null, value: parsed.value };
}

/** A file that could not be opened or read (from `line` on, when some lines were read). */
export function readFailure(error: unknown, line: number | null): ParsedEntry {
  return fileFailure(line, describeReadError(error));
}

function fileFailure(line: number | null, error: string): ParsedEntry {
  return { line, item: null, error, scope: "file", id: null };
}

/** A broken line stands for its own record only: the id is read from what was written of it. */
function lineFailure(line: number, error: string, text: string): ParsedEntry {
  return { line, item: null, error, scope: "record", id: readIdFromBrokenText(text) };
}

function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ? `cannot read the file (${code})` : `cannot read the file: ${String(error)}`;
}
