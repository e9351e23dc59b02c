import { fromDocumentId } from "./document-id.js";
import { FACETS, type Facet, type SearchDocument } from "./document-types.js";
import type { Hit, MeiliClient, SearchResponse } from "./meili/client.js";
import { toMeiliError } from "./meili/errors.js";
import { spliceSearchAnswer } from "./search-answer-bytes.js";
import { highlightToHtml, MARK_CLOSE, MARK_OPEN } from "./search-highlight.js";
import {
  toMeiliSearchRequest,
  SEARCH_HIT_ATTRIBUTES,
  type MeiliSearchRequest,
  type SearchQuery,
} from "./search-query.js";

/**
 * `GET /search`: one Meilisearch search, and its answer in the API's shape.
 * @see README.md "HTTP API"
 */

type HitFields = Pick<SearchDocument, (typeof SEARCH_HIT_ATTRIBUTES)[number] | "body">;

/** One search hit: display fields, with `id` the record id and the body only as a snippet. */
export type SearchHit = Omit<Pick<SearchDocument, (typeof SEARCH_HIT_ATTRIBUTES)[number]>, "id"> & {
  /** The record id (what `/posts/:id` takes). */
  readonly id: string;
  /** The title as HTML: text escaped, matched words in `<mark>`. */
  readonly title_highlighted: string;
  /** About 30 words of the body around the best match, as HTML like `title_highlighted`; "…" where cut. */
  readonly snippet: string;
};

/** The `GET /search` answer. */
export interface SearchAnswer {
  readonly hits: readonly SearchHit[];
  /** Exact number of matching posts. */
  readonly total: number;
  readonly page: number;
  readonly limit: number;
  /** Matching posts per value, per facet (the counts for the whole result, not this page). */
  readonly facets: Readonly<Record<Facet, Readonly<Record<string, number>>>>;
}

/** The Meilisearch request `searchPostsJson` sends for `query` (also what the benchmark sends directly). */
export function searchRequestFor(query: SearchQuery): MeiliSearchRequest {
  return { ...toMeiliSearchRequest(query), highlightPreTag: MARK_OPEN, highlightPostTag: MARK_CLOSE };
}

/**
 * Runs `query` on index `indexUid`, answered as the JSON bytes of its {@link SearchAnswer}: what
 * `GET /search` sends. Meilisearch's answer is spliced into the API's ({@link spliceSearchAnswer}) rather than
 * parsed and serialised again; one laid out unexpectedly is parsed instead (the same answer).
 * @param timeoutMs the longest Meilisearch may take @default the client's timeout
 * @throws MeiliUnavailableError / PostindexError `meili_request_failed` (see `toMeiliError`)
 */
export async function searchPostsJson(
  client: MeiliClient,
  indexUid: string,
  query: SearchQuery,
  timeoutMs?: number,
): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await client.searchBytes(indexUid, JSON.stringify(searchRequestFor(query)), timeoutMs);
  } catch (error) {
    throw toMeiliError(error, `searching index "${indexUid}"`);
  }
  const spliced = spliceSearchAnswer(bytes, query);
  if (spliced !== undefined) return spliced;
  const response = JSON.parse(bytes.toString("utf8")) as SearchResponse<HitFields>;
  return Buffer.from(JSON.stringify(toSearchAnswer(response, query)), "utf8");
}

/** A Meilisearch answer → the API's (pure). */
export function toSearchAnswer(
  response: SearchResponse<HitFields>,
  query: Pick<SearchQuery, "page" | "limit">,
): SearchAnswer {
  const distribution = response.facetDistribution ?? {};
  const facets = Object.fromEntries(
    FACETS.map((facet) => [facet, distribution[facet] ?? {}]),
  ) as SearchAnswer["facets"];
  return {
    hits: response.hits.map(toSearchHit),
    total: response.totalHits ?? response.estimatedTotalHits ?? response.hits.length,
    page: query.page,
    limit: query.limit,
    facets,
  };
}

function toSearchHit(hit: Hit<HitFields>): SearchHit {
  const { _formatted: formatted, _matchesPosition: _positions, _rankingScore: _score, body: _body, ...fields } = hit;
  return {
    ...fields,
    id: fromDocumentId(hit.id),
    title_highlighted: highlightToHtml(formatted?.title ?? hit.title),
    snippet: highlightToHtml(formatted?.body ?? ""),
  };
}
