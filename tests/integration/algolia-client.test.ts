import { algoliasearch } from "algoliasearch";
import { liteClient } from "algoliasearch/lite";
import algoliasearchV4 from "algoliasearch-v4";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp, startServer, type RunningServer } from "../../api/index.js";
import { apiClientFor, silentLog, testApp } from "../helpers/api.js";
import { post, seedIndex } from "../helpers/seed-index.js";
import { freshIndexUid, startMeili, type TestMeili } from "../helpers/start-meili.js";

/**
 * The real Algolia clients (algoliasearch v5, and v4, whose requests carry a URL-encoded `params`
 * string) against the API over HTTP, on a small planted index. Every expected id, count and score
 * is written here: a1's three entities each occur in two of the five indexed posts, so every one
 * weighs the same rarity and a related post's score is the share of type weight it has in common
 * (problem 1.2, tool 1, stack 1: a3 shares caching + python services = 2.2 / 3.2 = 0.6875, a2
 * shares redis = 1 / 3.2 = 0.3125).
 */

let meili: TestMeili;
let server: RunningServer;
let closeClient: () => Promise<void>;
let uid: string;

const POSTS = [
  post("a1", {
    title: "Cache invalidation with Redis",
    stack: ["python services"],
    tools: ["redis"],
    difficulty: "intermediate",
    viewCount: 500,
    lastReviewed: "2024-05-01",
    entities: [
      ["tool", "redis"],
      ["problem", "caching"],
      ["stack", "python services"],
    ],
    paragraphs: ["When the cache holds stale pages, invalidate keys in Redis after each write to the database."],
  }),
  post("a2", {
    title: "Redis cluster sizing",
    stack: ["go services"],
    tools: ["redis"],
    difficulty: "advanced",
    viewCount: 100,
    lastReviewed: "2024-03-01",
    entities: [
      ["tool", "redis"],
      ["problem", "scaling"],
    ],
  }),
  post("a3", {
    title: "Caching HTTP responses",
    stack: ["python services"],
    tools: ["varnish"],
    difficulty: "beginner",
    viewCount: 50,
    lastReviewed: "2024-01-01",
    entities: [
      ["problem", "caching"],
      ["stack", "python services"],
    ],
  }),
  post("a4", {
    title: "Kubernetes rollout",
    stack: ["go services"],
    tools: ["kubectl"],
    difficulty: "advanced",
    viewCount: 900,
    lastReviewed: "2023-06-01",
    entities: [["tool", "kubectl"]],
  }),
  post("a6", {
    title: "Postgres vacuum",
    stack: ["general"],
    tools: ["postgres"],
    difficulty: "beginner",
    viewCount: 10,
    lastReviewed: "2022-01-01",
    entities: [["tool", "postgres"]],
  }),
  post("draft", { title: "Redis draft", tools: ["redis"], status: "draft", entities: [["tool", "redis"]] }),
];

beforeAll(async () => {
  meili = await startMeili();
  uid = freshIndexUid("algolia");
  await seedIndex(meili.client, uid, POSTS);
  const client = await apiClientFor(meili, uid);
  closeClient = () => client.close();
  server = await startServer(createApp({ client, indexUid: uid, log: silentLog() }), 0, { host: "127.0.0.1" });
});

afterAll(async () => {
  await server?.close();
  await closeClient?.();
  await meili?.stop();
});

function port(url = server.url): number {
  return Number(new URL(url).port);
}

/** An algoliasearch v5 client of the API listening at `url` (the suite's server by default). */
function v5(url = server.url) {
  return algoliasearch("postindex", "public-search-key", {
    hosts: [{ url: "127.0.0.1", port: port(url), accept: "readWrite", protocol: "http" }],
  });
}

function ids(hits: readonly { objectID: string }[]): string[] {
  return hits.map((hit) => hit.objectID);
}

type Hit = { objectID: string; [field: string]: unknown };
type Result = { hits: Hit[]; nbHits: number; page: number; nbPages: number; hitsPerPage: number; [k: string]: unknown };

