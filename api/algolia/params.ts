import { NO_ALIASES, type AliasTable } from "../../src/check/content-config.js";
import { isFacet, normaliseFacetValue } from "../../src/index.js";
import { SEARCH_LIMITS } from "../queries.js";
import { toWellFormedText } from "../../src/text/well-formed.js";
import { AlgoliaError } from "./errors.js";

/**
 * The search parameters of one Algolia request, read from what the clients send: v5 clients put
 * them as fields of the request object, v4 clients as one URL-encoded `params` string (arrays and
 * objects JSON-encoded in it). Both may appear; fields win over the string. Only the parameters
 * InstantSearch uses are read; any other is ignored (as Algolia's clients expect of a server that
 * does not know it), and a known one with a bad value is a 400 naming it.
 * @see https://www.algolia.com/doc/api-reference/search-api-parameters/
 */

/** A facet filter group as Algolia nests them: one value, or values OR-ed. */
export type FilterGroup = string | readonly string[];

/** The parameters of one search, validated. */
export interface AlgoliaParams {
  readonly query: string;
  /** 0-based. */
  readonly page: number;
  readonly hitsPerPage: number;
  /** Facet names asked for (`*` expanded by the caller), in the order given. */
  readonly facets: readonly string[];
  /** AND of groups; a group is OR-ed. */
  readonly facetFilters: readonly FilterGroup[];
  readonly numericFilters: readonly FilterGroup[];
  readonly filters: string;
  readonly attributesToRetrieve: readonly string[] | undefined;
  readonly attributesToHighlight: readonly string[] | undefined;
  readonly attributesToSnippet: readonly string[] | undefined;
  readonly highlightPreTag: string;
  readonly highlightPostTag: string;
  readonly maxValuesPerFacet: number;
  /** Facet-value search: the text typed, and how many values. */
  readonly facetQuery: string;
  readonly maxFacetHits: number;
  /** The parameters as Algolia echoes them in `params`. */
  readonly echo: string;
}

/** Bounds on Algolia requests; past them a 400. */
export const ALGOLIA_LIMITS = {
  maxQueryLength: SEARCH_LIMITS.maxQueryLength,
  maxHitsPerPage: SEARCH_LIMITS.maxLimit,
  /** 0-based page past which nothing is served (Meilisearch's page limit). */
  maxPage: SEARCH_LIMITS.maxPage - 1,
  /** Requests in one multi-query. */
  maxRequests: 50,
  /** Characters of `params`, `filters`, and of each JSON-encoded list in `params`. */
  maxParamsLength: 16_384,
  maxFiltersLength: 2_048,
  /** Conditions in facetFilters + numericFilters + filters together. */
  maxConditions: 64,
  maxFacetQueryLength: 100,
  maxFacetHits: 100,
  maxValuesPerFacet: 1_000,
  maxTagLength: 64,
} as const;

const DEFAULT_HITS_PER_PAGE = 20;
const DEFAULT_MAX_VALUES_PER_FACET = 100;
const DEFAULT_MAX_FACET_HITS = 10;

/** The parameter names read here; every other one is ignored. */
const KNOWN = new Set([
  "query",
  "page",
  "hitsPerPage",
  "facets",
  "facetFilters",
  "numericFilters",
  "filters",
  "attributesToRetrieve",
  "attributesToHighlight",
  "attributesToSnippet",
  "highlightPreTag",
  "highlightPostTag",
  "maxValuesPerFacet",
  "facetQuery",
  "maxFacetHits",
]);

function shown(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** `params` (URL-encoded) → its known parameters, values as the string sent (JSON still encoded). */
function readParamsString(params: string): Record<string, string> {
  if (params.length > ALGOLIA_LIMITS.maxParamsLength)
    throw new AlgoliaError(400, `params must be at most ${ALGOLIA_LIMITS.maxParamsLength} characters`);
  const read: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of params.split("&")) {
    if (pair === "") continue;
    const at = pair.indexOf("=");
    const name = decode(at === -1 ? pair : pair.slice(0, at));
    if (!KNOWN.has(name)) continue;
    read[name] = at === -1 ? "" : decode(pair.slice(at + 1));
  }
  return read;
}

