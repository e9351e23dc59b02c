import { describe, expect, it } from "vitest";
import {
  evaluateRecord,
  RelatedIndex,
  relatedForDocument,
  relatedForEntities,
  toSearchDocument,
  type SearchDocument,
} from "../../src/index.js";
import { post } from "../helpers/seed-index.js";

/** The search document of an indexed record (fails the test when it is not indexed). */
function documentOf(raw: unknown): SearchDocument {
  const outcome = evaluateRecord(raw, { file: "t.json", line: null, item: null });
  if (outcome.kind !== "indexed") throw new Error(`not indexed: ${JSON.stringify(outcome)}`);
  return toSearchDocument(outcome.record, "t.json");
}

function withMeta(extra: Record<string, unknown>, top: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: "p-1", title: "A post", ...top, meta: { revision: { status: "reviewed" }, ...extra } };
}

describe("meta.related in every spelling", () => {
  const cases: [string, Record<string, unknown>, { pinned: string[]; excluded: string[] }][] = [
    ["canonical arrays", { related: { pinned: ["b", "c"], excluded: ["d"] } }, { pinned: ["b", "c"], excluded: ["d"] }],
    [
      "Related, Pinned, comma-separated",
      { Related: { Pinned: "b, c", Excluded: "d" } },
      { pinned: ["b", "c"], excluded: ["d"] },
    ],
    ["related_posts, a JSON list", { related_posts: { pinned: '["b","c"]' } }, { pinned: ["b", "c"], excluded: [] }],
    [
      "relatedPosts, a JSON group",
      { relatedPosts: '{"pinned": ["b"], "excluded": "d;e"}' },
      { pinned: ["b"], excluded: ["d", "e"] },
    ],
    [
      "Related Posts, key: value lines",
      { "Related Posts": ["pinned: b, c", "excluded: d"] },
      { pinned: ["b", "c"], excluded: ["d"] },
    ],
    ["one string of lines", { related: "pinned: b\nexcluded: d" }, { pinned: ["b"], excluded: ["d"] }],
    ["pins, bullet lines", { related: { pins: "• b\n• c" } }, { pinned: ["b", "c"], excluded: [] }],
    ["a Python-style list", { related: { pinned: "['b', 'c']" } }, { pinned: ["b", "c"], excluded: [] }],
    [
      "trimmed, empty and repeated ids dropped",
      { related: { pinned: [" b ", "b", "", "c", null] } },
      { pinned: ["b", "c"], excluded: [] },
    ],
    [
      "numbers as their text",
      { related: { pinned: [42, "43"], excluded: 7 } },
      { pinned: ["42", "43"], excluded: ["7"] },
    ],
    [
      "case kept (ids are case-sensitive)",
      { related: { pinned: ["Alpha-1", "alpha-1"] } },
      { pinned: ["Alpha-1", "alpha-1"], excluded: [] },
    ],
    [
      "pinned_posts and exclude",
      { related: { "Pinned Posts": "b", exclude: ["c"] } },
      { pinned: ["b"], excluded: ["c"] },
    ],
    ["the first spelling of a field wins", { related: { pinned: "b", pins: "c" } }, { pinned: ["b"], excluded: [] }],
    ["unknown keys ignored", { related: { pinned: "b", __proto__: "x", weight: 3 } }, { pinned: ["b"], excluded: [] }],
  ];
  it.each(cases)("%s", (_name, meta, expected) => {
    expect(documentOf(withMeta(meta)).related).toEqual(expected);
  });

  it("reads them under post_meta too", () => {
    const raw = {
      id: "p-1",
      title: "A post",
      "Post Meta": { revision: { status: "reviewed" }, Related: { pinned: "b" } },
    };
    expect(documentOf(raw).related).toEqual({ pinned: ["b"], excluded: [] });
  });

  it("leaves no related field on a document without pins or exclusions, so its hash does not change", () => {
    const plain = documentOf(withMeta({}));
    for (const meta of [{ related: {} }, { related: { pinned: [], excluded: "" } }, { related_posts: "[]" }]) {
      const document = documentOf(withMeta(meta));
      expect(document).not.toHaveProperty("related");
      expect(document.content_hash).toBe(plain.content_hash);
    }
    expect(documentOf(withMeta({ related: { pinned: "b" } })).content_hash).not.toBe(plain.content_hash);
  });

  it("leaves an unreadable value out with a warning naming the field; the record is still indexed", () => {
    const unreadable: [Record<string, unknown>, string][] = [
      [{ related: { pinned: { a: 1 } } }, "meta.related.pinned"],
      [{ related: "b, c" }, "meta.related"],
      [{ related: 5 }, "meta.related"],
      [{ related: { excluded: [["b"]] } }, "meta.related.excluded.0"],
    ];
    for (const [meta, field] of unreadable) {
      const outcome = evaluateRecord(withMeta(meta), { file: "t.json", line: 3, item: null });
      const warned = outcome.kind === "indexed" ? outcome.warnings.map((warning) => warning.field) : outcome.kind;
      expect({ meta, warned }).toEqual({ meta, warned: [field] });
    }
  });
});

