import { fromDocumentId } from "./document-id.js";
import { FACETS } from "./document-types.js";
import { highlightToHtml, HTML_ENTITY_BYTES, MARKER_BYTES } from "./search-highlight.js";
import { BACKSLASH, hasUnicodeEscape, QUOTE, stringEnd } from "./json-bytes.js";

/**
 * The `GET /search` answer written straight from the bytes of Meilisearch's, without parsing them
 * into objects and serialising those again: on a 10-hit answer of ~16 kB that round trip (and the
 * reshaping between) costs ~200 µs of CPU, this ~30 µs.
 *
 * It relies on how Meilisearch 1.x writes a search answer (serde_json, compact): `{"hits":[…],
 * "query":…,…,"totalHits":N,…,"facetDistribution":{…},"facetStats":…}`, each hit its retrieved
 * fields then `"_formatted":{…}` last. Every place it reads is found by a key pattern that cannot
 * occur inside a JSON string (its quotes would be escaped there), and each expectation is checked:
 * an answer that looks any different is not spliced, and the caller parses it instead (the same
 * answer, by {@link toSearchAnswer}).
 */

const ascii = (text: string): Buffer => Buffer.from(text, "latin1");

const HITS_START = ascii('{"hits":[');
const FORMATTED = ascii(',"_formatted":{');
const BETWEEN_HITS = ascii('}},{"');
const AFTER_HITS = ascii('}}],"query":"');
const AFTER_NO_HITS = ascii('],"query":"');
const ID_KEY = ascii('"id":"');
const TITLE_KEY = ascii('"title":"');
const BODY_KEY = ascii('"body":"');
const TOTAL_HITS_KEY = ascii(',"totalHits":');
const FACETS_KEY = ascii(',"facetDistribution":{');
const AFTER_FACETS = ascii('},"facetStats":');
const FACET_KEYS = FACETS.map((facet) => ascii(`"${facet}":{`));
const ENCODED_ID_PREFIX = "b64_";

const TITLE_OUT = ascii(',"title_highlighted":"');
const SNIPPET_OUT = ascii('","snippet":"');
const HIT_OUT_END = ascii('"}');
const HIT_OUT_SEPARATOR = ascii(",");
const MARK_OPEN = ascii("<mark>");
const MARK_CLOSE = ascii("</mark>");

/** The UTF-8 bytes of the highlight markers (see `search-highlight.ts`). */
const {
  lead: MARKER_LEAD,
  middle: MARKER_MIDDLE,
  openLast: MARKER_OPEN_LAST,
  closeLast: MARKER_CLOSE_LAST,
} = MARKER_BYTES;

/** The non-negative integer written right after `key`, or -1. */
function integerAfter(bytes: Buffer, key: Buffer, from: number, to: number): number {
  const at = bytes.indexOf(key, from);
  if (at === -1 || at >= to) return -1;
  let value = 0;
  let index = at + key.length;
  const first = index;
  for (let byte = bytes[index]; byte !== undefined && byte >= 0x30 && byte <= 0x39; byte = bytes[++index])
    value = value * 10 + byte - 0x30;
  return index === first ? -1 : value;
}

/**
 * Pushes onto `out` the JSON text (inside quotes) of `highlightToHtml` of the JSON string text
 * `bytes[start, end)`: characters HTML-escaped, markers turned into `<mark>`/`</mark>`, working on
 * the escaped text (`\"` becomes `&quot;`, other escapes stay as they are). Text holding a `\u`
 * escape goes the long way (decoded, converted, encoded), so nothing depends on how a character
 * was escaped.
 */
function pushHtml(bytes: Buffer, start: number, end: number, out: Buffer[]): void {
  if (hasUnicodeEscape(bytes, start, end)) {
    const text = JSON.parse(bytes.toString("utf8", start - 1, end + 1)) as string;
    out.push(Buffer.from(JSON.stringify(highlightToHtml(text)).slice(1, -1), "utf8"));
    return;
  }
  let copied = start;
  for (let index = start; index < end; index += 1) {
    const byte = bytes[index] as number;
    if (byte === MARKER_LEAD) {
      const last = bytes[index + 2];
      if (bytes[index + 1] !== MARKER_MIDDLE || (last !== MARKER_OPEN_LAST && last !== MARKER_CLOSE_LAST)) continue;
      out.push(bytes.subarray(copied, index), last === MARKER_OPEN_LAST ? MARK_OPEN : MARK_CLOSE);
      index += 2;
      copied = index + 1;
    } else if (byte === BACKSLASH) {
      if (bytes[index + 1] === QUOTE) {
        out.push(bytes.subarray(copied, index), HTML_ENTITY_BYTES[QUOTE] as Buffer);
        copied = index + 2;
      }
      index += 1;
    } else if (byte === 0x26 || byte === 0x3c || byte === 0x3e || byte === 0x27) {
      out.push(bytes.subarray(copied, index), HTML_ENTITY_BYTES[byte] as Buffer);
      copied = index + 1;
    }
  }
  out.push(bytes.subarray(copied, end));
}

