import { entityKey } from "../document.js";
import type { Filter, MeiliClient } from "../meili/client.js";
import { excludeIds, filterAllOf, filterEquals, filterNoneOf, type FilterClause } from "../meili/filter.js";
import { CANDIDATE_FIELDS, fetchAllMatching, fetchFreshest, type CandidateDocument } from "./candidates.js";
import { countCarrying } from "./count-shared.js";
import { fetchEntityStats } from "./entity-stats.js";
import { planRelated, rankRelated, type RelatedMatch } from "./plan.js";
import { rankByCandidates, type RankOptions } from "./rank-by-candidates.js";
import { weighEntities, type EntityRef } from "./score.js";
import { completeDistribution, membersOf, planSubsetCounts, selectGroups, type GroupSelection, type SharedGroup } from "./shared-sets.js";

/**
 * A tied boundary group up to this size is fetched whole with the groups above it (one request);
 * a larger one is read freshest first, only as far as the answer needs.
 */
const BOUNDARY_FETCH_ALL = 200;

/**
 * The exact top k from counts (see `shared-sets.ts`): document frequencies give the weights, one
 * multi-search counts the posts carrying each subset of the entities that can matter, the score
 * distribution follows, and only the groups holding the top k are fetched: about k documents
 * whatever the index size. For at most `MAX_EXACT_ENTITIES` entities, distinct by key.
 */
export async function rankByCounts(
  client: MeiliClient,
  indexUid: string,
  entities: readonly EntityRef[],
  options: RankOptions,
): Promise<RelatedMatch<CandidateDocument>[]> {
  const { k, selfId, selfCarriesAll, candidateFilter } = options;
  const keys = entities.map(entityKey);
  const query = weighEntities(entities, await fetchEntityStats(client, indexUid, keys), options.typeWeights);
  const plan = planSubsetCounts(query, { k, selfId, selfCarriesAll, hasCandidateFilter: candidateFilter !== undefined });
  const restrictions = [excludeIds(selfId === undefined ? [] : [selfId]), candidateFilter];
  const counted = await countOthers(client, indexUid, keys, plan.ask, restrictions, options);
  const selection = selectGroups(query, completeDistribution(query, plan, counted), k);
  // Counts read after the weights disagree with them (the index changed in between): take the slow, sure way.
  if (plan.isPartial && coveredBy(selection) < k) return rankByCandidates(client, indexUid, entities, options);
  const candidates = await fetchSelection(client, indexUid, selection, (groups) => groupFilter(keys, groups, restrictions));
  return rankRelated(planRelated(query, { k, selfId, prune: false }), candidates).related;
}

/**
 * {@link countCarrying} without the query post. When it is indexed with exactly these entities and
 * no filter applies, it is in every count: one is subtracted instead of filtering it out, since a
 * `!=` condition costs Meilisearch a complement over the whole index in every query.
 */
async function countOthers(
  client: MeiliClient,
  indexUid: string,
  keys: readonly string[],
  masks: readonly number[],
  restrictions: readonly (FilterClause | undefined)[],
  options: RankOptions,
): Promise<Map<number, number>> {
  if (!options.selfCarriesAll || options.candidateFilter !== undefined) {
    return countCarrying(client, indexUid, keys, masks, restrictions);
  }
  const counted = await countCarrying(client, indexUid, keys, masks, []);
  return new Map([...counted].map(([mask, count]) => [mask, Math.max(0, count - 1)]));
}

function coveredBy(selection: GroupSelection): number {
  return selection.whole.reduce((sum, group) => sum + group.count, 0) + selection.needed;
}

/** Posts whose shared set is one of `groups` (exactly: carrying its keys and none of the others' keys). */
function groupFilter(keys: readonly string[], groups: readonly SharedGroup[], restrictions: readonly (FilterClause | undefined)[]): Filter {
  const exactly = groups.map((group) => {
    const carried = membersOf(keys, group.mask);
    const absent = keys.filter((key) => !carried.includes(key));
    return filterAllOf(...carried.map((key) => filterEquals("entity_keys", key)), filterNoneOf("entity_keys", absent)) as FilterClause;
  });
  // Meilisearch's array form: the inner array is OR-ed, the outer one AND-ed.
  return [exactly, ...restrictions.filter((clause): clause is FilterClause => clause !== undefined)];
}

async function fetchSelection(
  client: MeiliClient,
  indexUid: string,
  selection: GroupSelection,
  filterFor: (groups: readonly SharedGroup[]) => Filter,
): Promise<CandidateDocument[]> {
  const { whole, boundary, needed } = selection;
  const count = (groups: readonly SharedGroup[]) => groups.reduce((sum, group) => sum + group.count, 0);
  const fetchWhole = (groups: readonly SharedGroup[]) =>
    groups.length === 0
      ? Promise.resolve([])
      : fetchAllMatching<CandidateDocument>(client, indexUid, { filter: filterFor(groups), fields: CANDIDATE_FIELDS, expectedCount: count(groups) });
  if (count(boundary) <= BOUNDARY_FETCH_ALL) return fetchWhole([...whole, ...boundary]);
  const [above, tied] = await Promise.all([fetchWhole(whole), fetchFreshest(client, indexUid, filterFor(boundary), needed)]);
  return [...above, ...tied];
}
