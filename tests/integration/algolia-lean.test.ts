import { request as httpRequest } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp, startServer, type RunningServer } from "../../api/index.js";
import { createMeiliClient } from "../../src/index.js";
import { algoliaServers, silentLog } from "../helpers/api.js";
import { rawRequest, type RawAnswer } from "../helpers/raw-http.js";
import { post, seedIndex } from "../helpers/seed-index.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

/**
 * The Algolia searches (`POST /1/indexes/*\/queries`, `POST /1/indexes/:index/query`) are served
 * before Express (api/algolia/lean-queries.ts). What a client sees over real HTTP: the answers, the
 * headers (security, CORS, no-store, no ETag on a search), Algolia-shaped errors, the public key,
 * the body limit (declared or streamed), v5 JSON fields and v4 form-encoded `params` — and the
 * same answer as the Express route gives (which still serves a body in another charset).
 */

const ORIGIN = "https://blog.example";
const KEY = "public-key-2";

const meili = sharedMeili();
let server: RunningServer;
let keyed: RunningServer;
let servers: Awaited<ReturnType<typeof algoliaServers>> | undefined;
let uid: string;

beforeAll(async () => {
  uid = freshIndexUid("algolia_lean");
  await seedIndex(meili.client, uid, [
    post("b1", {
      title: "Cache invalidation with Redis",
      stack: ["python services"],
      tools: ["redis"],
      lastReviewed: "2024-05-01",
    }),
    post("b2", { title: "Redis cluster sizing", stack: ["go services"], tools: ["redis"], lastReviewed: "2024-03-01" }),
    post("b3", { title: "Kubernetes rollout", stack: ["go services"], tools: ["kubectl"], lastReviewed: "2023-06-01" }),
  ]);
  servers = await algoliaServers(meili, uid, ORIGIN, KEY);
  server = servers.open;
  keyed = servers.keyed;
});

afterAll(() => servers?.close());

const QUERIES = "/1/indexes/*/queries";

function queries(body: string, headers: Record<string, string> = {}, path = QUERIES): Promise<RawAnswer> {
  return rawRequest(server.url, "POST", path, { headers: { "content-type": "text/plain", ...headers }, body });
}

interface Hit {
  objectID: string;
  title: string;
  _highlightResult: Record<string, { value: string; matchLevel: string; matchedWords: string[] }>;
}
interface Result {
  hits: Hit[];
  nbHits: number;
  page: number;
  nbPages: number;
  hitsPerPage: number;
  facets: Record<string, Record<string, number>>;
  query: string;
  params: string;
  index: string;
}

function results(answer: RawAnswer): Result[] {
  expect(answer.status, answer.body).toBe(200);
  return (JSON.parse(answer.body) as { results: Result[] }).results;
}

/** POSTs `body` with `Transfer-Encoding: chunked` (no `Content-Length`), in 8 kB chunks. */
function chunked(base: string, path: string, body: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: "POST", agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on("error", reject);
    for (let at = 0; at < body.length; at += 8192) req.write(body.slice(at, at + 8192));
    req.end();
  });
}

