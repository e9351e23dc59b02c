import { describe, expect, test } from "vitest";
import { parseSearchQuery } from "../../api/queries.js";
import { searchRequestFor } from "../../src/index.js";
import type { SearchResponse } from "../../src/meili/client.js";
import { highlightToHtml } from "../../src/search-highlight.js";
import { toSearchAnswer } from "../../src/search-posts.js";

describe("search answers", () => {
  const request = searchRequestFor(parseSearchQuery({ q: "cache" }));

  test("highlights become <mark> around HTML-escaped text", () => {
    const text = `${request.highlightPreTag}Cache${request.highlightPostTag} <b>"bold"</b> & 'x'`;
    expect(highlightToHtml(text)).toBe("<mark>Cache</mark> &lt;b&gt;&quot;bold&quot;&lt;/b&gt; &amp; &#39;x&#39;");
  });

  test("a Meilisearch answer maps to record ids, highlighted title, snippet and every facet", () => {
    const response = {
      hits: [
        {
          id: "b64_YSBi",
          title: "A <b>",
          body: "whole body",
          stack: ["x"],
          _formatted: { title: `A ${request.highlightPreTag}<b>${request.highlightPostTag}`, body: "…cropped…" },
        },
      ],
      totalHits: 7,
      facetDistribution: { stack: { x: 7 } },
    } as unknown as SearchResponse<never>;
    const answer = toSearchAnswer(response, { page: 2, limit: 1 });
    expect(answer).toMatchObject({ total: 7, page: 2, limit: 1 });
    expect(answer.hits[0]).toEqual({
      id: "a b",
      title: "A <b>",
      stack: ["x"],
      title_highlighted: "A <mark>&lt;b&gt;</mark>",
      snippet: "…cropped…",
    });
    expect(answer.facets).toEqual({ stack: { x: 7 }, tools: {}, difficulty: {}, scenario: {}, code_language: {} });
  });
});
