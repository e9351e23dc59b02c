import { describe, expect, it } from "vitest";
import { FACETS } from "../../src/document-types.js";
import { BadRequestError } from "../../src/errors.js";
import { parseSearchQuery, SEARCH_LIMITS, searchQuerySchema } from "../../api/queries.js";
import { parseQueryString } from "../../api/read-query.js";
import { SEARCH_HIT_ATTRIBUTES, toMeiliSearchRequest } from "../../src/search-query.js";
import { normaliseFacetValue } from "../../src/text/normalise-facet-value.js";

function badRequest(input: unknown): BadRequestError {
  try {
    parseSearchQuery(input);
  } catch (error) {
    if (error instanceof BadRequestError) return error;
    throw error;
  }
  throw new Error(`expected a bad request for ${JSON.stringify(input)}`);
}

describe("normaliseFacetValue()", () => {
  it.each([
    ["python", "python"],
    ["  Python Services  ", "python services"],
    ["python\t\tservices", "python services"],
    ["python\r\n services", "python services"],
    ["python\u00a0services", "python services"],
    ["python\u3000\u2003services", "python services"],
    ["\u2028backend\u2029", "backend"],
    ["ÉCOLE Ça", "école ça"],
    ["   ", ""],
    ["", ""],
    ['a "quoted" VALUE', 'a "quoted" value'],
  ])("%j → %j", (input, expected) => {
    expect(normaliseFacetValue(input)).toBe(expected);
  });

  it("is idempotent", () => {
    for (const value of ["  A  b ", "x\u00a0\u00a0Y", "ÄÖ"]) {
      expect(normaliseFacetValue(normaliseFacetValue(value))).toBe(normaliseFacetValue(value));
    }
  });
});

