import fc from "fast-check";

/** Every property-based test runs from this seed, so a failure reproduces. */
export const SEED = 20_251_125;

/**
 * Pieces hostile text is made of: Meilisearch filter syntax (quotes, escapes, operators, `IN […]`,
 * `TO`, `_geo…`), JSON and Python-list punctuation, list and key-value markers the normaliser
 * reads, control characters, line and paragraph separators, lone UTF-16 surrogates, a BOM,
 * zero-width and bidi characters, combining marks, astral characters, prototype keys.
 */
export const HOSTILE_PIECES: readonly string[] = [
  '"',
  "\\",
  "'",
  "`",
  " ",
  "  ",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ";",
  ":",
  "=",
  "!=",
  "<",
  ">=",
  "!",
  "OR",
  "AND",
  "NOT",
  "IN",
  "TO",
  "EXISTS",
  "IS NULL",
  "IS EMPTY",
  "_geoRadius(0, 0, 1)",
  "_geoBoundingBox([1, 2], [3, 4])",
  'x" OR id != "',
  '" OR "" = "',
  '\\"',
  "\\\\",
  "%",
  "%25",
  "&",
  "+",
  "#",
  "?",
  "/",
  "*",
  "\u0000",
  "\u0001",
  "\u0008",
  "\t",
  "\n",
  "\r\n",
  "\u000b",
  "\u001f",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u2028",
  "\u2029",
  "\ud800",
  "\udbff",
  "\udc00",
  "\udfff",
  "\ufeff",
  "\u200b",
  "\u202e",
  "\u0301",
  "\u{1f600}",
  "é",
  "ß",
  "İ",
  "ﬁ",
  "Ω",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "•",
  "- ",
  "* ",
  "1",
  "66,607",
  "5 min",
  "yes",
  "no",
  "true",
  "a",
  "B",
  "python",
  "reviewed",
  "name: x",
  "type: tool",
  "file",
];

/** Text assembled from {@link HOSTILE_PIECES}, mixed with arbitrary (astral included) characters. */
export function hostileText(maxPieces = 8): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .array(fc.constantFrom(...HOSTILE_PIECES), { maxLength: maxPieces })
        .map((pieces) => pieces.join("")),
    },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  );
}

/** A JSON document as text can spell it: duplicate keys, `__proto__` as an own key, any nesting. */
export type JsonTree =
  string | number | boolean | null | JsonTree[] | { readonly pairs: readonly (readonly [string, JsonTree])[] };

/** The JSON text of a tree, keys in order and repeated as given (what an export file may hold). */
export function jsonText(tree: JsonTree): string {
  if (Array.isArray(tree)) return `[${tree.map(jsonText).join(",")}]`;
  if (tree !== null && typeof tree === "object")
    return `{${tree.pairs.map(([key, value]) => `${JSON.stringify(key)}:${jsonText(value)}`).join(",")}}`;
  return JSON.stringify(tree) ?? "null";
}

/** Keys records use (in several spellings), prototype keys, and hostile text. */
const KEYS = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "id",
      "ID",
      "title",
      "Title",
      "meta",
      "Post Meta",
      "post_meta",
      "revision",
      "status",
      "stack",
      "tools",
      "entities",
      "flags",
      "noindex",
      "no_index",
      "do_not_index",
      "needs_human_review",
      "sections",
      "payload",
      "source_id",
      "score",
      "quality",
      "view_count",
      "viewCount",
      "View Count",
      "reading_time",
      "difficulty",
      "code_language",
      "scenario",
      "paragraphs",
      "items",
      "heading",
      "name",
      "type",
      "last_reviewed",
      "checklist",
      "notes",
      "ai_outline",
      "context",
      "__proto__",
      "constructor",
      "prototype",
      "toString",
      "hasOwnProperty",
      "valueOf",
    ),
  },
  { weight: 1, arbitrary: hostileText(3) },
);

/** Leaves: hostile text, text holding JSON or a Python-style list, numbers at the edges, flags, null. */
const LEAVES: fc.Arbitrary<JsonTree> = fc.oneof(
  { weight: 5, arbitrary: hostileText() },
  { weight: 1, arbitrary: fc.array(hostileText(3), { maxLength: 4 }).map((items) => JSON.stringify(items)) },
  {
    weight: 1,
    arbitrary: fc
      .array(hostileText(3), { maxLength: 4 })
      .map((items) => `[${items.map((item) => `'${item}'`).join(", ")}]`),
  },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(0, -1, 1e308, -0, 2 ** 53, 0.1),
    ),
  },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** Any JSON shape up to `depth` levels, keys and leaves hostile. */
export const jsonTree: fc.Arbitrary<JsonTree> = fc.letrec<{ tree: JsonTree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    LEAVES,
    fc.array(tie("tree"), { maxLength: 5 }),
    fc.array(fc.tuple(KEYS, tie("tree")), { maxLength: 6 }).map((pairs) => ({ pairs })),
  ),
})).tree;

/**
 * A record that is valid to begin with (so that many runs reach validation and indexing), with
 * hostile values and keys put at random places: a replaced field, an extra key, a prototype key.
 */
export const hostileRecord: fc.Arbitrary<JsonTree> = fc
  .record({
    id: fc.oneof(fc.constant("post-1"), hostileText(4), LEAVES),
    title: fc.oneof(fc.constant("A title"), hostileText(), jsonTree),
    status: fc.oneof(fc.constantFrom("reviewed", " Reviewed ", "REVIEWED", "draft", ""), hostileText(3), jsonTree),
    flags: fc.oneof(fc.constant<JsonTree>({ pairs: [] }), jsonTree),
    metaExtras: fc.array(fc.tuple(KEYS, jsonTree), { maxLength: 5 }),
    topExtras: fc.array(fc.tuple(KEYS, jsonTree), { maxLength: 3 }),
  })
  .map(({ id, title, status, flags, metaExtras, topExtras }) => ({
    pairs: [
      ["id", id],
      ["title", title],
      ...topExtras,
      ["meta", { pairs: [["revision", { pairs: [["status", status]] }], ["flags", flags], ...metaExtras] }],
    ] as const,
  }));
