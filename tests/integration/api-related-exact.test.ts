import type { Express } from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createRandom, generateRecord } from "../../bench/corpus.js";
import { fromDocumentId, type SearchDocument } from "../../src/index.js";
import { compareRelated, scoreCandidate, weighEntities } from "../../src/related/score.js";
import { testApp } from "../helpers/api.js";
import { post, seedIndex } from "../helpers/seed-index.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

/** The reference: weigh from the whole corpus, score every other post, sort by the documented rules. */
function bruteForce(
  documents: readonly SearchDocument[],
  self: SearchDocument,
  k: number,
  eligible: (doc: SearchDocument) => boolean = () => true,
): { id: string; score: number }[] {
  const docFrequency = new Map<string, number>();
  for (const doc of documents)
    for (const key of new Set(doc.entity_keys)) docFrequency.set(key, (docFrequency.get(key) ?? 0) + 1);
  const query = weighEntities(self.entities, { totalDocs: documents.length, docFrequency });
  return documents
    .filter((doc) => doc.id !== self.id && eligible(doc))
    .map((doc) => ({ id: doc.id, lastReviewedAt: doc.last_reviewed_at, ...scoreCandidate(query, doc.entity_keys) }))
    .filter((match) => match.score > 0)
    .sort(compareRelated)
    .slice(0, k)
    .map((match) => ({ id: fromDocumentId(match.id), score: Math.round(match.normalisedScore * 10_000) / 10_000 }));
}

describe("related posts on a generated corpus", () => {
  const meili = sharedMeili();
  let app: Express;
  let close: () => Promise<void>;
  let documents: readonly SearchDocument[];

  beforeAll(async () => {
    const uid = freshIndexUid("exact");
    const random = createRandom(11);
    const records = [
      ...Array.from({ length: 800 }, (_, index) => generateRecord(index, random)),
      // Posts with more entities than the counting method takes (the MaxScore path answers them).
      ...Array.from({ length: 12 }, (_, index) =>
        post(`many-${index}`, {
          entities: [
            ...["a", "b", "c", "d", "e", "f", "g"]
              .slice(0, 4 + (index % 4))
              .map((name) => ["topic", `many ${name}`] as const),
            ["area", "backend"],
            ["tool", "git"],
          ],
          lastReviewed: `2020-0${1 + (index % 3)}-01`,
        }),
      ),
      // A tie group far larger than k: posts sharing one entity, few distinct dates.
      post("wide-self", {
        entities: [
          ["topic", "everywhere"],
          ["topic", "only me"],
        ],
      }),
      ...Array.from({ length: 260 }, (_, index) =>
        post(`wide-${String(index).padStart(3, "0")}`, {
          entities: [["topic", "everywhere"]],
          lastReviewed: `2021-0${1 + (index % 3)}-01`,
          difficulty: index % 2 ? "beginner" : "advanced",
        }),
      ),
    ];
    ({ documents } = await seedIndex(meili.client, uid, records));
    ({ app, close } = await testApp(meili, uid));
  });

  afterAll(async () => {
    await close?.();
  });

  test("the related-posts index returns exactly what scoring every post would, for any k", async () => {
    const sample = documents.filter((_, index) => index % 37 === 0);
    expect(sample.length).toBeGreaterThan(15);
    for (const self of sample) {
      for (const k of [1, 5, 20]) {
        const { body } = await request(app)
          .get(`/posts/${encodeURIComponent(self.source_id)}/related?limit=${k}`)
          .expect(200);
        const expected = bruteForce(documents, self, k);
        const actual = body.related.map((item: { id: string; score: number }) => ({ id: item.id, score: item.score }));
        expect(actual, `${self.id} k=${k}`).toEqual(expected);
      }
    }
  });

  test("posts with many entities, large tie groups and facet filters give the same answers as scoring every post", async () => {
    const byId = new Map(documents.map((doc) => [doc.source_id, doc]));
    const cases: [string, number, string][] = [
      ["many-3", 5, ""],
      ["many-7", 20, ""],
      ["wide-self", 5, ""],
      ["wide-self", 30, ""],
      ["wide-self", 5, "&difficulty=beginner"],
      ["gen-0000074", 10, "&difficulty=advanced"],
      ["gen-0000111", 5, "&stack=python%20services&stack=node%20services"],
    ];
    for (const [id, k, filters] of cases) {
      const self = byId.get(id) as SearchDocument;
      const { body } = await request(app).get(`/posts/${id}/related?limit=${k}${filters}`).expect(200);
      const wanted = new URLSearchParams(filters);
      const eligible = (doc: SearchDocument) =>
        (!wanted.has("difficulty") || doc.difficulty === wanted.get("difficulty")) &&
        (!wanted.has("stack") || wanted.getAll("stack").some((stack) => doc.stack.includes(stack)));
      const actual = body.related.map((item: { id: string; score: number }) => ({ id: item.id, score: item.score }));
      expect(actual, `${id} k=${k}${filters}`).toEqual(bruteForce(documents, self, k, eligible));
    }
  });
});
