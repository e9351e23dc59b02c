import { entityKey } from "../document.js";

/**
 * Related-posts scoring: pure functions over entity weights.
 *
 * A post is about a few entities (`{name, type}`, e.g. `problem:testing critical paths before
 * launch`, `stack:python services`, `area:backend`). Another post is related by the entities it
 * shares with it, each worth its weight: rarity in the index (IDF) times a per-type weight.
 */

/** An entity as records carry it (already normalised: trimmed, lower-cased). */
export interface EntityRef {
  readonly name: string;
  readonly type: string;
}

/** An entity of the post we look for relatives of, with what it is worth. */
export interface WeightedEntity extends EntityRef {
  /** `type:name`, as in `SearchDocument.entity_keys`. */
  readonly key: string;
  /** Indexed posts carrying the entity (the query post included when it is indexed). */
  readonly df: number;
  /** {@link entityWeight} of it: ≥ 0. */
  readonly weight: number;
}

/** One shared entity in a result: what it is and what it added. */
export interface SharedEntity extends EntityRef {
  /** Raw weight added to the score. */
  readonly weight: number;
  /** `weight` / the query's total weight: the shared entities' contributions add up to the normalised score. */
  readonly contribution: number;
}

export interface CandidateScore {
  /** Sum of the shared entities' weights. */
  readonly score: number;
  /** `score` / the query's total weight, in 0..1: 1 when the candidate shares every entity of the post. */
  readonly normalisedScore: number;
  /** Shared entities, heaviest first (ties by key). */
  readonly shared: readonly SharedEntity[];
}

/**
 * Per-type multipliers on top of rarity. A shared problem says most about two posts being related,
 * a shared area (`backend`, `frontend`) least: areas are broad by nature, so they are damped even
 * when they happen to be rare in a small index. Types not listed weigh {@link DEFAULT_TYPE_WEIGHT}.
 */
export const DEFAULT_TYPE_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  problem: 1.2,
  stack: 1.0,
  tool: 1.0,
  area: 0.6,
});

/** Weight of an entity type missing from the type weights. @default 1 */
const DEFAULT_TYPE_WEIGHT = 1;

/**
 * What sharing an entity is worth: `typeWeight × ln(1 + (N − df + 0.5) / (df + 0.5))`.
 *
 * This is the BM25 (Lucene) form of IDF rather than plain `ln(N / df)` because
 * - it is defined and finite for every df in 0..N: an entity no indexed post carries (a draft's
 *   new entity) gets the largest weight instead of a division by zero;
 * - it is never negative, and tends to 0 as df approaches N: an entity every post carries says
 *   nothing about which posts are related;
 * - it is steep where it matters: with N = 1000, an entity 2 posts carry weighs ≈ 6.0 and one a
 *   quarter of the site carries (df = 250) ≈ 1.4, so one rare shared entity outweighs four broad ones.
 *
 * `df` is clamped to 0..N (statistics read a moment apart may disagree by a few posts).
 * @param df indexed posts carrying the entity
 * @param totalDocs indexed posts (N)
 * @param typeWeight multiplier for the entity's type, ≥ 0
 */
export function entityWeight(df: number, totalDocs: number, typeWeight: number = DEFAULT_TYPE_WEIGHT): number {
  if (!(typeWeight >= 0) || !Number.isFinite(typeWeight)) {
    throw new RangeError(`type weight must be a finite number ≥ 0, got ${typeWeight}`);
  }
  const n = Math.max(0, Number.isFinite(totalDocs) ? totalDocs : 0);
  const clampedDf = Math.min(Math.max(0, Number.isFinite(df) ? df : 0), n);
  return typeWeight * Math.log(1 + (n - clampedDf + 0.5) / (clampedDf + 0.5));
}

/** Index statistics the weights come from. */
export interface EntityStats {
  /** Indexed posts (N). */
  readonly totalDocs: number;
  /** Posts carrying each entity key; a key missing here counts as 0. */
  readonly docFrequency: ReadonlyMap<string, number>;
}

/**
 * A post's entities → its weighted query: duplicates (same key) merged, order kept.
 * @param typeWeights multiplier per entity type @default DEFAULT_TYPE_WEIGHTS
 */
export function weighEntities(
  entities: readonly EntityRef[],
  stats: EntityStats,
  typeWeights: Readonly<Record<string, number>> = DEFAULT_TYPE_WEIGHTS,
): WeightedEntity[] {
  const byKey = new Map<string, WeightedEntity>();
  for (const { name, type } of entities) {
    const key = entityKey({ name, type });
    if (byKey.has(key)) continue;
    const df = stats.docFrequency.get(key) ?? 0;
    const typeWeight = Object.hasOwn(typeWeights, type) ? (typeWeights[type] as number) : DEFAULT_TYPE_WEIGHT;
    byKey.set(key, { name, type, key, df, weight: entityWeight(df, stats.totalDocs, typeWeight) });
  }
  return [...byKey.values()];
}

/** Sum of the query's weights: what a candidate sharing everything would score. */
export function totalWeight(query: readonly WeightedEntity[]): number {
  let total = 0;
  for (const entity of query) total += entity.weight;
  return total;
}

function byWeightThenKey(a: SharedEntity & { key: string }, b: SharedEntity & { key: string }): number {
  if (a.weight !== b.weight) return b.weight - a.weight;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * Score a candidate post against the query: the sum of the weights of the query entities whose
 * key the candidate carries. Summed in query order, so the same shared set always gives the same
 * floating-point score, however the candidate was found.
 */
export function scoreCandidate(
  query: readonly WeightedEntity[],
  candidateEntityKeys: Iterable<string>,
): CandidateScore {
  const keys =
    candidateEntityKeys instanceof Set ? (candidateEntityKeys as ReadonlySet<string>) : new Set(candidateEntityKeys);
  const total = totalWeight(query);
  let score = 0;
  const shared: (SharedEntity & { key: string })[] = [];
  for (const entity of query) {
    if (!keys.has(entity.key)) continue;
    score += entity.weight;
    const contribution = total > 0 ? entity.weight / total : 0;
    shared.push({ name: entity.name, type: entity.type, key: entity.key, weight: entity.weight, contribution });
  }
  shared.sort(byWeightThenKey);
  const normalisedScore = total > 0 ? Math.min(1, score / total) : 0;
  return { score, normalisedScore, shared: shared.map(({ key: _key, ...rest }) => rest) };
}

/** What {@link compareRelated} orders by. */
export interface RankedFields {
  readonly id: string;
  readonly score: number;
  readonly shared: readonly unknown[];
  /** Unix seconds; null (unknown) counts as oldest. */
  readonly lastReviewedAt: number | null;
}

/**
 * The related-posts order, total and deterministic: higher score first, then more shared
 * entities, then fresher (`last_reviewed_at`, unknown last), then id (code-unit order, so the
 * result does not depend on the server's locale).
 */
export function compareRelated(a: RankedFields, b: RankedFields): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.shared.length !== b.shared.length) return b.shared.length - a.shared.length;
  const aTime = a.lastReviewedAt ?? Number.NEGATIVE_INFINITY;
  const bTime = b.lastReviewedAt ?? Number.NEGATIVE_INFINITY;
  if (aTime !== bTime) return aTime > bTime ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Relative slack on score bounds, so floating-point summation order never prunes a tie. */
const SCORE_TOLERANCE = 1e-9;

/** Whether a score bound is surely below `threshold` (by more than the summation slack): pruning may skip it. */
export function below(bound: number, threshold: number): boolean {
  return bound < threshold * (1 - SCORE_TOLERANCE);
}
