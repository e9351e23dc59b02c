import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  filterAllOf,
  filterAnyOf,
  buildFacetFilter,
  entityFilter,
  filterEquals,
  excludeIds,
  filterIn,
  filterNoneOf,
  quoteFilterValue,
} from "../../src/meili/filter.js";

/**
 * Meilisearch's reading of a double-quoted filter value (crates/filter-parser, value.rs): the value
 * ends at the first `"` not preceded by a `\` escape; if it held `\"`, those become `"`; then the
 * remaining escapes are resolved (`\\` → `\`). Returns the value and the rest of the input.
 */
function readQuoted(input: string): { value: string; rest: string } {
  if (!input.startsWith('"')) throw new Error(`not quoted: ${input}`);
  let index = 1;
  let hadEscapedQuote = false;
  while (index < input.length && input[index] !== '"') {
    if (input[index] === "\\") {
      if (index + 1 >= input.length) throw new Error("dangling backslash");
      hadEscapedQuote ||= input[index + 1] === '"';
      index += 2;
    } else {
      index += 1;
    }
  }
  if (index >= input.length) throw new Error("missing closing quote");
  let fragment = input.slice(1, index);
  if (hadEscapedQuote) fragment = fragment.replaceAll('\\"', '"');
  const escapes: Record<string, string> = { "\\": "\\", '"': '"', "'": "'", n: "\n", t: "\t", r: "\r" };
  const value = fragment.replace(/\\(.)/gsu, (_match, next: string) => {
    const resolved = escapes[next];
    if (resolved === undefined) throw new Error(`unexpected escape \\${next}`);
    return resolved;
  });
  return { value, rest: input.slice(index + 1) };
}

type Token = { kind: "string"; value: string } | { kind: "word"; value: string } | { kind: "symbol"; value: string };

/** Split a filter expression into tokens the way the filter grammar does, quoted values as one token. */
function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let rest = expression;
  while (rest.length > 0) {
    const space = /^\s+/u.exec(rest);
    if (space) {
      rest = rest.slice(space[0].length);
      continue;
    }
    if (rest.startsWith('"')) {
      const { value, rest: after } = readQuoted(rest);
      tokens.push({ kind: "string", value });
      rest = after;
      continue;
    }
    const symbol = /^(!=|=|\(|\)|\[|\]|,)/u.exec(rest);
    if (symbol) {
      tokens.push({ kind: "symbol", value: symbol[0] });
      rest = rest.slice(symbol[0].length);
      continue;
    }
    const word = /^[\p{L}\p{N}_.-]+/u.exec(rest);
    if (!word) throw new Error(`unexpected input at ${rest}`);
    tokens.push({ kind: "word", value: word[0] });
    rest = rest.slice(word[0].length);
  }
  return tokens;
}

const str = (value: string): Token => ({ kind: "string", value });
const word = (value: string): Token => ({ kind: "word", value });
const sym = (value: string): Token => ({ kind: "symbol", value });

describe("quoteFilterValue()", () => {
  it.each([
    ["python", '"python"'],
    ["", '""'],
    ["python services", '"python services"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["C:\\path\\to", '"C:\\\\path\\\\to"'],
    ["ends with \\", '"ends with \\\\"'],
    ['\\"', '"\\\\\\""'],
    ['"\\', '"\\"\\\\"'],
    ["it's", '"it\'s"'],
    ["a OR b", '"a OR b"'],
    ["a AND b", '"a AND b"'],
    ["x) OR (id = y", '"x) OR (id = y"'],
    ["stack = other", '"stack = other"'],
    ["line one\nline two", '"line one\nline two"'],
  ])("quotes %j as %s", (value, expected) => {
    expect(quoteFilterValue(value)).toBe(expected);
  });

  it("escapes backslashes before quotes (a value ending in a backslash keeps its closing quote)", () => {
    expect(readQuoted(quoteFilterValue("a\\")).value).toBe("a\\");
    expect(readQuoted(quoteFilterValue("a\\")).rest).toBe("");
  });

  it.each([
    'say "hi"',
    "back\\slash",
    '\\" OR id = "x',
    '"\\"\\\\',
    "x) OR (id = y",
    "tab\tand\nnewline\r",
    "Ünïcödé ✓ 🦀",
    "\\n is not a newline",
  ])("round-trips %j through Meilisearch's reading of quoted values", (value) => {
    expect(readQuoted(quoteFilterValue(value))).toEqual({ value, rest: "" });
  });

  it("round-trips any string, and the quoted value always ends where the quoting ends", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme-composite", maxLength: 40 }),
        fc.string({ maxLength: 10 }),
        (value, tail) => {
          const { value: read, rest } = readQuoted(quoteFilterValue(value) + tail);
          expect(read).toBe(value);
          expect(rest).toBe(tail);
        },
      ),
      { numRuns: 500, seed: 5 },
    );
  });

  it("round-trips strings made only of quotes, backslashes and filter syntax", () => {
    const nasty = fc.string({
      unit: fc.constantFrom('"', "\\", "'", " ", "(", ")", "=", "O", "R", "\n"),
      maxLength: 30,
    });
    fc.assert(
      fc.property(nasty, (value) => {
        expect(readQuoted(quoteFilterValue(value))).toEqual({ value, rest: "" });
      }),
      { numRuns: 500, seed: 6 },
    );
  });
});

