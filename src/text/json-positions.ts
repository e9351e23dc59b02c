/**
 * Where things are in a JSON text, without building its values: the start of a value, the members
 * of an object (each key, decoded, with where the key and its value start), the items of an array,
 * and the 1-based line of an offset. For text that `JSON.parse` accepted; on anything else the
 * answers are merely incomplete, never an exception.
 */
export class JsonPositions {
  readonly text: string;
  /** Offsets of every LF, ascending: a line is found by binary search. */
  #newlines: number[] | undefined;

  constructor(text: string) {
    this.text = text;
  }

  /** The offset of the first value at or after `from` (white space skipped). */
  valueStart(from = 0): number {
    const text = this.text;
    let at = from;
    while (at < text.length && isWhiteSpace(text.charCodeAt(at))) at += 1;
    return at;
  }

  /** The members of the object starting at `start`, in order; empty when it is not an object. */
  members(start: number): { key: string; keyStart: number; valueStart: number }[] {
    const text = this.text;
    const found: { key: string; keyStart: number; valueStart: number }[] = [];
    if (text[start] !== "{") return found;
    let at = this.valueStart(start + 1);
    while (at < text.length && text[at] === '"') {
      const keyEnd = this.#end(at);
      const key = decodeString(text.slice(at, keyEnd));
      const colon = this.valueStart(keyEnd);
      if (key === undefined || text[colon] !== ":") break;
      const value = this.valueStart(colon + 1);
      found.push({ key, keyStart: at, valueStart: value });
      at = this.valueStart(this.#end(value));
      if (text[at] !== ",") break;
      at = this.valueStart(at + 1);
    }
    return found;
  }

  /** The start of each item of the array starting at `start`; empty when it is not an array. */
  items(start: number): number[] {
    const text = this.text;
    const found: number[] = [];
    if (text[start] !== "[") return found;
    let at = this.valueStart(start + 1);
    while (at < text.length && text[at] !== "]") {
      found.push(at);
      at = this.valueStart(this.#end(at));
      if (text[at] !== ",") break;
      at = this.valueStart(at + 1);
    }
    return found;
  }

  /** The 1-based line the offset is on. */
  lineAt(offset: number): number {
    const newlines = (this.#newlines ??= lineBreaks(this.text));
    let low = 0;
    let high = newlines.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((newlines[middle] as number) < offset) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  }

  /** The offset just past the value starting at `start`. */
  #end(start: number): number {
    const text = this.text;
    const first = text[start];
    if (first === '"') {
      let at = start + 1;
      while (at < text.length) {
        const char = text.charCodeAt(at);
        if (char === BACKSLASH) at += 2;
        else if (char === QUOTE) return at + 1;
        else at += 1;
      }
      return at;
    }
    if (first === "{" || first === "[") {
      let depth = 0;
      let at = start;
      while (at < text.length) {
        const char = text.charCodeAt(at);
        if (char === QUOTE) {
          at = this.#end(at);
          continue;
        }
        if (char === OPEN_BRACE || char === OPEN_BRACKET) depth += 1;
        else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
          depth -= 1;
          if (depth === 0) return at + 1;
        }
        at += 1;
      }
      return at;
    }
    let at = start;
    while (at < text.length && !isValueEnd(text.charCodeAt(at))) at += 1;
    return at;
  }
}

/**
 * The offset a `JSON.parse` error message points at: the `position N` V8 names, or else the start
 * of the excerpt it quotes around an unexpected token (up to 10 characters either side of it).
 */
export function errorOffset(text: string, message: string): number | undefined {
  const position = /position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  const excerpt = /Unexpected token '(.+?)', (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(message);
  if (!excerpt) return undefined;
  const [, token = "", cut, quoted = ""] = excerpt;
  const at = text.indexOf(quoted);
  if (at < 0) return undefined;
  return at + (cut === undefined ? Math.max(0, quoted.indexOf(token)) : 10);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isWhiteSpace(char: number): boolean {
  return char === 0x20 || char === 0x0a || char === 0x0d || char === 0x09;
}

/** What ends a number or a literal: white space, `,`, `]` or `}`. */
function isValueEnd(char: number): boolean {
  return isWhiteSpace(char) || char === 0x2c || char === CLOSE_BRACKET || char === CLOSE_BRACE;
}

function decodeString(quoted: string): string | undefined {
  try {
    const value: unknown = JSON.parse(quoted);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

function lineBreaks(text: string): number[] {
  const offsets: number[] = [];
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) offsets.push(at);
  return offsets;
}
