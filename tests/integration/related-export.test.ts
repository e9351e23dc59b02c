import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Express } from "express";
import request from "supertest";
import { afterAll, describe, expect, test, vi } from "vitest";
import { makeContentDir, ndjson } from "../helpers/content-dir.js";
import { testApp } from "../helpers/api.js";
import { runCli, spawnCli } from "../helpers/run-cli.js";
import { post } from "../helpers/seed-index.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";
import { makeTempDir } from "../helpers/tmp-dir.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const EXAMPLE_CONTENT = path.join(root, "content");

const meili = sharedMeili();
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

async function envFor(indexUid: string): Promise<NodeJS.ProcessEnv> {
  return {
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.masterKey,
    MEILI_INDEX: indexUid,
    POSTINDEX_DATA_DIR: await makeTempDir("related-export"),
    LOG_LEVEL: "warn",
  };
}

interface Entry {
  id: string;
  source: string;
}
interface Answer {
  id: string;
  related: Entry[];
  fallback: string | null;
}

/** Indexes `dir` with `postindex reindex` into a fresh index, and the API over it. */
async function indexed(dir: string): Promise<{ uid: string; env: NodeJS.ProcessEnv; app: Express }> {
  const uid = freshIndexUid("related-export");
  const env = await envFor(uid);
  const reindex = await runCli(["reindex", dir], env);
  expect(reindex.stderr).toBe("");
  expect(reindex.status).toBe(0);
  const { app, close } = await testApp(meili, uid);
  closers.push(close);
  return { uid, env, app };
}

