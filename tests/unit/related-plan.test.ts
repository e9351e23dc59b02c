import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entityKey } from "../../src/document.js";
import { fallbackPlan, planRelated, rankRelated, type RelatedCandidate } from "../../src/related/plan.js";
import { weighEntities, type EntityRef, type WeightedEntity } from "../../src/related/score.js";

function docFrequencies(posts: readonly RelatedCandidate[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const post of posts) for (const key of new Set(post.entity_keys)) df.set(key, (df.get(key) ?? 0) + 1);
  return df;
}

/** What a fetch of `plan.fetch.filter` returns: every post carrying an essential entity (the query post too: the filter excludes it, but rankRelated must cope either way). */
function fetchCandidates(posts: readonly RelatedCandidate[], essential: readonly WeightedEntity[]): RelatedCandidate[] {
  const keys = new Set(essential.map((entity) => entity.key));
  return posts.filter((post) => post.entity_keys.some((key) => keys.has(key)));
}

/** The reference: score every post by hand, sort by the documented rules, keep k. */
function bruteForce(
  query: readonly WeightedEntity[],
  posts: readonly RelatedCandidate[],
  k: number,
  selfId: string | undefined,
): string[] {
  const scored = posts
    .filter((post) => post.id !== selfId)
    .map((post) => {
      const keys = new Set(post.entity_keys);
      let score = 0;
      let shared = 0;
      for (const entity of query) {
        if (keys.has(entity.key)) {
          score += entity.weight;
          shared += 1;
        }
      }
      return { id: post.id, score, shared, time: post.last_reviewed_at ?? Number.NEGATIVE_INFINITY };
    })
    .filter((post) => post.score > 0);
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      b.shared - a.shared ||
      (a.time === b.time ? 0 : a.time > b.time ? -1 : 1) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return scored.slice(0, k).map((post) => post.id);
}

const weighted = (key: string, weight: number, df: number): WeightedEntity => {
  const [type, name] = key.split(":") as [string, string];
  return { type, name, key, weight, df };
};

describe("planRelated()", () => {
  const query = [
    weighted("area:backend", 0.8, 250),
    weighted("problem:flaky tests", 6, 3),
    weighted("stack:python services", 3, 40),
    weighted("tool:git", 1.2, 200),
  ];

  it("orders entities heaviest first and leaves the common tail non-essential", () => {
    const plan = planRelated(query, { k: 5, selfId: "self" });
    expect(plan.essential.map((entity) => entity.key)).toEqual(["problem:flaky tests", "stack:python services"]);
    expect(plan.nonEssential.map((entity) => entity.key)).toEqual(["tool:git", "area:backend"]);
    expect(plan.thresholdBound).toBe(3);
    expect(plan.nonEssentialBound).toBeCloseTo(2, 12);
  });

  it("fetches posts carrying an essential entity, never the post itself", () => {
    const plan = planRelated(query, { k: 5, selfId: "self" });
    expect(plan.fetch).toEqual({
      filter: 'entity_keys IN ["problem:flaky tests", "stack:python services"] AND id != "self"',
      expectedCount: 2 + 39,
    });
  });

  it("counts the query post in df only when it is indexed", () => {
    expect(planRelated(query, { k: 5 }).fetch?.expectedCount).toBe(3 + 40);
    expect(planRelated(query, { k: 5 }).fetch?.filter).toBe(
      'entity_keys IN ["problem:flaky tests", "stack:python services"]',
    );
  });

  it("prunes nothing when no entity has k other posts", () => {
    const plan = planRelated(query, { k: 300, selfId: "self" });
    expect(plan.thresholdBound).toBe(0);
    expect(plan.nonEssential).toEqual([]);
  });

  it("prunes nothing when asked not to", () => {
    const plan = planRelated(query, { k: 5, selfId: "self", prune: false });
    expect(plan.essential).toHaveLength(4);
    expect(plan.nonEssentialBound).toBe(0);
  });

  it("prunes a tail only while its total stays below the threshold", () => {
    const plan = planRelated(
      [weighted("a:rare", 5, 10), weighted("b:one", 2, 100), weighted("c:two", 2, 100), weighted("d:three", 2, 100)],
      { k: 3 },
    );
    expect(plan.thresholdBound).toBe(5);
    expect(plan.nonEssential.map((entity) => entity.key)).toEqual(["c:two", "d:three"]);
    expect(plan.nonEssentialBound).toBe(4);
  });

  it("does not prune a tail whose total equals the threshold (a tie could still enter)", () => {
    const plan = planRelated([weighted("a:rare", 4, 10), weighted("b:one", 2, 100), weighted("c:two", 2, 100)], {
      k: 3,
    });
    expect(plan.nonEssential.map((entity) => entity.key)).toEqual(["c:two"]);
  });

  it("always leaves weightless entities out of the fetch", () => {
    const plan = planRelated([weighted("area:backend", 0, 900), weighted("problem:x", 2, 1)], {
      k: 10,
      selfId: "self",
    });
    expect(plan.essential.map((entity) => entity.key)).toEqual(["problem:x"]);
    expect(plan.nonEssentialBound).toBe(0);
  });

  it("has nothing to fetch for a post without (weighty) entities", () => {
    expect(planRelated([], { k: 5, selfId: "self" }).fetch).toBeNull();
    expect(planRelated([weighted("area:backend", 0, 9)], { k: 5 }).fetch).toBeNull();
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses k = %s", (k) => {
    expect(() => planRelated(query, { k })).toThrow(RangeError);
  });
});

