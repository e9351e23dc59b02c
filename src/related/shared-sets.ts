import { planRelated } from "./plan.js";
import type { WeightedEntity } from "./score.js";

/**
 * Exact related-posts selection from counts alone (pure).
 *
 * A candidate's score depends only on which of the query's entities it shares: its *shared set*
 * T. Meilisearch can count, for every subset S of the query's entities, the posts carrying all of
 * S (`c(S)`, one filter each). Möbius inversion over supersets turns those into `e(T)`: the number
 * of posts whose shared set is exactly T. That is the whole score distribution, so the top k can be
 * located before fetching a single document: every post of the groups ranked above the k-th is
 * needed, and of the group the k-th falls in only the best by the remaining tie-breaks (fresher,
 * then id). Fetching those groups costs about k documents, where fetching every post that shares
 * an entity costs thousands in a large index.
 *
 * Sets are bit masks over the query's entities, in query order: bit i is `query[i]`.
 */

/** The masks of all non-empty subsets of n entities: 1 .. 2^n − 1. */
export function nonEmptyMasks(n: number): number[] {
  return Array.from({ length: (1 << n) - 1 }, (_, index) => index + 1);
}

/** The members of `mask` among `items`, in order. */
export function membersOf<T>(items: readonly T[], mask: number): T[] {
  return items.filter((_, bit) => (mask & (1 << bit)) !== 0);
}

/**
 * `carrying[mask]` = posts carrying every entity of `mask` (index 0 unused) →
 * `exact[mask]` = posts whose shared set is exactly `mask`:
 * `e(T) = Σ_{S ⊇ T} (−1)^{|S \ T|} c(S)`, computed in O(n·2^n).
 */
export function exactSharedCounts(carrying: readonly number[], n: number): number[] {
  const exact = [...carrying];
  exact.length = 1 << n;
  for (let bit = 0; bit < n; bit += 1) {
    for (let mask = 1; mask < 1 << n; mask += 1) {
      if ((mask & (1 << bit)) === 0) exact[mask] = (exact[mask] ?? 0) - (exact[mask | (1 << bit)] ?? 0);
    }
  }
  // Counts read a moment apart can disagree by a post or two; never report a negative group.
  return exact.map((count) => Math.max(0, count ?? 0));
}

/** The posts sharing exactly one set: what they score, how many entities they share, how many there are. */
export interface SharedGroup {
  readonly mask: number;
  /** Sum of the set's weights in query order: bit-for-bit what `scoreCandidate` gives its posts. */
  readonly score: number;
  readonly size: number;
  readonly count: number;
}

/** Which groups hold the top k. */
export interface GroupSelection {
  /** Groups ranked above the k-th post: fetch every post of them (fewer than k in all). */
  readonly whole: readonly SharedGroup[];
  /** The groups tied with the k-th post (same score, same size): only the best `needed` of them count. */
  readonly boundary: readonly SharedGroup[];
  /** How many posts of `boundary` the answer takes (0 when there is no boundary). */
  readonly needed: number;
}

/** What a post sharing exactly `mask` scores: its weights summed in query order, as `scoreCandidate` sums them. */
export function groupScore(query: readonly WeightedEntity[], mask: number): number {
  let score = 0;
  for (let bit = 0; bit < query.length; bit += 1)
    if ((mask & (1 << bit)) !== 0) score += (query[bit] as WeightedEntity).weight;
  return score;
}

/** The number of entities in `mask`. */
export function popCount(mask: number): number {
  let count = 0;
  for (let rest = mask; rest !== 0; rest &= rest - 1) count += 1;
  return count;
}

/**
 * Orders the non-empty groups the way `compareRelated` orders their posts (score, then size) and
 * walks down until k posts are covered. Groups scoring 0 are never related.
 */
