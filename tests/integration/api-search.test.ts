import type { Express } from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testApp } from "../helpers/api.js";
import { post, seedIndex } from "../helpers/seed-index.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

const LONG_BODY = Array.from(
  { length: 12 },
  (_, i) => `paragraph filler words number ${i} about nothing in particular at all`,
).join(" ");

const RECORDS = [
  post("s1", {
    title: "Caching API responses in Python services",
    stack: ["Python Services", "backend"],
    tools: ["redis", "fastapi"],
    difficulty: "beginner",
    lastReviewed: "2021-05-01",
    viewCount: 100,
    paragraphs: [`${LONG_BODY} cache invalidation is the hard part ${LONG_BODY}`],
  }),
  post("s2", {
    title: "Caching with Node",
    stack: ["node services", "backend"],
    tools: ["redis", "express"],
    difficulty: "advanced",
    lastReviewed: "2023-01-01",
    viewCount: 5000,
  }),
  post("s3", {
    title: "Zero downtime deploys",
    stack: ["python services"],
    tools: ["docker", "pytest"],
    difficulty: "intermediate",
    lastReviewed: "2019-03-03",
    viewCount: 50,
  }),
  post("s4", {
    title: "<script>alert(1)</script> caching tricks",
    stack: ['back\\slash "quoted"'],
    tools: ["python-tool"],
    lastReviewed: "2018-01-01",
  }),
  post("s5", { title: "Windows paths", stack: ["ends with \\"], lastReviewed: "2018-02-02" }),
  post("s6", { title: "Injection bait", stack: ['a" OR stack = "b'], lastReviewed: "2018-03-03" }),
  post("s7", { title: "Plain a", stack: ["a"] }),
  post("s8", { title: "Plain b", stack: ["b"] }),
  post("d1", { title: "Caching secret draft", status: "draft" }),
  post("n1", { title: "Caching secret noindex", noindex: true }),
];