describe("rankRelated()", () => {
  const query = [weighted("problem:p", 4, 3), weighted("area:a", 1, 50)];
  const post = (id: string, keys: string[], time: number | null = null): RelatedCandidate => ({
    id,
    entity_keys: keys,
    last_reviewed_at: time,
  });

  it("skips the query post, duplicates and posts sharing nothing", () => {
    const plan = planRelated(query, { k: 10, selfId: "self", prune: false });
    const ranking = rankRelated(plan, [
      post("self", ["problem:p"]),
      post("x", ["problem:p"]),
      post("x", ["area:a"]),
      post("y", ["stack:z"]),
      post("z", ["area:a"]),
    ]);
    expect(ranking.related.map((match) => [match.id, match.shared.length])).toEqual([
      ["x", 1],
      ["z", 1],
    ]);
    expect(ranking.isExact).toBe(true);
  });

  it("hands back the fetched post untouched", () => {
    const fetched = { ...post("x", ["problem:p"], 5), title: "A title" };
    const [match] = rankRelated(planRelated(query, { k: 1 }), [fetched]).related;
    expect(match?.candidate).toBe(fetched);
    expect(match).toMatchObject({ id: "x", lastReviewedAt: 5, normalisedScore: 0.8 });
  });

  it("is exact when the k-th score found beats what the unfetched posts could score", () => {
    const plan = planRelated(query, { k: 2, selfId: "self" });
    expect(plan.nonEssential.map((entity) => entity.key)).toEqual(["area:a"]);
    const ranking = rankRelated(plan, [
      post("self", ["problem:p", "area:a"]),
      post("x", ["problem:p"]),
      post("y", ["problem:p", "area:a"]),
    ]);
    expect(ranking.related.map((match) => match.id)).toEqual(["y", "x"]);
    expect(ranking.isExact).toBe(true);
  });

  it("says so when stale df made the plan prune too much", () => {
    // df claims 3 posts carry problem:p; only one other does now, so area:a posts may belong in the top 2.
    const plan = planRelated(query, { k: 2, selfId: "self" });
    const ranking = rankRelated(plan, [post("x", ["problem:p"])]);
    expect(ranking.isExact).toBe(false);
    const widened = planRelated(query, { k: 2, selfId: "self", prune: false });
    const exact = rankRelated(widened, [post("x", ["problem:p"]), post("z", ["area:a"], 3)]);
    expect(exact.isExact).toBe(true);
    expect(exact.related.map((match) => match.id)).toEqual(["x", "z"]);
  });
});

describe("fallbackPlan()", () => {
  it("asks for the most recent posts of the same stack, without the post itself", () => {
    expect(fallbackPlan({ stack: ["python services", "backend"], k: 5, selfId: "self" })).toEqual({
      basis: "same_stack_recent",
      filter: '(stack = "python services" OR stack = "backend") AND id != "self"',
      sort: ["last_reviewed_at:desc"],
      limit: 5,
    });
  });

  it("falls back to the most recent posts when no stack is known", () => {
    expect(fallbackPlan({ stack: [], k: 3, selfId: "self" })).toMatchObject({
      basis: "recent",
      filter: 'id != "self"',
    });
    expect(fallbackPlan({ stack: [], k: 3 }).filter).toBeUndefined();
  });
});

/** A fixed permutation of `items` chosen by `seed` (Fisher–Yates over a linear congruential sequence). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0;
  for (let index = copy.length - 1; index > 0; index -= 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** A random site: entities with skewed popularity (low indexes common), a few types, coarse review dates (many ties). */
