import type { MeiliClient, SearchParams } from "../meili/client.js";
import { toMeiliError } from "../meili/errors.js";
import { filterAllOf, filterEquals, type FilterClause } from "../meili/filter.js";
import { membersOf } from "./shared-sets.js";

/** A search that counts the matching documents exactly and returns none of them. */
function countQuery(indexUid: string, filter: FilterClause | undefined): SearchParams & { indexUid: string } {
  return { indexUid, q: "", ...(filter === undefined ? {} : { filter }), page: 1, hitsPerPage: 0, attributesToRetrieve: [] };
}

/**
 * How many documents match each filter (`undefined`: all of them), in one multi-search.
 * Page-based searches (`hitsPerPage: 0`) make Meilisearch report an exact `totalHits` rather than
 * an estimate, capped by the index's `pagination.maxTotalHits`.
 * @param action what is being counted, for the error message
 * @throws MeiliUnavailableError / PostindexError `meili_request_failed` (see `toMeiliError`)
 * @see https://www.meilisearch.com/docs/reference/api/multi_search
 */
export async function countMatching(
  client: MeiliClient,
  indexUid: string,
  filters: readonly (FilterClause | undefined)[],
  action: string,
): Promise<number[]> {
  try {
    const { results } = await client.raw.multiSearch({ queries: filters.map((filter) => countQuery(indexUid, filter)) });
    return filters.map((_, position) => results[position]?.totalHits ?? results[position]?.estimatedTotalHits ?? 0);
  } catch (error) {
    throw toMeiliError(error, `${action} in index "${indexUid}"`);
  }
}

/**
 * For each subset of `keys` in `masks` (bit i = `keys[i]`), how many posts carry all of its keys
 * and match every one of `restrictions` (self excluded, facet filters): one multi-search.
 */
export async function countCarrying(
  client: MeiliClient,
  indexUid: string,
  keys: readonly string[],
  masks: readonly number[],
  restrictions: readonly (FilterClause | undefined)[],
): Promise<Map<number, number>> {
  if (masks.length === 0) return new Map();
  const filters = masks.map((mask) => {
    const carries = membersOf(keys, mask).map((key) => filterEquals("entity_keys", key));
    return filterAllOf(...carries, ...restrictions);
  });
  const counts = await countMatching(client, indexUid, filters, "counting shared entities");
  return new Map(masks.map((mask, position) => [mask, counts[position] ?? 0]));
}
