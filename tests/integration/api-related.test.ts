import type { Express } from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readExampleRecord } from "../helpers/records.js";
import { testApp } from "../helpers/api.js";
import { post, seedIndex } from "../helpers/seed-index.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

type Related = {
  id: string;
  title: string;
  score: number;
  shared: { name: string; type: string; weight: number; contribution: number }[];
};

const range = (count: number) => Array.from({ length: count }, (_, i) => String(i).padStart(2, "0"));

/**
 * 43 indexed posts around "q": rare entities (df 3) it shares with a few planted posts, a tool a
 * quarter of the site carries, an area another quarter carries, and posts sharing nothing.
 */
const PLANTED = [
  post("q", {
    entities: [
      ["problem", "p1"],
      ["tool", "t1"],
      ["topic", "c1"],
      ["topic", "c2"],
      ["topic", "c3"],
      ["tool", "common"],
      ["area", "backend"],
    ],
    stack: ["python services"],
  }),
  post("three", {
    entities: [
      ["problem", "p1"],
      ["tool", "t1"],
      ["topic", "c1"],
    ],
  }),
  post("two", {
    entities: [
      ["problem", "p1"],
      ["tool", "t1"],
    ],
    difficulty: "advanced",
  }),
  post("one-rare", { entities: [["topic", "c1"]] }),
  post("tie-b", { entities: [["topic", "c2"]] }),
  post("tie-a", { entities: [["topic", "c2"]] }),
  post("tie-fresh", { entities: [["topic", "c3"]], lastReviewed: "2024-06-01" }),
  post("fresh-c3", { entities: [["topic", "c3"]], lastReviewed: "2010-01-01" }),
  ...range(10).map((n) =>
    post(`common-${n}`, { entities: [["tool", "common"]], difficulty: n === "03" ? "advanced" : "beginner" }),
  ),
  ...range(10).map((n) => post(`backend-${n}`, { entities: [["area", "backend"]] })),
  ...range(17).map((n) => post(`other-${n}`, { entities: [["topic", `unrelated ${n}`]] })),
  post("draft-three", {
    entities: [
      ["problem", "p1"],
      ["tool", "t1"],
      ["topic", "c1"],
    ],
    status: "draft",
  }),
  post("noindex-three", {
    entities: [
      ["problem", "p1"],
      ["tool", "t1"],
      ["topic", "c1"],
    ],
    noindex: true,
  }),
  post("lonely", { entities: [["topic", "nobody else"]], stack: ["rust services"] }),
  post("rust-old", { entities: [["topic", "rust a"]], stack: ["rust services"], lastReviewed: "2019-01-01" }),
  post("rust-new", {
    entities: [["topic", "rust b"]],
    stack: ["rust services", "backend"],
    lastReviewed: "2022-01-01",
  }),
  post("alpha-like", { entities: [["problem", "testing critical paths before launch"]] }),
];

