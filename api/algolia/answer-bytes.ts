import { FACETS, fromDocumentId, type Facet } from "../../src/index.js";
import { HTML_ENTITY_BYTES, MARKER_BYTES } from "../../src/search-highlight.js";
import {
  BACKSLASH,
  ByteWriter,
  CLOSE_BRACKET,
  forEachElement,
  hasUnicodeEscape,
  ObjectSpans,
  OPEN_BRACKET,
  QUOTE,
  stringEnd,
  valueEnd,
} from "../../src/json-bytes.js";
import {
  algoliaResultCounts,
  highlightValue,
  plain,
  tagsFor,
  toAlgoliaFacetCounts,
  toAlgoliaResult,
  type HitShape,
  type MeiliResult,
  type SearchContext,
  type Tags,
} from "./answer.js";

/**
 * An Algolia search result written straight from the bytes of Meilisearch's result, without
 * parsing them into objects and serialising Algolia's shape again: the value `toAlgoliaResult`
 * gives (`answer.ts`, the reference, which this must match). On the bench's multi-queries the
 * parse, conversion, serialisation and encoding cost ~280–310 µs of the API's ~0.8–1 ms per
 * request, on cores it shares with Meilisearch, and this ~165 µs (bench/NOTES.md, "Algolia route"),
 * facet counts included.
 *
 * Text is copied as the JSON-escaped bytes Meilisearch wrote, markers turned into the request's
 * tags and, when the tags are HTML, `& < > " '` into entities; only the matched words are decoded
 * (for `matchedWords`). A string holding a `\u` escape is decoded and converted the ordinary way,
 * so nothing depends on how a character was escaped, and a result laid out any other way than
 * compact JSON is parsed and converted whole ({@link writeAlgoliaResult}'s fallback).
 */

const ascii = (text: string): Buffer => Buffer.from(text, "latin1");

/** The UTF-8 bytes of the highlight markers (see `src/search-highlight.ts`). */
const {
  lead: MARKER_LEAD,
  middle: MARKER_MIDDLE,
  openLast: MARKER_OPEN_LAST,
  closeLast: MARKER_CLOSE_LAST,
  length: MARKER_LENGTH,
} = MARKER_BYTES;

const SPACE = 0x20;
const LETTER_U = 0x75;
/** The letters of the JSON escapes of whitespace: `\n`, `\t`, `\r`, `\f`. */
const WHITESPACE_ESCAPES = new Set([0x6e, 0x74, 0x72, 0x66]);

const HITS_OPEN = ascii('{"hits":[');
const HITS_CLOSE = ascii("],");
const OBJECT_ID = ascii('"objectID":');
const HIGHLIGHT_RESULT = ascii(',"_highlightResult":{');
const SNIPPET_RESULT = ascii(',"_snippetResult":{');
const VALUE_OPEN = ascii('{"value":"');
const LEVEL_NONE = ascii('","matchLevel":"none"');
const LEVEL_PARTIAL = ascii('","matchLevel":"partial"');
const LEVEL_FULL = ascii('","matchLevel":"full"');
const NO_WORDS = ascii(',"matchedWords":[]}');
const WORDS = ascii(',"matchedWords":');
const FULLY_HIGHLIGHTED = ascii(',"fullyHighlighted":true}');
const PARTLY_HIGHLIGHTED = ascii(',"fullyHighlighted":false}');
const EMPTY_HIGHLIGHT = ascii('{"value":"","matchLevel":"none","matchedWords":[]}');
const CLOSE_OBJECT = ascii("}");
const ENCODED_ID_PREFIX = ascii("b64_");

/** The keys of a Meilisearch result read here. */
const RESULT_KEYS = ["hits", "totalHits", "estimatedTotalHits", "totalPages", "processingTimeMs", "facetDistribution"];
const [HITS, TOTAL_HITS, ESTIMATED_TOTAL_HITS, TOTAL_PAGES, PROCESSING_TIME, FACET_DISTRIBUTION] = RESULT_KEYS.map(
  (_, slot) => slot,
) as [number, number, number, number, number, number];

/** One field of a hit as written: its key's bytes, where its value is read, and its slot there. */
interface FieldPlan {
  readonly key: Buffer;
  readonly slot: number;
  readonly fromFormatted: boolean;
}