function decode(component: string): string {
  try {
    return decodeURIComponent(component.replaceAll("+", " "));
  } catch {
    throw new AlgoliaError(400, "params: malformed percent escape (use %XX with two hex digits)");
  }
}

/** A value from the `params` string that stands for a list or an object: JSON when it looks like it. */
function fromString(value: string): unknown {
  const text = value.trim();
  if (text.startsWith("[") || text.startsWith("{")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

function readText(name: string, value: unknown, fallback: string, max: number): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value !== "string") throw new AlgoliaError(400, `${name} must be a string, got ${shown(value)}`);
  if (value.length > max) throw new AlgoliaError(400, `${name} must be at most ${max} characters, got ${value.length}`);
  // A lone surrogate (`"\\udc00"` in the JSON body) becomes U+FFFD: it could not be URL-encoded
  // for `params`, nor sent to Meilisearch.
  return toWellFormedText(value);
}

function readInteger(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null || value === "") return fallback;
  const number = typeof value === "number" ? value : typeof value === "string" ? Number(value.trim()) : Number.NaN;
  if (Number.isInteger(number) && number >= min && number <= max) return number;
  throw new AlgoliaError(400, `${name} must be an integer from ${min} to ${max}, got ${shown(value)}`);
}

/** A list of names: an array, a JSON array in a string, or comma-separated. */
function readNames(name: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = typeof value === "string" ? fromString(value) : value;
  const items = typeof list === "string" ? list.split(",") : list;
  if (
    !Array.isArray(items) ||
    items.length > 100 ||
    items.some((item) => typeof item !== "string" || item.length > 200)
  )
    throw new AlgoliaError(400, `${name} must be a list of attribute names, got ${shown(value)}`);
  return (items as string[]).map((item) => item.trim()).filter((item) => item !== "");
}

/** facetFilters / numericFilters: a string (comma = AND), or an array of strings and arrays of strings. */
function readFilterGroups(name: string, value: unknown): FilterGroup[] {
  if (value === undefined || value === null || value === "") return [];
  const parsed = typeof value === "string" ? fromString(value) : value;
  if (typeof parsed === "string") return parsed.split(",").map((item) => item.trim());
  const bad = () =>
    new AlgoliaError(400, `${name} must be a string or a list of strings and lists, got ${shown(value)}`);
  if (!Array.isArray(parsed)) throw bad();
  return parsed.map((group: unknown): FilterGroup => {
    if (typeof group === "string") return group;
    if (Array.isArray(group) && group.every((item) => typeof item === "string")) return group;
    throw bad();
  });
}

function countConditions(groups: readonly FilterGroup[]): number {
  return groups.reduce((sum, group) => sum + (typeof group === "string" ? 1 : group.length), 0);
}

/**
 * One request's parameters (its own fields, and its `params` string when it has one) → validated
 * {@link AlgoliaParams}.
 * @throws AlgoliaError 400 naming the first bad parameter
 */