describe("the no_related flag", () => {
  const cases: [string, Record<string, unknown>, boolean | undefined][] = [
    ["no_related true", { flags: { no_related: true } }, true],
    ["never_related yes", { flags: { never_related: "yes" } }, true],
    ["NoRelated 1", { Flags: { NoRelated: 1 } }, true],
    ["never-related in key: value lines", { flags: ["never-related: true"] }, true],
    ["a JSON group", { flags: '{"no_related": "1"}' }, true],
    ["no_related false", { flags: { no_related: "no" } }, false],
    ["absent", { flags: { noindex: false } }, undefined],
  ];
  it.each(cases)("%s", (_name, meta, expected) => {
    const document = documentOf(withMeta(meta));
    expect(document.flags.no_related).toBe(expected);
  });

  it("keeps the post indexed and searchable", () => {
    const outcome = evaluateRecord(withMeta({ flags: { no_related: true } }), {
      file: "t.json",
      line: null,
      item: null,
    });
    expect(outcome.kind).toBe("indexed");
  });
});

/** A post whose record carries editorial controls (`related`) and flags. */
function editorialPost(
  id: string,
  entities: [string, string][],
  extra: { related?: unknown; noRelated?: boolean; stack?: string[]; lastReviewed?: string } = {},
): Record<string, unknown> {
  const record = post(id, { entities, stack: extra.stack ?? ["general"], lastReviewed: extra.lastReviewed });
  const meta = record["meta"] as Record<string, unknown>;
  if (extra.related !== undefined) meta["related"] = extra.related;
  if (extra.noRelated) meta["flags"] = { no_related: true };
  return record;
}