describe("related posts", () => {
  const meili = sharedMeili();
  let app: Express;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const uid = freshIndexUid("related");
    await seedIndex(meili.client, uid, PLANTED);
    ({ app, close } = await testApp(meili, uid));
  });

  afterAll(async () => {
    await close?.();
  });

  async function related(path: string): Promise<{ id: string | null; related: Related[]; fallback: string | null }> {
    return (await request(app).get(path).expect(200)).body;
  }

  test("three rare shared beat two, two beat one, one rare beats one a quarter of the site shares", async () => {
    const answer = await related("/posts/q/related?limit=50");
    const ids = answer.related.map((item) => item.id);
    expect(answer).toMatchObject({ id: "q", fallback: null });
    expect(ids.slice(0, 2)).toEqual(["three", "two"]);
    expect(ids.indexOf("one-rare")).toBeLessThan(ids.indexOf("common-00"));
    expect(ids.indexOf("common-09")).toBeLessThan(ids.indexOf("backend-00"));
    expect(ids).toHaveLength(2 + 5 + 10 + 10);
  });

  test("ties break by fresher, then by id; never the post itself, never an excluded post", async () => {
    const ids = (await related("/posts/q/related?limit=50")).related.map((item) => item.id);
    expect(ids.slice(2, 7)).toEqual(["tie-fresh", "one-rare", "tie-a", "tie-b", "fresh-c3"]);
    expect(ids).not.toContain("q");
    expect(ids.filter((id) => id.includes("draft") || id.includes("noindex"))).toEqual([]);
    expect(ids.slice(7, 17)).toEqual(range(10).map((n) => `common-${n}`));
  });

  test("each result says what it shares and what each entity contributed; scores are 0..1", async () => {
    const [three, two] = (await related("/posts/q/related?limit=2")).related as [Related, Related];
    expect(three.shared.map((item) => `${item.type}:${item.name}`)).toEqual(["problem:p1", "tool:t1", "topic:c1"]);
    expect(three.title).toBe("post three");
    expect(three.score).toBeCloseTo(
      three.shared.reduce((sum, item) => sum + item.contribution, 0),
      3,
    );
    expect(three.score).toBeGreaterThan(two.score);
    expect(three.score).toBeLessThan(1);
    for (const item of three.shared) expect(item.weight).toBeGreaterThan(0);
  });

  test("limit and facet filters apply to the related list", async () => {
    expect((await related("/posts/q/related?limit=3")).related).toHaveLength(3);
    expect((await related("/posts/q/related")).related).toHaveLength(5);
    const advanced = await related("/posts/q/related?difficulty=advanced");
    expect(advanced.related.map((item) => item.id)).toEqual(["two", "common-03"]);
  });

  test("when nothing is shared, the same stack's most recent posts, marked as a fallback", async () => {
    const answer = await related("/posts/lonely/related");
    expect(answer).toMatchObject({ id: "lonely", fallback: "same_stack_recent" });
    expect(answer.related).toEqual([
      { id: "rust-new", title: "post rust-new", score: 0, shared: [], source: "fallback" },
      { id: "rust-old", title: "post rust-old", score: 0, shared: [], source: "fallback" },
    ]);
  });

  test("an unknown or excluded post is a 404", async () => {
    for (const id of ["nope", "draft-three", "noindex-three", "a%20b"]) {
      const { body } = await request(app).get(`/posts/${id}/related`).expect(404);
      expect(body.error.code).toBe("not_found");
    }
  });

  test("POST /related ranks for a draft record, leaving out the post it is a draft of", async () => {
    const draft = post("three", {
      entities: [
        ["problem", "p1"],
        ["tool", "t1"],
      ],
    });
    const { body } = await request(app).post("/related?limit=3").send(draft).expect(200);
    expect(body.id).toBe("three");
    // Equal scores, equal counts, equally fresh: by id.
    expect(body.related.map((item: Related) => item.id)).toEqual(["q", "two"]);
    expect(body.fallback).toBeNull();
  });

  test("POST /related takes a record in a messy spelling, or one without an id yet", async () => {
    const messy = await request(app)
      .post("/related")
      .send(readExampleRecord("alphanode-000504.messy.json"))
      .expect(200);
    expect(messy.body.id).toBe("alphanode-000504");
    expect(messy.body.related[0]).toMatchObject({
      id: "alpha-like",
      shared: [{ name: "testing critical paths before launch", type: "problem" }],
    });
    const { id: _id, ...idless } = post("x", { entities: [["topic", "c1"]] });
    const { body } = await request(app).post("/related").send(idless).expect(200);
    expect(body).toMatchObject({ id: null, related: [{ id: "one-rare" }, { id: "q" }, { id: "three" }] });
  });

  test("POST /related takes bare entities, normalised like records, and falls back when none is shared", async () => {
    const { body } = await request(app)
      .post("/related")
      .send({ entities: [{ name: "  P1 ", type: "Problem" }] })
      .expect(200);
    expect(body.related.map((item: Related) => item.id)).toEqual(["q", "three", "two"]);
    expect(body.headers?.["cache-control"]).toBeUndefined();
    const fallback = await request(app)
      .post("/related?limit=1")
      .send({ entities: [{ name: "brand new", type: "topic" }], stack: ["Rust Services"] })
      .expect(200);
    expect(fallback.body).toMatchObject({ id: null, fallback: "same_stack_recent", related: [{ id: "rust-new" }] });
    expect(fallback.headers["cache-control"]).toBe("no-store");
    const nothing = await request(app).post("/related?limit=1").send({ entities: [] }).expect(200);
    expect(nothing.body).toMatchObject({ fallback: "recent", related: [{ id: "tie-fresh" }] });
  });
});

describe("related posts follow the live index", () => {
  const meili = sharedMeili();

  test("a post deleted or added behind the indexer's back (no stamps) changes the answers within a second", async () => {
    const uid = freshIndexUid("live");
    await seedIndex(meili.client, uid, PLANTED.slice(0, 8));
    const { app, close } = await testApp(meili, uid);
    const relatedIds = async (path: string) =>
      (await request(app).get(path).expect(200)).body.related.map((item: Related) => item.id).join(",");
    try {
      expect(await relatedIds("/posts/q/related?limit=2")).toBe("three,two");
      await meili.client.waitForTask(meili.client.index(uid).deleteDocument("three"), { timeoutMs: 30_000 });
      await expect
        .poll(() => relatedIds("/posts/q/related?limit=2"), {
          message: "the deleted post leaves the related list",
          timeout: 1_000,
          interval: 25,
        })
        .toBe("two,one-rare");
      await seedIndex(meili.client, uid, [
        post("newcomer", {
          entities: [
            ["problem", "p1"],
            ["tool", "t1"],
            ["topic", "c2"],
          ],
        }),
      ]);
      await expect
        .poll(() => relatedIds("/posts/q/related?limit=1"), {
          message: "the added post tops the related list",
          timeout: 1_000,
          interval: 25,
        })
        .toBe("newcomer");
    } finally {
      await close();
    }
  });
});
