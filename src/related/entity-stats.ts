import type { MeiliClient } from "../meili/client.js";
import { filterEquals } from "../meili/filter.js";
import { countMatching } from "./count-shared.js";
import type { EntityStats } from "./score.js";

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
  const filters = [undefined, ...distinct.map((key) => filterEquals("entity_keys", key))];
  const totals = await countMatching(client, indexUid, filters, "counting entities");
  const docFrequency = new Map<string, number>();
  distinct.forEach((key, position) => docFrequency.set(key, totals[position + 1] ?? 0));
  return { totalDocs: totals[0] ?? 0, docFrequency };
}
