import type { AliasTable } from "../../src/check/content-config.js";
import { relatedForDocument, toDocumentId, type MeiliClient } from "../../src/index.js";
import { MAX_RELATED_LIMIT } from "../queries.js";
import type { LiveRelatedIndex } from "../related-refresher.js";
import { AlgoliaError } from "./errors.js";
import { toFacetSelection } from "./filters.js";
import { resolveIndex } from "./indexes.js";
import { readAlgoliaParams } from "./params.js";
import { planSearch, runSearches } from "./search.js";
import { toAlgoliaResult } from "./answer.js";
import { parseResult } from "./answer-bytes.js";

/**
 * `POST /1/indexes/*\/recommendations`, the part of Algolia's Recommend protocol the
 * `relatedProducts` widget uses: `related-products` (and `looking-similar`, the same here) for an
 * `objectID`, answered from the same related-posts index and code as `GET /posts/:id/related`.
 * Each hit carries `_score` (our 0..1 score × 100, what `threshold` compares with) and `shared`,
 * the entities that make it related. `queryParameters.facetFilters` filter the list;
 * when nothing passes, `fallbackParameters` run as a search of the index (hits with `_score: 0`).
 * @see https://www.algolia.com/doc/rest-api/recommend/#get-recommendations
 */

const MODELS = new Set(["related-products", "looking-similar"]);

function asObject(value: unknown, what: string): Readonly<Record<string, unknown>> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new AlgoliaError(400, `${what} must be an object`);
  return value as Readonly<Record<string, unknown>>;
}

function readNumber(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number === "number" && Number.isFinite(number) && number >= min && number <= max) return number;
  throw new AlgoliaError(400, `${name} must be a number from ${min} to ${max}`);
}

/** What the recommendations are computed from. */
export interface RecommendDeps {
  readonly client: MeiliClient;
  readonly indexUid: string;
  readonly related: LiveRelatedIndex;
  readonly typeWeights: Readonly<Record<string, number>>;
  /** The content folder's aliases now, applied to `queryParameters.facetFilters`. */
  readonly aliases?: () => AliasTable;
}

async function recommendOne(deps: RecommendDeps, raw: unknown) {
  const request = asObject(raw, "each request");
  const index = resolveIndex(deps.indexUid, request["indexName"]);
  const model = request["model"];
  if (typeof model !== "string" || !MODELS.has(model))
    throw new AlgoliaError(
      400,
      `model must be related-products or looking-similar, got ${JSON.stringify(String(model).slice(0, 40))}`,
    );
  const objectID = request["objectID"];
  if (typeof objectID !== "string" || objectID === "" || objectID.length > 512)
    throw new AlgoliaError(400, "objectID must be a non-empty string");
  const threshold = readNumber("threshold", request["threshold"], 0, 100, 0);
  const max = Math.round(readNumber("maxRecommendations", request["maxRecommendations"], 1, MAX_RELATED_LIMIT, 30));
  const query = readAlgoliaParams(asObject(request["queryParameters"], "queryParameters"), deps.aliases?.());
  const filters = toFacetSelection(query.facetFilters);
  const startedAt = performance.now();
  const relatedIndex = await deps.related.current();
  let answer;
  try {
    answer = relatedForDocument(relatedIndex, objectID, { limit: max, filters, typeWeights: deps.typeWeights });
  } catch (error) {
    if ((error as { code?: unknown }).code === "not_found") throw new AlgoliaError(404, "ObjectID does not exist");
    throw error;
  }
  const hits = (answer.fallback === null ? answer.related : [])
    .filter((post) => post.score * 100 >= threshold)
    .map((post) => {
      const document = relatedIndex.get(toDocumentId(post.id));
      return {
        objectID: post.id,
        title: post.title,
        stack: document?.stack ?? [],
        tools: document?.tools ?? [],
        difficulty: document?.difficulty ?? null,
        scenario: document?.scenario ?? null,
        code_language: document?.code_language ?? null,
        last_reviewed_at: document?.last_reviewed_at ?? null,
        _score: Math.round(post.score * 10_000) / 100,
        shared: post.shared,
      };
    });
  if (hits.length === 0 && request["fallbackParameters"] !== undefined) {
    const fallback = readAlgoliaParams(
      { hitsPerPage: max, ...asObject(request["fallbackParameters"], "fallbackParameters") },
      deps.aliases?.(),
    );
    const plan = planSearch(deps.indexUid, index, fallback);
    const [outcome] = await runSearches(deps.client, [plan]);
    // The hits as objects, to be given a score and an explanation: the reference conversion.
    const result = outcome && toAlgoliaResult(parseResult(outcome.result), outcome.context);
    const searchHits = ((result?.["hits"] ?? []) as Record<string, unknown>[])
      .filter((hit) => hit["objectID"] !== objectID)
      .map((hit) => ({ ...hit, _score: 0, shared: [] }));
    return resultOf(searchHits, performance.now() - startedAt, true);
  }
  return resultOf(hits, performance.now() - startedAt, false);
}

function resultOf(hits: readonly unknown[], ms: number, isFallback: boolean) {
  return {
    hits,
    nbHits: hits.length,
    page: 0,
    nbPages: hits.length > 0 ? 1 : 0,
    hitsPerPage: hits.length,
    exhaustiveNbHits: true,
    processingTimeMS: Math.round(ms),
    query: "",
    params: "",
    fallback: isFallback,
  };
}

/** The `requests` of a recommendations call → `{"results": [...]}`, in order. */
export async function runRecommendations(deps: RecommendDeps, body: unknown) {
  const requests = asObject(body, "body")["requests"];
  if (!Array.isArray(requests)) throw new AlgoliaError(400, "requests must be a list");
  if (requests.length > 50) throw new AlgoliaError(400, "requests may hold at most 50 queries");
  const results = await Promise.all(requests.map((request) => recommendOne(deps, request)));
  return { results };
}
