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

/**
 * A parameter value that breaks its rule; the message names the parameter. Thrown by the readers
 * below, which hold each rule once: the zod validators wrap them (issues for the OpenAPI document
 * and the other endpoints' schemas), and {@link parseSearchQuery} calls them directly.
 */
class ParameterProblem extends Error {}

/** A zod validator running `read`: its {@link ParameterProblem} becomes the issue. */
function validator<T>(read: (value: unknown) => T) {
  // `.optional()` first, so an absent parameter is accepted and still reaches the transform.
  return z
    .unknown()
    .optional()
    .transform((value, ctx): T => {
      try {
        return read(value);
      } catch (error) {
        if (!(error instanceof ParameterProblem)) throw error;
        ctx.addIssue({ code: "custom", message: error.message });
        return z.NEVER;
      }
    });
}

/** A parameter that may appear once: absent, or one string. */
function readSingle(name: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  throw new ParameterProblem(Array.isArray(value) ? `${name} may be given only once` : `${name} must be a plain value`);
}

function readWholeNumber(name: string, value: unknown, min: number, max: number, fallback: number): number {
  const text = readSingle(name, value);
  if (text === undefined) return fallback;
  const parsed = /^[0-9]{1,7}$/.test(text) ? Number(text) : Number.NaN;
  if (parsed >= min && parsed <= max) return parsed;
  throw new ParameterProblem(`${name} must be a whole number from ${min} to ${max}, got ${shown(text)}`);
}

function readQueryText(value: unknown): string {
  const text = readSingle("q", value);
  if (text === undefined) return "";
  if (text.length <= SEARCH_LIMITS.maxQueryLength) return text.trim();
  throw new ParameterProblem(`q must be at most ${SEARCH_LIMITS.maxQueryLength} characters, got ${text.length}`);
}

function readSort(value: unknown): SearchSort {
  const text = readSingle("sort", value);
  if (text === undefined) return "relevance";
  const wanted = text.trim().toLowerCase();
  const known = SEARCH_SORTS.find((candidate) => candidate === wanted);
  if (known !== undefined) return known;
  throw new ParameterProblem(`sort must be one of ${SEARCH_SORTS.join(", ")}, got ${shown(text)}`);
}

/** A facet parameter: repeatable; values normalised like records, empty ones dropped, duplicates merged. */
function readFacetValues(name: Facet, value: unknown): string[] {
  if (value === undefined) return [];
  const raw = Array.isArray(value) ? (value as unknown[]) : [value];
  const problem = facetProblem(name, raw);
  if (problem !== undefined) throw new ParameterProblem(problem);
  const normalised = (raw as string[]).map(normaliseFacetValue).filter((item) => item !== "");
  return normalised.length < 2 ? normalised : [...new Set(normalised)];
}

function single(name: string) {
  return validator((value) => readSingle(name, value));
}

function wholeNumber(name: string, min: number, max: number, fallback: number) {
  return validator((value) => readWholeNumber(name, value, min, max, fallback));
}

function facetValues(name: Facet) {
  return validator((value) => readFacetValues(name, value));
}

function facetProblem(name: Facet, raw: readonly unknown[]): string | undefined {
  const { maxValuesPerFacet, maxFacetValueLength } = SEARCH_LIMITS;
  if (raw.some((item) => typeof item !== "string")) return `${name} must be plain values`;
  if (raw.length > maxValuesPerFacet)
    return `${name} may be given at most ${maxValuesPerFacet} times, got ${raw.length}`;
  const tooLong = (raw as string[]).find(
    (item) => item.length * 3 > maxFacetValueLength && Buffer.byteLength(item) > maxFacetValueLength,
  );
  if (tooLong !== undefined) {
    return `${name} values must be at most ${maxFacetValueLength} bytes of UTF-8, got ${Buffer.byteLength(tooLong)}`;
  }
  return undefined;
}

const OBJECT_EXPECTED = "the query string must be a set of parameters";

/**
 * `GET /search` query parameters (as Express or {@link parseQueryString} delivers them:
 * `string | string[]` per name) → a validated {@link SearchQuery}. Unknown parameters are ignored.
 * Every issue's path and message name the parameter. The API validates with
 * {@link parseSearchQuery} (the same rules, without zod); this schema is what the OpenAPI
 * document describes.
 */
export const searchQuerySchema = z
  .object(
    {
      q: validator(readQueryText),
      page: wholeNumber("page", 1, SEARCH_LIMITS.maxPage, 1),
      limit: wholeNumber("limit", 1, SEARCH_LIMITS.maxLimit, SEARCH_LIMITS.defaultLimit),
      sort: validator(readSort),
      stack: facetValues("stack"),
      tools: facetValues("tools"),
      difficulty: facetValues("difficulty"),
      scenario: facetValues("scenario"),
      code_language: facetValues("code_language"),
    },
    { error: OBJECT_EXPECTED },
  )
  .transform(({ q, page, limit, sort, ...facets }) => ({
    q,
    page,
    limit,
    sort,
    filters: facets satisfies Record<Facet, string[]>,
  }));

export type SearchQuery = z.output<typeof searchQuerySchema>;

/**
 * Validate `GET /search` parameters; a {@link BadRequestError} naming the first bad parameter
 * otherwise (in the schema's order, with its messages). The readers are called directly rather
 * than through zod: every search pays for this, and zod's machinery cost ~25 µs of CPU a request.
 */
export function parseSearchQuery(input: unknown): SearchQuery {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new BadRequestError("query", OBJECT_EXPECTED);
  const params = input as Readonly<Record<string, unknown>>;
  let parameter = "q";
  try {
    const q = readQueryText(params["q"]);
    parameter = "page";
    const page = readWholeNumber("page", params["page"], 1, SEARCH_LIMITS.maxPage, 1);
    parameter = "limit";
    const limit = readWholeNumber("limit", params["limit"], 1, SEARCH_LIMITS.maxLimit, SEARCH_LIMITS.defaultLimit);
    parameter = "sort";
    const sort = readSort(params["sort"]);
    const filters = {} as Record<Facet, string[]>;
    for (const facet of FACETS) {
      parameter = facet;
      filters[facet] = readFacetValues(facet, params[facet]);
    }
    return { q, page, limit, sort, filters };
  } catch (error) {
    if (error instanceof ParameterProblem) throw new BadRequestError(parameter, error.message);
    throw error;
  }
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