/** `postindex related ARGS --out FILE`: the answers written, by id, in the file's order. */
async function exported(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Answer[]> {
  const out = path.join(await makeTempDir("export"), "related.ndjson");
  const result = await runCli(["related", ...args, "--out", out], env);
  expect(result.status).toBe(0);
  return (await readFile(out, "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Answer);
}

async function apiAnswer(app: Express, id: string, limit: number): Promise<Answer> {
  const { body } = await request(app)
    .get(`/posts/${encodeURIComponent(id)}/related?limit=${limit}`)
    .expect(200);
  return body as Answer;
}

describe("postindex related on the example content", () => {
  test("every post's exported list, from the folder and from the live index, is the API's answer", async () => {
    const { env, app } = await indexed(EXAMPLE_CONTENT);
    const fromFolder = await exported([EXAMPLE_CONTENT]);
    const fromIndex = await exported([], env);
    // content/README.md: 42 indexed posts; one line each, in id order.
    expect(fromFolder).toHaveLength(42);
    const ids = fromFolder.map((answer) => answer.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain("alphanode-000504");
    expect(fromIndex).toEqual(fromFolder);
    for (const answer of fromFolder) expect(answer).toEqual(await apiAnswer(app, answer.id, 5));
    // Another limit, and the JSON format keyed by id.
    const out = path.join(await makeTempDir("export"), "related.json");
    expect((await runCli(["related", EXAMPLE_CONTENT, "--limit", "2", "--format", "json", "--out", out])).status).toBe(
      0,
    );
    const keyed = JSON.parse(await readFile(out, "utf8")) as Record<string, Answer>;
    expect(Object.keys(keyed)).toEqual(ids);
    for (const id of ids.slice(0, 10)) expect(keyed[id]).toEqual(await apiAnswer(app, id, 2));
  });

  test("minScore: the API's parameter and the export's --min-score drop the same entries, then the fallback applies", async () => {
    const { app } = await indexed(EXAMPLE_CONTENT);
    const answers = await exported([EXAMPLE_CONTENT, "--min-score", "0.45", "--limit", "4"]);
    expect(answers).toHaveLength(42);
    for (const answer of answers) {
      const { body } = await request(app)
        .get(`/posts/${encodeURIComponent(answer.id)}/related?limit=4&minScore=0.45`)
        .expect(200);
      expect(answer).toEqual(body);
    }
    const scores = answers.flatMap((answer) =>
      answer.related
        .filter((entry) => entry.source === "entities")
        .map((entry) => (entry as unknown as { score: number }).score),
    );
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0.45);
    expect(answers.some((answer) => answer.fallback !== null)).toBe(true);
    const bad = await request(app).get("/posts/alphanode-000504/related?minScore=2").expect(400);
    expect(bad.body.error.message).toContain("minScore must be a number from 0 to 1");
  });

  test("POSTINDEX_RELATED_MIN_SCORE sets the threshold of the API and the export when a request gives none", async () => {
    const { uid, app: plain } = await indexed(EXAMPLE_CONTENT);
    const { app: configured, close } = await testApp(meili, uid, { relatedMinScore: 0.45 });
    closers.push(close);
    const configuredExport = await exported([EXAMPLE_CONTENT, "--limit", "4"], { POSTINDEX_RELATED_MIN_SCORE: "0.45" });
    const explicitExport = await exported([EXAMPLE_CONTENT, "--limit", "4", "--min-score", "0.45"]);
    expect(configuredExport).toEqual(explicitExport);
    let differs = 0;
    for (const answer of configuredExport.slice(0, 12)) {
      const path = `/posts/${encodeURIComponent(answer.id)}/related?limit=4`;
      expect((await request(configured).get(path).expect(200)).body).toEqual(answer);
      // A request's own minScore wins over the configured one.
      const unthresholded = (await request(plain).get(path).expect(200)).body as Answer;
      expect((await request(configured).get(`${path}&minScore=0`).expect(200)).body).toEqual(unthresholded);
      if (JSON.stringify(unthresholded) !== JSON.stringify(answer)) differs += 1;
    }
    expect(differs).toBeGreaterThan(0);
    const bad = await runCli(["related", EXAMPLE_CONTENT, "--out", "-"], { POSTINDEX_RELATED_MIN_SCORE: "2" });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("POSTINDEX_RELATED_MIN_SCORE");
  });

  test("--out - writes the export to stdout and the report to stderr; --json reports counts and timings", async () => {
    const piped = await runCli(["related", EXAMPLE_CONTENT, "--out", "-", "--limit", "3", "--json"]);
    expect(piped.status).toBe(0);
    const lines = piped.stdout.split("\n").filter((line) => line !== "");
    expect(lines).toHaveLength(42);
    const report = JSON.parse(piped.stderr.trim().split("\n").at(-1) as string);
    expect(report).toMatchObject({
      out: "-",
      format: "ndjson",
      limit: 3,
      records: { indexed: 42, excluded: 3, rejected: 2, duplicates: 1 },
      export: { posts: 42 },
    });
    expect(report.export.entries).toBe(lines.reduce((sum, line) => sum + JSON.parse(line).related.length, 0));
    expect(report.timings.totalMs).toBeGreaterThanOrEqual(report.timings.exportMs);
  });

  test("usage errors: nowhere to write, a bad limit, a folder that is not one", async () => {
    expect((await runCli(["related", EXAMPLE_CONTENT])).status).toBe(2);
    expect((await runCli(["related", EXAMPLE_CONTENT, "--out", "-", "--limit", "0"])).status).toBe(2);
    expect((await runCli(["related", path.join(root, "nope"), "--out", "-"])).status).toBe(2);
  });
});

/** A site where "hub" pins and excludes, "quiet" is kept out of every list, and posts share topics. */
function editorialSite(hubControls: Record<string, unknown>): string {
  const shared = (id: string, topics: string[], extra: Record<string, unknown> = {}) => {
    const record = post(id, { entities: topics.map((topic) => ["topic", topic] as [string, string]) });
    Object.assign(record["meta"] as Record<string, unknown>, extra);
    return record;
  };
  return ndjson(
    shared("hub", ["x", "y"], { Related: hubControls }),
    shared("both", ["x", "y"]),
    shared("only-x", ["x"]),
    shared("only-y", ["y"]),
    shared("quiet", ["x", "y"], { flags: { never_related: "yes" } }),
    shared("far", ["z"]),
    shared("far-too", ["z"]),
  );
}

describe("pins, exclusions and the no_related flag through the index, the API and the export", () => {
  test("pinned first, excluded and flagged never; an edit synced shows in the API, the export and --diff", async () => {
    const dir = await makeContentDir({ "site.ndjson": editorialSite({ pinned: "far, ghost", excluded: ["only-x"] }) });
    const { env, app } = await indexed(dir);
    const hub = await apiAnswer(app, "hub", 5);
    expect(hub.related.map((entry) => [entry.id, entry.source])).toEqual([
      ["far", "pinned"],
      ["both", "entities"],
      ["only-y", "entities"],
    ]);
    for (const id of ["both", "only-x", "only-y"])
      expect((await apiAnswer(app, id, 10)).related.map((entry) => entry.id)).not.toContain("quiet");
    expect((await apiAnswer(app, "quiet", 2)).related.map((entry) => entry.id)).toEqual(["both", "hub"]);

    const before = await exported([dir]);
    expect(await exported([], env)).toEqual(before);
    for (const answer of before) expect(answer).toEqual(await apiAnswer(app, answer.id, 5));
    const oldFile = path.join(await makeTempDir("export"), "old.ndjson");
    await writeFile(oldFile, before.map((answer) => JSON.stringify(answer)).join("\n") + "\n");

    // The editor swaps the pin and lifts the exclusion; sync applies it like any edit.
    await writeFile(path.join(dir, "site.ndjson"), editorialSite({ pinned: ["far-too"] }));
    expect((await runCli(["sync", dir], env)).status).toBe(0);
    await vi.waitFor(
      async () =>
        expect((await apiAnswer(app, "hub", 5)).related.map((entry) => [entry.id, entry.source])).toEqual([
          ["far-too", "pinned"],
          ["both", "entities"],
          // x and y are on 4 posts each: equal weights, equal dates, so by id.
          ["only-x", "entities"],
          ["only-y", "entities"],
        ]),
      { timeout: 5_000, interval: 50 },
    );
    const after = await exported([], env);
    for (const answer of after) expect(answer).toEqual(await apiAnswer(app, answer.id, 5));

    const diff = await runCli(["related", dir, "--diff", oldFile, "--json"]);
    expect(diff.status).toBe(0);
    expect(JSON.parse(diff.stdout).diff).toEqual({
      changed: [
        {
          id: "hub",
          added: [
            { id: "far-too", source: "pinned" },
            { id: "only-x", source: "entities" },
          ],
          removed: [{ id: "far", source: "pinned" }],
          reordered: false,
        },
      ],
      addedPosts: [],
      removedPosts: [],
      unchanged: 6,
    });
    const text = await runCli(["related", dir, "--diff", oldFile]);
    expect(text.stdout).toContain("related posts: 1 list changed, 0 new posts, 0 posts gone, 6 unchanged");
    expect(text.stdout).toContain("hub:\n  + far-too (pinned)\n  + only-x\n  - far (pinned)");
  });
});

describe("watch applies edits to the editorial controls", () => {
  test("a pin added, an exclusion and a no_related flag set while watching show in the API", async () => {
    const dir = await makeContentDir({ "site.ndjson": editorialSite({ excluded: "only-x" }) });
    const uid = freshIndexUid("related-watch");
    const env = await envFor(uid);
    const { app, close } = await testApp(meili, uid);
    closers.push(close);
    const child = spawnCli(["watch", dir], env);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const hubList = async () =>
      (await request(app).get("/posts/hub/related?limit=5")).body?.related?.map((entry: Entry) => [
        entry.id,
        entry.source,
      ]);
    try {
      await vi.waitFor(
        async () =>
          expect(await hubList()).toEqual([
            ["both", "entities"],
            ["only-y", "entities"],
          ]),
        { timeout: 30_000, interval: 100 },
      );
      // The editor pins "far", lifts the exclusion, and flags "both" as kept out of every list.
      const lines = editorialSite({ pinned: "far" })
        .split("\n")
        .map((line) =>
          line.includes('"id":"both"')
            ? line.replace('"flags":{"noindex":false}', '"flags":{"no_related":true}')
            : line,
        );
      await writeFile(path.join(dir, "site.ndjson"), lines.join("\n"));
      await vi.waitFor(
        async () =>
          expect(await hubList()).toEqual([
            ["far", "pinned"],
            ["only-x", "entities"],
            ["only-y", "entities"],
          ]),
        { timeout: 30_000, interval: 100 },
      );
    } finally {
      child.kill("SIGINT");
      await exited;
    }
  });
});

/** A seeded generator (mulberry32), so the corpus is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("postindex related on a generated corpus", () => {
  test("a sample of 1,000 posts: the exported list is the API's answer, pins and flags included", async () => {
    const next = random(14);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
    const areas = ["backend", "frontend", "data", "ops"];
    const stacks = ["python services", "node services", "go services", "rust services"];
    const problems = Array.from({ length: 40 }, (_, n) => `problem ${n}`);
    const ids = Array.from({ length: 3_000 }, (_, n) => `gen-${String(n).padStart(5, "0")}`);
    const records = ids.map((id, n) => {
      const entities: [string, string][] = [
        ["area", pick(areas)],
        ["stack", pick(stacks)],
        ["problem", pick(problems)],
      ];
      if (n % 5 === 0)
        for (let extra = 0; extra < 8; extra += 1) entities.push(["topic", `topic ${Math.floor(next() * 600)}`]);
      const record = post(id, {
        entities,
        stack: [entities[1]?.[1] as string],
        lastReviewed: `202${Math.floor(next() * 5)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`,
      });
      const meta = record["meta"] as Record<string, unknown>;
      if (n % 37 === 0) meta["related"] = { pinned: [pick(ids), "missing-post", pick(ids)], excluded: [pick(ids)] };
      if (n % 101 === 0) meta["flags"] = { no_related: true };
      return record;
    });
    const dir = await makeContentDir({
      "a.ndjson": ndjson(...records.slice(0, 1_500)),
      "b.ndjson": ndjson(...records.slice(1_500)),
    });
    const { app } = await indexed(dir);
    const answers = await exported([dir, "--limit", "8"]);
    expect(answers).toHaveLength(3_000);
    expect(answers.some((answer) => answer.related.some((entry) => entry.source === "pinned"))).toBe(true);
    for (const answer of answers.filter((_, n) => n % 3 === 0))
      expect(answer).toEqual(await apiAnswer(app, answer.id, 8));
  });
});
