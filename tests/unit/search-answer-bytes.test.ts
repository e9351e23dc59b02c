import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toDocumentId } from "../../src/document-id.js";
import { FACETS } from "../../src/document-types.js";
import { spliceSearchAnswer } from "../../src/search-answer-bytes.js";
import { MARK_CLOSE, MARK_OPEN } from "../../src/search-highlight.js";
import type { SearchResponse } from "../../src/meili/client.js";
import { toSearchAnswer } from "../../src/search-posts.js";
import { highlightedText } from "../helpers/highlighted-text.js";
import { SEED } from "../helpers/hostile.js";

/**
 * Meilisearch answers are written by serde_json; `JSON.stringify` writes the same compact form
 * with the same escapes (`\"`, `\\`, `\n`…, `\u00XX` for other control characters, everything
 * else as it is), so answers built here and stringified stand for real ones.
 */

/** Text as titles and snippets come back. */
const text = highlightedText;

const recordId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
  text.filter((value) => value.length > 0),
);

const hit = fc.record({
  id: recordId.map(toDocumentId),
  title: text,
  site: text,
  summary: text,
  stack: fc.array(text, { maxLength: 3 }),
  reading_time: fc.nat(60),
  view_count: fc.nat(),
  last_reviewed_at: fc.nat(),
  formattedTitle: text,
  formattedBody: fc.option(text, { nil: undefined }),
});

type GeneratedHit = typeof hit extends fc.Arbitrary<infer T> ? T : never;

/** A hit as Meilisearch writes it: the retrieved fields, then `_formatted` (numbers as strings there). */
function meiliHit({ formattedTitle, formattedBody, ...fields }: GeneratedHit): Record<string, unknown> {
  const formatted: Record<string, unknown> = { id: fields.id, title: formattedTitle, site: fields.site };
  if (formattedBody !== undefined) formatted["body"] = formattedBody;
  Object.assign(formatted, { summary: fields.summary, stack: fields.stack, reading_time: String(fields.reading_time) });
  return { ...fields, _formatted: formatted };
}

const facetCounts = fc.dictionary(text, fc.nat(), { maxKeys: 4 });

const answer = fc.record({
  hits: fc.array(hit, { maxLength: 6 }),
  query: text,
  totalHits: fc.nat(),
  page: fc.integer({ min: 1, max: 1000 }),
  limit: fc.integer({ min: 1, max: 100 }),
  facets: fc.tuple(...FACETS.map(() => facetCounts)),
});

type GeneratedAnswer = typeof answer extends fc.Arbitrary<infer T> ? T : never;

function meiliAnswer(generated: GeneratedAnswer): Record<string, unknown> {
  const facetDistribution = Object.fromEntries(
    [...FACETS].sort().map((facet) => [facet, generated.facets[FACETS.indexOf(facet)]]),
  );
  return {
    hits: generated.hits.map(meiliHit),
    query: generated.query,
    processingTimeMs: 3,
    hitsPerPage: generated.limit,
    page: generated.page,
    totalPages: Math.ceil(generated.totalHits / generated.limit),
    totalHits: generated.totalHits,
    facetDistribution,
    facetStats: {},
  };
}

function reference(response: Record<string, unknown>, query: { page: number; limit: number }): unknown {
  return toSearchAnswer(response as unknown as SearchResponse<never>, query);
}

