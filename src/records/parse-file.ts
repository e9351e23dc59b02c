import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import path from "node:path";

/** One value read from a record file: a parsed JSON value, or why the text was not JSON. */
export type ParsedEntry =
  | { line: number | null; value: unknown }
  | { line: number | null; error: string };

const BOM = "\uFEFF";
const utf8 = new TextDecoder("utf-8", { fatal: true });

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
    yield { line: null, error: describeReadError(error) };
    return;
  }
  const parsed = parseJson(stripBom(text));
  if ("error" in parsed) {
    yield { line: null, error: parsed.error };
  } else if (Array.isArray(parsed.value)) {
    for (const value of parsed.value) yield { line: null, value };
  } else {
    yield { line: null, value: parsed.value };
  }
}

async function* readLines(absolute: string): AsyncGenerator<ParsedEntry> {
  const stream = createReadStream(absolute, { encoding: "utf8" });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const raw of lines) {
      line += 1;
      const text = line === 1 ? stripBom(raw) : raw;
      if (text.trim() === "") continue;
      const parsed = parseJson(text);
      yield "error" in parsed ? { line, error: parsed.error } : { line, value: parsed.value };
    }
  } catch (error) {
    yield { line: line === 0 ? null : line, error: describeReadError(error) };
  } finally {
    lines.close();
    stream.destroy();
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
