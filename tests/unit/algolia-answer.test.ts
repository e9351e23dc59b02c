import { describe, expect, it } from "vitest";
import {
  highlightFacetValue,
  tagsFor,
  toAlgoliaResult,
  type MeiliResult,
  type SearchContext,
} from "../../api/algolia/answer.js";
import { readAlgoliaParams } from "../../api/algolia/params.js";
import { planMultiQuery } from "../../api/algolia/search.js";
import { MARK_CLOSE, MARK_OPEN } from "../../src/search-highlight.js";

/**
 * Meilisearch results → Algolia's answer, on hand-made results: highlights written with the
 * request's tags (HTML-escaped only when the tags are HTML), match levels, the hit fields Meilisearch
 * was not asked for read from `_formatted` without the markers, and facet counts in Algolia's order.
 */

const mark = (word: string): string => `${MARK_OPEN}${word}${MARK_CLOSE}`;

function contextFor(
  request: Record<string, unknown>,
  shape: Partial<SearchContext["shape"]> = {},
  facets: SearchContext["facets"] = [],
): SearchContext {
  return {
    index: "articles",
    params: readAlgoliaParams(request),
    facets,
    shape: { retrieve: ["id", "title"], highlight: ["title"], snippet: [], fromFormatted: [], ...shape },
    relaxed: false,
  };
}

function resultWith(hits: MeiliResult["hits"], facetDistribution?: MeiliResult["facetDistribution"]): MeiliResult {
  return { hits, totalHits: hits.length, totalPages: 1, processingTimeMs: 3, facetDistribution };
}

function firstHit(result: MeiliResult, context: SearchContext): Record<string, unknown> {
  return (toAlgoliaResult(result, context)["hits"] as Record<string, unknown>[])[0] ?? {};
}

describe("highlights", () => {
  const highlightOf = (marked: string, request: Record<string, unknown>) =>
    (
      firstHit(resultWith([{ id: "a", title: "t", _formatted: { title: marked } }]), contextFor(request))[
        "_highlightResult"
      ] as Record<string, unknown>
    )["title"];

  it.each([
    {
      name: "HTML tags: the text around and inside them is escaped",
      marked: `Tom & ${mark("Redis")} <b>`,
      request: { query: "redis", highlightPreTag: "<em>", highlightPostTag: "</em>" },
      expected: {
        value: "Tom &amp; <em>Redis</em> &lt;b&gt;",
        matchLevel: "full",
        matchedWords: ["redis"],
        fullyHighlighted: false,
      },
    },
    {
      name: "InstantSearch's token tags: the text is left as it is (InstantSearch escapes it)",
      marked: `Tom & ${mark("Redis")}`,
      request: { query: "redis", highlightPreTag: "__ais-highlight__", highlightPostTag: "__/ais-highlight__" },
      expected: {
        value: "Tom & __ais-highlight__Redis__/ais-highlight__",
        matchLevel: "full",
        matchedWords: ["redis"],
        fullyHighlighted: false,
      },
    },
    {
      name: "one query word of two matched: partial; a word matched twice counts once",
      marked: `${mark("Cache")} and ${mark("cache")} again`,
      request: { query: "cache redis" },
      expected: {
        value: "<em>Cache</em> and <em>cache</em> again",
        matchLevel: "partial",
        matchedWords: ["cache"],
        fullyHighlighted: false,
      },
    },
    {
      name: "every word highlighted, nothing else: fully highlighted",
      marked: `${mark("redis")} ${mark("cluster")}`,
      request: { query: "redis cluster" },
      expected: {
        value: "<em>redis</em> <em>cluster</em>",
        matchLevel: "full",
        matchedWords: ["redis", "cluster"],
        fullyHighlighted: true,
      },
    },
    {
      name: "no marker: no match",
      marked: "plain <title>",
      request: { query: "redis" },
      expected: { value: "plain &lt;title&gt;", matchLevel: "none", matchedWords: [] },
    },
    {
      name: "a marker opened twice before it closes: each opening starts a match",
      marked: `x${MARK_OPEN}a${MARK_OPEN}b${MARK_CLOSE}c`,
      request: { query: "a b" },
      expected: {
        value: "x<em>a</em><em>b</em>c",
        matchLevel: "full",
        matchedWords: ["a", "b"],
        fullyHighlighted: false,
      },
    },
    {
      name: "a marker never closed: the match runs to the end",
      marked: `see ${MARK_OPEN}redis`,
      request: { query: "redis" },
      expected: { value: "see <em>redis</em>", matchLevel: "full", matchedWords: ["redis"], fullyHighlighted: false },
    },
  ])("$name", ({ marked, request, expected }) => {
    expect(highlightOf(marked, request)).toEqual(expected);
  });
});

