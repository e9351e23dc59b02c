import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toAlgoliaResult, type MeiliResult, type SearchContext } from "../../api/algolia/answer.js";
import { resultsOf, spliceAlgoliaResult, writeAlgoliaResult } from "../../api/algolia/answer-bytes.js";
import { planMultiQuery } from "../../api/algolia/search.js";
import { toDocumentId } from "../../src/document-id.js";
import { ByteWriter } from "../../src/json-bytes.js";
import { MARK_CLOSE, MARK_OPEN } from "../../src/search-highlight.js";
import { highlightedText } from "../helpers/highlighted-text.js";
import { SEED } from "../helpers/hostile.js";

/**
 * The Algolia answer written from Meilisearch's bytes against `toAlgoliaResult` on the parsed
 * result (the reference, whose own cases are in algolia-answer.test.ts): the same value for any
 * hits, text, tags and fields asked for. Meilisearch's answers are written by serde_json;
 * `JSON.stringify` writes the same compact form with the same escapes, so results built here and
 * stringified stand for real ones (tests/integration drive the route against a real Meilisearch).
 */

const text = highlightedText;
const list = fc.array(text, { maxLength: 4 });
/** A field's value as a hit may carry it: mostly text, sometimes a list, null, a number or an object. */
const anyValue = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 2, arbitrary: list },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.record({ note: text }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(text, fc.integer(), fc.record({ x: text })), { maxLength: 3 }) },
);

const TEXT_FIELDS = ["title", "topic", "summary", "intro", "site", "body", "difficulty", "scenario", "code_language"];
const LIST_FIELDS = ["stack", "tools"];
const NUMBER_FIELDS = ["reading_time", "view_count", "last_reviewed_at"];

const recordId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
  text.filter((value) => value.length > 0),
);

/** A hit: the retrieved fields (some missing), then `_formatted` (highlighted text, numbers as strings). */
const hit = fc
  .record({
    id: recordId.map(toDocumentId),
    fields: fc.dictionary(fc.constantFrom(...TEXT_FIELDS, ...LIST_FIELDS), anyValue, { maxKeys: 6 }),
    numbers: fc.dictionary(fc.constantFrom(...NUMBER_FIELDS), fc.nat()),
    formatted: fc.dictionary(fc.constantFrom(...TEXT_FIELDS, ...LIST_FIELDS), anyValue, { maxKeys: 8 }),
    formattedShape: fc.constantFrom("object", "object", "object", "missing", "null"),
    extra: fc.option(fc.record({ __proto__x: text, 'é"key': list }), { nil: undefined }),
  })
  .map(({ id, fields, numbers, formatted, formattedShape, extra }) => {
    const hitFields: Record<string, unknown> = { id, ...fields, ...numbers, ...extra };
    if (formattedShape === "null") hitFields["_formatted"] = null;
    if (formattedShape === "object") {
      const strings = Object.fromEntries(Object.entries(numbers).map(([key, value]) => [key, String(value)]));
      hitFields["_formatted"] = { id, ...formatted, ...strings };
    }
    return hitFields;
  });

const subset = (names: readonly string[]) =>
  fc.option(fc.subarray([...names, "*", "unknown"], { maxLength: 5 }), { nil: undefined });

/** An Algolia request's parameters, as InstantSearch and other clients send them. */
const request = fc.record({
  indexName: fc.constant("articles"),
  query: fc.oneof(fc.constant(""), fc.constantFrom("redis cache", "x", "Über naïve", "a a b"), text),
  hitsPerPage: fc.integer({ min: 0, max: 40 }),
  page: fc.nat(5),
  tags: fc.constantFrom(
    ["<em>", "</em>"],
    ["__ais-highlight__", "__/ais-highlight__"],
    ['"', "\\"],
    ["\u2026[", "]\u{1f600}"],
  ),
  attributesToRetrieve: subset([...TEXT_FIELDS, ...LIST_FIELDS, ...NUMBER_FIELDS, "id"]),
  attributesToHighlight: subset([...TEXT_FIELDS, ...LIST_FIELDS]),
  attributesToSnippet: fc.option(fc.subarray(["body:5", "summary", "intro:2", "title:9"]), { nil: undefined }),
  facets: fc.subarray(["stack", "tools", "difficulty", "*"]),
  maxValuesPerFacet: fc.integer({ min: 1, max: 4 }),
});

type GeneratedRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

function contextOf({ tags, ...params }: GeneratedRequest, relaxed: boolean): SearchContext {
  const body = { requests: [{ ...params, highlightPreTag: tags[0], highlightPostTag: tags[1] }] };
  const [planned] = planMultiQuery("articles", body);
  if (planned?.kind !== "search") throw new Error("not a search");
  return { ...planned.plan.context, relaxed };
}

const facetCounts = fc.dictionary(text, fc.nat(50), { maxKeys: 5 });

const result = fc.record({
  indexUid: fc.constant("articles"),
  hits: fc.array(hit, { maxLength: 5 }),
  query: text,
  processingTimeMs: fc.nat(20),
  hitsPerPage: fc.nat(40),
  page: fc.nat(5),
  totalPages: fc.option(fc.nat(9), { nil: undefined }),
  totalHits: fc.option(fc.nat(99), { nil: undefined }),
  estimatedTotalHits: fc.option(fc.nat(99), { nil: undefined }),
  facetDistribution: fc.option(fc.record({ stack: facetCounts, tools: facetCounts, difficulty: facetCounts }), {
    nil: undefined,
  }),
  facetStats: fc.constant({}),
});

/** What `writeAlgoliaResult` writes for `bytes` (one result), parsed back. */
function written(bytes: Buffer, context: SearchContext): unknown {
  const out = new ByteWriter(16);
  writeAlgoliaResult(out, { bytes, start: 0, end: bytes.length }, context);
  return JSON.parse(out.written().toString("utf8"));
}

function reference(meili: unknown, context: SearchContext): unknown {
  // Through JSON, as a client reads it (`undefined` fields dropped).
  return JSON.parse(JSON.stringify(toAlgoliaResult(meili as MeiliResult, context)));
}

