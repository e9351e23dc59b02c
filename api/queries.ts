import * as z from "zod/v4";
import {
  BadRequestError,
  FACETS,
  normaliseFacetValue,
  SEARCH_SORTS,
  type Facet,
  type SearchQuery,
  type SearchSort,
} from "../src/index.js";

// The query parameters of every endpoint: one reader per rule, wrapped as zod validators for the
// schemas (and the OpenAPI document), called directly by parseSearchQuery on the hot path. Every bad
// parameter is a BadRequestError naming it, with the same messages whichever path read it.

/** Bounds on `GET /search` input; anything past them is a 400 naming the parameter. */
export const SEARCH_LIMITS = {
  /** @default 512 characters of `q` */
  maxQueryLength: 512,
  /** @default 10 */
  defaultLimit: 10,
  /** @default 100 */
  maxLimit: 100,
  /**
   * With `maxLimit`, the deepest page reaches hit 100,000: Meilisearch's `pagination.maxTotalHits`,
   * which the index settings raise to 100,000 (src/meili/settings.ts). @default 1000
   */
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

function singleParam(name: string) {
  return validator((value) => readSingle(name, value));
}

function wholeNumberParam(name: string, min: number, max: number, fallback: number) {
  return validator((value) => readWholeNumber(name, value, min, max, fallback));
}

function facetParam(name: Facet) {
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

/** The facet filters every list endpoint accepts: repeat = OR, facets AND-ed. */
const facetFilterShape = {
  stack: facetParam("stack"),
  tools: facetParam("tools"),
  difficulty: facetParam("difficulty"),
  scenario: facetParam("scenario"),
  code_language: facetParam("code_language"),
} satisfies Record<Facet, unknown>;

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
      page: wholeNumberParam("page", 1, SEARCH_LIMITS.maxPage, 1),
      limit: wholeNumberParam("limit", 1, SEARCH_LIMITS.maxLimit, SEARCH_LIMITS.defaultLimit),
      sort: validator(readSort),
      ...facetFilterShape,
    },
    { error: OBJECT_EXPECTED },
  )
  .transform(({ q, page, limit, sort, ...facets }): SearchQuery => ({
    q,
    page,
    limit,
    sort,
    filters: facets satisfies Record<Facet, string[]>,
  }));

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

/** Longest related list. @default 50 */
export const MAX_RELATED_LIMIT = 50;

/** `minScore`: a number from 0 to 1 (automatic related entries scoring below it are dropped), or absent. */
function readMinScore(value: unknown): number | undefined {
  const text = readSingle("minScore", value);
  if (text === undefined) return undefined;
  const parsed = /^(?:[01](?:\.[0-9]{1,6})?|\.[0-9]{1,6})$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (parsed >= 0 && parsed <= 1) return parsed;
  throw new ParameterProblem(`minScore must be a number from 0 to 1, got ${shown(text)}`);
}

/** `GET /posts/:id/related` and `POST /related`: `limit` (1..50, default 5), `minScore` and facet filters. */
export const relatedQuerySchema = z
  .object({
    limit: wholeNumberParam("limit", 1, MAX_RELATED_LIMIT, 5),
    minScore: validator(readMinScore),
    ...facetFilterShape,
  })
  .transform(({ limit, minScore, ...facets }) => ({
    limit,
    filters: facets,
    ...(minScore === undefined ? {} : { minScore }),
  }));

/** Longest facet query. @default 100 */
export const MAX_FACET_QUERY_LENGTH = 100;

const facetQuery = singleParam("q").transform((value, ctx): string => {
  if (value === undefined) return "";
  if (value.length <= MAX_FACET_QUERY_LENGTH) return value.trim().toLowerCase();
  ctx.addIssue({
    code: "custom",
    message: `q must be at most ${MAX_FACET_QUERY_LENGTH} characters, got ${value.length}`,
  });
  return z.NEVER;
});

/** `GET /facets/:facet`: `q`, `limit` (1..100, default 10) and the other facets' filters. */
export const facetValuesQuerySchema = z
  .object({ q: facetQuery, limit: wholeNumberParam("limit", 1, 100, 10), ...facetFilterShape })
  .transform(({ q, limit, ...facets }) => ({ q, limit, filters: facets }));

/**
 * Validates `input` with `schema`.
 * @param where `"query"` for query parameters (named as they are), `"body"` for a JSON body (named `body.…`)
 * @throws BadRequestError naming the parameter of the first issue
 */
export function parseParams<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: "query" | "body" = "query",
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = (issue?.path ?? []).map(String);
  const parameter = (where === "body" ? ["body", ...path] : path).join(".") || where;
  const message = issue?.message ?? "is invalid";
  throw new BadRequestError(parameter, where === "body" || path.length === 0 ? `${parameter}: ${message}` : message);
}
