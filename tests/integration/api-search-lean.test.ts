import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp, startServer, type RunningServer } from "../../api/index.js";
import { createMeiliClient, type MeiliClient } from "../../src/index.js";
import { apiClientFor, silentLog } from "../helpers/api.js";
import { rawRequest, type RawAnswer } from "../helpers/raw-http.js";
import { post, seedIndex } from "../helpers/seed-index.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

/**
 * `GET /search` is served before Express; a request it does not claim (here: one with a body,
 * which Express's body parser reads) goes through Express's own `/search` route. Both must give
 * the same answer, header for header.
 */

const meili = sharedMeili();
let client: MeiliClient;
let masterClient: MeiliClient;
let api: RunningServer;
let missing: RunningServer;

beforeAll(async () => {
  const uid = freshIndexUid("lean");
  await seedIndex(meili.client, uid, [
    post("l1", { title: 'Caching <b>"quoted"</b> & more', stack: ["python services"], tools: ["redis"] }),
    post("l2", { title: "Caching with Node", stack: ["node services"], tools: ["redis", "express"] }),
    post("a b/c?", { title: "Caching odd ids" }),
  ]);
  client = await apiClientFor(meili, uid);
  api = await startServer(
    createApp({ client, indexUid: uid, log: silentLog(), options: { corsOrigins: ["https://site.example"] } }),
    0,
    { host: "127.0.0.1" },
  );
  // The API's own key may only search `uid`: a client with the master key meets a missing index.
  masterClient = createMeiliClient({ url: meili.url, apiKey: meili.masterKey });
  missing = await startServer(createApp({ client: masterClient, indexUid: `${uid}_absent`, log: silentLog() }), 0, {
    host: "127.0.0.1",
  });
});

afterAll(async () => {
  await api?.close();
  await missing?.close();
  await client?.close();
  await masterClient?.close();
});

/** The request as is (served before Express), and with an empty JSON body (served by Express). */
async function bothWays(
  server: RunningServer,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<[RawAnswer, RawAnswer]> {
  const lean = await rawRequest(server.url, method, path, { headers });
  const viaExpress = await rawRequest(server.url, method, path, {
    headers: { ...headers, "content-type": "application/json" },
    body: "{}",
  });
  return [lean, viaExpress];
}

function comparable(answer: RawAnswer): { status: number; headers: Record<string, unknown>; body: unknown } {
  const { date: _date, ...headers } = answer.headers;
  return { status: answer.status, headers, body: answer.body === "" ? "" : JSON.parse(answer.body) };
}

describe("GET /search served before Express answers as Express does", () => {
  test.each([
    ["a search", "/search?q=caching&limit=2"],
    ["an empty search with facet filters", "/search?stack=python%20services&tools=redis"],
    ["a search with no hits", "/search?q=zzzzqqqq"],
    ["a later page, sorted", "/search?q=caching&page=2&limit=1&sort=recent"],
    ["the path in capitals with a trailing slash", "/SEARCH/?q=node"],
    ["a bad parameter (400)", "/search?limit=ten"],
    ["a malformed escape (400)", "/search?q=%zz"],
    ["too many parameters (400)", `/search?${"a=1&".repeat(101)}`],
  ])("%s: the same status, headers and body", async (_label, path) => {
    const [lean, viaExpress] = await bothWays(api, "GET", path, { origin: "https://site.example" });
    expect(comparable(lean)).toEqual(comparable(viaExpress));
  });

  test("an allowed origin, a refused one, HEAD, and a 304 on If-None-Match", async () => {
    const [refused, refusedExpress] = await bothWays(api, "GET", "/search?q=caching", {
      origin: "https://evil.example",
    });
    expect(comparable(refused)).toEqual(comparable(refusedExpress));
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
    const [head, headExpress] = await bothWays(api, "HEAD", "/search?q=caching");
    expect(comparable(head)).toEqual(comparable(headExpress));
    expect(head.body).toBe("");
    const etag = refused.headers["etag"] as string;
    const [fresh, freshExpress] = await bothWays(api, "GET", "/search?q=caching", {
      origin: "https://evil.example",
      "if-none-match": `W/${etag}, "other"`,
    });
    expect(fresh.status).toBe(304);
    expect(comparable(fresh)).toEqual(comparable(freshExpress));
    const [reload, reloadExpress] = await bothWays(api, "GET", "/search?q=caching", {
      "if-none-match": etag,
      "cache-control": "no-cache",
    });
    expect(reload.status).toBe(200);
    expect(comparable(reload)).toEqual(comparable(reloadExpress));
  });

  test("an index not built yet: the same 503 with Retry-After", async () => {
    const [lean, viaExpress] = await bothWays(missing, "GET", "/search?q=x");
    expect(lean.status).toBe(503);
    expect(lean.headers["retry-after"]).toBe("5");
    expect(comparable(lean)).toEqual(comparable(viaExpress));
  });

  test("record ids come back decoded; titles HTML-escaped around <mark>", async () => {
    const { body } = await rawRequest(api.url, "GET", "/search?q=caching&limit=10");
    const hits = (JSON.parse(body) as { hits: { id: string; title_highlighted: string }[] }).hits;
    expect(hits.map((hit) => hit.id).sort()).toEqual(["a b/c?", "l1", "l2"]);
    expect(hits.find((hit) => hit.id === "l1")?.title_highlighted).toBe(
      "<mark>Caching</mark> &lt;b&gt;&quot;quoted&quot;&lt;/b&gt; &amp; more",
    );
  });

  test("both are counted in the metrics under route /search", async () => {
    await rawRequest(api.url, "GET", "/search?q=metrics");
    const { body } = await rawRequest(api.url, "GET", "/metrics");
    expect(body).toMatch(/postindex_http_requests_total\{method="GET",route="\/search",status="200"\} \d+/);
    expect(body).toMatch(/postindex_http_requests_total\{method="GET",route="\/search",status="400"\} \d+/);
    expect(body).toMatch(/postindex_http_requests_total\{method="HEAD",route="\/search",status="200"\} \d+/);
    expect(body).toMatch(
      /postindex_http_request_duration_seconds_bucket\{le="0\.05",method="GET",route="\/search"\} [1-9]/,
    );
  });
});
