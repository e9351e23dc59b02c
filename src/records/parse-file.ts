import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { readIdFromBrokenText } from "./broken-text-id.js";

/**
 * One value read from a record file: a parsed JSON value, or why the text could not be read.
 * A failure's `scope` says what it stands for: `file` (a `.json` file that does not parse, a file
 * that cannot be read: every record it held) or `record` (one NDJSON line, whose `id` is read
 * from the broken text when it can be).
 */
export type ParsedEntry =
  | { line: number | null; value: unknown }
  | { line: number | null; error: string; scope: "file" | "record"; id: string | null };

const BOM = "\uFEFF";
const utf8 = new TextDecoder("utf-8", { fatal: true });
const lossyText = new TextDecoder("utf-8");

/** Whether the file holds one record per line (NDJSON / JSONL). */
export function isLineDelimited(file: string): boolean {
  return /\.(ndjson|jsonl)$/i.test(file);
}

/**
 * Reads the records of one file. `*.json` holds one record or an array of them (`line` is null);
 * `*.ndjson` / `*.jsonl` hold one per line, streamed so memory does not grow with the file, blank
 * lines skipped, a broken line reported alone (`line` is 1-based). UTF-8 with or without BOM, LF or CRLF.
 */
export async function* readRecordFile(dir: string, file: string): AsyncGenerator<ParsedEntry> {
  const absolute = path.join(dir, file);
  if (isLineDelimited(file)) {
    yield* readLines(absolute);
  } else {
    yield* readWholeFile(absolute);
  }
}

async function* readWholeFile(absolute: string): AsyncGenerator<ParsedEntry> {
  let text: string;
  try {
    text = utf8.decode(await readFile(absolute));
  } catch (error) {
    yield fileFailure(null, describeReadError(error));
    return;
  }
  const parsed = parseJson(stripBom(text));
  if ("error" in parsed) {
    yield fileFailure(null, parsed.error);
  } else if (Array.isArray(parsed.value)) {
    for (const value of parsed.value) yield { line: null, value };
  } else {
    yield { line: null, value: parsed.value };
  }
}

async function* readLines(absolute: string): AsyncGenerator<ParsedEntry> {
  let line = 0;
  try {
    for await (const bytes of splitLines(createReadStream(absolute, { highWaterMark: 1 << 20 }))) {
      line += 1;
      const text = decodeLine(bytes);
      if (text === undefined) {
        yield lineFailure(line, "not valid UTF-8 text", lossyText.decode(bytes));
        continue;
      }
      const content = line === 1 ? stripBom(text) : text;
      if (content.trim() === "") continue;
      const parsed = parseJson(content);
      yield "error" in parsed ? lineFailure(line, parsed.error, content) : { line, value: parsed.value };
    }
  } catch (error) {
    yield fileFailure(line === 0 ? null : line + 1, describeReadError(error));
  }
}

function fileFailure(line: number | null, error: string): ParsedEntry {
  return { line, error, scope: "file", id: null };
}

/** A broken line stands for its own record only: the id is read from what was written of it. */
function lineFailure(line: number, error: string, text: string): ParsedEntry {
  return { line, error, scope: "record", id: readIdFromBrokenText(text) };
}

/**
 * The lines of a byte stream, without their LF or CRLF; faster than `readline` on bulk exports.
 * Split on bytes, so each line is decoded on its own and bad UTF-8 rejects only its line.
 */
async function* splitLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const data = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let start = 0;
    for (let end = data.indexOf(LF); end !== -1; end = data.indexOf(LF, start)) {
      yield withoutCarriageReturn(data.subarray(start, end));
      start = end + 1;
    }
    pending = data.subarray(start);
  }
  if (pending.length > 0) yield withoutCarriageReturn(pending);
}

const LF = 0x0a;
const CR = 0x0d;

function withoutCarriageReturn(line: Buffer): Buffer {
  return line.at(-1) === CR ? line.subarray(0, -1) : line;
}

/** The line as text, undefined when it is not valid UTF-8. */
function decodeLine(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { error: `not valid JSON: ${reason}` };
  }
}

function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

function describeReadError(error: unknown): string {
  if (error instanceof TypeError && /encoded data was not valid/i.test(error.message)) {
    return "not valid UTF-8 text";
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ? `cannot read the file (${code})` : `cannot read the file: ${String(error)}`;
}
