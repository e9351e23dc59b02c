// oxlint-disable vitest/valid-expect -- vitest takes a failure message as expect's second argument
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningServer } from "../../api/index.js";
import { normaliseFacetValue } from "../../src/index.js";
import { algoliaServers } from "../helpers/api.js";
import { hostileText, SEED } from "../helpers/hostile.js";
import { rawRequest } from "../helpers/raw-http.js";
import { post, seedIndex } from "../helpers/seed-index.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

/**
 * The Algolia routes under hostile input, over raw HTTP: facet values that look like filter
 * syntax only ever match the posts carrying them (through facetFilters and through a quoted value
 * in `filters`), no body, parameter or path gets a 5xx, and a browser's simple requests, CORS and
 * the optional public key behave as documented.
 */

const PLANTED = [
  'x" OR id != "',
  '" OR "" = "',
  "a\\",
  '\\"',
  "(x) OR (y)",
  "[a, b]",
  "it's",
  "a = b",
  "not x",
  "x to y",
  "x in [y]",
  "exists",
  "a:b",
  "%25 and + and &",
  "plain",
];

const ORIGIN = "https://blog.example";
const KEY = "public-key-1";

const meili = sharedMeili();
let server: RunningServer;
let keyed: RunningServer;
let servers: Awaited<ReturnType<typeof algoliaServers>> | undefined;
let uid: string;

beforeAll(async () => {
  uid = freshIndexUid("algolia_hostile");
  const planted = PLANTED.map((value, i) => post(`h${i}`, { stack: [value, "shared"], tools: ["t"] }));
  await seedIndex(meili.client, uid, [...planted, post("quiet", { stack: ["other"] })]);
  servers = await algoliaServers(meili, uid, ORIGIN, KEY);
  server = servers.open;
  keyed = servers.keyed;
});

afterAll(() => servers?.close());

/** The posts whose stack holds `value` (as the records normalise it): planted `[value, "shared"]`, quiet `["other"]`. */
function carrying(value: string): string[] {
  const wanted = normaliseFacetValue(value);
  const stacks: [string, string[]][] = [
    ...PLANTED.map((planted, i): [string, string[]] => [`h${i}`, [planted, "shared"]]),
    ["quiet", ["other"]],
  ];
  return stacks
    .filter(([, stack]) => stack.some((item) => normaliseFacetValue(item) === wanted))
    .map(([id]) => id)
    .sort();
}

