import { tryParseJson } from "../text/parse-json.js";
import { toWellFormedText } from "../text/well-formed.js";

/**
 * The value-level rules of the input contract: key spellings, lists, key-value groups, numbers,
 * flags. Each function returns the normalised value, or the input unchanged when it cannot be
 * read, so that validation reports it against its field.
 * @see docs/records.md "Spellings postindex accepts for the same thing"
 */

/** Keys seen so far and their normalised spelling: exports repeat the same few keys millions of times. */
const normalisedKeys = new Map<string, string>();
const MAX_CACHED_KEYS = 10_000;

/** `viewCount`, `view count`, `view-count`, `View Count` → `view_count`. */
export function normaliseKey(key: string): string {
  const cached = normalisedKeys.get(key);
  if (cached !== undefined) return cached;
  const normalised = key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (normalisedKeys.size < MAX_CACHED_KEYS) normalisedKeys.set(key, normalised);
  return normalised;
}

/**
 * The own keys of a JSON object under their normalised spelling; the first spelling present wins.
 * A Map, so hostile keys such as `__proto__` are plain data and never reach a prototype.
 */
export function readKeys(value: unknown): Map<string, unknown> | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = new Map<string, unknown>();
  for (const key of Object.keys(value)) {
    const entry = value[key];
    const normalised = normaliseKey(key);
    if (entry !== undefined && entry !== null && !keys.has(normalised)) keys.set(normalised, entry);
  }
  return keys;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Trimmed, well-formed text (a lone surrogate becomes U+FFFD); numbers become their decimal text. */
export function readText(value: unknown): unknown {
  if (typeof value === "string") return toWellFormedText(value.trim());
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return value;
}

/** Text on one line: trimmed, inner white space collapsed (titles). */
export function readLineText(value: unknown): unknown {
  const text = readText(value);
  return typeof text === "string" ? text.replace(/\s+/gu, " ") : text;
}

export interface ListOptions {
  /** `stack`, `tools`: a plain string is comma-separated values. */
  commaSeparated?: boolean;
  /** `paragraphs`: a plain string is split on blank lines. */
  paragraphs?: boolean;
}

const BULLET_LINE = /^\s*(?:[•·▪◦‣∙]|[-*+](?=\s))\s*/u;

/**
 * A list given as an array, or as one string holding a JSON array, a Python-style list
 * (`['a', 'b']`), bullet lines (`• a`, `- a`, `* a`), comma-separated values (stack, tools), or
 * paragraphs separated by blank lines. Items are trimmed; empty items are dropped.
 */
export function readList(value: unknown, options: ListOptions = {}): unknown {
  if (Array.isArray(value)) return readArrayItems(value);
  if (typeof value !== "string") return value;
  const text = toWellFormedText(value.trim());
  if (text === "") return [];
  if (text.startsWith("[") && text.endsWith("]")) {
    // `['a', 'b']` is the common Python-style export; trying JSON first would throw on every one.
    const items = /^\[\s*'/.test(text)
      ? (parsePythonList(text) ?? parseJsonArray(text))
      : (parseJsonArray(text) ?? parsePythonList(text));
    if (items) return readArrayItems(items);
  }
  const lines = text.split(/\r?\n/);
  if (lines.some((line) => BULLET_LINE.test(line))) {
    return lines.map((line) => line.replace(BULLET_LINE, "").trim()).filter((line) => line !== "");
  }
  if (options.paragraphs) return splitNonEmpty(text, /\r?\n\s*\r?\n/);
  if (options.commaSeparated) return splitNonEmpty(text, /[,;]/);
  return splitNonEmpty(text, /\r?\n/);
}

function readArrayItems(items: readonly unknown[]): unknown {
  const out: unknown[] = [];
  for (const item of items) {
    if (item === null || item === undefined) continue;
    const text = readText(item);
    if (text !== "") out.push(text);
  }
  return out;
}

function splitNonEmpty(text: string, separator: RegExp): string[] {
  return text
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

function parseJsonArray(text: string): unknown[] | undefined {
  const read = tryParseJson(text);
  return "value" in read && Array.isArray(read.value) ? read.value : undefined;
}

/** `['a', "b's", 'c\'d']` → `["a", "b's", "c'd"]`; undefined when the text is not such a list. */
export function parsePythonList(text: string): string[] | undefined {
  const items: string[] = [];
  let position = 1;
  const end = text.length - 1;
  const skipSpace = (): void => {
    while (position < end && /\s/u.test(text[position] ?? "")) position += 1;
  };
  skipSpace();
  while (position < end) {
    const quote = text[position];
    if (quote !== "'" && quote !== '"') return undefined;
    let item = "";
    position += 1;
    while (position < end && text[position] !== quote) {
      if (text[position] === "\\" && position + 1 < end) position += 1;
      item += text[position];
      position += 1;
    }
    if (position >= end) return undefined;
    items.push(item);
    position += 1;
    skipSpace();
    if (position < end && text[position] !== ",") return undefined;
    position += 1;
    skipSpace();
  }
  return items;
}

/**
 * A key-value group (`ai_outline`, `score`, `revision`, `flags`, `payload`) given as an object, a
 * list of `"key: value"` strings, or one string of such lines. Keys are normalised.
 * @returns a `Map` from normalised key to value, or the value as given when it is no such group
 */
export function readKeyValues(value: unknown): unknown {
  const keys = readKeys(value);
  if (keys) return keys;
  if (typeof value === "string" && value.trim().startsWith("{")) {
    const read = tryParseJson(value);
    return ("value" in read ? readKeys(read.value) : undefined) ?? value;
  }
  const lines = readList(value);
  if (!Array.isArray(lines)) return value;
  const pairs = new Map<string, unknown>();
  for (const line of lines) {
    if (typeof line !== "string") return value;
    const colon = line.indexOf(":");
    if (colon <= 0) return value;
    const key = normaliseKey(line.slice(0, colon));
    if (!pairs.has(key)) pairs.set(key, line.slice(colon + 1).trim());
  }
  return pairs;
}

const LEADING_NUMBER = /^([+-]?(?:\d{1,3}(?:[,_ ]\d{3})+|\d+)(?:\.\d+)?)(?:\s*[\p{L}%][\p{L}\s.%]*)?$/u;

/** `66607`, `"66,607"`, `"5 min"`, `"1 234.5"` → a number; anything else is returned unchanged. */
export function readNumber(value: unknown): unknown {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return value;
  const match = LEADING_NUMBER.exec(value.trim());
  if (!match?.[1]) return value;
  return Number(match[1].replace(/[,_ ]/g, ""));
}

const TRUE_WORDS = new Set(["1", "true", "yes", "y", "on"]);
const FALSE_WORDS = new Set(["0", "false", "no", "n", "off", ""]);

/** `1/0`, `"1"/"0"`, `true/false`, `"true"/"false"`, `"yes"/"no"` → a boolean. */
export function readFlag(value: unknown): unknown {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== "string") return value;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return value;
}

/** An ISO date (`2018-05-22`), also accepted as the date part of an ISO timestamp. */
export function readDate(value: unknown): unknown {
  const text = readText(value);
  if (typeof text !== "string") return text;
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  return match?.[1] ?? text;
}