describe("clause builders", () => {
  it("filterEquals() quotes the value", () => {
    expect(filterEquals("stack", 'a "b"')).toBe('stack = "a \\"b\\""');
  });

  it("filterAnyOf() is one condition for one value and a parenthesised OR group for several", () => {
    expect(filterAnyOf("stack", ["a"])).toBe('stack = "a"');
    expect(filterAnyOf("stack", ["a", "b"])).toBe('(stack = "a" OR stack = "b")');
    expect(filterAnyOf("stack", [])).toBeUndefined();
  });

  it("filterAnyOf() drops duplicate values, keeping first-seen order", () => {
    expect(filterAnyOf("tools", ["b", "a", "b"])).toBe('(tools = "b" OR tools = "a")');
  });

  it("filterIn() writes IN [...] with every value quoted", () => {
    expect(filterIn("entity_keys", ["stack:python", 'problem:a "b", c'])).toBe(
      'entity_keys IN ["stack:python", "problem:a \\"b\\", c"]',
    );
    expect(filterIn("entity_keys", [])).toBeUndefined();
  });

  it("filterNoneOf() uses != for one value and NOT IN for several", () => {
    expect(filterNoneOf("id", ["x"])).toBe('id != "x"');
    expect(filterNoneOf("id", ["x", "y", "x"])).toBe('id NOT IN ["x", "y"]');
    expect(filterNoneOf("id", [])).toBeUndefined();
  });

  it("filterAllOf() joins with AND and skips missing clauses", () => {
    expect(filterAllOf(filterEquals("stack", "a"), undefined, filterEquals("tools", "b"))).toBe(
      'stack = "a" AND tools = "b"',
    );
    expect(filterAllOf(undefined, filterEquals("stack", "a"))).toBe('stack = "a"');
    expect(filterAllOf()).toBeUndefined();
    expect(filterAllOf(undefined, undefined)).toBeUndefined();
  });
});

describe("buildFacetFilter()", () => {
  it("ORs values within a facet and ANDs facets", () => {
    expect(buildFacetFilter({ stack: ["a", "b"], tools: ["c"] })).toBe('(stack = "a" OR stack = "b") AND tools = "c"');
  });

  it("orders facets as FACETS does, whatever the order of the selection's keys", () => {
    const filter = buildFacetFilter({
      code_language: ["python"],
      scenario: ["behind a cdn"],
      difficulty: ["beginner"],
      tools: ["git"],
      stack: ["backend"],
    });
    expect(filter).toBe(
      'stack = "backend" AND tools = "git" AND difficulty = "beginner" AND scenario = "behind a cdn" AND code_language = "python"',
    );
  });

  it("is undefined when nothing is selected (no filter at all)", () => {
    expect(buildFacetFilter({})).toBeUndefined();
    expect(buildFacetFilter({ stack: [], tools: [] })).toBeUndefined();
  });

  it("skips empty facets", () => {
    expect(buildFacetFilter({ stack: [], tools: ["git"] })).toBe('tools = "git"');
  });

  it("ANDs extra clauses after the facets", () => {
    expect(buildFacetFilter({ stack: ["a"] }, [excludeIds(["self"])])).toBe('stack = "a" AND id != "self"');
    expect(buildFacetFilter({}, [excludeIds(["self"]), undefined])).toBe('id != "self"');
  });

  it("keeps filter syntax inside values from becoming conditions", () => {
    const hostile = ['x" OR id = "y', "a) OR (tools = b", "AND", '\\" OR \\"', "one\ntwo"];
    const tokens = tokenize(buildFacetFilter({ stack: hostile, tools: ["git"] }) as string);
    expect(tokens).toEqual([
      sym("("),
      ...hostile.flatMap((value, index) => [...(index > 0 ? [word("OR")] : []), word("stack"), sym("="), str(value)]),
      sym(")"),
      word("AND"),
      word("tools"),
      sym("="),
      str("git"),
    ]);
  });

  it("always yields one condition per selected value, whatever the values hold", () => {
    const value = fc.string({
      unit: fc.constantFrom('"', "\\", "'", " ", "(", ")", "=", "OR", "AND", "\n", "a"),
      maxLength: 12,
    });
    fc.assert(
      fc.property(fc.uniqueArray(value, { maxLength: 4 }), fc.uniqueArray(value, { maxLength: 4 }), (stack, tools) => {
        const filter = buildFacetFilter({ stack, tools });
        // No value selected: no filter at all (and so no condition).
        expect(filter === undefined, String(filter)).toBe(stack.length + tools.length === 0);
        const strings = tokenize(filter ?? "").filter((token) => token.kind === "string");
        expect(strings.map((token) => token.value)).toEqual([...stack, ...tools]);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe("related-retrieval helpers", () => {
  it("entityFilter() matches any of the entity keys", () => {
    expect(entityFilter(["problem:slow builds", "area:backend"])).toBe(
      'entity_keys IN ["problem:slow builds", "area:backend"]',
    );
    expect(entityFilter([])).toBeUndefined();
  });

  it("excludeIds() excludes one or several ids", () => {
    expect(excludeIds(["alphanode-000504"])).toBe('id != "alphanode-000504"');
    expect(excludeIds(["a", "b"])).toBe('id NOT IN ["a", "b"]');
    expect(excludeIds([])).toBeUndefined();
  });

  it("tokenizes an IN list with hostile keys into exactly those values", () => {
    const keys = ['tool:a", "b', "area:]", "stack:x\\"];
    const tokens = tokenize(entityFilter(keys) as string);
    expect(tokens).toEqual([
      word("entity_keys"),
      word("IN"),
      sym("["),
      str(keys[0]!),
      sym(","),
      str(keys[1]!),
      sym(","),
      str(keys[2]!),
      sym("]"),
    ]);
  });
});