/** The bytes of `text` as written inside a JSON string. */
const jsonStringText = (text: string): Buffer => Buffer.from(JSON.stringify(text).slice(1, -1), "utf8");

/**
 * What writing the hits of searches of one shape with one pair of tags needs, worked out once
 * and kept ({@link hitWriterPlanFor}): the same few shapes come back request after request.
 */
class HitWriterPlan {
  readonly pre: Buffer;
  readonly post: Buffer;
  readonly html: boolean;
  readonly hit: ObjectSpans;
  readonly formatted: ObjectSpans;
  readonly retrieved: readonly FieldPlan[];
  readonly highlighted: readonly FieldPlan[];
  readonly snippeted: readonly FieldPlan[];
  readonly idSlot: number;

  constructor(shape: HitShape, tags: Pick<Tags, "pre" | "post">) {
    this.pre = jsonStringText(tags.pre);
    this.post = jsonStringText(tags.post);
    this.html = tags.pre.includes("<") || tags.post.includes("<");
    const keys = [...new Set(["id", "_formatted", ...shape.retrieve, ...shape.highlight, ...shape.snippet])];
    const formatted = new ObjectSpans(keys);
    this.formatted = formatted;
    this.hit = new ObjectSpans(keys, {
      _formatted: (bytes, start) => (bytes[start] === 0x7b ? formatted.read(bytes, start) : valueEnd(bytes, start)),
    });
    const plan = (field: string): FieldPlan => ({
      key: Buffer.from(`${JSON.stringify(field)}:`, "utf8"),
      slot: keys.indexOf(field),
      fromFormatted: shape.fromFormatted.includes(field),
    });
    this.retrieved = shape.retrieve.filter((field) => field !== "id").map(plan);
    this.highlighted = shape.highlight.map(plan);
    this.snippeted = shape.snippet.map(plan);
    this.idSlot = keys.indexOf("id");
  }
}

/** How many plans are kept; past that, the kept ones are dropped and made again as needed. */
const KEPT_PLANS = 64;
const keptPlans = new Map<string, HitWriterPlan>();

/**
 * The plan for `shape` and `tags`, made once and kept. Its spans are reused from hit to hit and
 * from result to result, which is safe because a result is written in one synchronous call.
 */
function hitWriterPlanFor(shape: HitShape, tags: Tags): HitWriterPlan {
  const key = JSON.stringify([
    tags.pre,
    tags.post,
    shape.retrieve,
    shape.highlight,
    shape.snippet,
    shape.fromFormatted,
  ]);
  let plan = keptPlans.get(key);
  if (plan === undefined) {
    if (keptPlans.size >= KEPT_PLANS) keptPlans.clear();
    plan = new HitWriterPlan(shape, tags);
    keptPlans.set(key, plan);
  }
  return plan;
}

/** Where a value lies in the result's bytes. */
interface Span {
  readonly start: number;
  readonly end: number;
}

const NOT_FOUND: Span = { start: -1, end: -1 };

function spanOf(spans: ObjectSpans, slot: number): Span {
  const start = spans.start(slot);
  return start === -1 ? NOT_FOUND : { start, end: spans.end(slot) };
}

const isNull = (bytes: Buffer, span: Span): boolean =>
  span.end - span.start === 4 && bytes.toString("latin1", span.start, span.end) === "null";

/** Writes the Algolia hits of one result's Meilisearch hits, one at a time. */
class HitsWriter {
  readonly #bytes: Buffer;
  readonly #out: ByteWriter;
  readonly #plan: HitWriterPlan;
  readonly #tags: Tags;
  /** Where the markers are in the hits, in order (found once, for every field). */
  readonly #markers: Int32Array;
  /** Where the `\u` escapes are in the hits, in order. */
  readonly #escapes: Int32Array;
  /** The markers of the hit being written: {@link #markers}`[#hitMarkersFrom, #hitMarkersTo)`. */
  #hitMarkersFrom = 0;
  #hitMarkersTo = 0;

  constructor(bytes: Buffer, out: ByteWriter, context: SearchContext, hits: Span) {
    this.#bytes = bytes;
    this.#out = out;
    this.#tags = tagsFor(context.params);
    this.#plan = hitWriterPlanFor(context.shape, this.#tags);
    this.#markers = findMarkers(bytes, hits.start, hits.end);
    this.#escapes = findUnicodeEscapes(bytes, hits.start, hits.end);
  }

