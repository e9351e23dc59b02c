import { FACETS, type Facet, type SearchDocument } from "./document-types.js";
import { buildFacetFilter, type FilterClause } from "./meili/filter.js";

export const SEARCH_SORTS = ["relevance", "recent", "popular"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Meilisearch `sort` for each order; relevance is the ranking rules alone. */
const SORT_RULES: Readonly<Record<SearchSort, readonly string[] | undefined>> = {
  relevance: undefined,
  recent: ["last_reviewed_at:desc"],
  popular: ["view_count:desc"],
};

/**
 * A validated `GET /search` query (the API reads it from the URL, `api/queries.ts`): the text, the
 * 1-based page and its size, the order, and the facet filters (values normalised like records;
 * values of one facet OR-ed, facets AND-ed).
 */
export interface SearchQuery {
  readonly q: string;
  readonly page: number;
  readonly limit: number;
  readonly sort: SearchSort;
  readonly filters: Readonly<Record<Facet, readonly string[]>>;
}

/**
 * The fields of a hit `GET /search` returns; the body only ever comes back cropped, in `_formatted`.
 * Not the intro: the snippet stands for the text, and every retrieved field comes back twice
 * (once more in `_formatted`), which costs both Meilisearch and the API on every search.
 */
export const SEARCH_HIT_ATTRIBUTES = [
  "id",
  "title",
  "site",
  "summary",
  "topic",
  "stack",
  "tools",
  "difficulty",
  "scenario",
  "code_language",
  "reading_time",
  "view_count",
  "last_reviewed_at",
] as const satisfies readonly (keyof SearchDocument)[];

/** Words kept around the best match in the snippet. @default 30 */
const SNIPPET_WORDS = 30;

/** The body of a Meilisearch search request (meilisearch-js `SearchParams` plus `q`). */
export interface MeiliSearchRequest {
  q: string;
  filter?: FilterClause;
  sort?: string[];
  page: number;
  hitsPerPage: number;
  facets: Facet[];
  attributesToRetrieve: string[];
  attributesToHighlight: string[];
  attributesToCrop: string[];
  cropLength: number;
  cropMarker: string;
  highlightPreTag: string;
  highlightPostTag: string;
}

/**
 * A validated query → the Meilisearch search request. Page-based (`page`/`hitsPerPage`) so the
 * answer carries an exact `totalHits`; facet counts for every facet; the title and a body snippet
 * (`_formatted.body`, cropped to {@link SNIPPET_WORDS} words) highlighted with `<mark>`.
 * Highlighted text is not HTML-escaped by Meilisearch: escape it before inserting it as HTML.
 * @see https://www.meilisearch.com/docs/reference/api/search
 */
export function toMeiliSearchRequest(query: SearchQuery): MeiliSearchRequest {
  const filter = buildFacetFilter(query.filters);
  const sort = SORT_RULES[query.sort];
  return {
    q: query.q,
    ...(filter === undefined ? {} : { filter }),
    ...(sort === undefined ? {} : { sort: [...sort] }),
    page: query.page,
    hitsPerPage: query.limit,
    facets: [...FACETS],
    attributesToRetrieve: [...SEARCH_HIT_ATTRIBUTES],
    attributesToHighlight: ["title", "body"],
    attributesToCrop: ["body"],
    cropLength: SNIPPET_WORDS,
    cropMarker: "…",
    highlightPreTag: "<mark>",
    highlightPostTag: "</mark>",
  };
}
