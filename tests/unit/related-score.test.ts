import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entityKey } from "../../src/document.js";
import { planRelated, rankRelated, type RelatedCandidate } from "../../src/related/plan.js";
import {
  compareRelated,
  DEFAULT_TYPE_WEIGHTS,
  entityWeight,
  scoreCandidate,
  totalWeight,
  weighEntities,
  type EntityRef,
  type RankedFields,
} from "../../src/related/score.js";

const stats = (totalDocs: number, df: Record<string, number>) => ({
  totalDocs,
  docFrequency: new Map(Object.entries(df)),
});

describe("entityWeight()", () => {
  it("falls as an entity gets commoner", () => {
    const weights = [0, 1, 2, 5, 10, 50, 250, 999, 1000].map((df) => entityWeight(df, 1000, 1));
    for (let index = 1; index < weights.length; index += 1) {
      expect(weights[index]).toBeLessThan(weights[index - 1] as number);
    }
  });

  it("is finite for an entity no post carries, and near zero for one every post carries", () => {
    expect(Number.isFinite(entityWeight(0, 1000))).toBe(true);
    expect(entityWeight(1000, 1000)).toBeGreaterThan(0);
    expect(entityWeight(1000, 1000)).toBeLessThan(0.001);
  });

  it("makes one rare entity worth more than four that a quarter of the site carries", () => {
    expect(entityWeight(2, 1000)).toBeGreaterThan(4 * entityWeight(250, 1000));
  });

  it("scales with the type weight", () => {
    expect(entityWeight(10, 1000, 0.5)).toBeCloseTo(entityWeight(10, 1000, 1) / 2, 12);
    expect(entityWeight(10, 1000, 0)).toBe(0);
  });

  it("clamps df to 0..N and survives an empty index", () => {
    expect(entityWeight(5000, 1000)).toBe(entityWeight(1000, 1000));
    expect(entityWeight(-3, 1000)).toBe(entityWeight(0, 1000));
    expect(entityWeight(Number.NaN, 1000)).toBe(entityWeight(0, 1000));
    expect(entityWeight(0, 0)).toBeCloseTo(Math.log(2), 12);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("refuses a type weight of %s", (typeWeight) => {
    expect(() => entityWeight(1, 10, typeWeight)).toThrow(RangeError);
  });

  it("stays within 0..typeWeight·ln(2N+2) for any input", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (df, n, typeWeight) => {
          const weight = entityWeight(df, n, typeWeight);
          expect(weight).toBeGreaterThanOrEqual(0);
          expect(weight).toBeLessThanOrEqual(typeWeight * Math.log(2 * n + 2) + 1e-12);
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});

describe("weighEntities()", () => {
  it("weighs by rarity and type, merging duplicate entities", () => {
    const query = weighEntities(
      [
        { name: "slow builds", type: "problem" },
        { name: "backend", type: "area" },
        { name: "slow builds", type: "problem" },
        { name: "webpack", type: "plugin" },
      ],
      stats(100, { "problem:slow builds": 4, "area:backend": 25 }),
    );
    expect(query.map((entity) => entity.key)).toEqual(["problem:slow builds", "area:backend", "plugin:webpack"]);
    expect(query[0]?.weight).toBeCloseTo(entityWeight(4, 100, 1.2), 12);
    expect(query[1]?.weight).toBeCloseTo(entityWeight(25, 100, 0.6), 12);
    expect(query[2]).toMatchObject({ df: 0, weight: entityWeight(0, 100, 1) });
  });

  it("takes custom type weights, unknown types weighing 1", () => {
    const [area, other] = weighEntities(
      [
        { name: "backend", type: "area" },
        { name: "x", type: "toString" },
      ],
      stats(10, {}),
      { area: 0 },
    );
    expect(area?.weight).toBe(0);
    expect(other?.weight).toBe(entityWeight(0, 10, 1));
  });

  it("ranks problems above stacks above areas at equal rarity by default", () => {
    const [problem, stack, area] = weighEntities(
      [
        { name: "a", type: "problem" },
        { name: "b", type: "stack" },
        { name: "c", type: "area" },
      ],
      stats(100, { "problem:a": 5, "stack:b": 5, "area:c": 5 }),
    );
    expect(DEFAULT_TYPE_WEIGHTS.problem).toBeGreaterThan(DEFAULT_TYPE_WEIGHTS.stack as number);
    expect(problem!.weight).toBeGreaterThan(stack!.weight);
    expect(stack!.weight).toBeGreaterThan(area!.weight);
  });
});

describe("scoreCandidate()", () => {
  const query = weighEntities(
    [
      { name: "flaky tests", type: "problem" },
      { name: "python services", type: "stack" },
      { name: "backend", type: "area" },
    ],
    stats(1000, { "problem:flaky tests": 3, "stack:python services": 40, "area:backend": 250 }),
  );
  const total = totalWeight(query);

  it("scores 0 with nothing shared", () => {
    expect(scoreCandidate(query, ["stack:go", "tool:git"])).toEqual({ score: 0, normalisedScore: 0, shared: [] });
  });

  it("scores exactly 1 when the candidate shares everything (extra entities do not matter)", () => {
    const scored = scoreCandidate(query, ["area:backend", "tool:git", "stack:python services", "problem:flaky tests"]);
    expect(scored.normalisedScore).toBe(1);
    expect(scored.score).toBe(total);
  });

  it("lists shared entities heaviest first with what each contributed", () => {
    const scored = scoreCandidate(query, ["area:backend", "problem:flaky tests"]);
    expect(scored.shared.map((entity) => `${entity.type}:${entity.name}`)).toEqual([
      "problem:flaky tests",
      "area:backend",
    ]);
    const [problem, area] = scored.shared;
    expect(problem?.weight).toBe(query[0]?.weight);
    expect(problem!.contribution + area!.contribution).toBeCloseTo(scored.normalisedScore, 12);
    expect(scored.score).toBeCloseTo(problem!.weight + area!.weight, 12);
  });

  it("accepts a Set of keys as well as an array", () => {
    expect(scoreCandidate(query, new Set(["stack:python services"]))).toEqual(
      scoreCandidate(query, ["stack:python services"]),
    );
  });

  it("scores 0 (not NaN) when the query weighs nothing", () => {
    const weightless = weighEntities([{ name: "backend", type: "area" }], stats(10, {}), { area: 0 });
    expect(scoreCandidate(weightless, ["area:backend"]).normalisedScore).toBe(0);
    expect(scoreCandidate([], ["area:backend"])).toEqual({ score: 0, normalisedScore: 0, shared: [] });
  });

  it("keeps the normalised score in 0..1 for any query and candidate", () => {
    const entity = fc.record({
      name: fc.constantFrom("a", "b", "c", "d", "e"),
      type: fc.constantFrom("problem", "stack", "area", "tool", "x"),
    });
    fc.assert(
      fc.property(
        fc.array(entity, { maxLength: 8 }),
        fc.array(entity, { maxLength: 8 }),
        fc.nat({ max: 50 }),
        (queryEntities, candidate, n) => {
          const df = Object.fromEntries(queryEntities.map((item, index) => [entityKey(item), (index * 7) % (n + 1)]));
          const weighted = weighEntities(queryEntities, stats(n, df));
          const scored = scoreCandidate(weighted, candidate.map(entityKey));
          expect(scored.normalisedScore).toBeGreaterThanOrEqual(0);
          expect(scored.normalisedScore).toBeLessThanOrEqual(1);
          const sharesAll = weighted.every((item) => candidate.some((other) => entityKey(other) === item.key));
          // A candidate sharing every weighted entity scores exactly 1 (checked on those candidates only).
          expect(sharesAll && totalWeight(weighted) > 0 ? scored.normalisedScore : 1).toBe(1);
        },
      ),
      { numRuns: 300, seed: 12 },
    );
  });
});

describe("compareRelated()", () => {
  const item = (id: string, score: number, shared: number, lastReviewedAt: number | null): RankedFields => ({
    id,
    score,
    shared: Array.from({ length: shared }),
    lastReviewedAt,
  });

  it("orders by score, then more shared, then fresher, then id", () => {
    const items = [
      item("e", 1, 1, 100),
      item("a", 2, 1, 100),
      item("d", 1, 2, 50),
      item("c", 1, 1, 200),
      item("b", 1, 1, 100),
      item("f", 1, 1, null),
    ];
    expect([...items].sort(compareRelated).map((entry) => entry.id)).toEqual(["a", "d", "c", "b", "e", "f"]);
  });

  it("gives the same order whatever order the input comes in", () => {
    const items = Array.from({ length: 12 }, (_, index) =>
      item(`p${index % 4}${index}`, index % 3, index % 2, index % 5 === 0 ? null : index % 4),
    );
    const expected = [...items].sort(compareRelated).map((entry) => entry.id);
    fc.assert(
      fc.property(fc.shuffledSubarray(items, { minLength: items.length }), (shuffled) => {
        expect([...shuffled].sort(compareRelated).map((entry) => entry.id)).toEqual(expected);
      }),
      { numRuns: 100, seed: 13 },
    );
  });

  it("compares ids by code unit, not locale", () => {
    expect(
      [item("b", 1, 1, 1), item("B", 1, 1, 1), item("a", 1, 1, 1)].sort(compareRelated).map((entry) => entry.id),
    ).toEqual(["B", "a", "b"]);
  });
});

/** A planted site: 400 posts, the query post about 3 rare entities, a common stack and a quarter-of-the-site area. */
function plantedSite() {
  const self: EntityRef[] = [
    { name: "flaky tests", type: "problem" },
    { name: "pytest", type: "tool" },
    { name: "uvicorn", type: "tool" },
    { name: "python services", type: "stack" },
    { name: "backend", type: "area" },
  ];
  const posts: RelatedCandidate[] = [
    { id: "self", entity_keys: self.map(entityKey), last_reviewed_at: 10 },
    { id: "three-rare", entity_keys: ["problem:flaky tests", "tool:pytest", "tool:uvicorn"], last_reviewed_at: 1 },
    { id: "two-rare", entity_keys: ["problem:flaky tests", "tool:pytest", "stack:go"], last_reviewed_at: 9 },
    { id: "one-rare", entity_keys: ["tool:uvicorn", "area:frontend"], last_reviewed_at: 9 },
    { id: "one-rare-twin", entity_keys: ["tool:uvicorn"], last_reviewed_at: 9 },
    { id: "one-rare-older", entity_keys: ["tool:uvicorn"], last_reviewed_at: 2 },
  ];
  for (let index = 0; posts.length < 400; index += 1) {
    const keys = [];
    if (index % 4 === 0) keys.push("area:backend");
    if (index % 10 === 1) keys.push("stack:python services");
    keys.push(`problem:other ${index % 37}`);
    posts.push({ id: `filler-${String(index).padStart(3, "0")}`, entity_keys: keys, last_reviewed_at: index % 7 });
  }
  const df = new Map<string, number>();
  for (const post of posts) for (const key of post.entity_keys) df.set(key, (df.get(key) ?? 0) + 1);
  return { self, posts, query: weighEntities(self, { totalDocs: posts.length, docFrequency: df }), df };
}

describe("related ranking on a planted site", () => {
  const site = plantedSite();
  const rank = (k: number) => rankRelated(planRelated(site.query, { k, selfId: "self" }), site.posts).related;

  it("plants what it claims: backend on a quarter of the posts, the rare ones on a handful", () => {
    expect(site.df.get("area:backend")).toBeGreaterThanOrEqual(100);
    expect(site.df.get("problem:flaky tests")).toBe(3);
    expect(site.df.get("tool:uvicorn")).toBe(5);
  });

  it("puts three shared rare entities above two, two above one", () => {
    const ids = rank(5).map((match) => match.id);
    expect(ids.slice(0, 2)).toEqual(["three-rare", "two-rare"]);
    expect(ids.indexOf("two-rare")).toBeLessThan(ids.indexOf("one-rare"));
  });

  it("puts one rare shared entity above one that a quarter of the site shares", () => {
    const all = rank(400);
    const oneRare = all.find((match) => match.id === "one-rare-older")!;
    const backendOnly = all.find((match) => match.shared.length === 1 && match.shared[0]?.name === "backend")!;
    expect(compareRelated(oneRare, backendOnly)).toBeLessThan(0);
    expect(oneRare.score).toBeGreaterThan(backendOnly.score);
  });

  it("still puts one rare entity above a quarter-of-the-site one when every type weighs the same", () => {
    const flat = weighEntities(site.self, { totalDocs: site.posts.length, docFrequency: site.df }, {});
    const all = rankRelated(planRelated(flat, { k: 400, selfId: "self" }), site.posts).related;
    const oneRare = all.find((match) => match.id === "one-rare-older")!;
    const backendOnly = all.find((match) => match.shared.length === 1 && match.shared[0]?.name === "backend")!;
    expect(oneRare.score).toBeGreaterThan(backendOnly.score);
  });

  it("breaks ties by freshness, then id", () => {
    const ids = rank(6).map((match) => match.id);
    expect(ids.slice(2, 5)).toEqual(["one-rare", "one-rare-twin", "one-rare-older"]);
  });

  it("never returns the post itself, and every score is in 0..1", () => {
    const all = rank(400);
    expect(all.map((match) => match.id)).not.toContain("self");
    for (const match of all) {
      expect(match.normalisedScore).toBeGreaterThan(0);
      expect(match.normalisedScore).toBeLessThanOrEqual(1);
    }
  });

  it("gives a post sharing everything a normalised score of 1", () => {
    const twin: RelatedCandidate = { id: "twin", entity_keys: site.self.map(entityKey), last_reviewed_at: null };
    const [best] = rankRelated(planRelated(site.query, { k: 1, selfId: "self" }), [...site.posts, twin]).related;
    expect(best?.id).toBe("twin");
    expect(best?.normalisedScore).toBe(1);
  });
});