describe("spliceSearchAnswer", () => {
  it("gives the answer toSearchAnswer gives, for any hits, text and facet values", () => {
    fc.assert(
      fc.property(answer, (generated) => {
        const response = meiliAnswer(generated);
        const query = { page: generated.page, limit: generated.limit };
        const spliced = spliceSearchAnswer(Buffer.from(JSON.stringify(response)), query);
        expect(spliced, "an answer laid out as Meilisearch writes it is spliced").toBeDefined();
        expect(JSON.parse((spliced as Buffer).toString("utf8"))).toEqual(reference(response, query));
      }),
      { seed: SEED, numRuns: 1_500 },
    );
  });

  it("a hit from a real answer: record id, HTML around <mark>, raw fields kept, _formatted gone", () => {
    const response = {
      hits: [
        {
          id: toDocumentId("a b/c?"),
          title: 'A <b> "x"',
          reading_time: 4,
          _formatted: {
            id: toDocumentId("a b/c?"),
            title: `A ${MARK_OPEN}<b>${MARK_CLOSE} "x"`,
            body: `…${MARK_OPEN}cache${MARK_CLOSE} & 'more'…`,
            reading_time: "4",
          },
        },
      ],
      query: 'cache"',
      processingTimeMs: 1,
      hitsPerPage: 1,
      page: 2,
      totalPages: 7,
      totalHits: 7,
      facetDistribution: {
        code_language: {},
        difficulty: { beginner: 7 },
        scenario: {},
        stack: { '}},{"': 1 },
        tools: {},
      },
      facetStats: {},
    };
    const spliced = JSON.parse(
      (spliceSearchAnswer(Buffer.from(JSON.stringify(response)), { page: 2, limit: 1 }) as Buffer).toString(),
    );
    expect(spliced).toEqual({
      hits: [
        {
          id: "a b/c?",
          title: 'A <b> "x"',
          reading_time: 4,
          title_highlighted: "A <mark>&lt;b&gt;</mark> &quot;x&quot;",
          snippet: "…<mark>cache</mark> &amp; &#39;more&#39;…",
        },
      ],
      total: 7,
      page: 2,
      limit: 1,
      facets: { stack: { '}},{"': 1 }, tools: {}, difficulty: { beginner: 7 }, scenario: {}, code_language: {} },
    });
  });

  it("declines (undefined) what is not laid out as expected, rather than answer wrongly", () => {
    const base = meiliAnswer({
      hits: [
        {
          id: "a",
          title: "t",
          site: "s",
          summary: "",
          stack: [],
          reading_time: 1,
          view_count: 1,
          last_reviewed_at: 1,
          formattedTitle: "t",
          formattedBody: "b",
        },
        {
          id: "b",
          title: "u",
          site: "s",
          summary: "",
          stack: [],
          reading_time: 1,
          view_count: 1,
          last_reviewed_at: 1,
          formattedTitle: "u",
          formattedBody: "c",
        },
      ],
      query: "q",
      totalHits: 2,
      page: 1,
      limit: 10,
      facets: [{}, {}, {}, {}, {}],
    });
    const hits = base["hits"] as Record<string, unknown>[];
    const variants: Record<string, unknown>[] = [
      { ...base, hits: hits.map((one) => ({ ...one, _rankingScore: 0.5 })) },
      { ...base, hits: [hits[0], { ...hits[1], _rankingScore: 0.5 }] },
      { ...base, hits: [{ ...hits[0], _rankingScore: 0.5 }, hits[1]] },
      { ...base, hits: hits.map(({ _formatted, ...fields }) => fields) },
      { ...base, hits: hits.map(({ id: _id, ...fields }) => fields) },
      { ...base, hits: hits.map((one) => ({ ...one, _formatted: { body: "x" } })) },
      { ...base, facetDistribution: { stack: {} } },
      Object.fromEntries(Object.entries(base).filter(([key]) => key !== "facetDistribution")),
      Object.fromEntries(Object.entries(base).filter(([key]) => key !== "totalHits")),
      { query: "q", ...base },
    ];
    for (const variant of variants) {
      const spliced = spliceSearchAnswer(Buffer.from(JSON.stringify(variant)), { page: 1, limit: 10 });
      expect(spliced, JSON.stringify(variant)).toBeUndefined();
    }
    expect(spliceSearchAnswer(Buffer.from("not json"), { page: 1, limit: 10 })).toBeUndefined();
  });
});
