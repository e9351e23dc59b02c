import type { MeiliClient } from "../meili/client.js";
import { filterAllOf, type FilterClause } from "../meili/filter.js";
import { entityKey } from "../document.js";
import { CANDIDATE_FIELDS, fetchAllMatching, type CandidateDocument } from "./candidates.js";
import { fetchEntityStats } from "./entity-stats.js";
import { planRelated, rankRelated, type RelatedMatch, type RelatedPlan, type RelatedRanking } from "./plan.js";
import { weighEntities, type EntityRef } from "./score.js";

/** Options of the two exact top-k methods (`rankByCounts`, {@link rankByCandidates}). */
export interface RankOptions {
  readonly k: number;
  /** The query post's document id, when there is one: never a candidate. */
  readonly selfId: string | undefined;
  /** True when `selfId` is indexed with exactly the queried entities. */
  readonly selfCarriesAll: boolean;
  /** Only candidates matching it (facet filters on the related list). */
  readonly candidateFilter: FilterClause | undefined;
  readonly typeWeights: Readonly<Record<string, number>>;
}

/**
 * The exact top k by fetching candidates, MaxScore style (see `plan.ts`): document frequencies,
 * a plan whose rare entities find the candidates, every post carrying one of them, exact scores.
 * When the answer cannot be proven exact (statistics moved between the count and the fetch, or
 * the candidate filter left fewer than k posts above the pruning bound), fetches again without
 * pruning. Used for posts with more entities than the counting method takes.
 */
export async function rankByCandidates(
  client: MeiliClient,
  indexUid: string,
  entities: readonly EntityRef[],
  options: RankOptions,
): Promise<RelatedMatch<CandidateDocument>[]> {
  const { k, selfId, candidateFilter } = options;
  const stats = await fetchEntityStats(client, indexUid, entities.map(entityKey));
  const query = weighEntities(entities, stats, options.typeWeights);
  const first = await rankPlan(client, indexUid, planRelated(query, { k, selfId }), candidateFilter);
  if (first.isExact) return first.related;
  return (await rankPlan(client, indexUid, planRelated(query, { k, selfId, prune: false }), candidateFilter)).related;
}

async function rankPlan(
  client: MeiliClient,
  indexUid: string,
  plan: RelatedPlan,
  candidateFilter: FilterClause | undefined,
): Promise<RelatedRanking<CandidateDocument>> {
  if (plan.fetch === null) return rankRelated(plan, []);
  const candidates = await fetchAllMatching<CandidateDocument>(client, indexUid, {
    filter: filterAllOf(plan.fetch.filter, candidateFilter) as FilterClause,
    fields: CANDIDATE_FIELDS,
    expectedCount: plan.fetch.expectedCount,
  });
  return rankRelated(plan, candidates.map((candidate) => ({ ...candidate, entity_keys: candidate.entity_keys ?? [] })));
}