describe("pinned, excluded and kept-out posts in related lists", () => {
  const records = [
    editorialPost(
      "q",
      [
        ["topic", "x"],
        ["topic", "y"],
      ],
      { related: { pinned: ["p", "ghost", "c", "d", "q", "p", "b"], excluded: ["b"] } },
    ),
    editorialPost("a", [
      ["topic", "x"],
      ["topic", "y"],
    ]),
    editorialPost("b", [["topic", "x"]]),
    editorialPost("c", [["topic", "y"]]),
    editorialPost("d", [["topic", "x"]], { noRelated: true }),
    editorialPost("e", [["topic", "x"]], { lastReviewed: "2019-01-01" }),
    editorialPost("p", [["topic", "z"]]),
    editorialPost("rust-a", [["topic", "lonely"]], { stack: ["rust"] }),
    editorialPost("rust-b", [["topic", "rust b"]], { stack: ["rust"], noRelated: true, lastReviewed: "2024-01-01" }),
    editorialPost("rust-c", [["topic", "rust c"]], { stack: ["rust"], lastReviewed: "2021-01-01" }),
    editorialPost("cobol", [["topic", "cobol only"]], { stack: ["cobol"], lastReviewed: "2018-01-01" }),
    ...["f1", "f2", "f3"].map((id) => editorialPost(id, [["topic", `filler ${id}`]], { lastReviewed: "2023-06-01" })),
  ];
  const index = RelatedIndex.of(records.map(documentOf));
  const list = (id: string, limit = 5, extra = {}) =>
    relatedForDocument(index, id, { limit, ...extra }).related.map((entry) => [entry.id, entry.source]);

  it("lists the pinned posts first in their order, then the algorithm's, never an excluded, flagged, unknown or self id", () => {
    expect(list("q")).toEqual([
      ["p", "pinned"],
      ["c", "pinned"],
      ["a", "entities"],
      ["e", "entities"],
    ]);
  });

  it("counts pinned posts towards the limit", () => {
    expect(list("q", 1)).toEqual([["p", "pinned"]]);
    expect(list("q", 2)).toEqual([
      ["p", "pinned"],
      ["c", "pinned"],
    ]);
    expect(list("q", 3)).toEqual([
      ["p", "pinned"],
      ["c", "pinned"],
      ["a", "entities"],
    ]);
  });

  it("gives a pinned post the score and shared entities it has", () => {
    const [p, c, a] = relatedForDocument(index, "q").related;
    expect(p).toMatchObject({ id: "p", score: 0, shared: [], source: "pinned" });
    expect(c?.shared.map((entity) => entity.name)).toEqual(["y"]);
    expect(a).toMatchObject({ id: "a", score: 1, source: "entities" });
  });

  it("applies facet filters to pinned posts too", () => {
    // Neither pinned post nor any relative is a rust post: the most recent rust posts, flagged rust-b left out.
    expect(list("q", 5, { filters: { stack: ["rust"] } })).toEqual([
      ["rust-c", "fallback"],
      ["rust-a", "fallback"],
    ]);
  });

  it("keeps a flagged post out of every list, while it has its own", () => {
    for (const id of ["a", "b", "e", "q"]) expect(list(id, 20).map(([other]) => other)).not.toContain("d");
    // All share x, d's one entity: fresher first (e is older), then by id.
    expect(list("d", 3)).toEqual([
      ["a", "entities"],
      ["b", "entities"],
      ["q", "entities"],
    ]);
  });

  it("keeps flagged posts out of the fallback, which falls back to the most recent posts when the stack has none", () => {
    expect(relatedForDocument(index, "rust-a", { limit: 3 })).toMatchObject({
      fallback: "same_stack_recent",
      related: [{ id: "rust-c", source: "fallback", score: 0, shared: [] }],
    });
    expect(relatedForDocument(index, "cobol", { limit: 2 })).toMatchObject({
      fallback: "recent",
      related: [
        { id: "f1", source: "fallback" },
        { id: "f2", source: "fallback" },
      ],
    });
  });

  it("drops automatic entries below minScore before the fallback applies, never pinned ones", () => {
    // N = 14; x is on 5 posts (weight ln(1 + 9.5 / 5.5) ≈ 1.003), y on 3 (ln(1 + 11.5 / 3.5) ≈ 1.455):
    // for a, q shares both (1), c shares y (≈ 0.592), b and e share x (≈ 0.408).
    expect(list("a", 5, { minScore: 0.6 })).toEqual([["q", "entities"]]);
    expect(list("q", 5, { minScore: 0.99 })).toEqual([
      ["p", "pinned"],
      ["c", "pinned"],
      ["a", "entities"],
    ]);
    expect(relatedForDocument(index, "b", { limit: 2, minScore: 1.01 })).toMatchObject({
      fallback: "same_stack_recent",
      related: [
        { id: "f1", source: "fallback" },
        { id: "f2", source: "fallback" },
      ],
    });
  });

  it("follows edits: a pin added, an exclusion lifted, a flag set", () => {
    const edited = RelatedIndex.of(records.map(documentOf));
    edited.upsert(
      documentOf(
        editorialPost(
          "q",
          [
            ["topic", "x"],
            ["topic", "y"],
          ],
          { related: { pinned: ["cobol"] } },
        ),
      ),
    );
    edited.upsert(
      documentOf(
        editorialPost(
          "a",
          [
            ["topic", "x"],
            ["topic", "y"],
          ],
          { noRelated: true },
        ),
      ),
    );
    expect(relatedForDocument(edited, "q", { limit: 4 }).related.map((entry) => [entry.id, entry.source])).toEqual([
      ["cobol", "pinned"],
      ["c", "entities"],
      ["b", "entities"],
      ["e", "entities"],
    ]);
  });

  it("honours a draft's own pins and exclusions (POST /related)", () => {
    const answer = relatedForEntities(
      index,
      { entities: [{ type: "topic", name: "x" }], stack: [], related: { pinned: ["rust-c"], excluded: ["a", "q"] } },
      { limit: 3 },
    );
    expect(answer.related.map((entry) => [entry.id, entry.source])).toEqual([
      ["rust-c", "pinned"],
      ["b", "entities"],
      ["e", "entities"],
    ]);
  });
});