  /**
   * The index of the first marker at or after `position`, in the hit being written, or -1; past
   * the hit's markers, the first after them (which its callers see lies past their value).
   */
  #firstMarkerAtOrAfter(position: number): number {
    const at = lowerBound(this.#markers, position, this.#hitMarkersFrom, this.#hitMarkersTo);
    return at === this.#markers.length ? -1 : at;
  }

  /** Whether `bytes[start, end)` holds a `\u` escape. */
  #hasEscape(start: number, end: number): boolean {
    const at = lowerBound(this.#escapes, start);
    return at !== this.#escapes.length && (this.#escapes[at] as number) < end;
  }

  /**
   * Writes the Algolia hit of the Meilisearch hit starting at `start`.
   * @returns the index just past the hit, or -1 when it is not laid out as expected
   */
  hit(start: number): number {
    const bytes = this.#bytes;
    const plan = this.#plan;
    const out = this.#out;
    // Its `_formatted` is read with it; when that is not an object (null, say), it reads as
    // holding nothing, as `hit._formatted ?? {}` does.
    plan.formatted.clear();
    const hitEnd = plan.hit.read(bytes, start);
    if (hitEnd === -1) return -1;
    this.#hitMarkersFrom = lowerBound(this.#markers, start);
    this.#hitMarkersTo = lowerBound(this.#markers, hitEnd, this.#hitMarkersFrom);
    const id = spanOf(plan.hit, plan.idSlot);
    if (id.start === -1 || bytes[id.start] !== QUOTE || this.#hasEscape(id.start, id.end)) return -1;
    out.byte(0x7b);
    for (const field of plan.retrieved) {
      const value = spanOf(field.fromFormatted ? plan.formatted : plan.hit, field.slot);
      if (value.start === -1) continue;
      out.bytes(field.key);
      this.#plain(value);
      out.byte(0x2c);
    }
    out.bytes(OBJECT_ID);
    if (bytes.compare(ENCODED_ID_PREFIX, 0, ENCODED_ID_PREFIX.length, id.start + 1, id.start + 5) === 0)
      out.text(JSON.stringify(fromDocumentId(bytes.toString("latin1", id.start + 1, id.end - 1))));
    else out.copy(bytes, id.start, id.end);
    if (plan.highlighted.length > 0) {
      out.bytes(HIGHLIGHT_RESULT);
      let first = true;
      for (const field of plan.highlighted) {
        const value = this.#formattedOrHit(field);
        const kind = bytes[value.start];
        if (value.start === -1 || (kind !== QUOTE && kind !== OPEN_BRACKET)) continue;
        if (!first) out.byte(0x2c);
        first = false;
        out.bytes(field.key);
        if (kind === QUOTE) this.#highlight(value.start, value.end, true);
        else if (!this.#highlightList(value)) return -1;
      }
      out.byte(0x7d);
    }
    if (plan.snippeted.length > 0) {
      out.bytes(SNIPPET_RESULT);
      let first = true;
      for (const field of plan.snippeted) {
        const value = this.#formattedOrHit(field);
        if (value.start === -1 || bytes[value.start] !== QUOTE) continue;
        if (!first) out.byte(0x2c);
        first = false;
        out.bytes(field.key);
        this.#highlight(value.start, value.end, false);
      }
      out.byte(0x7d);
    }
    out.byte(0x7d);
    return hitEnd;
  }

  /** `formatted[field] ?? hit[field]`. */
  #formattedOrHit(field: FieldPlan): Span {
    const formatted = spanOf(this.#plan.formatted, field.slot);
    if (formatted.start !== -1 && !isNull(this.#bytes, formatted)) return formatted;
    return spanOf(this.#plan.hit, field.slot);
  }

  /** Writes `plain(value)`: strings (in lists too) without the markers, anything else as it is. */
  #plain(value: Span): void {
    const bytes = this.#bytes;
    const out = this.#out;
    const kind = bytes[value.start];
    const isList = kind === OPEN_BRACKET;
    if (kind !== QUOTE && !isList) {
      out.copy(bytes, value.start, value.end);
      return;
    }
    // Text escaped as `\u` may hide a marker, and a list holding objects keeps theirs (`plain`
    // leaves objects as they are): both the ordinary way.
    if (this.#hasEscape(value.start, value.end)) {
      this.#plainParsed(value);
      return;
    }
    let markerAt = this.#firstMarkerAtOrAfter(value.start);
    if (markerAt === -1 || (this.#markers[markerAt] as number) >= value.end) {
      out.copy(bytes, value.start, value.end);
      return;
    }
    if (isList && this.#holdsObject(value)) {
      this.#plainParsed(value);
      return;
    }
    let copied = value.start;
    for (; markerAt < this.#markers.length; markerAt += 1) {
      const at = this.#markers[markerAt] as number;
      if (at >= value.end) break;
      out.copy(bytes, copied, at);
      copied = at + MARKER_LENGTH;
    }
    out.copy(bytes, copied, value.end);
  }

  /** Writes `plain(value)` the ordinary way: parsed, stripped, serialised. */
  #plainParsed(value: Span): void {
    const text = this.#bytes.toString("utf8", value.start, value.end);
    this.#out.text(JSON.stringify(plain(JSON.parse(text))));
  }

  /** Whether the list `value` holds an object (a `{` outside its strings). */
  #holdsObject(value: Span): boolean {
    const bytes = this.#bytes;
    for (let index = value.start + 1; index < value.end; index += 1) {
      const byte = bytes[index];
      if (byte === 0x7b) return true;
      if (byte === QUOTE) {
        index = stringEnd(bytes, index + 1);
        if (index === -1 || index >= value.end) return true;
      }
    }
    return false;
  }

  /** Writes the highlights of the list `value`: each string's, `""`'s for anything else. */
  #highlightList(value: Span): boolean {
    const bytes = this.#bytes;
    const out = this.#out;
    out.byte(OPEN_BRACKET);
    let first = true;
    const end = forEachElement(bytes, value.start, (start) => {
      const itemEnd = valueEnd(bytes, start);
      if (itemEnd === -1) return -1;
      if (!first) out.byte(0x2c);
      first = false;
      if (bytes[start] === QUOTE) this.#highlight(start, itemEnd, true);
      else out.bytes(EMPTY_HIGHLIGHT);
      return itemEnd;
    });
    out.byte(CLOSE_BRACKET);
    return end === value.end;
  }

  /** The first marker of `kind` (its last byte) in `[from, to)`, from marker index `index` on, or -1. */
  #nextMarker(index: number, kind: number, to: number): number {
    const markers = this.#markers;
    for (let at = index; at < markers.length; at += 1) {
      const position = markers[at] as number;
      if (position >= to) return -1;
      if (this.#bytes[position + 2] === kind) return at;
    }
    return -1;
  }

  /**
   * Writes `highlightValue` of the JSON string `bytes[start, end)` (its quotes included): the
   * whole object, or with `full` false only `{value, matchLevel}` (a snippet).
   */
  #highlight(start: number, end: number, full: boolean): void {
    const bytes = this.#bytes;
    const out = this.#out;
    const tags = this.#tags;
    const textStart = start + 1;
    const textEnd = end - 1;
    if (this.#hasEscape(textStart, textEnd)) {
      const highlight = highlightValue(JSON.parse(bytes.toString("utf8", start, end)) as string, tags);
      out.text(JSON.stringify(full ? highlight : { value: highlight.value, matchLevel: highlight.matchLevel }));
      return;
    }
    const from = this.#firstMarkerAtOrAfter(textStart);
    const firstOpen = from === -1 ? -1 : this.#nextMarker(from, MARKER_OPEN_LAST, textEnd);
    out.bytes(VALUE_OPEN);
    if (firstOpen === -1) {
      this.#text(textStart, textEnd);
      out.bytes(LEVEL_NONE);
      out.bytes(full ? NO_WORDS : CLOSE_OBJECT);
      return;
    }
    const markers = this.#markers;
    let openIndex = firstOpen;
    let open = markers[openIndex] as number;
    this.#text(textStart, open);
    let hasPlainText = this.#hasText(textStart, open);
    const matchedWords: string[] = [];
    // Whether a word was written with an escape, which JSON.stringify then writes again.
    let escapedWords = false;
    while (openIndex !== -1) {
      const matchStart = open + MARKER_LENGTH;
      const nextOpenIndex = this.#nextMarker(openIndex + 1, MARKER_OPEN_LAST, textEnd);
      const matchEnd = nextOpenIndex === -1 ? textEnd : (markers[nextOpenIndex] as number);
      const closeIndex = this.#nextMarker(openIndex + 1, MARKER_CLOSE_LAST, matchEnd);
      const close = closeIndex === -1 ? matchEnd : (markers[closeIndex] as number);
      out.bytes(this.#plan.pre);
      this.#text(matchStart, close);
      out.bytes(this.#plan.post);
      if (close !== matchEnd) {
        this.#text(close + MARKER_LENGTH, matchEnd);
        if (!hasPlainText && this.#hasText(close + MARKER_LENGTH, matchEnd)) hasPlainText = true;
      }
      const raw = bytes.toString("utf8", matchStart, close);
      const hasEscape = raw.includes("\\");
      if (hasEscape) escapedWords = true;
      const word = (hasEscape ? (JSON.parse(`"${raw}"`) as string) : raw).trim().toLowerCase();
      if (word !== "" && !matchedWords.includes(word)) matchedWords.push(word);
      openIndex = nextOpenIndex;
      if (openIndex !== -1) open = markers[openIndex] as number;
    }
    if (matchedWords.length === 0) {
      out.bytes(LEVEL_NONE);
      out.bytes(full ? NO_WORDS : CLOSE_OBJECT);
      return;
    }
    const isFull = tags.queryWords.length > 0 && matchedWords.length >= tags.queryWords.length;
    out.bytes(isFull ? LEVEL_FULL : LEVEL_PARTIAL);
    if (!full) {
      out.bytes(CLOSE_OBJECT);
      return;
    }
    out.bytes(WORDS);
    // Text without escapes holds no quote, backslash or control character: written between quotes as it is.
    out.text(escapedWords ? JSON.stringify(matchedWords) : `["${matchedWords.join('","')}"]`);
    out.bytes(hasPlainText ? PARTLY_HIGHLIGHTED : FULLY_HIGHLIGHTED);
  }

  /** Writes the JSON string text `bytes[start, end)` as `tags.write` would: HTML-escaped when the tags are HTML. */
  #text(start: number, end: number): void {
    const bytes = this.#bytes;
    const out = this.#out;
    if (!this.#plan.html) {
      out.copy(bytes, start, end);
      return;
    }
    let copied = start;
    for (let index = start; index < end; index += 1) {
      const byte = bytes[index] as number;
      if (byte === BACKSLASH) {
        // `\"` is a quote: `&quot;`; any other escape stays as it is.
        if (bytes[index + 1] === QUOTE) {
          out.copy(bytes, copied, index);
          out.bytes(HTML_ENTITY_BYTES[QUOTE] as Buffer);
          copied = index + 2;
        }
        index += 1;
      } else if (byte === 0x26 || byte === 0x3c || byte === 0x3e || byte === 0x27) {
        out.copy(bytes, copied, index);
        out.bytes(HTML_ENTITY_BYTES[byte] as Buffer);
        copied = index + 1;
      }
    }
    out.copy(bytes, copied, end);
  }

  /** Whether the JSON string text `bytes[start, end)` holds anything but whitespace (`text.trim() !== ""`). */
  #hasText(start: number, end: number): boolean {
    const bytes = this.#bytes;
    for (let index = start; index < end; index += 1) {
      const byte = bytes[index] as number;
      if (byte === SPACE) continue;
      if (byte === BACKSLASH) {
        if (!WHITESPACE_ESCAPES.has(bytes[index + 1] as number)) return true;
        index += 1;
        continue;
      }
      // Past ASCII, Unicode's spaces count too: decoded and trimmed.
      if (byte >= 0x80) return this.#decode(start, end).trim() !== "";
      return true;
    }
    return false;
  }

  /** The text of the JSON string text `bytes[start, end)`. */
  #decode(start: number, end: number): string {
    const raw = this.#bytes.toString("utf8", start, end);
    return raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
  }
}

/** The index in `sorted[low, high)` of its first value at or after `from`, else `high`. */
function lowerBound(sorted: Int32Array, from: number, low = 0, high = sorted.length): number {
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < from) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Where the `\u` escapes are in the JSON text `bytes[start, end)`: the index of each backslash, in order. */
function findUnicodeEscapes(bytes: Buffer, start: number, end: number): Int32Array {
  const found: number[] = [];
  for (let at = bytes.indexOf(BACKSLASH, start); at !== -1 && at < end; at = bytes.indexOf(BACKSLASH, at + 2))
    if (bytes[at + 1] === LETTER_U) found.push(at);
  return Int32Array.from(found);
}

/** Where the markers are in `bytes[start, end)`: the index of each one's first byte, in order. */
function findMarkers(bytes: Buffer, start: number, end: number): Int32Array {
  const found: number[] = [];
  for (let at = bytes.indexOf(MARKER_LEAD, start); at !== -1 && at < end; at = bytes.indexOf(MARKER_LEAD, at + 1)) {
    const last = bytes[at + 2];
    if (bytes[at + 1] === MARKER_MIDDLE && (last === MARKER_OPEN_LAST || last === MARKER_CLOSE_LAST)) {
      found.push(at);
      at += 2;
    }
  }
  return Int32Array.from(found);
}

/** One result of a Meilisearch multi-search, where it lies in the bytes Meilisearch answered. */
export interface ResultBytes {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
  /** Where its keys' values lie, when it was read as compact JSON. */
  readonly spans?: ObjectSpans | undefined;
}

const RESULTS_KEY = Buffer.from('{"results":', "latin1");
/**
 * What follows the hits in a result as Meilisearch writes it. A raw `"` after a comma is no escaped
 * quote, and no string ends in `],` followed by a letter: found in the bytes, this is structure,
 * the end of the hits unless a hit held a list of objects followed by a key named `query` (which
 * reading the hits one by one then finds).
 */
const AFTER_HITS = Buffer.from('],"query":', "latin1");

/** The index just past the hits starting at `start`, found by what follows them, else read. */
function hitsListEnd(bytes: Buffer, start: number): number {
  if (bytes[start] !== OPEN_BRACKET) return valueEnd(bytes, start);
  if (bytes[start + 1] === CLOSE_BRACKET) return start + 2;
  const at = bytes.indexOf(AFTER_HITS, start);
  return at === -1 ? valueEnd(bytes, start) : at + 1;
}

/** The results of a Meilisearch multi-search answer (`{"results":[…]}`), each where it lies, or undefined. */
export function resultsOf(bytes: Buffer): ResultBytes[] | undefined {
  const start = RESULTS_KEY.length;
  if (bytes.compare(RESULTS_KEY, 0, start, 0, start) !== 0) return undefined;
  const results: ResultBytes[] = [];
  const end = forEachElement(bytes, start, (resultStart) => {
    const spans = new ObjectSpans(RESULT_KEYS, { hits: hitsListEnd });
    const resultEnd = spans.read(bytes, resultStart);
    if (resultEnd !== -1) results.push({ bytes, start: resultStart, end: resultEnd, spans });
    return resultEnd;
  });
  return end === bytes.length - 1 && bytes[end] === 0x7d ? results : undefined;
}

/** The spans of a result's keys, or undefined when it is not compact JSON. */
function spansOf(result: ResultBytes): ObjectSpans | undefined {
  if (result.spans !== undefined) return result.spans;
  const spans = new ObjectSpans(RESULT_KEYS);
  return spans.read(result.bytes, result.start) === result.end ? spans : undefined;
}

/** A result's bytes, parsed (the ordinary way). */
export function parseResult(result: ResultBytes): MeiliResult {
  return JSON.parse(result.bytes.toString("utf8", result.start, result.end)) as MeiliResult;
}

/** What a result counts: whether it holds hits, and its `totalHits` (for the relaxed retry). */
export function resultCounts(result: ResultBytes): {
  readonly hasHits: boolean;
  readonly totalHits: number | undefined;
} {
  const spans = spansOf(result);
  const { bytes } = result;
  if (spans !== undefined && bytes[spans.start(HITS)] === OPEN_BRACKET) {
    try {
      const totalHits = scalarAt(bytes, spans, TOTAL_HITS) ?? undefined;
      return { hasHits: spans.end(HITS) - spans.start(HITS) > 2, totalHits };
    } catch {
      // Not a number: parsed below.
    }
  }
  const parsed = parseResult(result);
  return { hasHits: parsed.hits.length > 0, totalHits: parsed.totalHits ?? undefined };
}

/** The JSON value `bytes[span]` (a number or null), or undefined where the key is missing. */
function scalarAt(bytes: Buffer, spans: ObjectSpans, slot: number): number | null | undefined {
  const start = spans.start(slot);
  if (start === -1) return undefined;
  const value: unknown = JSON.parse(bytes.toString("latin1", start, spans.end(slot)));
  if (value !== null && typeof value !== "number") throw new TypeError("not a number");
  return value;
}

/**
 * Writes to `out` the JSON of `toAlgoliaResult(result, context)`: from the bytes where they are
 * laid out as expected, else by parsing and converting them.
 */
export function writeAlgoliaResult(out: ByteWriter, result: ResultBytes, context: SearchContext): void {
  const mark = out.length;
  if (spliceAlgoliaResult(out, result, context)) return;
  out.truncate(mark);
  out.text(JSON.stringify(toAlgoliaResult(parseResult(result), context)));
}

/** {@link writeAlgoliaResult} from the bytes. @returns false when they are not laid out as expected */
export function spliceAlgoliaResult(out: ByteWriter, result: ResultBytes, context: SearchContext): boolean {
  const { bytes } = result;
  const spans = spansOf(result);
  if (spans === undefined) return false;
  const hitsStart = spans.start(HITS);
  if (hitsStart === -1 || bytes[hitsStart] !== OPEN_BRACKET) return false;
  const hitsEnd = spans.end(HITS);
  const writer = new HitsWriter(bytes, out, context, { start: hitsStart, end: hitsEnd });
  out.bytes(HITS_OPEN);
  let hitCount = 0;
  const end = forEachElement(bytes, hitsStart, (hitStart) => {
    if (hitCount > 0) out.byte(0x2c);
    hitCount += 1;
    return writer.hit(hitStart);
  });
  if (end !== hitsEnd) return false;
  out.bytes(HITS_CLOSE);
  let counts: Record<string, unknown>;
  try {
    if (!writeFacets(out, bytes, spanOf(spans, FACET_DISTRIBUTION), context)) return false;
    counts = algoliaResultCounts(
      {
        totalHits: scalarAt(bytes, spans, TOTAL_HITS),
        estimatedTotalHits: scalarAt(bytes, spans, ESTIMATED_TOTAL_HITS),
        totalPages: scalarAt(bytes, spans, TOTAL_PAGES),
        processingTimeMs: scalarAt(bytes, spans, PROCESSING_TIME),
        hitCount,
      },
      context,
    );
  } catch {
    return false;
  }
  // `{"nbHits":…}` without its brace: the rest of the object the hits opened.
  out.byte(0x2c);
  out.text(JSON.stringify(counts).slice(1));
  return true;
}

const FACETS_OPEN = ascii('"facets":{');
const FACET_KEYS = new Map(FACETS.map((facet) => [facet, ascii(`${JSON.stringify(facet)}:`)]));
/** Where each facet's counts lie in a result's `facetDistribution` (reused: a result is written in one call). */
const facetSpans = new ObjectSpans(FACETS);

/**
 * Writes `"facets":{…}`, the counts of the facets asked for as `toAlgoliaFacets` gives them
 * (`answer.ts`), from the bytes: each facet's counts copied as they are when they are already in
 * answer order, else sorted and cut here (Meilisearch sorts by count, but not ties by value) —
 * or parsed and converted when they are not written as plainly as expected (all of them when a
 * `\u` escape is among them).
 * @returns false when the distribution is not laid out as expected
 * @throws SyntaxError when a facet's counts are not JSON (the caller then parses the whole result)
 */
function writeFacets(out: ByteWriter, bytes: Buffer, distribution: Span, context: SearchContext): boolean {
  out.bytes(FACETS_OPEN);
  // A facet written already is what puts a comma before the next one.
  const facetsFrom = out.length;
  const { start, end } = distribution;
  const max = context.params.maxValuesPerFacet;
  const writeKey = (facet: Facet): void => {
    if (out.length > facetsFrom) out.byte(0x2c);
    out.bytes(FACET_KEYS.get(facet) as Buffer);
  };
  const writeParsed = (counts: Readonly<Record<string, number>>): void =>
    out.text(JSON.stringify(toAlgoliaFacetCounts(counts, max)));
  // Absent or null: no counts (`facetDistribution ?? undefined`).
  if (start !== -1 && !isNull(bytes, distribution)) {
    if (bytes[start] !== 0x7b || facetSpans.read(bytes, start) !== end) return false;
    if (hasUnicodeEscape(bytes, start, end)) {
      const parsed = JSON.parse(bytes.toString("utf8", start, end)) as Record<string, Record<string, number>>;
      for (const facet of context.facets) {
        const counts = parsed[facet];
        if (counts === undefined) continue;
        writeKey(facet);
        writeParsed(counts);
      }
    } else {
      for (const facet of context.facets) {
        const span = spanOf(facetSpans, FACETS.indexOf(facet));
        if (span.start === -1) continue;
        writeKey(facet);
        if (!writePlainCounts(out, bytes, span, max))
          writeParsed(JSON.parse(bytes.toString("utf8", span.start, span.end)) as Record<string, number>);
      }
    }
  }
  out.byte(0x7d);
  return true;
}

/** One value of a facet and its count, where they lie in the bytes. */
interface CountEntry {
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly count: number;
  readonly countStart: number;
  readonly countEnd: number;
}

/**
 * Writes the counts object `bytes[span]` in answer order — at most `max` values, most frequent
 * first, ties in ascending order — when it is written as `JSON.stringify` would write it with
 * values in plain ASCII (whose bytes sort as their text does) and counts as plain integers:
 * copied as it is when it is in that order already, else sorted, cut and written here.
 * @returns false, having written nothing, when it is written otherwise (or repeats a value)
 */
function writePlainCounts(out: ByteWriter, bytes: Buffer, span: Span, max: number): boolean {
  const entries = countEntries(bytes, span);
  if (entries === undefined) return false;
  const byKey = (a: CountEntry, b: CountEntry): number =>
    bytes.compare(bytes, b.keyStart, b.keyEnd, a.keyStart, a.keyEnd);
  const inOrder =
    entries.length <= max &&
    entries.every((entry, i) => {
      const previous = entries[i - 1];
      return (
        previous === undefined ||
        entry.count < previous.count ||
        (entry.count === previous.count && byKey(previous, entry) < 0)
      );
    });
  if (inOrder) {
    out.copy(bytes, span.start, span.end);
    return true;
  }
  const seen = new Set(entries.map((entry) => bytes.toString("latin1", entry.keyStart, entry.keyEnd)));
  if (seen.size !== entries.length) return false;
  entries.sort((a, b) => b.count - a.count || byKey(a, b));
  out.byte(0x7b);
  entries.slice(0, max).forEach((entry, i) => {
    if (i > 0) out.byte(0x2c);
    out.copy(bytes, entry.keyStart - 1, entry.keyEnd + 1);
    out.byte(0x3a);
    out.copy(bytes, entry.countStart, entry.countEnd);
  });
  out.byte(0x7d);
  return true;
}

/** The entries of the counts object `bytes[span]`, or undefined when it is not written plainly (see {@link writePlainCounts}). */
function countEntries(bytes: Buffer, span: Span): CountEntry[] | undefined {
  if (bytes[span.start] !== 0x7b) return undefined;
  const entries: CountEntry[] = [];
  let index = span.start + 1;
  if (bytes[index] === 0x7d) return index + 1 === span.end ? entries : undefined;
  for (;;) {
    if (bytes[index] !== QUOTE) return undefined;
    const keyStart = index + 1;
    let keyEnd = keyStart;
    for (let byte = bytes[keyEnd]; byte !== QUOTE; byte = bytes[++keyEnd])
      if (byte === undefined || byte === BACKSLASH || byte >= 0x80 || byte < 0x20) return undefined;
    if (bytes[keyEnd + 1] !== 0x3a) return undefined;
    const countStart = keyEnd + 2;
    index = countStart;
    let count = 0;
    for (let byte = bytes[index]; byte !== undefined && byte >= 0x30 && byte <= 0x39; byte = bytes[++index])
      count = count * 10 + (byte - 0x30);
    const digits = index - countStart;
    if (digits === 0 || digits > 15 || (digits > 1 && bytes[countStart] === 0x30)) return undefined;
    entries.push({ keyStart, keyEnd, count, countStart, countEnd: index });
    if (bytes[index] === 0x7d) return index + 1 === span.end ? entries : undefined;
    if (bytes[index] !== 0x2c) return undefined;
    index += 1;
  }
}