describe("searches", () => {
  test("a v5 multi-query (fields, text/plain, from an allowed origin): results, headers, no ETag", async () => {
    const body = JSON.stringify({
      requests: [
        { indexName: uid, query: "redis", facets: ["stack", "tools"], hitsPerPage: 10 },
        { indexName: uid, query: "redis", facets: ["stack"], hitsPerPage: 0, facetFilters: [["tools:redis"]] },
      ],
    });
    const answer = await queries(body, { origin: ORIGIN }, `${QUERIES}?x-algolia-agent=test&x-algolia-api-key=any`);
    const [main, facetQuery] = results(answer);
    expect(main?.hits.map((hit) => hit.objectID).sort()).toEqual(["b1", "b2"]);
    expect(main).toMatchObject({
      nbHits: 2,
      page: 0,
      nbPages: 1,
      hitsPerPage: 10,
      query: "redis",
      index: uid,
      facets: { stack: { "go services": 1, "python services": 1 }, tools: { redis: 2 } },
    });
    const b1 = main?.hits.find((hit) => hit.objectID === "b1");
    expect(b1?.title).toBe("Cache invalidation with Redis");
    expect(b1?._highlightResult["title"]).toEqual({
      value: "Cache invalidation with <em>Redis</em>",
      matchLevel: "full",
      matchedWords: ["redis"],
      fullyHighlighted: false,
    });
    expect(facetQuery).toMatchObject({ hits: [], nbHits: 2, hitsPerPage: 0, facets: { stack: { "go services": 1 } } });
    expect(facetQuery?.facets["stack"]).toEqual({ "go services": 1, "python services": 1 });
    const { headers } = answer;
    expect(headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(headers["content-length"]).toBe(String(Buffer.byteLength(answer.body)));
    expect(headers["cache-control"]).toBe("no-store");
    expect(headers["etag"]).toBeUndefined();
    expect(headers["vary"]).toBe("Origin");
    expect(headers["access-control-allow-origin"]).toBe(ORIGIN);
    expect(headers["access-control-expose-headers"]).toBe("ETag, Retry-After");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["content-security-policy"]).toContain("default-src 'self'");
  });

  test("a v4 multi-query (form-encoded, params string) reads its parameters and echoes them", async () => {
    const params = `query=kubernetes&hitsPerPage=5&facets=${encodeURIComponent('["tools"]')}`;
    const answer = await queries(JSON.stringify({ requests: [{ indexName: uid, params }] }), {
      "content-type": "application/x-www-form-urlencoded",
    });
    const [result] = results(answer);
    expect(result?.hits.map((hit) => hit.objectID)).toEqual(["b3"]);
    expect(result).toMatchObject({
      hitsPerPage: 5,
      nbHits: 1,
      facets: { tools: { kubectl: 1 } },
      params: "query=kubernetes&page=0&hitsPerPage=5&facets=%5B%22tools%22%5D",
    });
  });

  test("the single-index route, with a replica's sort; `%2A` and a trailing slash on the multi-query", async () => {
    const single = await queries(JSON.stringify({ query: "redis" }), {}, `/1/indexes/${uid}_recent/query`);
    expect(single.status, single.body).toBe(200);
    const result = JSON.parse(single.body) as Result;
    expect(result.hits.map((hit) => hit.objectID)).toEqual(["b1", "b2"]);
    expect(result.index).toBe(`${uid}_recent`);
    expect(single.headers["cache-control"]).toBe("no-store");
    const escaped = await queries(
      JSON.stringify({ requests: [{ indexName: uid, query: "rollout" }] }),
      {},
      "/1/indexes/%2A/queries/",
    );
    expect(results(escaped)[0]?.hits.map((hit) => hit.objectID)).toEqual(["b3"]);
  });

  test("a search that finds nothing is retried with its words reordered, and says so", async () => {
    const [result] = results(
      await queries(JSON.stringify({ requests: [{ indexName: uid, query: "cach invalidaton" }] })),
    );
    expect(result?.hits.map((hit) => hit.objectID)).toEqual(["b1"]);
    expect(result).toMatchObject({ relaxed: true, query: "cach invalidaton" });
  });
});

describe("errors, in Algolia's shape", () => {
  test("a body that is not JSON, an unknown index, a bad parameter", async () => {
    const broken = await queries("{", { origin: ORIGIN });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toEqual({ message: "body is not valid JSON", status: 400 });
    expect(broken.headers["cache-control"]).toBe("no-store");
    expect(broken.headers["access-control-allow-origin"]).toBe(ORIGIN);
    expect(broken.headers["etag"]).toMatch(/^"[0-9a-f]+-/);
    const unknown = await queries(JSON.stringify({ requests: [{ indexName: "elsewhere" }] }));
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toEqual({ message: "Index does not exist", status: 404 });
    const single = await queries("{}", {}, "/1/indexes/elsewhere/query");
    expect(JSON.parse(single.body)).toEqual({ message: "Index does not exist", status: 404 });
    const bad = await queries(JSON.stringify({ requests: [{ indexName: uid, page: -1 }] }));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ message: 'page must be an integer from 0 to 999, got "-1"', status: 400 });
    const empty = await rawRequest(server.url, "POST", QUERIES);
    expect(JSON.parse(empty.body)).toEqual({ message: "requests must be a list", status: 400 });
  });

  test("a body past 64 KiB is a 413, whether its length is declared or it is streamed", async () => {
    const big = JSON.stringify({ requests: [{ indexName: uid, query: "x".repeat(70_000) }] });
    const declared = await queries(big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toEqual({ message: "body must be at most 65536 bytes", status: 413 });
    const streamed = await chunked(server.url, QUERIES, big);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toEqual({ message: "body must be at most 65536 bytes", status: 413 });
    // A chunked body under the limit is read whole.
    const small = await chunked(
      server.url,
      QUERIES,
      JSON.stringify({ requests: [{ indexName: uid, query: "sizing" }] }),
    );
    expect(results(small)[0]?.hits.map((hit) => hit.objectID)).toEqual(["b2"]);
  });

  test("with a public key configured, only requests carrying it (header or query string) are answered", async () => {
    const body = JSON.stringify({ requests: [{ indexName: uid, query: "redis" }] });
    const none = await rawRequest(keyed.url, "POST", QUERIES, { body });
    expect(none.status).toBe(403);
    expect(JSON.parse(none.body)).toEqual({ message: "Invalid Application-ID or API key", status: 403 });
    expect(none.headers["cache-control"]).toBe("no-store");
    const wrong = await rawRequest(keyed.url, "POST", `${QUERIES}?x-algolia-api-key=other`, { body });
    expect(wrong.status).toBe(403);
    const single = await rawRequest(keyed.url, "POST", `/1/indexes/${uid}/query`, { body: "{}" });
    expect(single.status).toBe(403);
    const header = await rawRequest(keyed.url, "POST", QUERIES, { body, headers: { "x-algolia-api-key": KEY } });
    expect(header.status).toBe(200);
    const query = await rawRequest(
      keyed.url,
      "POST",
      `${QUERIES}?x-algolia-application-id=app&x-algolia-api-key=${KEY}`,
      {
        body,
      },
    );
    expect(query.status).toBe(200);
  });
});

