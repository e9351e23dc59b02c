/**
 * Reading compact JSON (as Meilisearch's serde_json writes it: no whitespace between tokens) in
 * place, as byte offsets into the buffer it came in, and writing JSON bytes into a growing
 * buffer: for the answers the API writes straight from Meilisearch's bytes instead of parsing them
 * into objects and serialising those again (`search-answer-bytes.ts`, `api/algolia/answer-bytes.ts`).
 * Every reader returns -1 where the bytes are not laid out as expected, and its caller then parses
 * them the ordinary way.
 */

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
const LETTER_U = 0x75;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;

/** Bytes of a string looked at one by one before a native search takes over. */
const SHORT_STRING = 24;

/**
 * Index of the quote closing the JSON string whose text starts at `from`, or -1: a loop over the
 * first bytes (most strings are short, and a native `indexOf` costs more than a short loop), then
 * `indexOf` for the rest of a long one.
 */
export function stringEnd(bytes: Buffer, from: number): number {
  const shortEnd = Math.min(from + SHORT_STRING, bytes.length);
  let at = from;
  for (; at < shortEnd; at += 1) {
    const byte = bytes[at];
    if (byte === QUOTE) return at;
    if (byte === BACKSLASH) at += 1;
  }
  // `at` is past any escape begun in the loop: from here, a quote closes the string unless an odd
  // number of backslashes comes right before it.
  for (at = bytes.indexOf(QUOTE, at); at !== -1; at = bytes.indexOf(QUOTE, at + 1)) {
    let backslashes = 0;
    while (at - 1 - backslashes >= from && bytes[at - 1 - backslashes] === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}

/** Index of `byte` in `bytes[from, to)`, or -1 (without searching past `to`). */
function indexWithin(bytes: Buffer, byte: number, from: number, to: number): number {
  const at = bytes.subarray(from, to).indexOf(byte);
  return at === -1 ? -1 : from + at;
}

/** Whether the JSON text `bytes[start, end)` holds a `\u` escape. */
export function hasUnicodeEscape(bytes: Buffer, start: number, end: number): boolean {
  for (let at = indexWithin(bytes, BACKSLASH, start, end); at !== -1; at = indexWithin(bytes, BACKSLASH, at + 2, end)) {
    if (bytes[at + 1] === LETTER_U) return true;
  }
  return false;
}

/** The index just past the JSON value starting at `at`, or -1. */
export function valueEnd(bytes: Buffer, at: number): number {
  const first = bytes[at];
  if (first === QUOTE) {
    const end = stringEnd(bytes, at + 1);
    return end === -1 ? -1 : end + 1;
  }
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let index = at; index < bytes.length; index += 1) {
      const byte = bytes[index];
      if (byte === QUOTE) {
        index = stringEnd(bytes, index + 1);
        if (index === -1) return -1;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth -= 1;
        if (depth === 0) return index + 1;
      }
    }
    return -1;
  }
  // A number, true, false or null: up to the token that ends it.
  let index = at;
  for (let byte = bytes[index]; byte !== undefined; byte = bytes[++index])
    if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET) break;
  return index === at || index === bytes.length ? -1 : index;
}

/** Reads the JSON value starting at `start`, returning the index just past it, or -1. */
export type ValueReader = (bytes: Buffer, start: number) => number;

/**
 * Where the values of some keys of one JSON object lie: `start(slot)`/`end(slot)` for each key
 * named when it was made (its slot is its place in that list), -1 for a key the object lacks.
 * One is reused for object after object ({@link ObjectSpans.read}).
 */
export class ObjectSpans {
  /** The keys asked for, as bytes, by their length in bytes: each with its slot. */
  readonly #byLength: readonly (readonly { readonly key: Buffer; readonly slot: number }[] | undefined)[];
  readonly #spans: Int32Array;
  /** How the values of some keys are read, by slot: instead of {@link valueEnd}. */
  readonly #readers: readonly (ValueReader | undefined)[];

  /**
   * @param readers how the values of some of `keys` are read instead of skipped (an object read
   *   with spans of its own as it is found, say, instead of skipped and read again)
   */
  constructor(keys: readonly string[], readers: Readonly<Record<string, ValueReader>> = {}) {
    const byLength: { key: Buffer; slot: number }[][] = [];
    keys.forEach((name, slot) => {
      const key = Buffer.from(name, "utf8");
      (byLength[key.length] ??= []).push({ key, slot });
    });
    this.#byLength = byLength;
    this.#spans = new Int32Array(keys.length * 2);
    this.#readers = keys.map((key) => readers[key]);
  }

