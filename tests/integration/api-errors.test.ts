import type { Express } from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testApp } from "../helpers/api.js";
import { post, seedIndex } from "../helpers/seed-index.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

describe("bad input, unknown routes, and the service routes", () => {
  const meili = sharedMeili();
  let app: Express;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const uid = freshIndexUid("errors");
    await seedIndex(meili.client, uid, [
      post("a b/c?", { entities: [["topic", "x"]] }),
      post("plain", { entities: [["topic", "x"]] }),
    ]);
    ({ app, close } = await testApp(meili, uid, { bodyLimitBytes: 2_048 }));
  });

  afterAll(async () => {
    await close?.();
  });

  /** Asserts the JSON error shape, a 400 naming `parameter`, no stack trace, no cache. */
  async function expectBadRequest(response: request.Test, parameter: string): Promise<void> {
    const { body, headers } = await response.expect(400).expect("Content-Type", /json/);
    expect(body.error).toMatchObject({ code: "bad_request", parameter });
    expect(body.error.message).toContain(parameter.split(".")[0]);
    expect(JSON.stringify(body)).not.toMatch(/\n\s+at |node_modules|\/work\//);
    expect(headers["cache-control"]).toBe("no-store");
  }

  test.each([
    ["a non-numeric limit", "/search?limit=ten", "limit"],
    ["a limit out of range", "/search?limit=1000", "limit"],
    ["a page of 0", "/search?page=0", "page"],
    ["an unknown sort", "/search?sort=random", "sort"],
    ["a 10,000-character q", `/search?q=${"a".repeat(10_000)}`, "q"],
    ["a malformed percent escape", "/search?q=%zz", "q"],
    ["an invalid UTF-8 escape", "/search?stack=%ff", "stack"],
    ["a repeated single parameter", "/search?q=a&q=b", "q"],
    [
      "too many values for a facet",
      `/search?${Array.from({ length: 21 }, (_, i) => `tools=t${i}`).join("&")}`,
      "tools",
    ],
    ["too many parameters", `/search?${Array.from({ length: 101 }, (_, i) => `x${i}=1`).join("&")}`, "query"],
    ["a non-numeric related limit", "/posts/plain/related?limit=abc", "limit"],
    ["a related limit out of range", "/posts/plain/related?limit=51", "limit"],
    ["a malformed escape in the path", "/posts/%E0%A4%A/related", "path"],
  ])("GET with %s is a 400 naming the parameter", async (_case, url, parameter) => {
    await expectBadRequest(request(app).get(url), parameter);
  });

  test("a body that is not JSON, or not valid JSON, or not an object, is a 400 naming body", async () => {
    await expectBadRequest(request(app).post("/related").set("Content-Type", "text/plain").send("hello"), "body");
    await expectBadRequest(request(app).post("/related").set("Content-Type", "application/json").send("{nope"), "body");
    await expectBadRequest(request(app).post("/related").send([1, 2]), "body");
    await expectBadRequest(request(app).post("/related").send({ entities: "x" }), "body.entities");
    await expectBadRequest(
      request(app)
        .post("/related")
        .send({ entities: [{ name: " ", type: "tool" }] }),
      "body.entities.0.name",
    );
    await expectBadRequest(request(app).post("/related").send({ title: "x", meta: {} }), "body.meta.revision.status");
  });

  test("a body over the limit is a 413 in the error shape", async () => {
    const { body } = await request(app)
      .post("/related")
      .send({ entities: [{ name: "x".repeat(4_000), type: "tool" }] })
      .expect(413);
    expect(body.error).toMatchObject({ code: "payload_too_large", parameter: "body" });
  });

  test("unknown routes and methods are a 404 in the same JSON shape", async () => {
    for (const response of [
      request(app).get("/nope"),
      request(app).post("/search"),
      request(app).delete("/posts/plain"),
    ]) {
      const { body } = await response.expect(404).expect("Content-Type", /json/);
      expect(body.error.code).toBe("not_found");
    }
  });

  test("GET /posts/:id takes the record id, encoded or not, and answers with it", async () => {
    const { body, headers } = await request(app)
      .get(`/posts/${encodeURIComponent("a b/c?")}`)
      .expect(200);
    expect(body).toMatchObject({
      id: "a b/c?",
      source_id: "a b/c?",
      title: "post a b/c?",
      entities: [{ name: "x", type: "topic" }],
    });
    expect(headers["etag"]).toBeDefined();
    const missing = await request(app)
      .get(`/posts/${"x".repeat(600)}`)
      .expect(404);
    expect(missing.body.error.code).toBe("not_found");
  });

  test("GET /health reports Meilisearch and the index", async () => {
    const { body, headers } = await request(app).get("/health").expect(200);
    expect(body).toMatchObject({ status: "ok", meilisearch: "available", documents: 2 });
    expect(headers["cache-control"]).toBe("no-store");
  });

  test("GET /metrics counts requests and latency by route in Prometheus text", async () => {
    await request(app).get("/posts/plain").expect(200);
    const { text, headers } = await request(app).get("/metrics").expect(200);
    expect(headers["content-type"]).toMatch(/^text\/plain/);
    expect(text).toMatch(/postindex_http_requests_total\{method="GET",route="\/posts\/:id",status="200"\} \d+/);
    expect(text).toMatch(
      /postindex_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/posts\/:id"\}/,
    );
    expect(text).toMatch(/route="unmatched",status="404"/);
    expect(text).toContain("# TYPE postindex_meilisearch_errors_total counter");
  });

  test("GET /openapi.json describes every route and parameter from the schemas", async () => {
    const { body } = await request(app).get("/openapi.json").expect(200);
    expect(body.openapi).toBe("3.1.0");
    expect(Object.keys(body.paths).sort()).toEqual(
      [
        "/facets/{facet}",
        "/health",
        "/metrics",
        "/openapi.json",
        "/posts/{id}",
        "/posts/{id}/related",
        "/related",
        "/search",
      ].sort(),
    );
    const search = body.paths["/search"].get.parameters.map((parameter: { name: string }) => parameter.name);
    expect(search).toEqual(["q", "page", "limit", "sort", "stack", "tools", "difficulty", "scenario", "code_language"]);
    expect(body.paths["/search"].get.parameters[2].schema).toMatchObject({ type: "integer", maximum: 100 });
    expect(body.components.schemas.RelatedAnswer.properties.related.items.properties.shared).toBeDefined();
    expect(body.components.schemas.DraftBody.anyOf).toHaveLength(2);
  });
});