export function readAlgoliaParams(
  request: Readonly<Record<string, unknown>>,
  aliases: AliasTable = NO_ALIASES,
): AlgoliaParams {
  const fromParams = typeof request["params"] === "string" ? readParamsString(request["params"]) : {};
  if (request["params"] !== undefined && typeof request["params"] !== "string" && typeof request["params"] !== "object")
    throw new AlgoliaError(400, "params must be a URL-encoded string");
  const nested =
    typeof request["params"] === "object" && request["params"] !== null && !Array.isArray(request["params"])
      ? (request["params"] as Record<string, unknown>)
      : {};
  const get = (name: string): unknown => request[name] ?? nested[name] ?? fromParams[name];
  const facetFilters = facetFiltersMeant(readFilterGroups("facetFilters", get("facetFilters")), aliases);
  const numericFilters = readFilterGroups("numericFilters", get("numericFilters"));
  if (countConditions(facetFilters) + countConditions(numericFilters) > ALGOLIA_LIMITS.maxConditions)
    throw new AlgoliaError(
      400,
      `facetFilters and numericFilters may hold at most ${ALGOLIA_LIMITS.maxConditions} conditions`,
    );
  const params = {
    query: readText("query", get("query"), "", ALGOLIA_LIMITS.maxQueryLength).trim(),
    page: readInteger("page", get("page"), 0, ALGOLIA_LIMITS.maxPage, 0),
    hitsPerPage: readInteger(
      "hitsPerPage",
      get("hitsPerPage"),
      0,
      ALGOLIA_LIMITS.maxHitsPerPage,
      DEFAULT_HITS_PER_PAGE,
    ),
    facets: readNames("facets", get("facets")) ?? [],
    facetFilters,
    numericFilters,
    filters: readText("filters", get("filters"), "", ALGOLIA_LIMITS.maxFiltersLength),
    attributesToRetrieve: readNames("attributesToRetrieve", get("attributesToRetrieve")),
    attributesToHighlight: readNames("attributesToHighlight", get("attributesToHighlight")),
    attributesToSnippet: readNames("attributesToSnippet", get("attributesToSnippet")),
    highlightPreTag: readText("highlightPreTag", get("highlightPreTag"), "<em>", ALGOLIA_LIMITS.maxTagLength),
    highlightPostTag: readText("highlightPostTag", get("highlightPostTag"), "</em>", ALGOLIA_LIMITS.maxTagLength),
    maxValuesPerFacet: readInteger(
      "maxValuesPerFacet",
      get("maxValuesPerFacet"),
      1,
      ALGOLIA_LIMITS.maxValuesPerFacet,
      DEFAULT_MAX_VALUES_PER_FACET,
    ),
    facetQuery: readText("facetQuery", get("facetQuery"), "", ALGOLIA_LIMITS.maxFacetQueryLength).trim(),
    maxFacetHits: readInteger(
      "maxFacetHits",
      get("maxFacetHits"),
      1,
      ALGOLIA_LIMITS.maxFacetHits,
      DEFAULT_MAX_FACET_HITS,
    ),
  };
  return { ...params, echo: echoParams(params) };
}

/** The parameters as a URL-encoded string, lists JSON-encoded (how Algolia answers `params`). */
function echoParams(params: Omit<AlgoliaParams, "echo">): string {
  const pairs: string[] = [];
  const add = (name: string, value: unknown): void => {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    pairs.push(`${name}=${encodeURIComponent(text)}`);
  };
  add("query", params.query);
  add("page", String(params.page));
  add("hitsPerPage", String(params.hitsPerPage));
  if (params.facets.length > 0) add("facets", params.facets);
  if (params.facetFilters.length > 0) add("facetFilters", params.facetFilters);
  if (params.numericFilters.length > 0) add("numericFilters", params.numericFilters);
  if (params.filters !== "") add("filters", params.filters);
  return pairs.join("&");
}

/**
 * `facetFilters` with the content folder's aliases applied to their values (`tools:k8s` →
 * `tools:kubernetes`, negation and the `\-` escape kept), as `GET /search` applies them.
 */
function facetFiltersMeant(groups: FilterGroup[], aliases: AliasTable): FilterGroup[] {
  if (aliases.empty) return groups;
  const meant = (entry: string): string => {
    const at = entry.indexOf(":");
    const name = at <= 0 ? "" : entry.slice(0, at).trim();
    const table = isFacet(name) ? aliases.facets.get(name) : undefined;
    if (table === undefined) return entry;
    const raw = entry.slice(at + 1);
    const negated = raw.startsWith("-");
    const value = negated || raw.startsWith("\\-") ? raw.slice(1) : raw;
    const to = table.get(normaliseFacetValue(value));
    if (to === undefined) return entry;
    return `${name}:${negated ? "-" : to.startsWith("-") ? "\\" : ""}${to}`;
  };
  return groups.map((group) => (typeof group === "string" ? meant(group) : group.map(meant)));
}
