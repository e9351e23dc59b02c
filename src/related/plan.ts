import { filterAllOf, filterAnyOf, entityFilter, excludeIds, type FilterClause } from "../meili/filter.js";
import { below, compareRelated, scoreCandidate, type CandidateScore, type WeightedEntity } from "./score.js";

/**
 * Related-posts retrieval, MaxScore style: rare entities find the candidates, common ones only add
 * to their scores, and a bound proves that no post left unfetched could have made the top k.
 *
 * The flow: {@link planRelated} → fetch every indexed post matching `plan.fetch.filter` (with its
 * `id`, `entity_keys`, `last_reviewed_at`) → {@link rankRelated}. When that finds nothing, use
 * {@link fallbackPlan}. When `isExact` is false (index statistics moved under us), plan again
 * with `prune: false` and fetch again.
 */

export interface RelatedPlanOptions {
  /** How many related posts are wanted (≥ 1). */
  readonly k: number;
  /** The query post's id when it is indexed: never returned, and counted once in each of its entities' df. */
  readonly selfId?: string | undefined;
  /** Set false to fetch candidates for every entity (no pruning). @default true */
  readonly prune?: boolean;
}

export interface RelatedPlan {
  /** The weighted query, in its own order (the order scores are summed in). */
  readonly query: readonly WeightedEntity[];
  readonly k: number;
  readonly selfId: string | undefined;
  /** Heaviest (rarest) first: every post carrying one of these must be fetched as a candidate. */
  readonly essential: readonly WeightedEntity[];
  /** Never fetched: too common (or weightless) for a post carrying only these to reach the top k. */
  readonly nonEssential: readonly WeightedEntity[];
  /** The most a post carrying only non-essential entities can score: their total weight. */
  readonly nonEssentialBound: number;
  /** A lower bound on the k-th best score, from document frequencies alone (0 when none is known). */
  readonly thresholdBound: number;
  /**
   * What to fetch, or null when nothing needs fetching. Fetch every post matching `filter` (page
   * until exhausted, e.g. through the documents API, which `maxTotalHits` does not cap): the
   * proof needs them all. `expectedCount` is how many df promises, for sizing pages.
   */
  readonly fetch: { readonly filter: FilterClause; readonly expectedCount: number } | null;
}