describe("writeAlgoliaResult", () => {
  it("writes what toAlgoliaResult gives, from the bytes, for any hits, text, tags and fields asked for", () => {
    fc.assert(
      fc.property(result, request, fc.boolean(), (meili, params, relaxed) => {
        const context = contextOf(params, relaxed);
        const bytes = Buffer.from(JSON.stringify(meili), "utf8");
        const out = new ByteWriter(16);
        expect(spliceAlgoliaResult(out, { bytes, start: 0, end: bytes.length }, context), "spliced").toBe(true);
        expect(JSON.parse(out.written().toString("utf8"))).toEqual(reference(meili, context));
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it("gives the same answer for a result not laid out as compact JSON (parsed instead)", () => {
    fc.assert(
      fc.property(result, request, (meili, params) => {
        const context = contextOf(params, false);
        const pretty = Buffer.from(JSON.stringify(meili, null, 1), "utf8");
        expect(written(pretty, context)).toEqual(reference(meili, context));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("a hit from a real answer: HTML tags, entities, matched words, the record id, fields unmarked", () => {
    const meili = {
      indexUid: "articles",
      hits: [
        {
          id: toDocumentId("a b/c?"),
          reading_time: 4,
          _formatted: {
            id: toDocumentId("a b/c?"),
            title: `Tom & ${MARK_OPEN}Redis${MARK_CLOSE} "<b>"`,
            stack: [`${MARK_OPEN}redis${MARK_CLOSE}`, "go"],
            body: `…${MARK_OPEN}cache${MARK_CLOSE}\nmore…`,
            reading_time: "4",
          },
        },
      ],
      query: "redis",
      processingTimeMs: 2,
      hitsPerPage: 20,
      page: 1,
      totalPages: 1,
      totalHits: 1,
      facetDistribution: { stack: { redis: 1, go: 1 } },
      facetStats: {},
    };
    const context = contextOf(
      {
        indexName: "articles",
        query: "redis cache",
        hitsPerPage: 20,
        page: 0,
        tags: ["<em>", "</em>"],
        attributesToRetrieve: ["title", "stack", "reading_time"],
        attributesToHighlight: ["title", "stack"],
        attributesToSnippet: ["body:3"],
        facets: ["stack"],
        maxValuesPerFacet: 10,
      },
      false,
    );
    const answer = written(Buffer.from(JSON.stringify(meili)), context) as { hits: unknown[] };
    expect(answer.hits).toEqual([
      {
        title: 'Tom & Redis "<b>"',
        stack: ["redis", "go"],
        reading_time: 4,
        objectID: "a b/c?",
        _highlightResult: {
          title: {
            value: "Tom &amp; <em>Redis</em> &quot;&lt;b&gt;&quot;",
            matchLevel: "partial",
            matchedWords: ["redis"],
            fullyHighlighted: false,
          },
          stack: [
            { value: "<em>redis</em>", matchLevel: "partial", matchedWords: ["redis"], fullyHighlighted: true },
            { value: "go", matchLevel: "none", matchedWords: [] },
          ],
        },
        _snippetResult: { body: { value: "…<em>cache</em>\nmore…", matchLevel: "partial" } },
      },
    ]);
    expect(answer).toMatchObject({ nbHits: 1, page: 0, nbPages: 1, facets: { stack: { redis: 1, go: 1 } } });
  });

  it("facet counts as Meilisearch sorts them (ties not by value): most frequent first, ties by value, cut to maxValuesPerFacet", () => {
    const meili = {
      indexUid: "articles",
      hits: [],
      query: "",
      processingTimeMs: 1,
      hitsPerPage: 0,
      page: 1,
      totalHits: 40,
      facetDistribution: {
        scenario: { "with a small team": 148, "under heavy load": 148, "behind a cdn": 186, "in kubernetes": 136 },
        difficulty: { beginner: 9, advanced: 4 },
      },
      facetStats: {},
    };
    const context = contextOf(
      {
        indexName: "articles",
        query: "",
        hitsPerPage: 0,
        page: 0,
        tags: ["<em>", "</em>"],
        attributesToRetrieve: undefined,
        attributesToHighlight: undefined,
        attributesToSnippet: undefined,
        facets: ["*"],
        maxValuesPerFacet: 3,
      },
      false,
    );
    const bytes = Buffer.from(JSON.stringify(meili));
    const out = new ByteWriter(16);
    expect(spliceAlgoliaResult(out, { bytes, start: 0, end: bytes.length }, context), "spliced").toBe(true);
    const { facets } = JSON.parse(out.written().toString("utf8")) as { facets: Record<string, Record<string, number>> };
    expect(Object.entries(facets["scenario"] ?? {})).toEqual([
      ["behind a cdn", 186],
      ["under heavy load", 148],
      ["with a small team", 148],
    ]);
    expect(Object.entries(facets["difficulty"] ?? {})).toEqual([
      ["beginner", 9],
      ["advanced", 4],
    ]);
  });
});

describe("resultsOf", () => {
  it("finds each result of a multi-search answer, the hits of each read to their end", () => {
    fc.assert(
      fc.property(fc.array(result, { maxLength: 3 }), (results) => {
        const bytes = Buffer.from(JSON.stringify({ results }), "utf8");
        const found = resultsOf(bytes);
        expect(found?.map(({ start, end }) => JSON.parse(bytes.toString("utf8", start, end)))).toEqual(
          JSON.parse(JSON.stringify(results)),
        );
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("declines an answer that is not a compact multi-search answer", () => {
    expect(resultsOf(Buffer.from('{ "results": [] }'))).toBeUndefined();
    expect(resultsOf(Buffer.from('{"results":[{"hits":[]}]'))).toBeUndefined();
    expect(resultsOf(Buffer.from('{"results":[{"hits":[]}]}x'))).toBeUndefined();
    expect(resultsOf(Buffer.from('{"results":[]}'))).toEqual([]);
  });
});
