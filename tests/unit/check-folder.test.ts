import { mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { checkFolder } from "../../src/records/check-folder.js";
import { makeContentDir, ndjson } from "../helpers/content-dir.js";
import { makeRecord } from "../helpers/records.js";

const post = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  makeRecord({ id, title: `Post ${id}`, ...extra });

describe("finding record files", () => {
  test("reads .json, .ndjson and .jsonl recursively and reports what it ignores", async () => {
    const dir = await makeContentDir({
      "a.json": JSON.stringify(post("a")),
      "nested/deeper/b.ndjson": ndjson(post("b")),
      "c.JSONL": ndjson(post("c")),
      "notes.txt": "not a record",
      ".hidden.json": JSON.stringify(post("hidden")),
      ".git/objects/x.json": JSON.stringify(post("in-hidden-folder")),
      "folder.json/inside.json": JSON.stringify(post("in-json-folder")),
    });
    const report = await checkFolder(dir);
    expect(report.indexed.map((r) => r.id).sort()).toEqual(["a", "b", "c"]);
    expect(report.indexed.find((r) => r.id === "b")?.file).toBe("nested/deeper/b.ndjson");
    expect(report.ignored).toEqual([
      { file: ".git", reason: "hidden folder" },
      { file: ".hidden.json", reason: "hidden file" },
      { file: "folder.json", reason: "a folder, not a record file" },
      { file: "notes.txt", reason: "not a .json, .ndjson or .jsonl file" },
    ]);
  });

  test("an empty folder gives an empty report", async () => {
    const dir = await makeContentDir({});
    await mkdir(path.join(dir, "empty"));
    expect(await checkFolder(dir)).toEqual({
      indexed: [],
      excluded: [],
      rejected: [],
      duplicates: [],
      warnings: [],
      ignored: [],
    });
  });
});

describe("parsing", () => {
  test("a .json file holds one record or an array", async () => {
    const dir = await makeContentDir({
      "one.json": JSON.stringify(post("one")),
      "many.json": JSON.stringify([post("m1"), post("m2")]),
    });
    const report = await checkFolder(dir);
    expect(report.indexed).toEqual([
      { id: "m1", file: "many.json" },
      { id: "m2", file: "many.json" },
      { id: "one", file: "one.json" },
    ]);
  });

  test("UTF-8 with a BOM and CRLF line ends", async () => {
    const dir = await makeContentDir({
      "bom.json": "\uFEFF" + JSON.stringify(post("bom"), null, 2).replace(/\n/g, "\r\n"),
      "bom.ndjson": "\uFEFF" + ndjson(post("n1"), post("n2")).replace(/\n/g, "\r\n"),
    });
    const report = await checkFolder(dir);
    expect(report.rejected).toEqual([]);
    expect(report.indexed.map((r) => r.id)).toEqual(["bom", "n1", "n2"]);
  });

  test("blank NDJSON lines are skipped; a broken line is rejected alone with its line number and the id it was written for", async () => {
    const lines = [
      JSON.stringify(post("l1")),
      "",
      "   ",
      '{"id": "broken", "title": ',
      JSON.stringify(post("l5")),
      JSON.stringify({ id: "l6" }),
    ];
    const dir = await makeContentDir({ "bulk.ndjson": lines.join("\n") });
    const report = await checkFolder(dir);
    expect(report.indexed).toEqual([
      { id: "l1", file: "bulk.ndjson" },
      { id: "l5", file: "bulk.ndjson" },
    ]);
    expect(report.rejected).toEqual([
      { file: "bulk.ndjson", line: 4, id: "broken", field: null, message: expect.stringMatching(/^not valid JSON/) },
      { file: "bulk.ndjson", line: 6, id: "l6", field: "title", message: "title is missing" },
    ]);
  });

  test("a .json file that is not JSON is rejected without stopping the others", async () => {
    const dir = await makeContentDir({ "bad.json": "{ not json", "good.json": JSON.stringify(post("good")) });
    const report = await checkFolder(dir);
    expect(report.rejected).toEqual([
      { file: "bad.json", line: null, id: null, field: null, message: expect.stringMatching(/^not valid JSON/) },
    ]);
    expect(report.indexed.map((r) => r.id)).toEqual(["good"]);
  });

  test("a .json file that is not UTF-8 is rejected with that reason", async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"id": "x", "title": "'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}'),
    ]);
    const dir = await makeContentDir({ "latin.json": bytes });
    expect((await checkFolder(dir)).rejected[0]).toMatchObject({ file: "latin.json", message: "not valid UTF-8 text" });
  });

  test("an NDJSON line that is not UTF-8 is rejected alone, naming its id", async () => {
    const bad = Buffer.concat([Buffer.from('{"id": "bad", "title": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
    const bytes = Buffer.concat([Buffer.from(ndjson(post("n1"))), bad, Buffer.from(ndjson(post("n3")))]);
    const dir = await makeContentDir({ "mixed.ndjson": bytes });
    const report = await checkFolder(dir);
    expect(report.indexed.map((r) => r.id)).toEqual(["n1", "n3"]);
    expect(report.rejected).toEqual([
      { file: "mixed.ndjson", line: 2, id: "bad", field: null, message: "not valid UTF-8 text" },
    ]);
  });

  test("a 5 MB single article is read whole", async () => {
    const paragraphs = Array.from(
      { length: 5_000 },
      (_, i) => `paragraph ${i} ${"lorem ipsum dolor sit amet ".repeat(40)}`,
    );
    const big = post("big", { sections: [{ heading: "long", paragraphs }] });
    const text = JSON.stringify(big);
    expect(text.length).toBeGreaterThan(5_000_000);
    const dir = await makeContentDir({ "big.json": text });
    const report = await checkFolder(dir);
    expect(report.indexed).toEqual([{ id: "big", file: "big.json" }]);
  });
});

describe("classification in the report", () => {
  test("indexed, excluded with reasons, rejected with file, line, id and field, and warnings", async () => {
    const dir = await makeContentDir({
      "posts.ndjson": ndjson(
        post("ok", {}),
        makeRecord({ id: "draft" }, { revision: { status: "draft" } }),
        makeRecord({ id: "hidden" }, { flags: { noindex: 1 } }),
        makeRecord({ id: "warned" }, { view_count: "many" }),
        { id: "no-status", title: "t", meta: { revision: { version: "1" } } },
      ),
    });
    const report = await checkFolder(dir);
    expect(report.indexed.map((r) => r.id)).toEqual(["ok", "warned"]);
    expect(report.excluded).toEqual([
      { id: "draft", file: "posts.ndjson", reason: "unreviewed" },
      { id: "hidden", file: "posts.ndjson", reason: "noindex" },
    ]);
    expect(report.rejected).toEqual([
      {
        file: "posts.ndjson",
        line: 5,
        id: "no-status",
        field: "meta.revision.status",
        message: "revision status is missing",
      },
    ]);
    expect(report.warnings).toEqual([
      {
        file: "posts.ndjson",
        line: 4,
        id: "warned",
        field: "meta.view_count",
        message: expect.stringContaining("left out"),
      },
    ]);
  });

  test("a duplicate id: the file whose path sorts first wins, the others are reported", async () => {
    const dir = await makeContentDir({
      "b/post.json": JSON.stringify(post("same", { title: "from b" })),
      "a.json": JSON.stringify(post("same", { title: "from a" })),
      "c.ndjson": ndjson(post("same")),
    });
    const report = await checkFolder(dir);
    expect(report.indexed).toEqual([{ id: "same", file: "a.json" }]);
    expect(report.duplicates).toEqual([
      { id: "same", file: "b/post.json", kept: "a.json" },
      { id: "same", file: "c.ndjson", kept: "a.json" },
    ]);
  });

  test("an excluded record still owns its id against later files", async () => {
    const dir = await makeContentDir({
      "a.json": JSON.stringify(makeRecord({ id: "x" }, { revision: { status: "draft" } })),
      "b.json": JSON.stringify(post("x")),
    });
    const report = await checkFolder(dir);
    expect(report.indexed).toEqual([]);
    expect(report.excluded).toEqual([{ id: "x", file: "a.json", reason: "unreviewed" }]);
    expect(report.duplicates).toEqual([{ id: "x", file: "b.json", kept: "a.json" }]);
  });
});