describe("algoliasearch v5", () => {
  test("a multi-query with facets, facetFilters and highlights answers each request in Algolia's shape", async () => {
    const { results } = await v5().search({
      requests: [
        {
          indexName: uid,
          query: "redis",
          facets: ["stack", "tools", "difficulty"],
          highlightPreTag: "<em>",
          highlightPostTag: "</em>",
          hitsPerPage: 10,
        },
        { indexName: uid, query: "redis", facetFilters: [["stack:python services"]], hitsPerPage: 1 },
      ],
    });
    const [all, filtered] = results as unknown as Result[];
    expect(all?.nbHits).toBe(2);
    expect(ids(all?.hits ?? []).sort()).toEqual(["a1", "a2"]);
    expect(all?.facets).toEqual({
      stack: { "python services": 1, "go services": 1 },
      tools: { redis: 2 },
      difficulty: { intermediate: 1, advanced: 1 },
    });
    expect(all?.page).toBe(0);
    expect(all?.hitsPerPage).toBe(10);
    expect(all?.index).toBe(uid);
    expect(all?.query).toBe("redis");
    expect(all?.exhaustiveNbHits).toBe(true);
    const a2 = all?.hits.find((hit) => hit.objectID === "a2");
    expect(a2?.["title"]).toBe("Redis cluster sizing");
    expect(a2?.["_highlightResult"]).toMatchObject({
      title: { value: "<em>Redis</em> cluster sizing", matchLevel: "full", matchedWords: ["redis"] },
      tools: [{ value: "<em>redis</em>", matchLevel: "full" }],
    });
    expect(filtered?.nbHits).toBe(1);
    expect(ids(filtered?.hits ?? [])).toEqual(["a1"]);
    expect(filtered?.nbPages).toBe(1);
  });

  test("a hit's fields are the stored values, highlighted or not, and only the fields asked for", async () => {
    const stored = {
      title: "Cache invalidation with Redis",
      stack: ["python services"],
      tools: ["redis"],
      difficulty: "intermediate",
      view_count: 500,
    };
    const search = (extra: Record<string, unknown>) =>
      v5().search({
        requests: [
          { indexName: uid, query: "redis invalidation", highlightPreTag: "<em>", highlightPostTag: "</em>", ...extra },
        ],
      });
    const hitOf = (answer: Awaited<ReturnType<typeof search>>) =>
      (answer.results[0] as unknown as Result).hits.find((hit) => hit.objectID === "a1");
    const highlighted = hitOf(await search({}));
    expect(highlighted).toMatchObject(stored);
    expect(highlighted?.["_highlightResult"]).toMatchObject({
      title: { value: "Cache <em>invalidation</em> with <em>Redis</em>", matchLevel: "full" },
      tools: [{ value: "<em>redis</em>", matchLevel: "partial" }],
    });
    expect(hitOf(await search({ attributesToHighlight: [] }))).toMatchObject(stored);
    const some = hitOf(
      await search({ attributesToRetrieve: ["title", "difficulty"], attributesToHighlight: ["tools"] }),
    );
    expect(Object.keys(some ?? {}).sort()).toEqual(["_highlightResult", "difficulty", "objectID", "title"]);
    expect(some).toMatchObject({ title: stored.title, difficulty: stored.difficulty });
    expect(Object.keys((some?.["_highlightResult"] ?? {}) as object)).toEqual(["tools"]);
  });

  test("titles in any script come back exactly as stored, matched or not", async () => {
    const titles = {
      cjk: "東京のキャッシュ戦略 Redis 入門",
      emoji: "🚀 Redis caching 🔥 for señor Müller",
      combining: "Cafe\u0301 naïve re\u0301sume\u0301 with redis",
      rtl: "ذاكرة التخزين المؤقت Redis",
    };
    const scriptsUid = freshIndexUid("algolia-scripts");
    await seedIndex(
      meili.client,
      scriptsUid,
      Object.entries(titles).map(([id, title]) => post(id, { title, tools: ["redis"] })),
    );
    const scripts = await testApp(meili, scriptsUid);
    const scriptsServer = await startServer(scripts.app, 0, { host: "127.0.0.1" });
    try {
      const client = v5(scriptsServer.url);
      for (const query of ["redis", "キャッシュ", "🚀", "naïve", ""]) {
        const { results } = await client.search({ requests: [{ indexName: scriptsUid, query, hitsPerPage: 10 }] });
        const hits = (results[0] as unknown as Result).hits;
        expect(hits.length, `query ${query}`).toBeGreaterThan(0);
        for (const hit of hits)
          expect(hit["title"], `query ${query}`).toBe(titles[hit.objectID as keyof typeof titles]);
      }
    } finally {
      await scriptsServer.close();
      await scripts.close();
    }
  });

  test("paging and the replica sort orders", async () => {
    const { results } = await v5().search({
      requests: [
        { indexName: `${uid}_popular`, query: "", hitsPerPage: 2, page: 1 },
        { indexName: `${uid}_recent`, query: "", hitsPerPage: 3, page: 0 },
      ],
    });
    const [popular, recent] = results as unknown as Result[];
    expect(popular).toMatchObject({ nbHits: 5, nbPages: 3, page: 1, hitsPerPage: 2, index: `${uid}_popular` });
    expect(ids(popular?.hits ?? [])).toEqual(["a2", "a3"]);
    expect(ids(recent?.hits ?? [])).toEqual(["a1", "a2", "a3"]);
  });

  test("negated facet filters, numeric filters and the filters subset", async () => {
    const { results } = await v5().search({
      requests: [
        { indexName: uid, facetFilters: ["tools:-redis"] },
        { indexName: uid, numericFilters: ["view_count>=100"] },
        { indexName: uid, filters: 'stack:"go services" AND NOT tools:kubectl' },
        { indexName: uid, filters: "(difficulty:beginner OR difficulty:advanced) AND view_count:40 TO 1000" },
      ],
    });
    const [notRedis, popular, goWithoutKubectl, ranged] = (results as unknown as Result[]).map((r) =>
      ids(r.hits).sort(),
    );
    expect(notRedis).toEqual(["a3", "a4", "a6"]);
    expect(popular).toEqual(["a1", "a2", "a4"]);
    expect(goWithoutKubectl).toEqual(["a2"]);
    expect(ranged).toEqual(["a2", "a3", "a4"]);
  });

  test("snippets crop the body around the match", async () => {
    const { results } = await v5().search({
      requests: [
        {
          indexName: uid,
          query: "stale",
          attributesToSnippet: ["body:4"],
          highlightPreTag: "__ais-highlight__",
          highlightPostTag: "__/ais-highlight__",
        },
      ],
    });
    const [result] = results as unknown as Result[];
    expect(ids(result?.hits ?? [])).toEqual(["a1"]);
    const snippets = result?.hits[0]?.["_snippetResult"] as { body: { value: string; matchLevel: string } } | undefined;
    const snippet = snippets?.body ?? { value: "", matchLevel: "missing" };
    expect(snippet.matchLevel).toBe("full");
    expect(snippet.value).toContain("__ais-highlight__stale__/ais-highlight__");
    expect(snippet.value.split(/\s+/).length).toBeLessThanOrEqual(6);
  });

  test("facet-value search, alone and inside a multi-query", async () => {
    const client = v5();
    const alone = await client.searchForFacetValues({
      indexName: uid,
      facetName: "tools",
      searchForFacetValuesRequest: { facetQuery: "re" },
    });
    expect(alone.facetHits).toEqual([{ value: "redis", highlighted: "<em>re</em>dis", count: 2 }]);
    const { results } = await client.search({
      requests: [{ indexName: uid, type: "facet", facet: "stack", facetQuery: "go", facetFilters: ["tools:redis"] }],
    });
    expect((results[0] as { facetHits: unknown }).facetHits).toEqual([
      { value: "go services", highlighted: "<em>go</em> services", count: 1 },
    ]);
  });

  test("recommendations: related-products with threshold, facet filters and fallback", async () => {
    const client = liteClient("postindex", "public-search-key", {
      hosts: [{ url: "127.0.0.1", port: port(), accept: "readWrite", protocol: "http" }],
    });
    const { results } = await client.getRecommendations({
      requests: [
        { indexName: uid, model: "related-products", objectID: "a1", threshold: 0, maxRecommendations: 5 },
        { indexName: uid, model: "related-products", objectID: "a1", threshold: 50 },
        {
          indexName: uid,
          model: "looking-similar",
          objectID: "a1",
          threshold: 0,
          queryParameters: { facetFilters: ["difficulty:advanced"] },
        },
        {
          indexName: uid,
          model: "related-products",
          objectID: "a6",
          threshold: 0,
          fallbackParameters: { facetFilters: ["stack:go services"] },
        },
      ],
    });
    const [all, strong, advanced, fallback] = results as unknown as Result[];
    expect(ids(all?.hits ?? [])).toEqual(["a3", "a2"]);
    expect(all?.hits.map((hit) => hit["_score"])).toEqual([68.75, 31.25]);
    expect(ids(strong?.hits ?? [])).toEqual(["a3"]);
    const sharedEntities = (strong?.hits[0]?.["shared"] ?? []) as { name: string; type: string }[];
    const shared = sharedEntities.map((entity) => `${entity.type}:${entity.name}`);
    expect(shared).toEqual(["problem:caching", "stack:python services"]);
    expect(strong?.hits[0]?.["title"]).toBe("Caching HTTP responses");
    expect(ids(advanced?.hits ?? [])).toEqual(["a2"]);
    expect(ids(fallback?.hits ?? []).sort()).toEqual(["a2", "a4"]);
    expect(fallback?.hits.map((hit) => hit["_score"])).toEqual([0, 0]);
  });

  test("a search that finds nothing is retried looser once, and says so", async () => {
    const { results } = await v5().search({
      requests: [
        { indexName: uid, query: "cach invalidaton" },
        { indexName: uid, query: "redis" },
        { indexName: uid, query: "zzzz qqqq" },
      ],
    });
    const [relaxed, exact, nothing] = results as unknown as Result[];
    expect(ids(relaxed?.hits ?? [])).toEqual(["a1"]);
    expect(relaxed?.["relaxed"]).toBe(true);
    expect(relaxed?.query).toBe("cach invalidaton");
    expect(exact?.["relaxed"]).toBeUndefined();
    expect(nothing?.nbHits).toBe(0);
    expect(nothing?.["relaxed"]).toBeUndefined();
  });

  test("GET /search retries looser too, and says so with relaxed: true", async () => {
    const relaxed = (await (await fetch(`${server.url}/search?q=cach%20invalidaton`)).json()) as Record<
      string,
      unknown
    >;
    expect(relaxed["relaxed"]).toBe(true);
    expect(relaxed["total"]).toBe(1);
    expect((relaxed["hits"] as { id: string }[]).map((hit) => hit.id)).toEqual(["a1"]);
    const exact = (await (await fetch(`${server.url}/search?q=redis`)).json()) as Record<string, unknown>;
    expect(exact["relaxed"]).toBeUndefined();
    expect(exact["total"]).toBe(2);
    const nothing = (await (await fetch(`${server.url}/search?q=zzzz%20qqqq`)).json()) as Record<string, unknown>;
    expect(nothing).toMatchObject({ hits: [], total: 0 });
    expect(nothing["relaxed"]).toBeUndefined();
  });

  test("an unknown index is Algolia's 404, a bad parameter its 400", async () => {
    const client = v5();
    await expect(client.search({ requests: [{ indexName: "other" }] })).rejects.toMatchObject({
      status: 404,
      message: "Index does not exist",
    });
    await expect(client.search({ requests: [{ indexName: uid, hitsPerPage: 5000 }] })).rejects.toMatchObject({
      status: 400,
    });
    await expect(
      client.search({ requests: [{ indexName: uid, filters: 'title:"x" OR id != ""' }] }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

function v4() {
  return algoliasearchV4.default("postindex", "public-search-key", {
    hosts: [{ url: `127.0.0.1:${port()}`, protocol: "http" }],
  });
}

describe("algoliasearch v4 (params as a URL-encoded string)", () => {
  test("multi-query, single index search and facet-value search", async () => {
    const client = v4();
    const { results } = await client.search<Hit>([
      {
        indexName: uid,
        query: "redis",
        params: { facetFilters: [["stack:go services"]], facets: ["tools"], hitsPerPage: 5 },
      },
    ]);
    const [result] = results as unknown as Result[];
    expect(ids(result?.hits ?? [])).toEqual(["a2"]);
    expect(result?.facets).toEqual({ tools: { redis: 1 } });
    expect(result?.hitsPerPage).toBe(5);
    const index = client.initIndex(uid);
    const single = await index.search<Hit>("", { numericFilters: ["view_count<60"], hitsPerPage: 10 });
    expect(ids(single.hits).sort()).toEqual(["a3", "a6"]);
    const facets = await index.searchForFacetValues("tools", "kub");
    expect(facets.facetHits).toEqual([{ value: "kubectl", highlighted: "<em>kub</em>ectl", count: 1 }]);
  });
});