describe("GET /search", () => {
  const meili = sharedMeili();
  let app: Express;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const uid = freshIndexUid("search");
    await seedIndex(meili.client, uid, RECORDS);
    ({ app, close } = await testApp(meili, uid, { corsOrigins: ["https://site.example"] }));
  });

  afterAll(async () => {
    await close?.();
  });

  const ids = (body: { hits: { id: string }[] }) => body.hits.map((hit) => hit.id).sort();

  test("hits carry the record id, a highlighted title, a cropped snippet and display fields, never the body", async () => {
    const { body } = await request(app).get("/search?q=invalidation").expect(200);
    expect(body).toMatchObject({ total: 1, page: 1, limit: 10 });
    const [hit] = body.hits;
    expect(hit).toMatchObject({
      id: "s1",
      title: "Caching API responses in Python services",
      stack: ["python services", "backend"],
      difficulty: "beginner",
    });
    expect(hit.snippet).toContain("<mark>invalidation</mark>");
    expect(hit.snippet.split(/\s+/).length).toBeLessThanOrEqual(32);
    expect(hit.snippet.startsWith("…")).toBe(true);
    expect(Object.keys(hit)).not.toEqual(expect.arrayContaining(["body"]));
    for (const key of ["body", "sections", "_formatted", "entities", "source_file"])
      expect(hit).not.toHaveProperty(key);
  });

  test("typo-tolerant, with facet counts for every facet over the whole result", async () => {
    const { body } = await request(app).get("/search?q=cachng").expect(200);
    expect(ids(body)).toEqual(["s1", "s2", "s4"]);
    expect(body.hits.find((hit: { id: string }) => hit.id === "s2").title_highlighted).toMatch(/^<mark>Cachin/);
    expect(body.facets.stack).toMatchObject({ backend: 2, "python services": 1, "node services": 1 });
    expect(body.facets.tools).toMatchObject({ redis: 2 });
    expect(body.facets.difficulty).toEqual({ beginner: 1, advanced: 1 });
    expect(Object.keys(body.facets).sort()).toEqual(["code_language", "difficulty", "scenario", "stack", "tools"]);
  });

  test("excluded records are never found", async () => {
    const { body } = await request(app).get("/search?q=secret").expect(200);
    expect(body).toMatchObject({ total: 0, hits: [] });
  });

  test("values of one facet are OR-ed, facets AND-ed, values normalised like records", async () => {
    const or = await request(app).get("/search?stack=python%20services&stack=node%20services").expect(200);
    expect(ids(or.body)).toEqual(["s1", "s2", "s3"]);
    const and = await request(app)
      .get("/search?stack=python%20services&stack=node%20services&tools=redis&difficulty=advanced")
      .expect(200);
    expect(ids(and.body)).toEqual(["s2"]);
    const messy = await request(app).get("/search?stack=%20%20PYTHON%0A%20services%20").expect(200);
    expect(ids(messy.body)).toEqual(["s1", "s3"]);
  });

  test("filter values are quoted and escaped: quotes and backslashes match literally, never as syntax", async () => {
    const bait = await request(app)
      .get(`/search?stack=${encodeURIComponent('a" OR stack = "b')}`)
      .expect(200);
    expect(ids(bait.body)).toEqual(["s6"]);
    const quoted = await request(app)
      .get(`/search?stack=${encodeURIComponent('back\\slash "quoted"')}`)
      .expect(200);
    expect(ids(quoted.body)).toEqual(["s4"]);
    const trailing = await request(app)
      .get(`/search?stack=${encodeURIComponent("ends with \\")}`)
      .expect(200);
    expect(ids(trailing.body)).toEqual(["s5"]);
    for (const value of ['"', "\\", '\\"', 'x") OR (stack = "a', "a' OR stack = 'b", "[", "a\\"]) {
      const { body } = await request(app)
        .get(`/search?stack=${encodeURIComponent(value)}`)
        .expect(200);
      expect(body.total, value).toBe(0);
    }
  });

  test("titles and snippets are HTML-escaped around the <mark>s", async () => {
    const { body } = await request(app).get("/search?q=tricks").expect(200);
    expect(body.hits[0].title_highlighted).toBe("&lt;script&gt;alert(1)&lt;/script&gt; caching <mark>tricks</mark>");
  });

  test("paging and sorting", async () => {
    const page2 = await request(app).get("/search?q=caching&limit=1&page=2").expect(200);
    expect(page2.body).toMatchObject({ total: 3, page: 2, limit: 1 });
    expect(page2.body.hits).toHaveLength(1);
    const recent = await request(app).get("/search?q=caching&sort=recent").expect(200);
    expect(recent.body.hits.map((hit: { id: string }) => hit.id)).toEqual(["s2", "s1", "s4"]);
    const popular = await request(app).get("/search?stack=backend&sort=POPULAR").expect(200);
    expect(popular.body.hits.map((hit: { id: string }) => hit.id)).toEqual(["s2", "s1"]);
  });

  test("GET answers are cacheable: Cache-Control max-age, a strong ETag, 304 on If-None-Match", async () => {
    const first = await request(app).get("/search?q=caching").expect(200);
    expect(first.headers["cache-control"]).toBe("public, max-age=30");
    expect(first.headers["etag"]).toMatch(/^"/);
    await request(app)
      .get("/search?q=caching")
      .set("If-None-Match", first.headers["etag"] as string)
      .expect(304);
  });

  test("security headers, and CORS only for allowed origins", async () => {
    const allowed = await request(app).get("/search").set("Origin", "https://site.example").expect(200);
    expect(allowed.headers).toMatchObject({
      "access-control-allow-origin": "https://site.example",
      "x-content-type-options": "nosniff",
      vary: expect.stringContaining("Origin"),
    });
    expect(allowed.headers).not.toHaveProperty("x-powered-by");
    const other = await request(app).get("/search").set("Origin", "https://evil.example").expect(200);
    expect(other.headers).not.toHaveProperty("access-control-allow-origin");
    const preflight = await request(app)
      .options("/related")
      .set("Origin", "https://site.example")
      .set("Access-Control-Request-Method", "POST")
      .expect(204);
    expect(preflight.headers["access-control-allow-methods"]).toContain("POST");
  });
});

describe("GET /facets/:facet", () => {
  const meili = sharedMeili();
  let app: Express;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const uid = freshIndexUid("facets");
    await seedIndex(meili.client, uid, RECORDS);
    ({ app, close } = await testApp(meili, uid));
  });

  afterAll(async () => {
    await close?.();
  });

  test("values starting with the query, most frequent first, with counts", async () => {
    const { body } = await request(app).get("/facets/tools?q=py").expect(200);
    expect(body.facet).toBe("tools");
    expect(body.values.map((item: { value: string }) => item.value).sort()).toEqual(["pytest", "python-tool"]);
    const stacks = await request(app).get("/facets/stack?q=").expect(200);
    expect(stacks.body.values.slice(0, 2)).toEqual(
      expect.arrayContaining([
        { value: "backend", count: 2 },
        { value: "python services", count: 2 },
      ]),
    );
  });

  test("the other facets' filters narrow the counts; limit caps the list", async () => {
    const { body } = await request(app).get("/facets/tools?q=re&difficulty=advanced").expect(200);
    expect(body.values).toEqual([{ value: "redis", count: 1 }]);
    const limited = await request(app).get("/facets/stack?limit=1").expect(200);
    expect(limited.body.values).toHaveLength(1);
  });

  test("an unknown facet is a 404 in the error shape; a bad limit a 400", async () => {
    const unknown = await request(app).get("/facets/nope").expect(404);
    expect(unknown.body.error.code).toBe("not_found");
    const bad = await request(app).get("/facets/tools?limit=lots").expect(400);
    expect(bad.body.error).toMatchObject({ code: "bad_request", parameter: "limit" });
  });
});
