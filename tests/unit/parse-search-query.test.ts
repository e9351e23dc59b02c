import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FACETS } from "../../src/document-types.js";
import { BadRequestError } from "../../src/errors.js";
import { parseSearchQuery, SEARCH_LIMITS, searchQuerySchema } from "../../api/queries.js";
import { parseQueryString } from "../../api/read-query.js";
import { toWellFormedText } from "../../src/text/well-formed.js";
import { hostileText, SEED } from "../helpers/hostile.js";

/** What the zod schema makes of `input`, the way the API reported it before it stopped using zod. */
function throughSchema(input: unknown): { ok: unknown } | { parameter: string; message: string } {
  const result = searchQuerySchema.safeParse(input);
  if (result.success) return { ok: result.data };
  const issue = result.error.issues[0];
  return { parameter: typeof issue?.path[0] === "string" ? issue.path[0] : "query", message: issue?.message ?? "" };
}

function direct(input: unknown): { ok: unknown } | { parameter: string; message: string } {
  try {
    return { ok: parseSearchQuery(input) };
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    return { parameter: error.parameter ?? "", message: error.message };
  }
}

const NAMES = ["q", "page", "limit", "sort", ...FACETS, "unknown", "__proto__"];

/** Values a query string yields, near the limits and past them, plus what an extended parser could hand over. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  hostileText(3),
  fc.constantFrom(
    "",
    " ",
    "0",
    "1",
    "10",
    "100",
    "101",
    "1000",
    "1001",
    "0000007",
    "12345678",
    "1e2",
    "-1",
    " 5",
    "recent",
    " POPULAR ",
    "relevance",
    "newest",
  ),
  fc.integer({ min: 0, max: 1_200 }).map(String),
  fc.constantFrom(
    "x".repeat(SEARCH_LIMITS.maxQueryLength),
    "x".repeat(SEARCH_LIMITS.maxQueryLength + 1),
    "é".repeat(100),
    "é".repeat(101),
    "€".repeat(67),
    "s".repeat(201),
  ),
  fc.array(hostileText(2), { maxLength: 22 }),
  fc.array(fc.constantFrom("Python", " python ", "", "GO\tServices", "go services"), { maxLength: 4 }),
  fc.constantFrom<unknown>({ a: "b" }, ["ok", { a: 1 }], [1, 2], null, 5),
);

describe("parseSearchQuery agrees with searchQuerySchema", () => {
  it("on any set of parameters: the same query, or the same parameter and message", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...NAMES), value, { maxKeys: 6 }), (params) => {
        const input = Object.assign(Object.create(null) as object, params);
        expect(direct(input)).toEqual(throughSchema(input));
      }),
      { seed: SEED, numRuns: 3_000 },
    );
  });

  it("on query strings as the API reads them", () => {
    const pair = fc.tuple(
      fc.constantFrom(...NAMES),
      fc.oneof(
        hostileText(2),
        value.filter((item): item is string => typeof item === "string"),
      ),
    );
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 8 }), (pairs) => {
        const search = pairs.map(([name, text]) => `${name}=${encodeURIComponent(toWellFormedText(text))}`).join("&");
        const input = parseQueryString(search);
        expect(direct(input)).toEqual(throughSchema(input));
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });

  it("on what is not a set of parameters", () => {
    for (const input of [null, undefined, "q=a", 3, ["q"]]) expect(direct(input)).toEqual(throughSchema(input));
  });
});