describe("parseQueryString()", () => {
  it("decodes names and values, + as space, repeats as arrays", () => {
    const params = parseQueryString("?q=slow+builds&stack=a&stack=b%20c&limit=5");
    expect({ ...params }).toEqual({ q: "slow builds", stack: ["a", "b c"], limit: "5" });
  });

  it("keeps a third repeat in the same array", () => {
    expect(parseQueryString("tools=a&tools=b&tools=c").tools).toEqual(["a", "b", "c"]);
  });

  it("skips empty segments and reads a bare name as an empty value", () => {
    expect({ ...parseQueryString("a=1&&b&") }).toEqual({ a: "1", b: "" });
    expect({ ...parseQueryString("") }).toEqual({});
  });

  it("decodes multi-byte UTF-8", () => {
    expect(parseQueryString("q=%E2%82%AC%20caf%C3%A9").q).toBe("€ café");
  });

  it.each([
    ["q=%zz", "q"],
    ["q=100%", "q"],
    ["stack=ok&tools=%E2%82", "tools"],
    ["limit=%ff", "limit"],
    ["%zz=1", "%zz"],
  ])("rejects the malformed escape in %j, naming %s", (search, parameter) => {
    let caught: unknown;
    try {
      parseQueryString(search);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BadRequestError);
    expect((caught as BadRequestError).parameter).toBe(parameter);
    expect((caught as BadRequestError).message).toContain(parameter);
    expect((caught as BadRequestError).message).toContain("percent");
  });

  it("treats __proto__ as an ordinary parameter", () => {
    const params = parseQueryString("__proto__=x&q=a");
    expect(params.q).toBe("a");
    expect(Object.getPrototypeOf(params)).toBeNull();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe("searchQuerySchema", () => {
  it("fills in the defaults", () => {
    expect(parseSearchQuery({})).toEqual({
      q: "",
      page: 1,
      limit: 10,
      sort: "relevance",
      filters: { stack: [], tools: [], difficulty: [], scenario: [], code_language: [] },
    });
  });

  it("reads every parameter", () => {
    const query = parseSearchQuery({
      q: "  flaky tests ",
      page: "3",
      limit: "25",
      sort: "recent",
      stack: ["Python Services", "backend"],
      tools: "Pytest",
      difficulty: "Beginner",
      scenario: "Behind  a CDN",
      code_language: "Python",
    });
    expect(query).toEqual({
      q: "flaky tests",
      page: 3,
      limit: 25,
      sort: "recent",
      filters: {
        stack: ["python services", "backend"],
        tools: ["pytest"],
        difficulty: ["beginner"],
        scenario: ["behind a cdn"],
        code_language: ["python"],
      },
    });
  });

  it.each([
    ["1", 1],
    ["100", 100],
    ["010", 10],
  ])("accepts limit=%s", (limit, expected) => {
    expect(parseSearchQuery({ limit }).limit).toBe(expected);
  });

  it.each([
    ["relevance", "relevance"],
    ["recent", "recent"],
    ["popular", "popular"],
    [" Popular ", "popular"],
    ["RECENT", "recent"],
  ])("accepts sort=%j as %s", (sort, expected) => {
    expect(parseSearchQuery({ sort }).sort).toBe(expected);
  });

  it("accepts a q of exactly the maximum length", () => {
    const q = "a".repeat(SEARCH_LIMITS.maxQueryLength);
    expect(parseSearchQuery({ q }).q).toBe(q);
  });

  it("accepts the maximum number of values per facet", () => {
    const tools = Array.from({ length: SEARCH_LIMITS.maxValuesPerFacet }, (_, index) => `tool ${index}`);
    expect(parseSearchQuery({ tools }).filters.tools).toHaveLength(SEARCH_LIMITS.maxValuesPerFacet);
  });

  it("normalises facet values like records, drops empty ones and merges duplicates", () => {
    const query = parseSearchQuery({
      stack: ["  Python ", "python", "", "   ", "PYTHON\tServices", "python services"],
    });
    expect(query.filters.stack).toEqual(["python", "python services"]);
  });

  it("keeps filter syntax in facet values as plain text", () => {
    const query = parseSearchQuery({ stack: 'x" OR id = "y', tools: "a) OR (b" });
    expect(query.filters.stack).toEqual(['x" or id = "y']);
    expect(query.filters.tools).toEqual(["a) or (b"]);
  });

  it("ignores unknown parameters", () => {
    expect(parseSearchQuery({ _: "123", utm_source: "x", stacks: "typo" })).toEqual(parseSearchQuery({}));
  });

  it("produces issues whose path is the parameter", () => {
    const result = searchQuerySchema.safeParse({ limit: "abc", sort: "newest" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([["limit"], ["sort"]]);
  });

  const longQ = "x".repeat(10_000);
  it.each<[string, Record<string, unknown>, string]>([
    ["a non-numeric limit", { limit: "abc" }, "limit"],
    ["limit 0", { limit: "0" }, "limit"],
    ["limit 101", { limit: "101" }, "limit"],
    ["a negative limit", { limit: "-1" }, "limit"],
    ["a fractional limit", { limit: "1.5" }, "limit"],
    ["an exponent limit", { limit: "1e2" }, "limit"],
    ["an empty limit", { limit: "" }, "limit"],
    ["a padded limit", { limit: " 10" }, "limit"],
    ["a huge limit", { limit: "99999999999999999999" }, "limit"],
    ["a repeated limit", { limit: ["10", "20"] }, "limit"],
    ["page 0", { page: "0" }, "page"],
    ["a non-numeric page", { page: "two" }, "page"],
    ["a page past the maximum", { page: String(SEARCH_LIMITS.maxPage + 1) }, "page"],
    ["an empty page", { page: "" }, "page"],
    ["an unknown sort", { sort: "newest" }, "sort"],
    ["an empty sort", { sort: "" }, "sort"],
    ["a repeated sort", { sort: ["recent", "popular"] }, "sort"],
    ["a 10,000-character q", { q: longQ }, "q"],
    ["a q one past the maximum", { q: "x".repeat(SEARCH_LIMITS.maxQueryLength + 1) }, "q"],
    ["a repeated q", { q: ["a", "b"] }, "q"],
    ["a nested q (extended query parser)", { q: { a: "b" } }, "q"],
    [
      "too many stack values",
      { stack: Array.from({ length: SEARCH_LIMITS.maxValuesPerFacet + 1 }, (_, i) => `s${i}`) },
      "stack",
    ],
    ["a too-long tools value", { tools: "t".repeat(SEARCH_LIMITS.maxFacetValueLength + 1) }, "tools"],
    [
      "a stack value short in characters but too long in bytes",
      { stack: "é".repeat(SEARCH_LIMITS.maxFacetValueLength / 2 + 1) },
      "stack",
    ],
    ["a nested difficulty", { difficulty: { $ne: "x" } }, "difficulty"],
    ["a nested scenario value", { scenario: ["ok", { a: 1 }] }, "scenario"],
    ["a too-long code_language among good ones", { code_language: ["python", "c".repeat(500)] }, "code_language"],
  ])("rejects %s with a 400 naming the parameter", (_label, input, parameter) => {
    const error = badRequest(input);
    expect(error.code).toBe("bad_request");
    expect(error.parameter).toBe(parameter);
    expect(error.message.startsWith(parameter)).toBe(true);
  });

  it("does not echo a huge value back in full", () => {
    expect(badRequest({ sort: "z".repeat(5000) }).message.length).toBeLessThan(200);
    expect(badRequest({ q: longQ }).message).toContain("10000");
  });

  it("names the query itself when it is not a set of parameters", () => {
    expect(badRequest(null).parameter).toBe("query");
    expect(badRequest("q=a").parameter).toBe("query");
  });

  it("reports the first bad parameter when several are bad", () => {
    expect(badRequest({ q: longQ, limit: "x" }).parameter).toBe("q");
  });

  it("works on a raw query string end to end", () => {
    const query = parseSearchQuery(
      parseQueryString("q=cache+rules&stack=Backend&stack=Python%20Services&limit=5&sort=popular"),
    );
    expect(query).toMatchObject({
      q: "cache rules",
      limit: 5,
      sort: "popular",
      filters: { stack: ["backend", "python services"] },
    });
  });
});

describe("toMeiliSearchRequest()", () => {
  it("sends a relevance search without filter or sort by default", () => {
    const request = toMeiliSearchRequest(parseSearchQuery({ q: "caching" }));
    expect(request).toEqual({
      q: "caching",
      page: 1,
      hitsPerPage: 10,
      facets: [...FACETS],
      attributesToRetrieve: [...SEARCH_HIT_ATTRIBUTES],
      attributesToHighlight: ["title", "body"],
      attributesToCrop: ["body"],
      cropLength: 30,
      cropMarker: "…",
      highlightPreTag: "<mark>",
      highlightPostTag: "</mark>",
    });
    expect("filter" in request).toBe(false);
    expect("sort" in request).toBe(false);
  });

  it.each([
    ["recent", ["last_reviewed_at:desc"]],
    ["popular", ["view_count:desc"]],
  ])("maps sort=%s to %j", (sort, expected) => {
    expect(toMeiliSearchRequest(parseSearchQuery({ sort })).sort).toEqual(expected);
  });

  it("maps page and limit to page and hitsPerPage", () => {
    const request = toMeiliSearchRequest(parseSearchQuery({ page: "4", limit: "20" }));
    expect(request).toMatchObject({ page: 4, hitsPerPage: 20 });
  });

  it("builds the facet filter from normalised values", () => {
    const request = toMeiliSearchRequest(
      parseSearchQuery({ stack: ["Backend", "Python"], tools: "Git", difficulty: "Beginner" }),
    );
    expect(request.filter).toBe(
      '(stack = "backend" OR stack = "python") AND tools = "git" AND difficulty = "beginner"',
    );
  });

  it("quotes hostile values instead of interpreting them", () => {
    const request = toMeiliSearchRequest(
      parseSearchQuery(parseQueryString("stack=x%22%20OR%20id%20%3D%20%22y&tools=a%5C")),
    );
    expect(request.filter).toBe('stack = "x\\" or id = \\"y" AND tools = "a\\\\"');
  });

  it("never retrieves the whole body, only its cropped snippet", () => {
    const request = toMeiliSearchRequest(parseSearchQuery({}));
    expect(request.attributesToRetrieve).not.toContain("body");
    expect(request.attributesToRetrieve).not.toContain("*");
    expect(request.attributesToRetrieve).toContain("id");
    expect(request.attributesToRetrieve).toContain("title");
    expect(request.attributesToCrop).toEqual(["body"]);
  });

  it("returns fresh arrays (callers may mutate them)", () => {
    const first = toMeiliSearchRequest(parseSearchQuery({ sort: "recent" }));
    first.sort?.push("x");
    first.facets.pop();
    const second = toMeiliSearchRequest(parseSearchQuery({ sort: "recent" }));
    expect(second.sort).toEqual(["last_reviewed_at:desc"]);
    expect(second.facets).toEqual([...FACETS]);
  });
});
