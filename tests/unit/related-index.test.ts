import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entityKey } from "../../src/document.js";
import { FACETS, type Facet } from "../../src/document-types.js";
import type { FacetSelection } from "../../src/meili/filter.js";
import { RelatedIndex, type RelatedDocument } from "../../src/related/related-index.js";
import { relatedForDocument, relatedForEntities, type RelatedAnswer } from "../../src/related/retrieve.js";
import {
  compareRelated,
  DEFAULT_TYPE_WEIGHTS,
  scoreCandidate,
  weighEntities,
  type EntityRef,
} from "../../src/related/score.js";

/**
 * The in-memory related-posts index against a brute force that weighs from the whole corpus, scores
 * every other post, and sorts by the documented rules, on seeded random corpora whose entity
 * frequencies are skewed (a few entities on most posts, a long tail on one or two), with ties in
 * scores and review dates, after random edits, deletions and re-additions.
 */

const round = (value: number) => Math.round(value * 10_000) / 10_000;

function matchesFacets(document: RelatedDocument, selection: FacetSelection): boolean {
  return FACETS.every((facet) => {
    const wanted = selection[facet] ?? [];
    if (wanted.length === 0) return true;
    const value = document[facet];
    return Array.isArray(value)
      ? value.some((item) => wanted.includes(item))
      : typeof value === "string" && wanted.includes(value);
  });
}

function byFreshnessThenId(a: RelatedDocument, b: RelatedDocument): number {
  const x = a.last_reviewed_at ?? Number.NEGATIVE_INFINITY;
  const y = b.last_reviewed_at ?? Number.NEGATIVE_INFINITY;
  if (x !== y) return x > y ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The reference answer for a query over `documents` (the live corpus, in any order). */
function bruteForce(
  documents: readonly RelatedDocument[],
  query: { selfId: string | undefined; entities: readonly EntityRef[]; stack: readonly string[] },
  k: number,
  filters: FacetSelection,
  typeWeights: Readonly<Record<string, number>> = DEFAULT_TYPE_WEIGHTS,
): Omit<RelatedAnswer, "id"> {
  const docFrequency = new Map<string, number>();
  for (const document of documents)
    for (const key of new Set(document.entities.map(entityKey)))
      docFrequency.set(key, (docFrequency.get(key) ?? 0) + 1);
  const weighted = weighEntities(query.entities, { totalDocs: documents.length, docFrequency }, typeWeights);
  const eligible = documents.filter((document) => document.id !== query.selfId && matchesFacets(document, filters));
  const related = eligible
    .map((document) => ({
      document,
      id: document.id,
      lastReviewedAt: document.last_reviewed_at,
      ...scoreCandidate(weighted, document.entities.map(entityKey)),
    }))
    .filter((match) => match.score > 0)
    .sort(compareRelated)
    .slice(0, k);
  if (related.length > 0) {
    return {
      related: related.map((match) => ({
        id: match.id,
        title: match.document.title,
        score: round(match.normalisedScore),
        shared: match.shared.map((shared) => ({
          name: shared.name,
          type: shared.type,
          weight: round(shared.weight),
          contribution: round(shared.contribution),
        })),
        source: "entities" as const,
      })),
      fallback: null,
    };
  }
  const stacks = [...new Set(query.stack)];
  const sameStack = eligible
    .filter((document) => stacks.length > 0 && document.stack.some((value) => stacks.includes(value)))
    .sort(byFreshnessThenId)
    .slice(0, k);
  // When the same stack has no post, the most recent posts of all.
  const recent = sameStack.length > 0 ? sameStack : [...eligible].sort(byFreshnessThenId).slice(0, k);
  return {
    related: recent.map((document) => ({
      id: document.id,
      title: document.title,
      score: 0,
      shared: [],
      source: "fallback" as const,
    })),
    fallback: sameStack.length > 0 ? "same_stack_recent" : "recent",
  };
}

/** Skewed vocabularies: the first entries of each are drawn far more often than the last. */
const ENTITY_POOL: readonly EntityRef[] = [
  { type: "area", name: "backend" },
  { type: "area", name: "frontend" },
  { type: "stack", name: "python services" },
  { type: "stack", name: "node services" },
  { type: "stack", name: "go services" },
  { type: "problem", name: "caching" },
  { type: "problem", name: "timeouts" },
  { type: "problem", name: "memory leaks" },
  { type: "tool", name: "git" },
  { type: "tool", name: "docker" },
  { type: "tool", name: "redis" },
  { type: "weightless", name: "everything" },
  ...Array.from({ length: 60 }, (_, index) => ({ type: "topic", name: `topic ${index}` })),
];
const STACKS = ["python services", "node services", "rust services", "general"];
const TOOLS = ["git", "docker", "redis", "nginx"];
const DIFFICULTIES = ["beginner", "advanced"];
const DATES = [null, 1_600_000_000, 1_650_000_000, 1_700_000_000];

const skewedIndex = (size: number) =>
  fc.integer({ min: 0, max: 10_000 }).map((value) => Math.min(size - 1, Math.floor(size * (value / 10_000) ** 2.5)));
const entityArb = skewedIndex(ENTITY_POOL.length).map((index) => ENTITY_POOL[index] as EntityRef);
const entitiesArb = fc.oneof(
  { weight: 4, arbitrary: fc.array(entityArb, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.array(entityArb, { minLength: 8, maxLength: 20 }) },
);

function documentArb(id: string): fc.Arbitrary<RelatedDocument> {
  return fc.record({
    id: fc.constant(id),
    title: fc.constant(`post ${id}`),
    entities: entitiesArb,
    stack: fc.subarray(STACKS, { maxLength: 2 }),
    tools: fc.subarray(TOOLS, { maxLength: 3 }),
    difficulty: fc.constantFrom(null, ...DIFFICULTIES),
    scenario: fc.constant(null),
    code_language: fc.constantFrom(null, "python", "go"),
    last_reviewed_at: fc.constantFrom(...DATES),
  });
}

type Operation = { kind: "upsert"; document: RelatedDocument } | { kind: "delete"; id: string };

/** A corpus of up to `size` posts built by a sequence of upserts, edits and deletions. */
function corpusArb(size: number): fc.Arbitrary<Operation[]> {
  const id = fc.integer({ min: 0, max: size - 1 }).map((n) => `p${String(n).padStart(3, "0")}`);
  const operation: fc.Arbitrary<Operation> = fc.oneof(
    { weight: 6, arbitrary: id.chain(documentArb).map((document) => ({ kind: "upsert" as const, document })) },
    { weight: 1, arbitrary: id.map((value) => ({ kind: "delete" as const, id: value })) },
  );
  return fc.array(operation, { minLength: 1, maxLength: size * 2 });
}

const filtersArb: fc.Arbitrary<FacetSelection> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        stack: fc.subarray(STACKS, { minLength: 1 }),
        tools: fc.subarray(TOOLS, { minLength: 1 }),
        difficulty: fc.subarray(DIFFICULTIES, { minLength: 1 }),
      },
      { requiredKeys: [] },
    ) as fc.Arbitrary<FacetSelection>,
  },
);