/** Heaviest first; among equals the rarer, then by key: a fixed order for a fixed query. */
function heaviestFirst(a: WeightedEntity, b: WeightedEntity): number {
  if (a.weight !== b.weight) return b.weight - a.weight;
  if (a.df !== b.df) return a.df - b.df;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * Split the query into essential and non-essential entities.
 *
 * The bound: let the entities be sorted heaviest first, and `others(e)` = df(e) minus the query
 * post itself. If an entity `e` has `others(e) ≥ k`, then k posts each score at least `w(e)`, so
 * the k-th best score θ ≥ `w(e)`; `thresholdBound` is the largest such `w(e)` (the heaviest entity
 * with k other posts). Any post whose shared entities all lie in the lightest suffix S scores at
 * most `Σ w(S)`; while `Σ w(S) < thresholdBound` no such post can reach the top k (it would need
 * to beat θ), so S is non-essential. Entities of weight 0 are always non-essential (a post sharing
 * only them scores 0 and is never related). Candidates are then every post carrying an essential
 * entity, and each is scored exactly from its own `entity_keys`.
 */
export function planRelated(query: readonly WeightedEntity[], options: RelatedPlanOptions): RelatedPlan {
  const { k, selfId, prune = true } = options;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a whole number ≥ 1, got ${k}`);
  const others = (entity: WeightedEntity) => Math.max(0, entity.df - (selfId === undefined ? 0 : 1));
  const order = [...query].sort(heaviestFirst);
  const thresholdBound = prune ? (order.find((entity) => entity.weight > 0 && others(entity) >= k)?.weight ?? 0) : 0;

  let cut = order.length;
  let nonEssentialBound = 0;
  if (prune) {
    for (; cut > 0; cut -= 1) {
      const next = nonEssentialBound + (order[cut - 1] as WeightedEntity).weight;
      if (!(next === 0 || below(next, thresholdBound))) break;
      nonEssentialBound = next;
    }
  }
  const essential = order.slice(0, cut);
  const keys = essential.map((entity) => entity.key);
  const filter = filterAllOf(entityFilter(keys), excludeIds(selfId === undefined ? [] : [selfId]));
  const expectedCount = essential.reduce((sum, entity) => sum + others(entity), 0);
  return {
    query,
    k,
    selfId,
    essential,
    nonEssential: order.slice(cut),
    nonEssentialBound,
    thresholdBound,
    fetch: keys.length === 0 || filter === undefined ? null : { filter, expectedCount },
  };
}

/** What {@link rankRelated} needs of a fetched post. */
export interface RelatedCandidate {
  readonly id: string;
  readonly entity_keys: readonly string[];
  readonly last_reviewed_at: number | null;
}

export interface RelatedMatch<C extends RelatedCandidate = RelatedCandidate> extends CandidateScore {
  readonly id: string;
  readonly lastReviewedAt: number | null;
  /** The fetched post, as given. */
  readonly candidate: C;
}

export interface RelatedRanking<C extends RelatedCandidate = RelatedCandidate> {
  /** At most k posts, best first ({@link compareRelated}); never the query post, never a post sharing nothing. */
  readonly related: RelatedMatch<C>[];
  /**
   * True when the candidates prove the answer equals a scan of every post: nothing was pruned, or
   * the k-th score found beats `nonEssentialBound`. False means the df-based bound did not hold
   * (statistics changed between planning and fetching): plan with `prune: false` and fetch again.
   */
  readonly isExact: boolean;
}

/**
 * Score the fetched candidates and keep the best k. `candidates` must include every indexed post
 * carrying an essential entity (more is harmless: scores come from each post's own keys);
 * duplicates and the query post itself are skipped.
 */
export function rankRelated<C extends RelatedCandidate>(plan: RelatedPlan, candidates: Iterable<C>): RelatedRanking<C> {
  const seen = new Set<string>();
  const matches: RelatedMatch<C>[] = [];
  for (const candidate of candidates) {
    if (candidate.id === plan.selfId || seen.has(candidate.id)) continue;
    seen.add(candidate.id);
    const scored = scoreCandidate(plan.query, candidate.entity_keys);
    if (!(scored.score > 0)) continue;
    matches.push({ ...scored, id: candidate.id, lastReviewedAt: candidate.last_reviewed_at, candidate });
  }
  matches.sort(compareRelated);
  const related = matches.slice(0, plan.k);
  const kth = related.length === plan.k ? (related[plan.k - 1] as RelatedMatch<C>).score : 0;
  const isExact = plan.nonEssentialBound === 0 || below(plan.nonEssentialBound, kth);
  return { related, isExact };
}

/** Why a related list holds what it holds, for the answer to say so. */
export type FallbackBasis = "same_stack_recent" | "recent";

/** The "nothing shared" answer: the most recently reviewed posts of the same stack, marked as such. */
export interface FallbackPlan {
  readonly basis: FallbackBasis;
  /** Undefined when any post will do (no stack known, no self to exclude). */
  readonly filter: FilterClause | undefined;
  readonly sort: readonly string[];
  readonly limit: number;
}

/**
 * When no post shares an entity with the query (or it has none), related posts fall back to the
 * same stack (any of the post's stack values), most recently reviewed first, never the post
 * itself; with no stack known, to the most recent posts. Results carry no score and no shared
 * entities; the answer should state `basis` so nobody mistakes them for entity matches.
 */
export function fallbackPlan(options: {
  stack: readonly string[];
  k: number;
  selfId?: string | undefined;
}): FallbackPlan {
  const stackClause = filterAnyOf("stack", options.stack);
  return {
    basis: stackClause === undefined ? "recent" : "same_stack_recent",
    filter: filterAllOf(stackClause, excludeIds(options.selfId === undefined ? [] : [options.selfId])),
    sort: ["last_reviewed_at:desc"],
    limit: options.k,
  };
}
