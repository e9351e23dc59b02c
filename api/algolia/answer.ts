import { escapeHtml, FACETS, fromDocumentId, MARK_CLOSE, MARK_OPEN, type Facet } from "../../src/index.js";
import type { AlgoliaParams } from "./params.js";

/**
 * Meilisearch answers → Algolia's answer shapes (pure). Highlights come from Meilisearch with the
 * core's private-use markers around matches; here they become the client's tags. When the tags
 * are HTML (`<em>`, Algolia's default), the text around them is HTML-escaped, so the value can be
 * inserted as HTML; when they are plain tokens (InstantSearch's `__ais-highlight__`), the text is
 * left as it is, because InstantSearch escapes it itself and would otherwise escape it twice.
 * @see https://www.algolia.com/doc/api-reference/api-methods/search/#response
 */

/** A Meilisearch search hit as the multi-search returns it. */
export interface MeiliHit {
  readonly id: string;
  readonly _formatted?: Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
}

/** One result of a Meilisearch multi-search. */
export interface MeiliResult {
  readonly hits: readonly MeiliHit[];
  readonly totalHits?: number;
  readonly totalPages?: number;
  readonly estimatedTotalHits?: number;
  readonly processingTimeMs?: number;
  readonly facetDistribution?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** Algolia's highlight of one value. */
export interface HighlightValue {
  readonly value: string;
  readonly matchLevel: "none" | "partial" | "full";
  readonly matchedWords: string[];
  readonly fullyHighlighted?: boolean;
}

/** How highlighted text is written for one request. */
export interface Tags {
  readonly pre: string;
  readonly post: string;
  /** The query's words (lower-cased), for `matchLevel`. */
  readonly queryWords: readonly string[];
  /** Writes the text around and inside the tags: HTML-escaped when the tags are HTML. */
  readonly write: (text: string) => string;
}

const asIs = (text: string): string => text;

/** The request's highlight tags, its query's words, and how text is written between the tags. */
export function tagsFor(params: AlgoliaParams): Tags {
  const pre = params.highlightPreTag;
  const post = params.highlightPostTag;
  return {
    pre,
    post,
    queryWords: [
      ...new Set(
        params.query
          .toLowerCase()
          .split(/\s+/u)
          .filter((word) => word !== ""),
      ),
    ],
    write: pre.includes("<") || post.includes("<") ? escapeHtml : asIs,
  };
}

/** Text carrying the markers → Algolia's highlight object. */
export function highlightValue(marked: string, tags: Tags): HighlightValue {
  const { write } = tags;
  let open = marked.indexOf(MARK_OPEN);
  if (open === -1) return { value: write(marked), matchLevel: "none", matchedWords: [] };
  const matchedWords: string[] = [];
  let value = write(marked.slice(0, open));
  let hasPlainText = marked.slice(0, open).trim() !== "";
  // Each match runs from a marker to the next (as a split on MARK_OPEN): its text up to the first
  // MARK_CLOSE, then the plain text after it.
  while (open !== -1) {
    const start = open + MARK_OPEN.length;
    const nextOpen = marked.indexOf(MARK_OPEN, start);
    const end = nextOpen === -1 ? marked.length : nextOpen;
    const closeAt = marked.indexOf(MARK_CLOSE, start);
    const close = closeAt === -1 || closeAt > end ? end : closeAt;
    const inside = marked.slice(start, close);
    const after = close === end ? "" : marked.slice(close + MARK_CLOSE.length, end);
    open = nextOpen;
    value += `${tags.pre}${write(inside)}${tags.post}${write(after)}`;
    const word = inside.trim().toLowerCase();
    if (word !== "" && !matchedWords.includes(word)) matchedWords.push(word);
    if (after.trim() !== "") hasPlainText = true;
  }
  if (matchedWords.length === 0) return { value, matchLevel: "none", matchedWords: [] };
  const isFull = tags.queryWords.length > 0 && matchedWords.length >= tags.queryWords.length;
  return { value, matchLevel: isFull ? "full" : "partial", matchedWords, fullyHighlighted: !hasPlainText };
}

function highlightField(value: unknown, tags: Tags): HighlightValue | HighlightValue[] | undefined {
  if (typeof value === "string") return highlightValue(value, tags);
  if (Array.isArray(value)) return value.map((item) => highlightValue(typeof item === "string" ? item : "", tags));
  return undefined;
}

/** Strips the markers from a value (text, or a list of texts): a highlighted one carries them. */
export function plain(value: unknown): unknown {
  if (typeof value === "string") {
    // Most values carry none: looking is far cheaper than `replaceAll` finding nothing.
    if (!value.includes(MARK_OPEN) && !value.includes(MARK_CLOSE)) return value;
    return value.replaceAll(MARK_OPEN, "").replaceAll(MARK_CLOSE, "");
  }
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

/** What to answer per hit: the fields, and the highlighted and snippeted ones. */
export interface HitShape {
  readonly retrieve: readonly string[];
  readonly highlight: readonly string[];
  readonly snippet: readonly string[];
  /** Retrieved fields Meilisearch was not asked for: their value is the highlighted one, unmarked. */
  readonly fromFormatted: readonly string[];
}

/** One Meilisearch hit → an Algolia hit: fields, `objectID` (the record id), `_highlightResult`, `_snippetResult`. */
function toAlgoliaHit(hit: MeiliHit, shape: HitShape, tags: Tags): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const formatted = hit._formatted ?? {};
  for (const field of shape.retrieve) {
    if (field === "id") continue;
    if (shape.fromFormatted.includes(field)) {
      if (formatted[field] !== undefined) out[field] = plain(formatted[field]);
    } else if (hit[field] !== undefined) out[field] = plain(hit[field]);
  }
  out["objectID"] = fromDocumentId(hit.id);
  if (shape.highlight.length > 0) {
    const highlights: Record<string, unknown> = {};
    for (const field of shape.highlight) {
      const value = highlightField(formatted[field] ?? hit[field], tags);
      if (value !== undefined) highlights[field] = value;
    }
    out["_highlightResult"] = highlights;
  }
  if (shape.snippet.length > 0) {
    const snippets: Record<string, unknown> = {};
    for (const field of shape.snippet) {
      const value = formatted[field] ?? hit[field];
      if (typeof value === "string") {
        const { value: text, matchLevel } = highlightValue(value, tags);
        snippets[field] = { value: text, matchLevel };
      }
    }
    out["_snippetResult"] = snippets;
  }
  return out;
}

/** The facet counts asked for, each cut to `maxValuesPerFacet` (most frequent first, as Meilisearch sorts them). */
function toAlgoliaFacets(
  distribution: MeiliResult["facetDistribution"],
  facets: readonly Facet[],
  maxValuesPerFacet: number,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const facet of facets) {
    const counts = distribution?.[facet];
    if (counts !== undefined) out[facet] = toAlgoliaFacetCounts(counts, maxValuesPerFacet);
  }
  return out;
}

