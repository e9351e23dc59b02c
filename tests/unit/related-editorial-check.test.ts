import { describe, expect, test } from "vitest";
import { checkFolder } from "../../src/records/check-folder.js";
import { makeContentDir, ndjson } from "../helpers/content-dir.js";
import { makeRecord } from "../helpers/records.js";
import { runCli } from "../helpers/run-cli.js";

const post = (id: string, meta: Record<string, unknown> = {}): Record<string, unknown> =>
  makeRecord({ id, title: `Post ${id}` }, meta);

/** A folder where "hub" pins every kind of id: indexed, unknown, excluded twice, rejected, flagged, itself. */
async function pinningFolder(): Promise<string> {
  return makeContentDir({
    "hub.json": JSON.stringify(
      post("hub", {
        Related: {
          pinned: "ok, ghost, draft-post, hidden-post, broken-post, quiet, hub",
          excluded: ["ghost-too"],
        },
      }),
    ),
    "feed.ndjson": ndjson(
      post("ok"),
      post("draft-post", { revision: { status: "draft" } }),
      post("hidden-post", { flags: { noindex: true } }),
      { id: "broken-post", meta: { revision: { status: "reviewed" } } },
      post("quiet", { flags: { never_related: true } }),
      post("spoke", { related_posts: { pinned: ["ok", "hub"] } }),
    ),
  });
}

const EXPECTED_WARNINGS = [
  ["meta.related.pinned.1", 'pinned post "ghost" is not indexed (no record has this id)'],
  ["meta.related.pinned.2", 'pinned post "draft-post" is not indexed (excluded: unreviewed)'],
  ["meta.related.pinned.3", 'pinned post "hidden-post" is not indexed (excluded: noindex)'],
  ["meta.related.pinned.4", 'pinned post "broken-post" is not indexed (rejected)'],
  ["meta.related.pinned.5", 'pinned post "quiet" is kept out of every related list (no_related)'],
  ["meta.related.pinned.6", 'pinned post "hub" is this post itself'],
].map(([field, message]) => ({
  file: "hub.json",
  line: null,
  id: "hub",
  field,
  message: `${message}; it is left out of the related list`,
}));

describe("check and pinned related posts", () => {
  test("warns about each pinned id that cannot be listed, with file, line, id and field", async () => {
    const report = await checkFolder(await pinningFolder());
    expect(report.indexed.map((entry) => entry.id).sort()).toEqual(["hub", "ok", "quiet", "spoke"]);
    expect(report.warnings).toEqual(EXPECTED_WARNINGS);
  });

  test("names the NDJSON line of the record that pins", async () => {
    const dir = await makeContentDir({
      "a.ndjson": ndjson(post("a"), post("b", { related: { pinned: "a, nobody" } })),
    });
    expect((await checkFolder(dir)).warnings).toEqual([
      {
        file: "a.ndjson",
        line: 2,
        id: "b",
        field: "meta.related.pinned.1",
        message: 'pinned post "nobody" is not indexed (no record has this id); it is left out of the related list',
      },
    ]);
  });

  test("postindex check prints the warnings and still exits 0 for them alone", async () => {
    const dir = await makeContentDir({
      "hub.json": JSON.stringify(post("hub", { related: { pinned: ["ok", "ghost"] } })),
      "ok.json": JSON.stringify(post("ok")),
    });
    const text = await runCli(["check", dir]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(
      'hub.json  id hub  field meta.related.pinned.1: pinned post "ghost" is not indexed (no record has this id); it is left out of the related list',
    );
    const json = await runCli(["check", dir, "--json"]);
    expect(JSON.parse(json.stdout).warnings).toEqual([
      {
        file: "hub.json",
        line: null,
        id: "hub",
        field: "meta.related.pinned.1",
        message: 'pinned post "ghost" is not indexed (no record has this id); it is left out of the related list',
      },
    ]);
  });
});