export function selectGroups(query: readonly WeightedEntity[], exact: readonly number[], k: number): GroupSelection {
  const groups = nonEmptyMasks(query.length)
    .map((mask) => ({ mask, score: groupScore(query, mask), size: popCount(mask), count: exact[mask] ?? 0 }))
    .filter((group) => group.count > 0 && group.score > 0)
    .sort((a, b) => b.score - a.score || b.size - a.size || a.mask - b.mask);
  const whole: SharedGroup[] = [];
  let covered = 0;
  for (let start = 0; start < groups.length && covered < k;) {
    const first = groups[start] as SharedGroup;
    let end = start;
    while (
      end < groups.length &&
      (groups[end] as SharedGroup).score === first.score &&
      (groups[end] as SharedGroup).size === first.size
    )
      end += 1;
    const tied = groups.slice(start, end);
    const count = tied.reduce((sum, group) => sum + group.count, 0);
    if (covered + count > k) return { whole, boundary: tied, needed: k - covered };
    whole.push(...tied);
    covered += count;
    start = end;
  }
  return { whole, boundary: [], needed: 0 };
}

/** What is known of the query post, for {@link planSubsetCounts}. */
export interface SubsetCountContext {
  readonly k: number;
  readonly selfId: string | undefined;
  /** True when `selfId` is indexed with exactly the query's entities (its df includes it). */
  readonly selfCarriesAll: boolean;
  /** True when only some posts are candidates (facet filters): global df bounds no longer hold for them. */
  readonly hasCandidateFilter: boolean;
}

/** Which subsets to count, and what is known without counting. */
export interface SubsetCountPlan {
  /** Masks to count with Meilisearch. */
  readonly ask: readonly number[];
  /** Candidate counts known from df alone (singletons, when no filter applies). */
  readonly known: ReadonlyMap<number, number>;
  /** Groups scoring below it cannot reach the top k (the MaxScore threshold); their counts are not read. */
  readonly floor: number;
  /** True when a group below the floor might hold posts: the top k must then be found above it. */
  readonly isPartial: boolean;
}

/**
 * Counting every subset costs a search each, so only the subsets that matter are counted:
 * - none holding an entity no other post carries (every count would be 0);
 * - none scoring below the MaxScore threshold (k posts carry an entity at least that heavy, so the
 *   top k never reaches below it; every superset of a counted subset scores more, so the
 *   inversion of the counted part is exact);
 * - no singleton when its count is its df (no filter, and self is known to carry it or absent).
 */
export function planSubsetCounts(query: readonly WeightedEntity[], context: SubsetCountContext): SubsetCountPlan {
  const others = query.map((entity) => Math.max(0, entity.df - (context.selfCarriesAll ? 1 : 0)));
  const threshold = context.hasCandidateFilter
    ? 0
    : planRelated(query, { k: context.k, selfId: context.selfId }).thresholdBound;
  const floor = threshold * (1 - 1e-9);
  const isDerivable = !context.hasCandidateFilter && (context.selfId === undefined || context.selfCarriesAll);
  const known = new Map<number, number>();
  const ask: number[] = [];
  let isPartial = false;
  for (const mask of nonEmptyMasks(query.length)) {
    if (membersOf(others, mask).some((count) => count === 0)) continue;
    if (groupScore(query, mask) < floor) isPartial = true;
    else if (isDerivable && popCount(mask) === 1) known.set(mask, others[Math.log2(mask)] as number);
    else ask.push(mask);
  }
  return { ask, known, floor, isPartial };
}

/**
 * The counts read for `plan` → posts per exact shared set (see {@link exactSharedCounts}). Groups
 * below the floor come back empty: their supersets were not all counted.
 */
export function completeDistribution(
  query: readonly WeightedEntity[],
  plan: SubsetCountPlan,
  counted: ReadonlyMap<number, number>,
): number[] {
  const n = query.length;
  const carrying = Array.from({ length: 1 << n }, (_, mask) => counted.get(mask) ?? plan.known.get(mask) ?? 0);
  const exact = exactSharedCounts(carrying, n);
  for (const mask of nonEmptyMasks(n)) if (groupScore(query, mask) < plan.floor) exact[mask] = 0;
  return exact;
}