/** One facet's counts, most frequent first (ties by value), at most `max` of them. */
export function toAlgoliaFacetCounts(
  counts: Readonly<Record<string, number>>,
  max: number,
): Readonly<Record<string, number>> {
  if (isInAnswerOrder(counts, max)) return counts;
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return Object.fromEntries(entries.slice(0, max));
}

/**
 * Whether counts are already as answered (most frequent first, ties by value, at most `max`), as
 * Meilisearch usually sends them: then they are answered as they are, without sorting a copy.
 */
function isInAnswerOrder(counts: Readonly<Record<string, number>>, max: number): boolean {
  let seen = 0;
  let previousValue = "";
  let previousCount = Number.POSITIVE_INFINITY;
  for (const value in counts) {
    const count = counts[value] as number;
    seen += 1;
    if (seen > max) return false;
    if (count > previousCount || (count === previousCount && !(previousValue < value))) return false;
    previousValue = value;
    previousCount = count;
  }
  return true;
}

/** What one search answers with, besides the Meilisearch result. */
export interface SearchContext {
  readonly index: string;
  readonly params: AlgoliaParams;
  readonly facets: readonly Facet[];
  readonly shape: HitShape;
  /** Set when the search found nothing as asked and was retried with every word optional. */
  readonly relaxed: boolean;
}

/** What an Algolia search result says besides its hits, read off Meilisearch's result. */
export interface ResultSummary {
  readonly totalHits?: number | null | undefined;
  readonly estimatedTotalHits?: number | null | undefined;
  readonly totalPages?: number | null | undefined;
  readonly processingTimeMs?: number | null | undefined;
  readonly facetDistribution?: MeiliResult["facetDistribution"] | null | undefined;
  /** How many hits Meilisearch answered. */
  readonly hitCount: number;
}

/** An Algolia search result without its `hits` (which come first): its facets, counts and echoes. */
function algoliaResultRest(summary: ResultSummary, context: SearchContext): Record<string, unknown> {
  const { facets } = context;
  const { maxValuesPerFacet } = context.params;
  return {
    facets: toAlgoliaFacets(summary.facetDistribution ?? undefined, facets, maxValuesPerFacet),
    ...algoliaResultCounts(summary, context),
  };
}

/** What an Algolia search result says after its hits and facets: its counts and echoes. */
export function algoliaResultCounts(summary: ResultSummary, context: SearchContext): Record<string, unknown> {
  const { params } = context;
  const nbHits = summary.totalHits ?? summary.estimatedTotalHits ?? summary.hitCount;
  const nbPages = params.hitsPerPage === 0 ? 0 : (summary.totalPages ?? Math.ceil(nbHits / params.hitsPerPage));
  return {
    nbHits,
    page: params.page,
    nbPages,
    hitsPerPage: params.hitsPerPage,
    exhaustiveFacetsCount: true,
    exhaustiveNbHits: true,
    exhaustive: { facetsCount: true, nbHits: true },
    processingTimeMS: summary.processingTimeMs ?? 0,
    query: params.query,
    params: params.echo,
    index: context.index,
    renderingContent: {},
    ...(context.relaxed ? { relaxed: true } : {}),
  };
}

/** A Meilisearch result → an Algolia search result. */
export function toAlgoliaResult(result: MeiliResult, context: SearchContext): Record<string, unknown> {
  const tags = tagsFor(context.params);
  return {
    hits: result.hits.map((hit) => toAlgoliaHit(hit, context.shape, tags)),
    ...algoliaResultRest({ ...result, hitCount: result.hits.length }, context),
  };
}

/** The facets a request asks counts for: the known ones, `*` for all. */
export function facetsAskedFor(names: readonly string[]): Facet[] {
  if (names.includes("*")) return [...FACETS];
  return FACETS.filter((facet) => names.includes(facet));
}

/** A facet value → Algolia's `highlighted`: the start of each word matching a query word, in tags. */
export function highlightFacetValue(
  value: string,
  facetQuery: string,
  tags: Pick<Tags, "pre" | "post" | "write">,
): string {
  const words = facetQuery
    .toLowerCase()
    .split(/\s+/u)
    .filter((word) => word !== "");
  const { write } = tags;
  if (words.length === 0) return write(value);
  return value
    .split(/(\s+)/u)
    .map((part) => {
      const lower = part.toLowerCase();
      const word = words.find((candidate) => lower.startsWith(candidate));
      if (word === undefined) return write(part);
      return `${tags.pre}${write(part.slice(0, word.length))}${tags.post}${write(part.slice(word.length))}`;
    })
    .join("");
}