const TYPES = ["problem", "stack", "tool", "area", "other"] as const;
const siteArbitrary = fc
  .record({
    vocabulary: fc.integer({ min: 1, max: 25 }),
    posts: fc.array(
      fc.record({
        picks: fc.array(fc.nat({ max: 624 }), { maxLength: 7 }),
        time: fc.option(fc.nat({ max: 4 }), { nil: null }),
      }),
      {
        minLength: 1,
        maxLength: 150,
        size: "max",
      },
    ),
    k: fc.integer({ min: 1, max: 10 }),
    queryFromSite: fc.boolean(),
    draftPicks: fc.array(fc.nat({ max: 624 }), { maxLength: 7 }),
    queryIndex: fc.nat(),
    typeWeights: fc.dictionary(fc.constantFrom(...TYPES), fc.constantFrom(0, 0.3, 0.6, 1, 1.2, 2)),
    shuffle: fc.nat(),
  })
  .map(({ vocabulary, posts, k, queryFromSite, draftPicks, queryIndex, typeWeights, shuffle }) => {
    const entity = (pick: number): EntityRef => {
      const index = vocabulary - 1 - Math.floor(Math.sqrt(pick % (vocabulary * vocabulary)));
      return { type: TYPES[index % TYPES.length] as string, name: `e${index}` };
    };
    const entitiesOf = (picks: number[]) => [
      ...new Map(picks.map(entity).map((item) => [entityKey(item), item])).values(),
    ];
    const site = posts.map((post, index) => ({
      id: `p${index}`,
      entities: entitiesOf(post.picks),
      last_reviewed_at: post.time,
    }));
    const candidates: RelatedCandidate[] = site.map((post) => ({
      id: post.id,
      entity_keys: post.entities.map(entityKey),
      last_reviewed_at: post.last_reviewed_at,
    }));
    const self = queryFromSite ? site[queryIndex % site.length] : undefined;
    return {
      candidates,
      k,
      typeWeights,
      shuffle,
      selfId: self?.id,
      entities: self?.entities ?? entitiesOf(draftPicks),
    };
  });

describe("MaxScore pruning", () => {
  it("never changes the top k compared with scoring every post", () => {
    let pruned = 0;
    let runs = 0;
    fc.assert(
      fc.property(siteArbitrary, ({ candidates, k, typeWeights, shuffle, selfId, entities }) => {
        const query = weighEntities(
          entities,
          { totalDocs: candidates.length, docFrequency: docFrequencies(candidates) },
          typeWeights,
        );
        const plan = planRelated(query, { k, selfId });
        const fetched = fetchCandidates(candidates, plan.essential);
        const ranking = rankRelated(plan, shuffled(fetched, shuffle));
        runs += 1;
        if (plan.nonEssential.some((entity) => entity.weight > 0)) pruned += 1;
        expect(ranking.isExact).toBe(true);
        expect(ranking.related.map((match) => match.id)).toEqual(bruteForce(query, candidates, k, selfId));
        expect(fetched.length).toBeLessThanOrEqual((plan.fetch?.expectedCount ?? 0) + (selfId === undefined ? 0 : 1));
      }),
      { numRuns: 1000, seed: 20 },
    );
    // The property is only worth something if pruning actually happens in a fair share of the runs.
    expect(pruned).toBeGreaterThan(runs / 10);
  });

  it("fetches fewer posts than the whole neighbourhood when common entities are pruned", () => {
    let saved = 0;
    fc.assert(
      fc.property(siteArbitrary, ({ candidates, k, typeWeights, selfId, entities }) => {
        const query = weighEntities(
          entities,
          { totalDocs: candidates.length, docFrequency: docFrequencies(candidates) },
          typeWeights,
        );
        const everything = fetchCandidates(candidates, query).length;
        const pruned = fetchCandidates(candidates, planRelated(query, { k, selfId }).essential).length;
        expect(pruned).toBeLessThanOrEqual(everything);
        if (pruned < everything) saved += 1;
      }),
      { numRuns: 300, seed: 21 },
    );
    expect(saved).toBeGreaterThan(30);
  });

  it("when isExact holds, the answer is right even if the df it was planned with was wrong", () => {
    const noisy = siteArbitrary.chain((site) =>
      fc.tuple(fc.constant(site), fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 30, maxLength: 30 })),
    );
    let exact = 0;
    let inexact = 0;
    fc.assert(
      fc.property(noisy, ([{ candidates, k, typeWeights, selfId, entities }, noise]) => {
        const trueDf = docFrequencies(candidates);
        const staleDf = new Map(
          [...trueDf].map(([key, count], index) => [key, Math.max(0, count + (noise[index % noise.length] as number))]),
        );
        const query = weighEntities(entities, { totalDocs: candidates.length, docFrequency: staleDf }, typeWeights);
        const plan = planRelated(query, { k, selfId });
        const ranking = rankRelated(plan, fetchCandidates(candidates, plan.essential));
        if (!ranking.isExact) {
          inexact += 1;
          return;
        }
        exact += 1;
        expect(ranking.related.map((match) => match.id)).toEqual(bruteForce(query, candidates, k, selfId));
      }),
      { numRuns: 1000, seed: 22 },
    );
    expect(exact).toBeGreaterThan(0);
    expect(inexact).toBeGreaterThan(0);
    expect(inexact + exact).toBe(1000);
  });
});
