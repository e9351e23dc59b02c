import { writeFile } from "node:fs/promises";
import path from "node:path";
import request from "supertest";
import { afterAll, describe, expect, test } from "vitest";
import { testApp } from "../helpers/api.js";
import { makeContentDir, ndjson } from "../helpers/content-dir.js";
import { runCli } from "../helpers/run-cli.js";
import { post } from "../helpers/seed-index.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";
import { makeTempDir } from "../helpers/tmp-dir.js";

/**
 * The content folder's aliases (postindex.config.json) in the API: a reader's facet filter or
 * facet-value query spelled as an alias finds what the records were indexed as.
 */

const meili = sharedMeili();
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

const CONFIG = { aliases: { tools: { k8s: "kubernetes", pg: "postgresql" } } };

async function site(): Promise<{ dir: string; uid: string }> {
  const dir = await makeContentDir({
    "postindex.config.json": JSON.stringify(CONFIG),
    "posts.ndjson": ndjson(
      post("kube-1", { tools: ["kubernetes"], entities: [["tool", "kubernetes"]] }),
      post("kube-2", { tools: ["k8s"], entities: [["tool", "kubernetes"]] }),
      post("pg-1", { tools: ["pg", "docker"], entities: [["tool", "kubernetes"]] }),
      post("other-1", { tools: ["docker"], entities: [["tool", "kubernetes"]] }),
    ),
  });
  const uid = freshIndexUid("aliases");
  const env = {
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.masterKey,
    MEILI_INDEX: uid,
    POSTINDEX_DATA_DIR: await makeTempDir("aliases"),
    LOG_LEVEL: "warn",
  };
  const reindex = await runCli(["reindex", dir], env);
  expect(reindex.status).toBe(0);
  return { dir, uid };
}

const ids = (hits: { id: string }[]) => hits.map((hit) => hit.id).sort();

describe("aliases in the API", () => {
  test("a facet filter spelled as an alias finds the posts indexed as the value meant", async () => {
    const { dir, uid } = await site();
    const { app, close } = await testApp(meili, uid, { contentDir: dir });
    closers.push(close);
    const byAlias = await request(app).get("/search?tools=k8s").expect(200);
    expect(ids(byAlias.body.hits)).toEqual(["kube-1", "kube-2"]);
    const both = await request(app).get("/search?tools=k8s&tools=kubernetes&tools=pg").expect(200);
    expect(ids(both.body.hits)).toEqual(["kube-1", "kube-2", "pg-1"]);
    // Through Express too (a path spelling the lean route leaves to it).
    const viaExpress = await request(app).get("/Search/?tools=pg").expect(200);
    expect(ids(viaExpress.body.hits)).toEqual(["pg-1"]);
    // Related posts' facet filters and autocomplete.
    const related = await request(app).get("/posts/other-1/related?tools=k8s&limit=5").expect(200);
    expect(related.body.related.map((entry: { id: string }) => entry.id).sort()).toEqual(["kube-1", "kube-2"]);
    const values = await request(app).get("/facets/tools?q=k8s").expect(200);
    expect(JSON.stringify(values.body)).toContain("kubernetes");
    expect(JSON.stringify(values.body)).not.toContain("k8s");
  });

  test("the Algolia routes apply them to facetFilters, negated ones too, and to Recommend's filters", async () => {
    const { dir, uid } = await site();
    const { app, close } = await testApp(meili, uid, { contentDir: dir });
    closers.push(close);
    const multi = async (facetFilters: unknown) => {
      const body = JSON.stringify({ requests: [{ indexName: uid, facetFilters, hitsPerPage: 20 }] });
      const { body: answer } = await request(app)
        .post("/1/indexes/*/queries")
        .set("content-type", "text/plain")
        .send(body)
        .expect(200);
      return (answer.results[0].hits as { objectID: string }[]).map((hit) => hit.objectID).sort();
    };
    expect(await multi(["tools:k8s"])).toEqual(["kube-1", "kube-2"]);
    expect(await multi([["tools:K8s", "tools:pg"]])).toEqual(["kube-1", "kube-2", "pg-1"]);
    expect(await multi(["tools:-k8s"])).toEqual(["other-1", "pg-1"]);
    const { body: recommended } = await request(app)
      .post("/1/indexes/*/recommendations")
      .set("content-type", "text/plain")
      .send(
        JSON.stringify({
          requests: [
            {
              indexName: uid,
              model: "related-products",
              objectID: "other-1",
              queryParameters: { facetFilters: ["tools:pg"] },
            },
          ],
        }),
      )
      .expect(200);
    expect(recommended.results[0].hits.map((hit: { objectID: string }) => hit.objectID)).toEqual(["pg-1"]);
    // Searching for facet values with an alias finds the value it stands for, in both forms of the request.
    const { body: values } = await request(app)
      .post(`/1/indexes/${uid}/facets/tools/query`)
      .set("content-type", "text/plain")
      .send(JSON.stringify({ facetQuery: "K8s" }))
      .expect(200);
    expect(values.facetHits.map((hit: { value: string; count: number }) => [hit.value, hit.count])).toEqual([
      ["kubernetes", 2],
    ]);
    const { body: inMulti } = await request(app)
      .post("/1/indexes/*/queries")
      .set("content-type", "text/plain")
      .send(JSON.stringify({ requests: [{ indexName: uid, type: "facet", facet: "tools", facetQuery: "k8s" }] }))
      .expect(200);
    expect(inMulti.results[0].facetHits.map((hit: { value: string }) => hit.value)).toEqual(["kubernetes"]);
  });

  test("without the folder's configuration an alias is just another value; an edit applies within seconds", async () => {
    const { dir, uid } = await site();
    const plain = await testApp(meili, uid);
    closers.push(plain.close);
    expect((await request(plain.app).get("/search?tools=k8s").expect(200)).body.total).toBe(0);
    const { app, close } = await testApp(meili, uid, { contentDir: dir });
    closers.push(close);
    expect((await request(app).get("/search?tools=k8s").expect(200)).body.total).toBe(2);
    await writeFile(
      path.join(dir, "postindex.config.json"),
      JSON.stringify({ aliases: { tools: { kube: "kubernetes" } } }),
    );
    await expect
      .poll(async () => (await request(app).get("/search?tools=kube").expect(200)).body.total, {
        message: "the edited aliases apply",
        timeout: 5_000,
      })
      .toBe(2);
    expect((await request(app).get("/search?tools=k8s").expect(200)).body.total).toBe(0);
  });
});