/**
 * Pushes the HTML of the string value of `key` found in `bytes[from, to)`.
 * @returns false when there is no such string value
 */
function pushHtmlField(bytes: Buffer, key: Buffer, from: number, to: number, out: Buffer[]): boolean {
  const at = bytes.indexOf(key, from);
  if (at === -1 || at >= to) return false;
  const start = at + key.length;
  const end = stringEnd(bytes, start);
  if (end === -1 || end >= to) return false;
  pushHtml(bytes, start, end, out);
  return true;
}

/**
 * Pushes the retrieved fields of the hit `bytes[start, formatted)` (its opening brace included),
 * the `id` turned back into the record id.
 * @returns false when the hit has no string `id`
 */
function pushFields(bytes: Buffer, start: number, formatted: number, out: Buffer[]): boolean {
  const key = bytes.indexOf(ID_KEY, start);
  if (key === -1 || key >= formatted) return false;
  const idStart = key + ID_KEY.length;
  const idEnd = stringEnd(bytes, idStart);
  if (idEnd === -1 || idEnd >= formatted) return false;
  if (bytes.toString("latin1", idStart, idStart + ENCODED_ID_PREFIX.length) !== ENCODED_ID_PREFIX) {
    out.push(bytes.subarray(start, formatted));
    return true;
  }
  const recordId = fromDocumentId(bytes.toString("latin1", idStart, idEnd));
  out.push(
    bytes.subarray(start, idStart - 1),
    Buffer.from(JSON.stringify(recordId), "utf8"),
    bytes.subarray(idEnd + 1, formatted),
  );
  return true;
}

/**
 * Meilisearch's answer to `searchRequestFor(query)` → the JSON bytes of the API's
 * {@link SearchAnswer} (the same value `toSearchAnswer` gives, facets in Meilisearch's order).
 * @returns undefined when the answer is not laid out as expected (parse it instead)
 */
export function spliceSearchAnswer(
  bytes: Buffer,
  query: { readonly page: number; readonly limit: number },
): Buffer | undefined {
  if (bytes.length < HITS_START.length || bytes.compare(HITS_START, 0, HITS_START.length, 0, HITS_START.length) !== 0)
    return undefined;
  const out: Buffer[] = [HITS_START];
  let queryText: number;
  if (bytes[HITS_START.length] === 0x5d) {
    if (
      bytes.compare(
        AFTER_NO_HITS,
        0,
        AFTER_NO_HITS.length,
        HITS_START.length,
        HITS_START.length + AFTER_NO_HITS.length,
      ) !== 0
    )
      return undefined;
    queryText = HITS_START.length + AFTER_NO_HITS.length;
  } else {
    const hitsEnd = bytes.indexOf(AFTER_HITS, HITS_START.length);
    if (hitsEnd === -1) return undefined;
    let formatted = bytes.indexOf(FORMATTED, HITS_START.length);
    for (let start = HITS_START.length; ;) {
      if (formatted === -1 || formatted > hitsEnd) return undefined;
      const next = bytes.indexOf(BETWEEN_HITS, formatted);
      const end = next === -1 || next > hitsEnd ? hitsEnd : next;
      // The next hit's `_formatted` must come after this hit's end, or the hit was not laid out
      // as `{fields…,"_formatted":{…}}` (say, a key after `_formatted`) and `end` is not its end.
      const nextFormatted = bytes.indexOf(FORMATTED, formatted + FORMATTED.length);
      if (nextFormatted !== -1 && nextFormatted < end) return undefined;
      if (!pushFields(bytes, start, formatted, out)) return undefined;
      out.push(TITLE_OUT);
      if (!pushHtmlField(bytes, TITLE_KEY, formatted, end, out)) return undefined;
      out.push(SNIPPET_OUT);
      pushHtmlField(bytes, BODY_KEY, formatted, end, out);
      out.push(HIT_OUT_END);
      if (end === hitsEnd) break;
      out.push(HIT_OUT_SEPARATOR);
      start = end + 3;
      formatted = nextFormatted;
    }
    queryText = hitsEnd + AFTER_HITS.length;
  }
  const queryEnd = stringEnd(bytes, queryText);
  if (queryEnd === -1) return undefined;
  const facets = bytes.indexOf(FACETS_KEY, queryEnd);
  if (facets === -1) return undefined;
  const total = integerAfter(bytes, TOTAL_HITS_KEY, queryEnd, facets);
  const facetsStart = facets + FACETS_KEY.length;
  const facetsEnd = bytes.indexOf(AFTER_FACETS, facetsStart);
  if (total === -1 || facetsEnd === -1) return undefined;
  for (const key of FACET_KEYS) {
    const at = bytes.indexOf(key, facetsStart - 1);
    if (at === -1 || at > facetsEnd) return undefined;
  }
  out.push(
    ascii(`],"total":${total},"page":${query.page},"limit":${query.limit},"facets":{`),
    bytes.subarray(facetsStart, facetsEnd + 1),
    ascii("}"),
  );
  return Buffer.concat(out);
}
