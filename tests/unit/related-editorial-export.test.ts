import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { toRelatedFields, toSearchDocument } from "../../src/document.js";
import { scanWithProgress } from "../../src/records/scan-folder.js";
import { RELATED_FIELDS } from "../../src/related/related-index.js";
import { diffExports, formatDiff, parseExport, type ExportLists } from "../../src/related/related-diff.js";
import { exportText } from "../../src/related/related-export.js";
import { EXAMPLE_RECORDS_DIR } from "../helpers/records.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("toRelatedFields", () => {
  test("gives exactly the related fields of toSearchDocument, on the example content and the fixtures", async () => {
    let compared = 0;
    for (const dir of [path.join(root, "content"), EXAMPLE_RECORDS_DIR]) {
      await scanWithProgress(dir, {
        onRecord(outcome) {
          if (outcome.kind !== "indexed") return;
          const document = toSearchDocument(outcome.record, outcome.file) as unknown as Record<string, unknown>;
          const picked: Record<string, unknown> = {};
          for (const field of RELATED_FIELDS) {
            if (field === "flags" || field === "indexed_at" || document[field] === undefined) continue;
            picked[field] = document[field];
          }
          expect(toRelatedFields(outcome.record)).toEqual(picked);
          compared += 1;
        },
      });
    }
    expect(compared).toBeGreaterThan(40);
  });
});

const answer = (id: string, ...entries: [string, string][]) => ({
  id,
  related: entries.map(([entry, source]) => ({ id: entry, title: entry, score: 0.5, shared: [], source })),
  fallback: null,
});

describe("related-posts export diff", () => {
  const old = [
    answer("a", ["b", "entities"], ["c", "entities"]),
    answer("b", ["a", "entities"]),
    answer("c", ["a", "pinned"], ["b", "entities"]),
    answer("gone", ["a", "entities"]),
  ];
  const now = [
    answer("a", ["c", "entities"], ["d", "entities"]),
    answer("b", ["a", "entities"]),
    answer("c", ["b", "entities"], ["a", "entities"]),
    answer("d", ["a", "entities"]),
  ];
  const lines = (answers: unknown[]) => answers.map((item) => JSON.stringify(item)).join("\n") + "\n";

  test("reads NDJSON and JSON exports alike", () => {
    const fromNdjson = parseExport(lines(old));
    const fromJson = parseExport([...exportText(old as never, "json")].join(""));
    expect(fromJson).toEqual(fromNdjson);
    expect(fromNdjson.get("c")).toEqual([
      { id: "a", source: "pinned" },
      { id: "b", source: "entities" },
    ]);
    expect(parseExport("{}\n")).toEqual(new Map());
  });

  test("names the posts whose list changed, the entries added and removed, new and gone posts", () => {
    const diff = diffExports(parseExport(lines(old)), parseExport(lines(now)));
    expect(diff).toEqual({
      changed: [
        {
          id: "a",
          added: [{ id: "d", source: "entities" }],
          removed: [{ id: "b", source: "entities" }],
          reordered: false,
        },
        { id: "c", added: [], removed: [], reordered: true },
      ],
      addedPosts: ["d"],
      removedPosts: ["gone"],
      unchanged: 1,
    });
    expect(formatDiff(diff)).toBe(
      [
        "related posts: 2 lists changed, 1 new post, 1 post gone, 1 unchanged",
        "",
        "a:",
        "  + d",
        "  - b",
        "",
        "c:",
        "  ~ same posts, new order or source",
        "",
        "new posts: d",
        "",
        "posts gone: gone",
      ].join("\n"),
    );
  });

  test("ignores score changes alone", () => {
    const rescored = old.map((item) => ({ ...item, related: item.related.map((entry) => ({ ...entry, score: 0.9 })) }));
    const same: ExportLists = parseExport(lines(rescored));
    expect(diffExports(parseExport(lines(old)), same).changed).toEqual([]);
  });

  test("refuses what is not an export, naming where", () => {
    expect(() => parseExport('{"id": "a", "related": []}\nnot json\n')).toThrow("line 2 is not JSON");
    expect(() => parseExport('{"id": "a", "related": [{"x": 1}]}\n')).toThrow("line 1");
    expect(() => parseExport("[1, 2]")).toThrow("expected a JSON object keyed by post id");
    expect(() => parseExport('{"a": {"related": "no"}}')).toThrow('post "a"');
  });
});
