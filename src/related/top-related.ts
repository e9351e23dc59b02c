import { entityKey } from "../document.js";
import { lowerBound, type PostingList, type RelatedDocument, type RelatedIndex } from "./related-index.js";
import { below, scoreCandidate, type CandidateScore, type WeightedEntity } from "./score.js";

/**
 * The exact top k related posts from a {@link RelatedIndex}: MaxScore over its posting lists,
 * document at a time.
 *
 * The query's posting lists (ascending slots) are walked side by side. The lightest entities
 * whose weights together stay below the k-th best score so far are *non-essential*: a post
 * carrying only those cannot enter the top k, so their lists are never walked, only probed
 * (galloping forward, heaviest first, and only while the candidate can still reach the k-th
 * score) for the candidates the other, *essential* lists produce. As the k-th score
 * rises, more entities become non-essential, until none is left. Rare entities weigh most, so a
 * popular entity's long list (an area a quarter of the site shares) is probed a few times instead
 * of walked. Each candidate's score is the sum of the weights of the query entities it carries,
 * summed in query order as `scoreCandidate` sums them, so the same shared set always gives the
 * same floating-point score; the bounds compare with a relative slack so summation order never
 * prunes a tie. The order is `compareRelated`'s: score, then more shared entities, then fresher,
 * then id. Every random access to a post happens only for a candidate that could make the top k.
 */

/** Options for {@link topRelated}. */
export interface TopRelatedOptions {
  /** How many related posts (≥ 1). */
  readonly k: number;
  /** The document id of the post asked about: never a candidate. */
  readonly selfId?: string | undefined;
  /** Only posts it accepts are candidates (facet filters on the related list). */
  readonly accept?: ((document: RelatedDocument) => boolean) | undefined;
}

/** A related post found in the index, with its exact score. */
export interface TopRelatedMatch extends CandidateScore {
  readonly document: RelatedDocument;
}

/** The best k so far, best first: parallel arrays of slot, score, shared count. */
class TopK {
  readonly slots: Int32Array;
  readonly scores: Float64Array;
  readonly counts: Int32Array;
  /** The query positions each post carries, as a bit mask (when the query has at most 31 entities). */
  readonly masks: Int32Array;
  length = 0;
  readonly #index: RelatedIndex;

  constructor(k: number, index: RelatedIndex) {
    this.slots = new Int32Array(k);
    this.scores = new Float64Array(k);
    this.counts = new Int32Array(k);
    this.masks = new Int32Array(k);
    this.#index = index;
  }

  get isFull(): boolean {
    return this.length === this.slots.length;
  }

  /** The k-th score (only meaningful when full). */
  get floor(): number {
    return this.scores[this.slots.length - 1] as number;
  }