/** The default type weights, or ones that make some entities weightless. */
const typeWeightsArb = fc.constantFrom(
  DEFAULT_TYPE_WEIGHTS,
  { ...DEFAULT_TYPE_WEIGHTS, weightless: 0, area: 0 },
  { ...DEFAULT_TYPE_WEIGHTS, topic: 0.1 },
);

/**
 * Applies the operations to an index and to a plain map (the reference's corpus): the first
 * `built` of them build the index at once (its posts in freshness order), the rest change it.
 */
function build(
  operations: readonly Operation[],
  built = Math.floor(operations.length / 2),
): { index: RelatedIndex; live: Map<string, RelatedDocument> } {
  const live = new Map<string, RelatedDocument>();
  for (const operation of operations.slice(0, built)) {
    if (operation.kind === "upsert") live.set(operation.document.id, operation.document);
    else live.delete(operation.id);
  }
  const index = RelatedIndex.of(live.values());
  const misreported: string[] = [];
  for (const operation of operations.slice(built)) {
    if (operation.kind === "upsert") {
      index.upsert(operation.document);
      live.set(operation.document.id, operation.document);
    } else if (index.delete(operation.id) !== live.delete(operation.id)) {
      misreported.push(operation.id);
    }
  }
  expect(misreported, "delete() says whether the post was there").toEqual([]);
  return { index, live };
}

describe("RelatedIndex", () => {
  it("holds what was upserted and not deleted since, with document frequencies to match", () => {
    fc.assert(
      fc.property(corpusArb(60), fc.double({ min: 0, max: 1, noNaN: true }), (operations, share) => {
        const { index, live } = build(operations, Math.floor(operations.length * share));
        expect(index.size).toBe(live.size);
        expect([...index.documents()].map((document) => document.id).sort()).toEqual([...live.keys()].sort());
        for (const entity of ENTITY_POOL) {
          const key = entityKey(entity);
          const df = [...live.values()].filter((document) =>
            document.entities.some((other) => entityKey(other) === key),
          ).length;
          expect(index.docFrequency(key), key).toBe(df);
        }
      }),
      { numRuns: 300, seed: 31 },
    );
  });

  it("keeps fields a document lacks as empty values, and its stamp", () => {
    const index = new RelatedIndex();
    index.upsert({ id: "a", title: "A", indexed_at: 7 } as unknown as RelatedDocument);
    expect(index.get("a")).toEqual({
      id: "a",
      title: "A",
      entities: [],
      stack: [],
      tools: [],
      difficulty: null,
      scenario: null,
      code_language: null,
      last_reviewed_at: null,
      indexed_at: 7,
    });
    expect(index.stampOf("a")).toBe(7);
    expect(index.stampOf("b")).toBeUndefined();
  });
});

