import { z } from "zod";
import { FACETS, type Facet, type SearchDocument } from "./document-types.js";
import { BadRequestError } from "./errors.js";
import { buildFacetFilter, type FilterClause } from "./meili/filter.js";
import { normaliseFacetValue } from "./text/normalise-facet-value.js";

/** Bounds on `GET /search` input; anything past them is a 400 naming the parameter. */
export const SEARCH_LIMITS = {
  /** @default 512 characters of `q` */
  maxQueryLength: 512,
  /** @default 10 */
  defaultLimit: 10,
  /** @default 100 */
  maxLimit: 100,
  /** Meilisearch stops at `maxTotalHits` (1000 by default) anyway. @default 1000 */
  maxPage: 1000,
  /** @default 20 values per facet parameter */
  maxValuesPerFacet: 20,
  /**
   * UTF-8 bytes per facet value. Meilisearch cannot filter on much longer values (about 250
   * bytes: a 380-byte value matched nothing), so a longer one is a 400, not a silent empty answer.
   * @default 200
   */
  maxFacetValueLength: 200,
} as const;

export const SEARCH_SORTS = ["relevance", "recent", "popular"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Meilisearch `sort` for each order; relevance is the ranking rules alone. */
const SORT_RULES: Readonly<Record<SearchSort, readonly string[] | undefined>> = {
  relevance: undefined,
  recent: ["last_reviewed_at:desc"],
  popular: ["view_count:desc"],
};

function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** A parameter that may appear once: absent, or one string. */
function single(name: string) {
  // `.optional()` first, so an absent parameter is accepted and still reaches the transform.
  return z.unknown().optional().transform((value, ctx): string | undefined => {
    if (value === undefined || typeof value === "string") return value;
    ctx.addIssue({
      code: "custom",
      message: Array.isArray(value) ? `${name} may be given only once` : `${name} must be a plain value`,
    });
    return z.NEVER;
  });
}

function wholeNumber(name: string, min: number, max: number, fallback: number) {
  return single(name).transform((value, ctx): number => {
    if (value === undefined) return fallback;
    const parsed = /^[0-9]{1,7}$/.test(value) ? Number(value) : Number.NaN;
    if (parsed >= min && parsed <= max) return parsed;
    ctx.addIssue({ code: "custom", message: `${name} must be a whole number from ${min} to ${max}, got ${shown(value)}` });
    return z.NEVER;
  });
}

const query = single("q").transform((value, ctx): string => {
  if (value === undefined) return "";
  if (value.length <= SEARCH_LIMITS.maxQueryLength) return value.trim();
  ctx.addIssue({
    code: "custom",
    message: `q must be at most ${SEARCH_LIMITS.maxQueryLength} characters, got ${value.length}`,
  });
  return z.NEVER;
});

const sort = single("sort").transform((value, ctx): SearchSort => {
  if (value === undefined) return "relevance";
  const wanted = value.trim().toLowerCase();
  const known = SEARCH_SORTS.find((candidate) => candidate === wanted);
  if (known !== undefined) return known;
  ctx.addIssue({ code: "custom", message: `sort must be one of ${SEARCH_SORTS.join(", ")}, got ${shown(value)}` });
  return z.NEVER;
});

/** A facet parameter: repeatable; values normalised like records, empty ones dropped, duplicates merged. */
function facetValues(name: Facet) {
  return z.unknown().optional().transform((value, ctx): string[] => {
    const raw = value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value];
    const problem = facetProblem(name, raw);
    if (problem !== undefined) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    const normalised = (raw as string[]).map(normaliseFacetValue).filter((item) => item !== "");
    return [...new Set(normalised)];
  });
}

function facetProblem(name: Facet, raw: readonly unknown[]): string | undefined {
  const { maxValuesPerFacet, maxFacetValueLength } = SEARCH_LIMITS;
  if (raw.some((item) => typeof item !== "string")) return `${name} must be plain values`;
  if (raw.length > maxValuesPerFacet) return `${name} may be given at most ${maxValuesPerFacet} times, got ${raw.length}`;
  const tooLong = (raw as string[]).find((item) => Buffer.byteLength(item) > maxFacetValueLength);
  if (tooLong !== undefined) {
    return `${name} values must be at most ${maxFacetValueLength} bytes of UTF-8, got ${Buffer.byteLength(tooLong)}`;
  }
  return undefined;
}

/**
 * `GET /search` query parameters (as Express or {@link parseQueryString} delivers them:
 * `string | string[]` per name) → a validated {@link SearchQuery}. Unknown parameters are ignored.
 * Every issue's path and message name the parameter.
 */
export const searchQuerySchema = z
  .object(
    {
      q: query,
      page: wholeNumber("page", 1, SEARCH_LIMITS.maxPage, 1),
      limit: wholeNumber("limit", 1, SEARCH_LIMITS.maxLimit, SEARCH_LIMITS.defaultLimit),
      sort,
      stack: facetValues("stack"),
      tools: facetValues("tools"),
      difficulty: facetValues("difficulty"),
      scenario: facetValues("scenario"),
      code_language: facetValues("code_language"),
    },
    { error: "the query string must be a set of parameters" },
  )
  .transform(({ q, page, limit, sort, ...facets }) => ({
    q,
    page,
    limit,
    sort,
    filters: facets satisfies Record<Facet, string[]>,
  }));

export type SearchQuery = z.output<typeof searchQuerySchema>;

/** Validate `GET /search` parameters; a {@link BadRequestError} naming the first bad parameter otherwise. */
export function parseSearchQuery(input: unknown): SearchQuery {
  const result = searchQuerySchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const parameter = typeof issue?.path[0] === "string" ? issue.path[0] : "query";
  throw new BadRequestError(parameter, issue?.message ?? "invalid query string");
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
export const SNIPPET_WORDS = 30;

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

/**
 * The parameter building blocks of {@link searchQuerySchema}, for the other endpoints' query schemas
 * (`GET /posts/:id/related`, `GET /facets/:facet`): the same rules, the same messages.
 */
export { single as singleParam, wholeNumber as wholeNumberParam, facetValues as facetParam };
