import {
  FACETS,
  isFacet,
  normaliseFacetValue,
  SEARCH_HIT_ATTRIBUTES,
  searchRequestFor,
  toMeiliError,
  type Facet,
  type MeiliClient,
} from "../../src/index.js";
import { facetsAskedFor, highlightFacetValue, tagsFor, type HitShape, type SearchContext } from "./answer.js";
import { resultCounts, resultsOf, writeAlgoliaResult, type ResultBytes } from "./answer-bytes.js";
import { ByteWriter } from "../../src/json-bytes.js";
import { AlgoliaError } from "./errors.js";
import { toMeiliFilter } from "./filters.js";
import { resolveIndex, type AlgoliaIndex } from "./indexes.js";
import { readAlgoliaParams, type AlgoliaParams } from "./params.js";
import { NO_ALIASES, type AliasTable } from "../../src/check/content-config.js";
import { facetQueryMeant } from "../../src/check/filter-aliases.js";
import { relaxedQueryText } from "./relax.js";

/**
 * Algolia searches run as Meilisearch searches: every request of a multi-query becomes one query
 * of a single Meilisearch multi-search, built by the core's `searchRequestFor` (the request
 * `GET /search` sends: its sort rules, highlight markers, crop marker) with the Algolia request's
 * filters, facets, fields, highlights and snippets put in. Facet-value searches, which
 * Meilisearch does not multi-search, run beside it.
 */

/** Fields a hit may carry (`attributesToRetrieve`); by default the ones `GET /search` returns. */
const RETRIEVABLE: readonly string[] = [...SEARCH_HIT_ATTRIBUTES, "intro"];
/** Fields that may be highlighted, and those highlighted when the request does not say. */
const HIGHLIGHTABLE: readonly string[] = ["title", "topic", "summary", "intro", ...FACETS];
const DEFAULT_HIGHLIGHT: readonly string[] = ["title", "topic", "summary", "stack", "tools"];
/** Fields that may be cropped into a snippet (`attributesToSnippet: ["body:20"]`). */
const SNIPPETABLE: readonly string[] = ["body", "summary", "intro", "title"];
const DEFAULT_SNIPPET_WORDS = 10;
const MAX_SNIPPET_WORDS = 100;

/** A facet selection with nothing selected (for `searchRequestFor`). */
const NO_FACETS = Object.fromEntries(FACETS.map((facet) => [facet, []])) as unknown as Record<Facet, string[]>;

function pick(asked: readonly string[] | undefined, allowed: readonly string[], fallback: readonly string[]): string[] {
  if (asked === undefined || asked.includes("*")) return [...fallback];
  return allowed.filter((field) => asked.includes(field));
}

/** `["body:20", "summary"]` → Meilisearch's `attributesToCrop`, and the field names. */
function snippets(asked: readonly string[] | undefined): { crop: string[]; fields: string[] } {
  const crop: string[] = [];
  const fields: string[] = [];
  for (const spec of asked ?? []) {
    const [name = "", words] = spec.split(":");
    const field = name.trim();
    if (!SNIPPETABLE.includes(field) || fields.includes(field)) continue;
    const count = words === undefined ? DEFAULT_SNIPPET_WORDS : Number(words);
    if (!Number.isInteger(count) || count < 1 || count > MAX_SNIPPET_WORDS)
      throw new AlgoliaError(
        400,
        `attributesToSnippet: expected attribute:words (1..${MAX_SNIPPET_WORDS}), got "${spec.slice(0, 40)}"`,
      );
    crop.push(`${field}:${count}`);
    fields.push(field);
  }
  return { crop, fields };
}

/** One Meilisearch query of a multi-search, and what its answer is shaped by. */
export interface PlannedSearch {
  readonly meili: Record<string, unknown>;
  readonly context: SearchContext;
}

/** An Algolia search on `index` → the Meilisearch query (with `indexUid`) and its answer context. */
export function planSearch(indexUid: string, index: AlgoliaIndex, params: AlgoliaParams): PlannedSearch {
  const base = searchRequestFor({
    q: params.query,
    page: params.page + 1,
    limit: params.hitsPerPage,
    sort: index.sort,
    filters: NO_FACETS,
  });
  const facets = facetsAskedFor(params.facets);
  const retrieve = pick(params.attributesToRetrieve, RETRIEVABLE, SEARCH_HIT_ATTRIBUTES);
  const highlight = pick(params.attributesToHighlight, HIGHLIGHTABLE, DEFAULT_HIGHLIGHT);
  const snippet = snippets(params.attributesToSnippet);
  const filter = toMeiliFilter(params);
  // A highlighted field that is not also cropped comes back whole in `_formatted` (with the
  // markers) whether it is retrieved or not: it is not asked for again, and its value in the hit
  // is the highlighted one with the markers stripped (a third fewer bytes for Meilisearch to write
  // and for the API to parse, for InstantSearch's default highlights).
  const fromFormatted = retrieve.filter((field) => highlight.includes(field) && !snippet.fields.includes(field));
  const shape: HitShape = { retrieve, highlight, snippet: snippet.fields, fromFormatted };
  const meili: Record<string, unknown> = {
    indexUid,
    q: base.q,
    ...(filter === undefined ? {} : { filter }),
    ...(base.sort === undefined ? {} : { sort: base.sort }),
    page: base.page,
    hitsPerPage: base.hitsPerPage,
    facets,
    attributesToRetrieve: ["id", ...retrieve.filter((field) => field !== "id" && !fromFormatted.includes(field))],
    attributesToHighlight: [...new Set([...highlight, ...snippet.fields])],
    attributesToCrop: snippet.crop,
    cropMarker: base.cropMarker,
    highlightPreTag: base.highlightPreTag,
    highlightPostTag: base.highlightPostTag,
  };
  return { meili, context: { index: index.name, params, facets, shape, relaxed: false } };
}