  /**
   * Reads the object starting at `at` (its `{`): the spans of the keys asked for (the last one
   * when a key repeats, as `JSON.parse` keeps), every other key skipped.
   * @returns the index just past its `}`, or -1 when it is not a compact JSON object
   */
  read(bytes: Buffer, at: number): number {
    this.clear();
    if (bytes[at] !== OPEN_BRACE) return -1;
    let index = at + 1;
    if (bytes[index] === CLOSE_BRACE) return index + 1;
    for (;;) {
      if (bytes[index] !== QUOTE) return -1;
      const keyEnd = stringEnd(bytes, index + 1);
      if (keyEnd === -1 || bytes[keyEnd + 1] !== COLON) return -1;
      const start = keyEnd + 2;
      const slot = this.#slotOf(bytes, index + 1, keyEnd);
      const reader = slot === -1 ? undefined : this.#readers[slot];
      const end = reader === undefined ? valueEnd(bytes, start) : reader(bytes, start);
      if (end === -1) return -1;
      if (slot !== -1) {
        this.#spans[slot * 2] = start;
        this.#spans[slot * 2 + 1] = end;
      }
      const next = bytes[end];
      if (next === CLOSE_BRACE) return end + 1;
      if (next !== COMMA) return -1;
      index = end + 1;
    }
  }

  /** The slot of the key whose JSON text is `bytes[start, end)`, or -1 (a key written with escapes is none asked for). */
  #slotOf(bytes: Buffer, start: number, end: number): number {
    const candidates = this.#byLength[end - start];
    if (candidates === undefined) return -1;
    for (const { key, slot } of candidates) {
      let index = 0;
      while (index < key.length && key[index] === bytes[start + index]) index += 1;
      if (index === key.length) return slot;
    }
    return -1;
  }

  /** Forgets every span, as for an object holding none of the keys. */
  clear(): void {
    this.#spans.fill(-1);
  }

  /** Where the value of the key in `slot` starts, or -1. */
  start(slot: number): number {
    return this.#spans[slot * 2] as number;
  }

  /** The index just past the value of the key in `slot`, or -1. */
  end(slot: number): number {
    return this.#spans[slot * 2 + 1] as number;
  }
}

/**
 * Calls `each(start)` for every element of the JSON array starting at `at` (its `[`): it reads
 * the element and returns the index just past it, or -1 (say, {@link valueEnd}).
 * @returns the index just past its `]`, or -1 when it is not a compact JSON array
 */
export function forEachElement(bytes: Buffer, at: number, each: (start: number) => number): number {
  if (bytes[at] !== OPEN_BRACKET) return -1;
  let index = at + 1;
  if (bytes[index] === CLOSE_BRACKET) return index + 1;
  for (;;) {
    const end = each(index);
    if (end === -1) return -1;
    const next = bytes[end];
    if (next === CLOSE_BRACKET) return end + 1;
    if (next !== COMMA) return -1;
    index = end + 1;
  }
}

/** Pieces longer than this are copied natively; shorter ones four bytes at a time (see {@link ByteWriter.copy}). */
const NATIVE_COPY = 192;

/** Bytes written one piece after another into a buffer that grows as needed. */
export class ByteWriter {
  #buffer: Buffer;
  /** A view on {@link #buffer}, for writing four bytes at a time. */
  #view: DataView;
  #length = 0;
  /** The last buffer copied from, and a view on it. */
  #source: Buffer | undefined;
  #sourceView: DataView | undefined;

  constructor(capacity = 16 * 1024) {
    this.#buffer = Buffer.allocUnsafe(capacity);
    this.#view = viewOf(this.#buffer);
  }

  /** How many bytes are written. */
  get length(): number {
    return this.#length;
  }

  /** Drops what was written past `length` (to take back a piece begun). */
  truncate(length: number): void {
    this.#length = Math.min(length, this.#length);
  }

  /**
   * Writes `source[start, end)`. Most pieces are a few dozen bytes, for which a native copy's
   * call costs more than the copy (~60 ns whatever the size) and a byte loop ~1.7 ns a byte: they
   * are copied four bytes at a time through `DataView`s (~20 ns for 48 bytes).
   */
  copy(source: Buffer, start: number, end: number): void {
    const size = end - start;
    this.#reserve(size);
    let at = this.#length;
    this.#length += size;
    if (size > NATIVE_COPY) {
      source.copy(this.#buffer, at, start, end);
      return;
    }
    if (source !== this.#source) {
      this.#source = source;
      this.#sourceView = viewOf(source);
    }
    const from = this.#sourceView as DataView;
    const to = this.#view;
    let index = start;
    for (const whole = end - 3; index < whole; index += 4, at += 4) to.setUint32(at, from.getUint32(index, true), true);
    const buffer = this.#buffer;
    for (; index < end; index += 1) buffer[at++] = source[index] as number;
  }

  /** Writes all of `bytes`. */
  bytes(bytes: Buffer): void {
    this.#reserve(bytes.length);
    this.#buffer.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  /** Writes `text` as UTF-8. */
  text(text: string): void {
    this.#reserve(text.length * 3);
    this.#length += this.#buffer.write(text, this.#length, "utf8");
  }

  /** Writes one byte. */
  byte(byte: number): void {
    this.#reserve(1);
    this.#buffer[this.#length++] = byte;
  }

  /** What was written (a view on the writer's buffer: write nothing more while it is used). */
  written(): Buffer {
    return this.#buffer.subarray(0, this.#length);
  }

  #reserve(size: number): void {
    if (this.#length + size <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#length + size));
    this.#buffer.copy(grown, 0, 0, this.#length);
    this.#buffer = grown;
    this.#view = viewOf(grown);
  }
}

/** A `DataView` on exactly the bytes of `buffer`. */
function viewOf(buffer: Buffer): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
}