describe("related posts from the index", () => {
  it("equal the brute force for any post, k and facet filters, built at once and then edited, deleted, added to", () => {
    fc.assert(
      fc.property(
        corpusArb(120),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(),
        fc.integer({ min: 1, max: 25 }),
        filtersArb,
        typeWeightsArb,
        (operations, share, pick, k, filters, typeWeights) => {
          const { index, live } = build(operations, Math.floor(operations.length * share));
          const documents = [...live.values()];
          const self = documents[pick % Math.max(1, documents.length)];
          if (self === undefined) return;
          const answer = relatedForDocument(index, self.id, { limit: k, filters, typeWeights });
          expect(answer).toEqual({
            id: self.id,
            ...bruteForce(
              documents,
              { selfId: self.id, entities: self.entities, stack: self.stack },
              k,
              filters,
              typeWeights,
            ),
          });
        },
      ),
      { numRuns: 600, seed: 32 },
    );
  });

  it("equal the brute force for drafts: new entities, duplicates, an id of an indexed post or none", () => {
    fc.assert(
      fc.property(
        corpusArb(100),
        fc.array(fc.oneof(entityArb, fc.constant({ type: "topic", name: "brand new" })), { maxLength: 22 }),
        fc.option(fc.constantFrom("p001", "p002", "nobody"), { nil: undefined }),
        fc.subarray(STACKS),
        fc.integer({ min: 1, max: 12 }),
        filtersArb,
        typeWeightsArb,
        (operations, entities, id, stack, k, filters, typeWeights) => {
          const { index, live } = build(operations);
          const answer = relatedForEntities(index, { id, entities, stack }, { limit: k, filters, typeWeights });
          expect(answer).toEqual({
            id: id ?? null,
            ...bruteForce([...live.values()], { selfId: id, entities, stack }, k, filters, typeWeights),
          });
        },
      ),
      { numRuns: 600, seed: 33 },
    );
  });

  it("never leave out a post that shares a strict superset of a returned post's entities", () => {
    fc.assert(
      fc.property(corpusArb(150), fc.nat(), fc.integer({ min: 1, max: 10 }), (operations, pick, k) => {
        const { index, live } = build(operations);
        const documents = [...live.values()];
        const self = documents[pick % Math.max(1, documents.length)];
        if (self === undefined) return;
        const answer = relatedForDocument(index, self.id, { limit: k });
        if (answer.fallback !== null) return;
        const selfKeys = new Set(self.entities.map(entityKey));
        const sharedWith = (document: RelatedDocument) =>
          new Set(document.entities.map(entityKey).filter((key) => selfKeys.has(key)));
        const returned = new Set(answer.related.map((post) => post.id));
        for (const post of answer.related) {
          const shared = sharedWith(live.get(post.id) as RelatedDocument);
          for (const other of documents) {
            if (other.id === self.id || returned.has(other.id)) continue;
            const theirs = sharedWith(other);
            const isStrictSuperset = theirs.size > shared.size && [...shared].every((key) => theirs.has(key));
            expect(isStrictSuperset, `${other.id} shares more than ${post.id}`).toBe(false);
          }
        }
      }),
      { numRuns: 300, seed: 34 },
    );
  });

  it("equal the brute force on corpora of a few common entities (large ties: the walk stops early), built and then changed", () => {
    const few = ENTITY_POOL.slice(0, 5);
    const small = (id: string) =>
      fc.record({
        id: fc.constant(id),
        title: fc.constant(`post ${id}`),
        entities: fc.subarray(few, { minLength: 1, maxLength: 4 }),
        stack: fc.constant<string[]>([]),
        tools: fc.subarray(TOOLS, { maxLength: 1 }),
        difficulty: fc.constant(null),
        scenario: fc.constant(null),
        code_language: fc.constant(null),
        last_reviewed_at: fc.constantFrom(...DATES),
      });
    const ids = fc.integer({ min: 0, max: 299 }).map((n) => `c${String(n).padStart(3, "0")}`);
    const operation: fc.Arbitrary<Operation> = fc.oneof(
      { weight: 8, arbitrary: ids.chain(small).map((document) => ({ kind: "upsert" as const, document })) },
      { weight: 1, arbitrary: ids.map((id) => ({ kind: "delete" as const, id })) },
    );
    fc.assert(
      fc.property(
        fc.array(operation, { minLength: 50, maxLength: 500 }),
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        fc.nat(),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        (operations, share, pick, k, filtered) => {
          const { index, live } = build(operations, Math.floor(operations.length * share));
          const documents = [...live.values()];
          const self = documents[pick % Math.max(1, documents.length)];
          if (self === undefined) return;
          const filters: FacetSelection = filtered ? { tools: ["git"] } : {};
          const answer = relatedForDocument(index, self.id, { limit: k, filters });
          expect(answer).toEqual({
            id: self.id,
            ...bruteForce(documents, { selfId: self.id, entities: self.entities, stack: self.stack }, k, filters),
          });
        },
      ),
      { numRuns: 500, seed: 35 },
    );
  });

  it("finds a stale post sharing more behind the freshest ones sharing less", () => {
    const post = (id: string, names: string[], reviewed: number): RelatedDocument => ({
      id,
      title: id,
      entities: names.map((name) => ({ type: "topic", name })),
      stack: [],
      tools: [],
      difficulty: null,
      scenario: null,
      code_language: null,
      last_reviewed_at: reviewed,
    });
    const documents = [
      post("q", ["a", "b"], 1),
      ...Array.from({ length: 20 }, (_, n) => post(`fresh-a-${n}`, ["a"], 100 - n)),
      ...Array.from({ length: 20 }, (_, n) => post(`old-b-${n}`, ["b"], 10)),
      post("stale-both", ["a", "b"], 2),
    ];
    const index = RelatedIndex.of(documents);
    expect(relatedForDocument(index, "q", { limit: 3 }).related.map((item) => item.id)).toEqual([
      "stale-both",
      "fresh-a-0",
      "fresh-a-1",
    ]);
    // Re-dated, the post leaves its place in the order and is found all the same.
    index.upsert(post("fresh-a-5", ["a"], 200));
    expect(relatedForDocument(index, "q", { limit: 3 }).related.map((item) => item.id)).toEqual([
      "stale-both",
      "fresh-a-5",
      "fresh-a-0",
    ]);
  });

  it("ranks a large tie group by freshness, then id, whatever the order posts were added in", () => {
    const documents: RelatedDocument[] = Array.from({ length: 400 }, (_, n) => ({
      id: `t${String((n * 7919) % 400).padStart(3, "0")}`,
      title: "t",
      entities: [{ type: "topic", name: "shared" }],
      stack: [],
      tools: [],
      difficulty: null,
      scenario: null,
      code_language: null,
      last_reviewed_at: DATES[n % DATES.length] as number | null,
    }));
    const index = RelatedIndex.of(documents);
    const answer = relatedForEntities(index, { entities: [{ type: "topic", name: "shared" }] }, { limit: 30 });
    const expected = [...documents]
      .sort(byFreshnessThenId)
      .slice(0, 30)
      .map((document) => document.id);
    expect(answer.related.map((post) => post.id)).toEqual(expected);
  });

  it("says the post is unknown when the index does not hold it", () => {
    const index = RelatedIndex.of([]);
    for (const id of ["nope", "", "x".repeat(600)])
      expect(() => relatedForDocument(index, id)).toThrow(/no indexed post/);
  });

  it("facet filters match as the Meilisearch filter does: OR within a facet, AND across, a missing value never", () => {
    const base = {
      title: "t",
      entities: [{ type: "topic", name: "x" }],
      scenario: null,
      code_language: null,
      last_reviewed_at: null,
    };
    const index = RelatedIndex.of([
      { ...base, id: "a", stack: ["python services", "general"], tools: ["git"], difficulty: "beginner" },
      { ...base, id: "b", stack: ["rust services"], tools: [], difficulty: null },
      { ...base, id: "c", stack: [], tools: ["git", "redis"], difficulty: "advanced" },
    ]);
    const ids = (filters: Partial<Record<Facet, string[]>>) =>
      relatedForEntities(index, { entities: base.entities }, { limit: 10, filters }).related.map((post) => post.id);
    expect(ids({ stack: ["general", "rust services"] })).toEqual(["a", "b"]);
    expect(ids({ tools: ["git"], difficulty: ["advanced"] })).toEqual(["c"]);
    expect(ids({ difficulty: ["beginner", "advanced"] })).toEqual(["a", "c"]);
    expect(ids({ code_language: ["python"] })).toEqual([]);
  });
});
