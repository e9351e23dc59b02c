import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { weighEntities, type WeightedEntity } from "../../src/related/score.js";
import {
  completeDistribution,
  exactSharedCounts,
  groupScore,
  membersOf,
  nonEmptyMasks,
  planSubsetCounts,
  popCount,
  selectGroups,
} from "../../src/related/shared-sets.js";

const weighted = (name: string, weight: number): WeightedEntity => ({
  name,
  type: "topic",
  key: `topic:${name}`,
  df: 1,
  weight,
});

/** Posts as the set of query entities each shares (a bit mask over n entities). */
function carryingCounts(posts: readonly number[], n: number): number[] {
  return Array.from({ length: 1 << n }, (_, mask) =>
    mask === 0 ? 0 : posts.filter((post) => (post & mask) === mask).length,
  );
}

describe("exactSharedCounts()", () => {
  test("turns 'carrying all of S' counts into 'sharing exactly T' counts", () => {
    const posts = [0b011, 0b011, 0b001, 0b111, 0b100, 0b000];
    const exact = exactSharedCounts(carryingCounts(posts, 3), 3);
    expect(exact[0b011]).toBe(2);
    expect(exact[0b001]).toBe(1);
    expect(exact[0b111]).toBe(1);
    expect(exact[0b100]).toBe(1);
    expect(exact[0b010]).toBe(0);
  });

  test("matches a direct count for any set of posts", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 6 })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.array(fc.integer({ min: 0, max: (1 << n) - 1 }), { maxLength: 60 })),
          ),
        ([n, posts]) => {
          const exact = exactSharedCounts(carryingCounts(posts, n), n);
          for (const mask of nonEmptyMasks(n)) expect(exact[mask]).toBe(posts.filter((post) => post === mask).length);
        },
      ),
      { seed: 41, numRuns: 100 },
    );
  });

  test("never reports a negative group when counts disagree", () => {
    expect(exactSharedCounts([0, 1, 0, 3], 2).every((count) => count >= 0)).toBe(true);
  });
});

describe("selectGroups()", () => {
  const query = [weighted("rare", 5), weighted("mid", 3), weighted("common", 1)];

  test("takes whole groups above the k-th post and stops at the group it falls in", () => {
    const exact = Array.from({ length: 8 }, () => 0);
    exact[0b111] = 1; // 9
    exact[0b011] = 2; // 8
    exact[0b001] = 4; // 5
    exact[0b100] = 50; // 1
    const selection = selectGroups(query, exact, 5);
    expect(selection.whole.map((group) => group.mask)).toEqual([0b111, 0b011]);
    expect(selection.boundary.map((group) => group.mask)).toEqual([0b001]);
    expect(selection.needed).toBe(2);
  });

  test("groups of equal score and size are tied; a larger shared set wins an equal score", () => {
    const even = [weighted("a", 2), weighted("b", 2), weighted("c", 1), weighted("d", 1)];
    const exact = Array.from({ length: 16 }, () => 0);
    exact[0b0001] = 3; // a: 2
    exact[0b0010] = 3; // b: 2
    exact[0b1100] = 1; // c+d: 2, two shared
    const selection = selectGroups(even, exact, 2);
    expect(selection.whole.map((group) => group.mask)).toEqual([0b1100]);
    expect(selection.boundary.map((group) => group.mask).sort((a, b) => a - b)).toEqual([0b0001, 0b0010]);
    expect(selection.needed).toBe(1);
  });

  test("everything fits: no boundary; weightless groups are never related", () => {
    const exact = Array.from({ length: 4 }, () => 0);
    exact[0b01] = 2;
    exact[0b10] = 7;
    const selection = selectGroups([weighted("x", 1), weighted("y", 0)], exact, 5);
    expect(selection).toEqual({ whole: [{ mask: 0b01, score: 1, size: 1, count: 2 }], boundary: [], needed: 0 });
    expect(membersOf(["x", "y", "z"], 0b101)).toEqual(["x", "z"]);
  });
});

describe("planSubsetCounts() and completeDistribution()", () => {
  const entities = ["a", "b", "c", "d"].map((name) => ({ name, type: "topic" }));

  /** Posts as masks over `entities`; the query post itself carries all of them and is indexed. */
  function setting(posts: readonly number[]) {
    const docFrequency = new Map(
      entities.map((entity, bit) => [`topic:${entity.name}`, 1 + posts.filter((post) => post & (1 << bit)).length]),
    );
    const query = weighEntities(entities, { totalDocs: posts.length + 1, docFrequency });
    return { query, context: { k: 2, selfId: "self", selfCarriesAll: true, hasCandidateFilter: false } };
  }

  test("skips entities no other post carries, singletons known from df, and groups below the threshold", () => {
    const posts = [0b0011, 0b0011, 0b0001, 0b0001, 0b0001, 0b0100, 0b0100, 0b0100, 0b0100, 0b0100, 0b0100];
    const { query, context } = setting(posts);
    const plan = planSubsetCounts(query, context);
    expect(plan.ask.some((mask) => (mask & 0b1000) !== 0)).toBe(false);
    // b is the heaviest entity k others carry: a and c alone score less and are never read.
    expect(plan.floor).toBeCloseTo(query[1]!.weight, 6);
    expect([...plan.known]).toEqual([[0b0010, 2]]);
    expect([...plan.ask].sort((a, b) => a - b)).toEqual([0b0011, 0b0110, 0b0111]);
    expect(plan.isPartial).toBe(true);
    const filtered = planSubsetCounts(query, { ...context, hasCandidateFilter: true });
    expect(filtered).toMatchObject({ floor: 0, isPartial: false });
    expect(filtered.known.size).toBe(0);
  });

  test("the selected groups always hold the top k by score and size", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 8 }),
        (posts, k) => {
          const { query, context } = setting(posts);
          const plan = planSubsetCounts(query, { ...context, k });
          const counted = new Map(
            plan.ask.map((mask) => [mask, posts.filter((post) => (post & mask) === mask).length]),
          );
          const selection = selectGroups(query, completeDistribution(query, plan, counted), k);
          const kept = new Set([...selection.whole, ...selection.boundary].map((group) => group.mask));
          const ranked = posts
            .map((mask) => ({ mask, score: groupScore(query, mask), size: popCount(mask) }))
            .filter((post) => post.score > 0)
            .sort((a, b) => b.score - a.score || b.size - a.size);
          for (const post of ranked.slice(0, k)) expect(kept.has(post.mask)).toBe(true);
          const covered = selection.whole.reduce((sum, group) => sum + group.count, 0) + selection.needed;
          expect(covered).toBe(Math.min(k, ranked.length));
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });
});