async function queries(body: unknown, headers: Record<string, string> = {}) {
  return rawRequest(server.url, "POST", "/1/indexes/*/queries", {
    headers: { "content-type": "text/plain", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function idsFor(request: Record<string, unknown>): Promise<string[] | string> {
  const answer = await queries({ requests: [{ indexName: uid, hitsPerPage: 100, ...request }] });
  if (answer.status !== 200) return `${answer.status} ${answer.body}`;
  const [result] = (JSON.parse(answer.body) as { results: { hits: { objectID: string }[] }[] }).results;
  return (result?.hits ?? []).map((hit) => hit.objectID).sort();
}

/** A value as a quoted `filters` string: `\` and `"` escaped with a backslash. */
function quoted(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

describe("facet values are never filter syntax", () => {
  test("each planted value, through facetFilters (v5 fields and v4 params) and filters, finds only its post", async () => {
    for (const value of PLANTED) {
      const expected = carrying(value);
      expect(await idsFor({ facetFilters: [`stack:${value}`] }), value).toEqual(expected);
      expect(await idsFor({ facetFilters: [[`stack:${value}`, "stack:none"]] }), value).toEqual(expected);
      const params = `facetFilters=${encodeURIComponent(JSON.stringify([`stack:${value}`]))}`;
      expect(await idsFor({ params }), value).toEqual(expected);
      expect(await idsFor({ filters: `stack:${quoted(value)}` }), value).toEqual(expected);
    }
  });

  test("an injection that matches no post finds nothing, not everything", async () => {
    for (const injection of ['y" OR id != "', 'y" OR stack EXISTS OR stack = "', "y\\", '") OR ("']) {
      expect(await idsFor({ facetFilters: [`stack:${injection}`] }), injection).toEqual([]);
      expect(await idsFor({ filters: `stack:${quoted(injection)}` }), injection).toEqual([]);
    }
  });

  test("any value finds exactly the posts carrying it", async () => {
    const value = fc.oneof(
      fc.constantFrom(...PLANTED),
      fc.constantFrom(...PLANTED).map((planted) => ` ${planted.toUpperCase()} `),
      hostileText(3),
    );
    await fc.assert(
      fc.asyncProperty(
        value.filter((text) => !/^\s*-/.test(text) && Buffer.byteLength(normaliseFacetValue(text)) <= 200),
        async (text) => {
          if (normaliseFacetValue(text) === "") return;
          expect(await idsFor({ facetFilters: [`stack:${text}`] }), text).toEqual(carrying(text));
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  test("negation leaves out exactly the posts carrying the value", async () => {
    const all = [...PLANTED.map((_, i) => `h${i}`), "quiet"].sort();
    for (const value of PLANTED) {
      const carried = new Set(carrying(value));
      expect(await idsFor({ facetFilters: [`stack:-${value}`] }), value).toEqual(all.filter((id) => !carried.has(id)));
    }
  });
});

/** A JSON value of any shape, and the odd strings clients never send. */
const anyJson = fc.oneof(
  fc.jsonValue(),
  hostileText(4),
  fc.constant("{"),
  fc.constant('{"requests": [{"indexName": "x".repeat(9)}]}'),
);

/** A request object with known parameters holding anything. */
const anyRequest = fc.record(
  {
    indexName: fc.oneof(fc.constant("__UID__"), fc.constant("__UID___recent"), hostileText(1)),
    query: fc.oneof(hostileText(4), fc.jsonValue()),
    page: fc.oneof(fc.integer(), fc.double(), hostileText(1)),
    hitsPerPage: fc.oneof(fc.integer({ min: -5, max: 200 }), hostileText(1)),
    facets: fc.oneof(fc.array(hostileText(1)), hostileText(2), fc.constant(["*"])),
    facetFilters: fc.oneof(
      fc.jsonValue(),
      hostileText(3),
      fc.array(fc.oneof(hostileText(2), fc.array(hostileText(2)))),
    ),
    numericFilters: fc.oneof(fc.jsonValue(), hostileText(3), fc.constantFrom("view_count>=1", "view_count:1 TO x")),
    filters: fc.oneof(
      hostileText(6),
      fc.constantFrom("((((((((((stack:a))))))))))", "stack:a AND", "NOT NOT NOT stack:a", "view_count > 1e400"),
    ),
    attributesToSnippet: fc.oneof(fc.array(hostileText(1)), fc.constant(["body:0"]), fc.constant(["body:20"])),
    highlightPreTag: hostileText(2),
    params: fc.oneof(hostileText(6), fc.jsonValue()),
    type: fc.constantFrom("default", "facet", undefined),
    facet: fc.oneof(fc.constantFrom("stack", "tools", "__proto__"), hostileText(1)),
    facetQuery: hostileText(3),
    model: fc.constantFrom("related-products", "looking-similar", "trending-items"),
    objectID: fc.oneof(fc.constantFrom("h0", "quiet", "nope"), hostileText(2)),
    threshold: fc.oneof(fc.integer({ min: -10, max: 200 }), hostileText(1)),
    queryParameters: fc.oneof(fc.jsonValue(), fc.record({ facetFilters: fc.oneof(fc.jsonValue(), hostileText(2)) })),
    fallbackParameters: fc.oneof(fc.jsonValue(), fc.record({ facetFilters: fc.array(hostileText(2)) })),
  },
  { requiredKeys: [] },
);

const ROUTES = [
  "/1/indexes/*/queries",
  "/1/indexes/*/recommendations",
  "/1/indexes/__UID__/query",
  "/1/indexes/__UID__/facets/stack/query",
  "/1/indexes/%2A/queries",
  "/1/indexes/__UID__/facets/%ff/query",
  "/1/indexes/x%00/query",
];

function expectAlgoliaAnswer(answer: { status: number; body: string }): void {
  expect(answer.status, answer.body).toBeLessThan(500);
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  // An error is Algolia's shape: a message, and the status again.
  const shape = answer.status >= 400 ? { message: typeof body["message"], status: body["status"] } : undefined;
  expect(shape ?? { message: "string", status: answer.status }).toEqual({ message: "string", status: answer.status });
}

describe("no input gets a 5xx", () => {
  test("any body, any request, on every route and content type", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "application/json", "image/png"),
        fc.oneof(
          anyJson.map((value) => JSON.stringify(value) ?? "null"),
          fc.array(anyRequest, { maxLength: 4 }).map((requests) => JSON.stringify({ requests })),
          anyRequest.map((request) => JSON.stringify(request)),
        ),
        async (route, contentType, body) => {
          const answer = await rawRequest(server.url, "POST", route.replaceAll("__UID__", uid), {
            headers: { "content-type": contentType },
            body: body.replaceAll("__UID__", uid),
          });
          expectAlgoliaAnswer(answer);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  test("a lone surrogate in a text parameter (valid JSON, not valid text) is searched as U+FFFD", async () => {
    // JSON.stringify writes the lone surrogate as the escape `\udc00`, as a client would send it.
    for (const request of [{ query: "\udc00 x" }, { query: "plain", filters: 'stack:"\udc00"' }]) {
      const answer = await queries({ requests: [{ indexName: uid, ...request }] });
      expect(answer.status, answer.body).toBe(200);
      const [result] = (JSON.parse(answer.body) as { results: { query: string; params: string }[] }).results;
      expect(result?.query).toBe((request.query ?? "").replace("\udc00", "\ufffd"));
      expect(result?.params).toContain(`query=${encodeURIComponent(result?.query ?? "")}`);
    }
  });

  test("limits: a long query, too many requests, a big body", async () => {
    const long = await queries({ requests: [{ indexName: uid, query: "x".repeat(513) }] });
    expect(long.status).toBe(400);
    expect(JSON.parse(long.body)).toEqual({ message: "query must be at most 512 characters, got 513", status: 400 });
    const many = await queries({ requests: Array.from({ length: 51 }, () => ({ indexName: uid })) });
    expect(many.status).toBe(400);
    const big = await queries({ requests: [{ indexName: uid, filters: "x".repeat(70_000) }] });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ status: 413 });
    const deep = await queries({
      requests: [{ indexName: uid, filters: `${"(".repeat(20)}stack:a${")".repeat(20)}` }],
    });
    expect(deep.status).toBe(400);
  });
});

describe("browser requests", () => {
  test("a simple request (form-encoded body, credentials in the query string) from an allowed origin", async () => {
    const answer = await rawRequest(
      server.url,
      "POST",
      "/1/indexes/*/queries?x-algolia-agent=test&x-algolia-application-id=app&x-algolia-api-key=key",
      {
        headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
        body: JSON.stringify({ requests: [{ indexName: uid, params: "query=plain&hitsPerPage=5" }] }),
      },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers["access-control-allow-origin"]).toBe(ORIGIN);
    const [result] = (JSON.parse(answer.body) as { results: { hits: { objectID: string }[]; hitsPerPage: number }[] })
      .results;
    expect(result?.hitsPerPage).toBe(5);
    expect(result?.hits.map((hit) => hit.objectID)).toContain(`h${PLANTED.indexOf("plain")}`);
  });

  test("other origins get no CORS headers; a preflight is answered with the Algolia headers allowed", async () => {
    const other = await queries({ requests: [{ indexName: uid }] }, { origin: "https://evil.example" });
    expect(other.status).toBe(200);
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    const preflight = await rawRequest(server.url, "OPTIONS", "/1/indexes/*/queries", {
      headers: {
        origin: ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "x-algolia-api-key, x-algolia-application-id",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(ORIGIN);
    expect(preflight.headers["access-control-allow-headers"]?.toLowerCase()).toContain("x-algolia-api-key");
    const refused = await rawRequest(server.url, "OPTIONS", "/1/indexes/*/queries", {
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
  });

  test("with a configured public key, only requests carrying it are answered", async () => {
    const body = JSON.stringify({ requests: [{ indexName: uid }] });
    const path = "/1/indexes/*/queries";
    const none = await rawRequest(keyed.url, "POST", path, { body });
    expect(none.status).toBe(403);
    expect(JSON.parse(none.body)).toEqual({ message: "Invalid Application-ID or API key", status: 403 });
    const wrong = await rawRequest(keyed.url, "POST", path, { body, headers: { "x-algolia-api-key": "other" } });
    expect(wrong.status).toBe(403);
    const header = await rawRequest(keyed.url, "POST", path, { body, headers: { "x-algolia-api-key": KEY } });
    expect(header.status).toBe(200);
    const query = await rawRequest(keyed.url, "POST", `${path}?x-algolia-api-key=${KEY}`, { body });
    expect(query.status).toBe(200);
  });
});
