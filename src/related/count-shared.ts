import type { MeiliClient, SearchParams } from "../meili/client.js";
import { toMeiliError } from "../meili/errors.js";
import { filterAllOf, filterEquals, type FilterClause } from "../meili/filter.js";
import { membersOf } from "./shared-sets.js";

/** A search that counts the matching documents exactly and returns none of them. */
function countQuery(indexUid: string, filter: FilterClause | undefined): SearchParams & { indexUid: string } {
  return { indexUid, q: "", ...(filter === undefined ? {} : { filter }), page: 1, hitsPerPage: 0, attributesToRetrieve: [] };
}

/**
 * For each subset of `keys` in `masks` (bit i = `keys[i]`), how many posts carry all of its keys
 * and match every one of `restrictions` (self excluded, facet filters): one multi-search.
 * @throws MeiliUnavailableError / PostindexError `meili_request_failed` (see `toMeiliError`)
 * @see https://www.meilisearch.com/docs/reference/api/multi_search
 */
export async function countCarrying(
  client: MeiliClient,
  indexUid: string,
  keys: readonly string[],
  masks: readonly number[],
  restrictions: readonly (FilterClause | undefined)[],
): Promise<Map<number, number>> {
  if (masks.length === 0) return new Map();
  const queries = masks.map((mask) => {
    const carries = membersOf(keys, mask).map((key) => filterEquals("entity_keys", key));
    return countQuery(indexUid, filterAllOf(...carries, ...restrictions));
  });
  try {
    const { results } = await client.raw.multiSearch({ queries });
    return new Map(masks.map((mask, position) => [mask, results[position]?.totalHits ?? results[position]?.estimatedTotalHits ?? 0]));
  } catch (error) {
    throw toMeiliError(error, `counting shared entities in index "${indexUid}"`);
  }
}