  /** True when a post (slot, score, count) ranks before the one at `at` (`compareRelated`'s order). */
  ranksBefore(slot: number, score: number, count: number, at: number): boolean {
    const otherScore = this.scores[at] as number;
    if (score !== otherScore) return score > otherScore;
    const otherCount = this.counts[at] as number;
    if (count !== otherCount) return count > otherCount;
    const other = this.slots[at] as number;
    const reviewed = this.#index.reviewedAt(slot);
    const otherReviewed = this.#index.reviewedAt(other);
    if (reviewed !== otherReviewed) return reviewed > otherReviewed;
    return (this.#index.documentAt(slot) as RelatedDocument).id < (this.#index.documentAt(other) as RelatedDocument).id;
  }

  /** Whether the post would enter the top k. */
  admits(slot: number, score: number, count: number): boolean {
    return !this.isFull || this.ranksBefore(slot, score, count, this.slots.length - 1);
  }

  /** Whether the post is among the best so far (the seeding pass may have put it there). */
  holds(slot: number): boolean {
    for (let at = 0; at < this.length; at += 1) if (this.slots[at] === slot) return true;
    return false;
  }

  insert(slot: number, score: number, count: number, mask: number): void {
    let at = this.isFull ? this.slots.length - 1 : this.length++;
    while (at > 0 && this.ranksBefore(slot, score, count, at - 1)) {
      this.slots[at] = this.slots[at - 1] as number;
      this.scores[at] = this.scores[at - 1] as number;
      this.counts[at] = this.counts[at - 1] as number;
      this.masks[at] = this.masks[at - 1] as number;
      at -= 1;
    }
    this.slots[at] = slot;
    this.scores[at] = score;
    this.counts[at] = count;
    this.masks[at] = mask;
  }
}

/** Query positions, lightest first; among equals the commoner, then by key (a fixed order for a fixed query). */
function lightestFirst(query: readonly WeightedEntity[]): Int32Array {
  const order = query.map((_, position) => position);
  order.sort((a, b) => {
    const x = query[a] as WeightedEntity;
    const y = query[b] as WeightedEntity;
    if (x.weight !== y.weight) return x.weight - y.weight;
    if (x.df !== y.df) return y.df - x.df;
    return x.key < y.key ? 1 : x.key > y.key ? -1 : 0;
  });
  return Int32Array.from(order);
}

/** The first position ≥ `from` in `slots[0 .. length)` holding a slot ≥ `target`: galloping, then binary search. */
function advance(slots: Int32Array, length: number, from: number, target: number): number {
  if (from >= length || (slots[from] as number) >= target) return from;
  let low = from;
  let step = 1;
  let high = from + 1;
  while (high < length && (slots[high] as number) < target) {
    low = high;
    step *= 2;
    high = from + step;
  }
  if (high > length) high = length;
  // slots[low] < target; slots[high] ≥ target (or high = length).
  while (low + 1 < high) {
    const middle = (low + high) >>> 1;
    if ((slots[middle] as number) < target) low = middle;
    else high = middle;
  }
  return high;
}

const EMPTY = new Int32Array(0);
/**
 * The rarest lists, up to this many posts in all, are scored before the walk (each post looked up
 * in every list): a rare entity's few posts are then known, which lets the tie stop below apply.
 */
const SEED_POSTS = 16;

/** Past every slot: the head of an exhausted list. */
const END = 0x7fffffff;

/**
 * The best `k` posts for the weighted query (see `weighEntities`; its `df`s should come from the
 * same index), best first; never the post `selfId`, never a post scoring 0.
 */
export function topRelated(
  index: RelatedIndex,
  query: readonly WeightedEntity[],
  options: TopRelatedOptions,
): TopRelatedMatch[] {
  const { k, accept } = options;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a whole number ≥ 1, got ${k}`);
  const self = options.selfId === undefined ? -1 : index.slotOf(options.selfId);
  const m = query.length;
  const weights = Float64Array.from(query, (entity) => entity.weight);
  // Everything below is indexed by rank j in `order`, lightest first, so the essential lists
  // (ranks firstEssential .. m) are contiguous and their heads are read side by side.
  const order = lightestFirst(query);
  const lists: Int32Array[] = [];
  const lengths = new Int32Array(m);
  const cursors = new Int32Array(m);
  const heads = new Int32Array(m);
  const rankWeights = new Float64Array(m);
  for (let j = 0; j < m; j += 1) {
    const position = order[j] as number;
    const number = index.keyNumberOf((query[position] as WeightedEntity).key);
    const list = number < 0 ? undefined : index.postingsOf(number);
    lists.push(list?.slots ?? EMPTY);
    lengths[j] = list?.length ?? 0;
    heads[j] = (lengths[j] as number) > 0 ? ((list as PostingList).slots[0] as number) : END;
    rankWeights[j] = weights[position] as number;
  }
  // upTo[j]: the total weight of the j lightest entities.
  const upTo = new Float64Array(m + 1);
  for (let j = 0; j < m; j += 1) upTo[j + 1] = (upTo[j] as number) + (rankWeights[j] as number);
  // Ranks below firstEssential are non-essential. Weightless entities always are: sharing only them scores 0.
  let firstEssential = 0;
  while (firstEssential < m && !((upTo[firstEssential + 1] as number) > 0)) firstEssential += 1;

  const top = new TopK(k, index);
  const matched = new Int32Array(m);
  const admit = (slot: number, count: number): void => {
    // The carried query positions ascending: the score summed in query order.
    for (let i = 1; i < count; i += 1) {
      const position = matched[i] as number;
      let at = i;
      while (at > 0 && (matched[at - 1] as number) > position) {
        matched[at] = matched[at - 1] as number;
        at -= 1;
      }
      matched[at] = position;
    }
    let score = 0;
    let mask = 0;
    for (let i = 0; i < count; i += 1) {
      score += weights[matched[i] as number] as number;
      mask |= 1 << (matched[i] as number);
    }
    if (!(score > 0) || !top.admits(slot, score, count) || top.holds(slot)) return;
    if (accept !== undefined && !accept(index.documentAt(slot) as RelatedDocument)) return;
    top.insert(slot, score, count, mask);
  };

  // Seed the top k with the posts of the rarest lists, whole lists only (see SEED_POSTS).
  // Query positions whose every post the seeding scored (or with no post at all).
  let seen = 0;
  for (let j = 0; j < m; j += 1) if (lengths[j] === 0) seen |= 1 << (order[j] as number);
  for (let j = m - 1, budget = SEED_POSTS; j >= firstEssential && (lengths[j] as number) <= budget; j -= 1) {
    const list = lists[j] as Int32Array;
    const length = lengths[j] as number;
    seen |= 1 << (order[j] as number);
    budget -= length;
    for (let i = 0; i < length; i += 1) {
      const slot = list[i] as number;
      if (slot === self) continue;
      let count = 0;
      for (let r = 0; r < m; r += 1) {
        const other = lists[r] as Int32Array;
        const at = lowerBound(other, lengths[r] as number, slot);
        if (at < (lengths[r] as number) && other[at] === slot) matched[count++] = order[r] as number;
      }
      admit(slot, count);
    }
  }
  while (top.isFull && firstEssential < m && below(upTo[firstEssential + 1] as number, top.floor)) firstEssential += 1;

  // The tie stop (see below) reasons over bit masks of query positions.
  const orderedEnd = index.orderedEnd;
  let canStopEarly = m <= 31 && orderedEnd > 0;
  const unseen = m <= 31 ? ((1 << m) - 1) & ~seen : 0;
  for (;;) {
    let candidate = END;
    for (let j = firstEssential; j < m; j += 1) if ((heads[j] as number) < candidate) candidate = heads[j] as number;
    if (candidate === END) break;
    // The tie stop. Posts not looked at yet sit in slots ≥ candidate, and carry only entities of
    // `unseen` (every post of the others was seeded). When the k-th post sits in an ordered slot
    // below, and carries all of `unseen`, such a post either carries exactly its set (the same
    // score, bit for bit, and count: then it ranks after, being staler or equal and later by id)
    // or fewer (a sum of fewer non-negative weights is never larger, and the count is smaller).
    // So none in the ordered slots can enter the top k: skip to the unordered ones.
    if (canStopEarly && top.isFull && candidate < orderedEnd) {
      const kth = top.slots[k - 1] as number;
      if (kth < candidate && kth < orderedEnd && (unseen & ~(top.masks[k - 1] as number)) === 0) {
        canStopEarly = false;
        for (let j = 0; j < m; j += 1) {
          const at = advance(lists[j] as Int32Array, lengths[j] as number, cursors[j] as number, orderedEnd);
          cursors[j] = at;
          heads[j] = at < (lengths[j] as number) ? ((lists[j] as Int32Array)[at] as number) : END;
        }
        continue;
      }
    }
    let count = 0;
    let carried = 0;
    for (let j = firstEssential; j < m; j += 1) {
      if (heads[j] !== candidate) continue;
      matched[count++] = order[j] as number;
      carried += rankWeights[j] as number;
      const at = (cursors[j] as number) + 1;
      cursors[j] = at;
      heads[j] = at < (lengths[j] as number) ? ((lists[j] as Int32Array)[at] as number) : END;
    }
    if (candidate === self) continue;
    // Probe the non-essential lists heaviest first; give up as soon as what is left cannot reach the k-th score.
    let isHopeless = false;
    for (let j = firstEssential - 1; j >= 0; j -= 1) {
      if (top.isFull && below(carried + (upTo[j + 1] as number), top.floor)) {
        isHopeless = true;
        break;
      }
      if ((heads[j] as number) < candidate) {
        const at = advance(lists[j] as Int32Array, lengths[j] as number, cursors[j] as number, candidate);
        cursors[j] = at;
        heads[j] = at < (lengths[j] as number) ? ((lists[j] as Int32Array)[at] as number) : END;
      }
      if (heads[j] === candidate) {
        matched[count++] = order[j] as number;
        carried += rankWeights[j] as number;
      }
    }
    if (isHopeless) continue;
    admit(candidate, count);
    while (top.isFull && firstEssential < m && below(upTo[firstEssential + 1] as number, top.floor))
      firstEssential += 1;
  }
  const matches: TopRelatedMatch[] = [];
  for (let at = 0; at < top.length; at += 1) {
    const document = index.documentAt(top.slots[at] as number) as RelatedDocument;
    matches.push({ ...scoreCandidate(query, document.entities.map(entityKey)), document });
  }
  return matches;
}

/** Options for {@link recentPosts}. */
export interface RecentPostsOptions {
  readonly k: number;
  /** Only posts of any of these stacks; empty: any post. */
  readonly stack: readonly string[];
  readonly selfId?: string | undefined;
  readonly accept?: ((document: RelatedDocument) => boolean) | undefined;
}

/**
 * The related list's fallback: the `k` most recently reviewed posts (unknown dates last, then by
 * id) of any of `stack`'s stacks, or of the whole index when `stack` is empty; never `selfId`.
 */
export function recentPosts(index: RelatedIndex, options: RecentPostsOptions): RelatedDocument[] {
  const { k, accept } = options;
  const stacks = new Set(options.stack);
  const self = options.selfId === undefined ? -1 : index.slotOf(options.selfId);
  const best: number[] = [];
  const ranksBefore = (a: number, b: number) => {
    const x = index.reviewedAt(a);
    const y = index.reviewedAt(b);
    if (x !== y) return x > y;
    return (index.documentAt(a) as RelatedDocument).id < (index.documentAt(b) as RelatedDocument).id;
  };
  for (let slot = 0; slot < index.slotCount; slot += 1) {
    // Ordered slots come freshest first: once k are found there, the rest of them rank after.
    if (best.length === k && slot < index.orderedEnd) slot = index.orderedEnd;
    if (slot >= index.slotCount) break;
    // The review date first: most posts are older than the k-th best, and are never read.
    if (best.length === k && index.reviewedAt(slot) < index.reviewedAt(best[k - 1] as number)) continue;
    const document = index.documentAt(slot);
    if (document === undefined || slot === self) continue;
    if (best.length === k && !ranksBefore(slot, best[k - 1] as number)) continue;
    if (stacks.size > 0 && !document.stack.some((value) => stacks.has(value))) continue;
    if (accept !== undefined && !accept(document)) continue;
    let at = best.length === k ? k - 1 : best.length;
    best[at] = slot;
    while (at > 0 && ranksBefore(slot, best[at - 1] as number)) {
      best[at] = best[at - 1] as number;
      at -= 1;
    }
    best[at] = slot;
  }
  return best.map((slot) => index.documentAt(slot) as RelatedDocument);
}