/** The headers of an answer but `Date` (which differs between any two answers). */
function comparable(answer: RawAnswer) {
  const { date: _date, ...headers } = answer.headers;
  return headers;
}

/** The body with its processing times taken out (they differ between any two searches). */
function withoutTime(answer: RawAnswer): string {
  return answer.body.replace(/"processingTimeMS":\d+/g, "");
}

describe("Meilisearch not answering", () => {
  test("a multi-query past the request's deadline is a 503 with Retry-After, in Algolia's shape", async () => {
    // A Meilisearch that accepts connections and never answers.
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((done) => silent.listen(0, "127.0.0.1", done));
    const port = (silent.address() as { port: number }).port;
    const client = createMeiliClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 10_000 });
    const app = createApp({ client, indexUid: uid, log: silentLog(), options: { requestTimeoutMs: 300 } });
    const stuck = await startServer(app, 0, { host: "127.0.0.1" });
    try {
      const answer = await rawRequest(stuck.url, "POST", QUERIES, {
        body: JSON.stringify({ requests: [{ indexName: uid, query: "redis" }] }),
      });
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toEqual({
        message: "the search service is unavailable; try again shortly",
        status: 503,
      });
      expect(answer.headers["retry-after"]).toBe("5");
      expect(answer.headers["cache-control"]).toBe("no-store");
    } finally {
      await stuck.close();
      await client.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => silent.close(done));
    }
  });
});

describe("the same answer as the Express route", () => {
  // `charset=latin1` is read by Express's text parser (the body is ASCII: the same text).
  const viaExpress = { "content-type": "text/plain; charset=latin1" };

  test("a search (processing time aside) and an error, header for header", async () => {
    const body = JSON.stringify({
      requests: [{ indexName: uid, query: "redis", facets: ["*"], attributesToSnippet: ["body:5"] }],
    });
    const lean = await queries(body, { origin: ORIGIN });
    const express = await queries(body, { origin: ORIGIN, ...viaExpress });
    expect(withoutTime(lean)).toBe(withoutTime(express));
    const { "content-length": _lean, ...leanHeaders } = comparable(lean);
    const { "content-length": _express, ...expressHeaders } = comparable(express);
    expect(leanHeaders).toEqual(expressHeaders);
    const leanError = await queries(JSON.stringify({ requests: [{ indexName: uid, hitsPerPage: "many" }] }));
    const expressError = await queries(
      JSON.stringify({ requests: [{ indexName: uid, hitsPerPage: "many" }] }),
      viaExpress,
    );
    expect(leanError.status).toBe(400);
    expect(leanError.body).toBe(expressError.body);
    expect(comparable(leanError)).toEqual(comparable(expressError));
  });

  test("metrics count the lean answers under their route", async () => {
    await queries(JSON.stringify({ requests: [{ indexName: uid, query: "redis" }] }));
    const metrics = await rawRequest(server.url, "GET", "/metrics");
    expect(metrics.body).toMatch(
      /postindex_http_requests_total\{method="POST",route="\/1\/indexes\/\*\/queries",status="200"\} \d+/,
    );
    expect(metrics.body).toMatch(
      /postindex_http_requests_total\{method="POST",route="\/1\/indexes\/\*\/queries",status="400"\} \d+/,
    );
  });
});