describe("hit fields", () => {
  it("a field read from _formatted is the stored value: markers stripped from text and from every list item", () => {
    const context = contextFor(
      { query: "redis" },
      {
        retrieve: ["id", "title", "tools", "site"],
        highlight: ["title", "tools"],
        fromFormatted: ["title", "tools"],
      },
    );
    const hit = firstHit(
      resultWith([
        {
          id: "a1",
          site: "notes",
          _formatted: { id: "a1", site: "notes", title: `Cache & ${mark("Redis")}`, tools: [mark("redis"), "nginx"] },
        },
      ]),
      context,
    );
    expect(hit).toMatchObject({ objectID: "a1", site: "notes", title: "Cache & Redis", tools: ["redis", "nginx"] });
  });

  it("only the fields asked for: a highlighted field that is not retrieved is in _highlightResult only", () => {
    const context = contextFor({ query: "redis" }, { retrieve: ["id", "site"], highlight: ["title"] });
    const hit = firstHit(resultWith([{ id: "a1", site: "notes", _formatted: { title: mark("Redis") } }]), context);
    expect(Object.keys(hit).sort()).toEqual(["_highlightResult", "objectID", "site"]);
  });

  it("a field the document lacks is left out, whether retrieved or read from _formatted", () => {
    const context = contextFor(
      { query: "redis" },
      { retrieve: ["id", "title", "summary"], highlight: ["title"], fromFormatted: ["title"] },
    );
    const hit = firstHit(resultWith([{ id: "a1", _formatted: {} }]), context);
    expect(hit).toEqual({ objectID: "a1", _highlightResult: {} });
  });
});

describe("facet counts", () => {
  const facetsOf = (counts: Record<string, number>, maxValuesPerFacet?: number) =>
    toAlgoliaResult(
      resultWith([], { stack: counts }),
      contextFor({ query: "", ...(maxValuesPerFacet === undefined ? {} : { maxValuesPerFacet }) }, {}, ["stack"]),
    )["facets"] as Record<string, Record<string, number>>;

  it.each<{ name: string; counts: Record<string, number>; max: number | undefined; expected: [string, number][] }>([
    {
      name: "already in order",
      counts: { go: 5, python: 3, rust: 3 },
      max: undefined,
      expected: [
        ["go", 5],
        ["python", 3],
        ["rust", 3],
      ],
    },
    {
      name: "out of order",
      counts: { rust: 3, go: 5, python: 3 },
      max: undefined,
      expected: [
        ["go", 5],
        ["python", 3],
        ["rust", 3],
      ],
    },
    {
      name: "ties by value",
      counts: { rust: 3, python: 3 },
      max: undefined,
      expected: [
        ["python", 3],
        ["rust", 3],
      ],
    },
    {
      name: "cut to maxValuesPerFacet, most frequent kept",
      counts: { go: 5, python: 3, rust: 1 },
      max: 2,
      expected: [
        ["go", 5],
        ["python", 3],
      ],
    },
    { name: "cut when out of order too", counts: { rust: 1, python: 3, go: 5 }, max: 1, expected: [["go", 5]] },
  ])("$name", ({ counts, max, expected }) => {
    expect(Object.entries(facetsOf(counts, max)["stack"] ?? {})).toEqual(expected);
  });

  it("a facet Meilisearch did not count is left out", () => {
    const answer = toAlgoliaResult(resultWith([], {}), contextFor({ query: "" }, {}, ["stack"]));
    expect(answer["facets"]).toEqual({});
  });
});

describe("facet-value highlights", () => {
  it.each([
    {
      tags: { highlightPreTag: "<em>", highlightPostTag: "</em>" },
      expected: "<em>Go</em> &amp; rust, <em>go</em>lang",
    },
    { tags: { highlightPreTag: "[", highlightPostTag: "]" }, expected: "[Go] & rust, [go]lang" },
    { tags: { highlightPreTag: "**", highlightPostTag: "</b>" }, expected: "**Go</b> &amp; rust, **go</b>lang" },
  ])("tags $tags.highlightPreTag…$tags.highlightPostTag", ({ tags, expected }) => {
    expect(highlightFacetValue("Go & rust, golang", "go", tagsFor(readAlgoliaParams({ query: "", ...tags })))).toBe(
      expected,
    );
  });
});

describe("what Meilisearch is asked for", () => {
  const retrievedBy = (request: Record<string, unknown>) => {
    const [planned] = planMultiQuery("articles", { requests: [{ indexName: "articles", query: "redis", ...request }] });
    return planned?.kind === "search" ? planned.plan.meili["attributesToRetrieve"] : undefined;
  };

  it("a highlighted field is not retrieved again; the others are", () => {
    expect(
      retrievedBy({ attributesToRetrieve: ["title", "site", "tools"], attributesToHighlight: ["title", "tools"] }),
    ).toEqual(["id", "site"]);
  });

  it("a field that is also cropped into a snippet is retrieved whole", () => {
    expect(
      retrievedBy({
        attributesToRetrieve: ["title", "summary"],
        attributesToHighlight: ["summary"],
        attributesToSnippet: ["summary:5"],
      }),
    ).toEqual(["id", "title", "summary"]);
  });
});