/** One request of a multi-query, read: a search, or a facet-value search (`type: "facet"`). */
type Planned =
  | { readonly kind: "search"; readonly plan: PlannedSearch }
  | { readonly kind: "facet"; readonly facet: Facet; readonly index: AlgoliaIndex; readonly params: AlgoliaParams };

function asObject(value: unknown, what: string): Readonly<Record<string, unknown>> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new AlgoliaError(400, `${what} must be an object`);
  return value as Readonly<Record<string, unknown>>;
}

/** The facet a facet-value search names. @throws AlgoliaError 400 for one that is not a facet */
function readFacetName(name: unknown): Facet {
  if (typeof name === "string" && isFacet(name)) return name;
  const shown = typeof name === "string" ? name.slice(0, 40) : String(name);
  throw new AlgoliaError(
    400,
    `Cannot search in \`${shown}\` attribute, you need to add \`searchable(${shown})\` to attributesForFaceting. Facets are ${FACETS.join(", ")}`,
  );
}

/** The `requests` of `POST /1/indexes/*\/queries`, read and planned. @throws AlgoliaError 400/404 */
export function planMultiQuery(indexUid: string, body: unknown, aliases: AliasTable = NO_ALIASES): Planned[] {
  const requests = asObject(body, "body")["requests"];
  if (!Array.isArray(requests)) throw new AlgoliaError(400, "requests must be a list");
  if (requests.length > 50) throw new AlgoliaError(400, "requests may hold at most 50 queries");
  return requests.map((raw: unknown): Planned => {
    const request = asObject(raw, "each request");
    const index = resolveIndex(indexUid, request["indexName"]);
    const params = readAlgoliaParams(request, aliases);
    if (request["type"] === "facet")
      return { kind: "facet", facet: readFacetName(request["facet"] ?? request["facetName"]), index, params };
    return { kind: "search", plan: planSearch(indexUid, index, params) };
  });
}

/** Runs the Meilisearch queries of `plans` as one multi-search (raw bytes over the API's keep-alive transport). */
async function multiSearch(
  client: MeiliClient,
  plans: readonly PlannedSearch[],
  timeoutMs: number | undefined,
): Promise<ResultBytes[]> {
  if (plans.length === 0) return [];
  let bytes: Buffer;
  try {
    bytes = await client.multiSearchBytes(JSON.stringify({ queries: plans.map((plan) => plan.meili) }), timeoutMs);
  } catch (error) {
    throw toMeiliError(error, "searching (multi-search)");
  }
  const results = resultsOf(bytes);
  if (results !== undefined) return results;
  // Not compact JSON: each result written out again, compact.
  return (JSON.parse(bytes.toString("utf8")) as { results: unknown[] }).results.map((result) => {
    const compact = Buffer.from(JSON.stringify(result), "utf8");
    return { bytes: compact, start: 0, end: compact.length };
  });
}

/** A search's Meilisearch result, and what its Algolia answer is shaped by. */
export interface SearchOutcome {
  readonly result: ResultBytes;
  readonly context: SearchContext;
}

/**
 * Runs planned searches, in the order planned. A search that found nothing is retried once with
 * its words reordered (see `relax.ts`, one more multi-search for all of them); an answer found
 * that way carries `relaxed: true`.
 * @param timeoutMs the longest each Meilisearch request may take @default the client's
 */
export async function runSearches(
  client: MeiliClient,
  plans: readonly PlannedSearch[],
  timeoutMs?: number,
): Promise<SearchOutcome[]> {
  const results = await multiSearch(client, plans, timeoutMs);
  const outcomes = plans.map((plan, i): SearchOutcome => ({
    result: results[i] as ResultBytes,
    context: plan.context,
  }));
  const retries = plans.flatMap((plan, i) => {
    const result = results[i];
    const counts = result === undefined ? undefined : resultCounts(result);
    const found = counts === undefined || counts.hasHits || (counts.totalHits ?? 0) > 0;
    const q = found ? undefined : relaxedQueryText(plan.context.params.query);
    return q === undefined ? [] : [{ i, plan: { ...plan, meili: { ...plan.meili, q } } }];
  });
  if (retries.length > 0) {
    const again = await multiSearch(
      client,
      retries.map((retry) => retry.plan),
      timeoutMs,
    );
    retries.forEach((retry, j) => {
      const result = again[j];
      if (result === undefined) return;
      const counts = resultCounts(result);
      if ((counts.totalHits ?? (counts.hasHits ? 1 : 0)) === 0) return;
      outcomes[retry.i] = { result, context: { ...retry.plan.context, relaxed: true } };
    });
  }
  return outcomes;
}

