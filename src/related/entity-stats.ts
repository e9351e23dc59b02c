import type { MeiliClient, SearchParams } from "../meili/client.js";
import { toMeiliError } from "../meili/errors.js";
import { filterEquals, type FilterClause } from "../meili/filter.js";
import type { EntityStats } from "./score.js";

/** A search that counts the matching documents exactly and returns none of them. */
function countQuery(indexUid: string, filter?: FilterClause): SearchParams & { indexUid: string } {
  return { indexUid, q: "", ...(filter === undefined ? {} : { filter }), page: 1, hitsPerPage: 0, attributesToRetrieve: [] };
}

/**
 * What weighing `keys` needs, read from the live index in one multi-search: the number of indexed
 * posts (N) and, per entity key, how many posts carry it (df: `entity_keys = "key"`).
 *
 * Page-based searches (`hitsPerPage: 0`) make Meilisearch report an exact `totalHits` instead of an
 * estimate; it is capped by the index's `pagination.maxTotalHits` (100,000), past which weights
 * are computed as if the index held that many posts.
 * @throws MeiliUnavailableError / PostindexError `meili_request_failed` (see `toMeiliError`)
 * @see https://www.meilisearch.com/docs/reference/api/multi_search
 */
export async function fetchEntityStats(client: MeiliClient, indexUid: string, keys: readonly string[]): Promise<EntityStats> {
  const distinct = [...new Set(keys)];
  const queries = [countQuery(indexUid), ...distinct.map((key) => countQuery(indexUid, filterEquals("entity_keys", key)))];
  let totals: number[];
  try {
    const { results } = await client.raw.multiSearch({ queries });
    totals = results.map((result) => result.totalHits ?? result.estimatedTotalHits ?? 0);
  } catch (error) {
    throw toMeiliError(error, `counting entities in index "${indexUid}"`);
  }
  const docFrequency = new Map<string, number>();
  distinct.forEach((key, position) => docFrequency.set(key, totals[position + 1] ?? 0));
  return { totalDocs: totals[0] ?? 0, docFrequency };
}