/** A search's Algolia answer, as JSON bytes. */
function algoliaResultBytes(outcome: SearchOutcome): Buffer {
  const out = new ByteWriter();
  writeAlgoliaResult(out, outcome.result, outcome.context);
  return out.written();
}

const RESULTS_OPEN = Buffer.from('{"results":[', "latin1");
const RESULTS_CLOSE = Buffer.from("]}", "latin1");

/**
 * `POST /1/indexes/*\/queries`: `{"results": [...]}` in the order of the requests, as JSON bytes.
 * @param timeoutMs the longest each Meilisearch request may take @default the client's
 */
export async function runMultiQuery(
  client: MeiliClient,
  indexUid: string,
  body: unknown,
  aliases: AliasTable = NO_ALIASES,
  timeoutMs?: number,
): Promise<Buffer> {
  const planned = planMultiQuery(indexUid, body, aliases);
  const searches = planned.flatMap((item) => (item.kind === "search" ? [item.plan] : []));
  const facetSearches = planned.map((item) =>
    item.kind === "facet"
      ? searchFacetValues(client, indexUid, item.facet, item.params, aliases)
      : Promise.resolve(undefined),
  );
  const [outcomes, facetResults] = await Promise.all([
    runSearches(client, searches, timeoutMs),
    Promise.all(facetSearches),
  ]);
  const out = new ByteWriter(64 * 1024);
  out.bytes(RESULTS_OPEN);
  let next = 0;
  planned.forEach((item, i) => {
    if (i > 0) out.byte(0x2c);
    if (item.kind === "search") {
      const outcome = outcomes[next++] as SearchOutcome;
      writeAlgoliaResult(out, outcome.result, outcome.context);
    } else out.text(JSON.stringify(facetResults[i]));
  });
  out.bytes(RESULTS_CLOSE);
  return out.written();
}

/**
 * Search for facet values (`POST /1/indexes/:index/facets/:facet/query`, or a `type: "facet"`
 * request): the values of `facet` starting with `facetQuery`, counted over the posts the search's
 * query and filters match, most frequent first. A `facetQuery` that is a declared alias of the
 * facet (`k8s`) looks for the value it stands for (`kubernetes`), as `GET /facets/:facet` does.
 */
async function searchFacetValues(
  client: MeiliClient,
  indexUid: string,
  facet: Facet,
  given: AlgoliaParams,
  aliases: AliasTable,
) {
  const typed = normaliseFacetValue(given.facetQuery);
  const meant = facetQueryMeant(facet, typed, aliases);
  const params = meant === typed ? given : { ...given, facetQuery: meant };
  const filter = toMeiliFilter(params);
  let answer: { facetHits: { value: string; count: number }[]; processingTimeMs?: number };
  try {
    answer = await client.index(indexUid).searchForFacetValues({
      facetName: facet,
      facetQuery: params.facetQuery,
      ...(params.query === "" ? {} : { q: params.query }),
      ...(filter === undefined ? {} : { filter }),
    });
  } catch (error) {
    throw toMeiliError(error, `searching the ${facet} values of index "${indexUid}"`);
  }
  const tags = tagsFor(params);
  return {
    facetHits: answer.facetHits.slice(0, params.maxFacetHits).map(({ value, count }) => ({
      value,
      highlighted: highlightFacetValue(value, params.facetQuery, tags),
      count,
    })),
    exhaustiveFacetsCount: true,
    exhaustive: { facetsCount: true },
    processingTimeMS: answer.processingTimeMs ?? 0,
  };
}

/** `POST /1/indexes/:index/query`: one search, its answer as JSON bytes. */
export async function runSingleQuery(
  client: MeiliClient,
  indexUid: string,
  indexName: string,
  body: unknown,
  aliases: AliasTable = NO_ALIASES,
  timeoutMs?: number,
): Promise<Buffer> {
  const index = resolveIndex(indexUid, indexName);
  const params = readAlgoliaParams(asObject(body, "body"), aliases);
  const [outcome] = await runSearches(client, [planSearch(indexUid, index, params)], timeoutMs);
  return algoliaResultBytes(outcome as SearchOutcome);
}

/** `POST /1/indexes/:index/facets/:facet/query`. */
export async function runFacetQuery(
  client: MeiliClient,
  indexUid: string,
  indexName: string,
  facetName: string,
  body: unknown,
  aliases: AliasTable = NO_ALIASES,
) {
  resolveIndex(indexUid, indexName);
  const facet = readFacetName(facetName);
  return searchFacetValues(client, indexUid, facet, readAlgoliaParams(asObject(body, "body"), aliases), aliases);
}
