import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFile, stat } from "node:fs/promises";
import { connect } from "node:net";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Express } from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, onTestFinished, test, vi } from "vitest";
import {
  API_KEY_ACTIONS,
  createApp,
  startApi,
  startServer,
  type RunningApi,
  type RunningServer,
} from "../../api/index.js";
import { createMeiliClient, meiliErrorCode, type MeiliClient } from "../../src/index.js";
import { MASTER_KEY_FILE } from "../../src/meili/master-key.js";
import { silentLog } from "../helpers/api.js";
import { makeContentDir } from "../helpers/content-dir.js";
import { rawRequest } from "../helpers/raw-http.js";
import { makeRecord } from "../helpers/records.js";
import { runCli, spawnCli } from "../helpers/run-cli.js";
import { post, seedIndex } from "../helpers/seed-index.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";
import { makeTempDir, removeTempDir } from "../helpers/tmp-dir.js";

const meili = sharedMeili();
const uid = freshIndexUid("security");
beforeAll(async () => {
  await seedIndex(meili.client, uid, [
    post("a", { entities: [["tool", "x"]] }),
    post("b", { entities: [["tool", "x"]] }),
  ]);
});

/** A `postindex` child process with everything it prints, stopped (SIGINT) by `stop()`. */
async function startChild(args: readonly string[], env: NodeJS.ProcessEnv, urlPattern: RegExp) {
  const child: ChildProcess = spawnCli(args, { LOG_LEVEL: "trace", ...env });
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = once(child, "exit");
  const url = await vi.waitFor(
    () => {
      const served = urlPattern.exec(output)?.[1];
      if (child.exitCode !== null || served === undefined)
        throw new Error(
          `postindex ${args.join(" ")} does not serve (exit code ${child.exitCode}): ${output.slice(-2_000)}`,
        );
      return served;
    },
    { timeout: 60_000, interval: 25 },
  );
  return {
    url,
    output: () => output,
    async stop(): Promise<void> {
      if (child.exitCode === null) child.kill("SIGINT");
      await exited;
    },
  };
}

/** Requests that make the API answer, fail, and log (bad input, unknown things, a missing index). */
const PROBES = [
  "/search?q=post&stack=general",
  "/search?limit=abc",
  "/search?q=%ff",
  "/posts/a",
  "/posts/nope",
  "/posts/a/related",
  "/facets/tools?q=x",
  "/facets/nope",
  "/health",
  "/metrics",
  "/openapi.json",
  "/no/such/route",
  "/",
];

async function probeAll(url: string): Promise<string> {
  let seen = "";
  for (const probe of PROBES) {
    const response = await fetch(`${url}${probe}`);
    seen += `${JSON.stringify([...response.headers])}\n${await response.text()}\n`;
  }
  const draft = await fetch(`${url}/related`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{nope",
  });
  seen += await draft.text();
  return seen;
}

describe("keys: the API holds a search-only key, and no key is ever logged or answered", () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({
      config: { indexUid: uid, port: 0 },
      adminClient: meili.client,
      log: silentLog(),
      host: "127.0.0.1",
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  test("the API's key cannot list or create keys, change settings, delete indexes, read tasks or make dumps", async () => {
    const raw = api.searchClient.raw;
    const refused = async (action: () => Promise<unknown>) =>
      meiliErrorCode(
        await action().then(
          () => "allowed",
          (error: unknown) => error,
        ),
      );
    expect(await refused(() => raw.getKeys())).toBe("invalid_api_key");
    expect(await refused(() => raw.createKey({ actions: ["*"], indexes: ["*"], expiresAt: null }))).toBe(
      "invalid_api_key",
    );
    expect(await refused(() => raw.getIndexes())).toBe("invalid_api_key");
    expect(await refused(() => raw.index(uid).updateSettings({ searchableAttributes: ["id"] }))).toBe(
      "invalid_api_key",
    );
    expect(await refused(() => raw.deleteIndex(uid))).toBe("invalid_api_key");
    expect(await refused(() => raw.tasks.getTasks())).toBe("invalid_api_key");
    expect(await refused(() => raw.createDump())).toBe("invalid_api_key");
    expect(await refused(() => raw.index(`${uid}_other`).search(""))).toBe("invalid_api_key");
  });

  test("no answer carries the master key or the API's own key", async () => {
    const searchKey = await meili.client.getSearchKey({ indexes: [uid, `${uid}_next`], actions: API_KEY_ACTIONS });
    const seen = await probeAll(api.url);
    expect(seen).not.toContain(meili.masterKey);
    expect(seen).not.toContain(searchKey);
  });

  test("`postindex search-key` prints a search-only key, never the master key", async () => {
    const result = await runCli(["search-key"], {
      MEILI_URL: meili.url,
      MEILI_MASTER_KEY: meili.masterKey,
      MEILI_INDEX: uid,
      LOG_LEVEL: "trace",
    });
    expect(result.status, result.stderr).toBe(0);
    const key = result.stdout.trim();
    expect(`${result.stdout}${result.stderr}`.split(meili.masterKey)).toHaveLength(1);
    const client: MeiliClient = createMeiliClient({ url: meili.url, apiKey: key });
    try {
      expect((await client.index(uid).search("post")).hits.length).toBeGreaterThan(0);
      expect(meiliErrorCode(await client.raw.getKeys().catch((error: unknown) => error))).toBe("invalid_api_key");
    } finally {
      await client.close();
    }
  });

  test("commands that fail on their key or their server print neither the key nor a stack trace", async () => {
    const secret = "never-print-this-key-0123456789abcdef";
    const dataDirs = [await makeTempDir("security"), await makeTempDir("security")];
    onTestFinished(() => Promise.all(dataDirs.map(removeTempDir)).then(() => undefined));
    const dir = await makeContentDir({ "a.json": JSON.stringify(makeRecord({ id: "a" })) });
    const runs = [
      await runCli(["serve"], {
        MEILI_URL: meili.url,
        MEILI_MASTER_KEY: secret,
        MEILI_INDEX: uid,
        PORT: "0",
        LOG_LEVEL: "trace",
      }),
      await runCli(["sync", dir], {
        MEILI_URL: meili.url,
        MEILI_MASTER_KEY: secret,
        MEILI_INDEX: uid,
        POSTINDEX_DATA_DIR: dataDirs[0],
        LOG_LEVEL: "trace",
      }),
      await runCli(["reindex", dir], {
        MEILI_URL: "http://127.0.0.1:9",
        MEILI_MASTER_KEY: secret,
        POSTINDEX_MEILI_RETRY_MS: "200",
        POSTINDEX_DATA_DIR: dataDirs[1],
        LOG_LEVEL: "trace",
      }),
    ];
    for (const run of runs) {
      expect(run.status, run.stderr).toBe(1);
      expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  test("`postindex serve` at trace level, failing then answering: the logs hold neither key; CORS as configured", async () => {
    const missing = freshIndexUid("security_missing");
    const serve = await startChild(
      ["serve"],
      {
        MEILI_URL: meili.url,
        MEILI_MASTER_KEY: meili.masterKey,
        MEILI_INDEX: missing,
        PORT: "0",
        POSTINDEX_CORS_ORIGINS: "https://a.example, https://B.example/",
      },
      /API on (http:\/\/\S+)/,
    );
    let seen = "";
    try {
      const failing = await fetch(`${serve.url}/search?q=x`);
      expect(failing.status).toBe(503);
      seen += await probeAll(serve.url);
      await seedIndex(meili.client, missing, [post("c")]);
      await expect
        .poll(async () => (await fetch(`${serve.url}/posts/c`)).status, {
          message: "the index is served",
          timeout: 5_000,
          interval: 25,
        })
        .toBe(200);
      seen += await probeAll(serve.url);
      const allowed = await fetch(`${serve.url}/search`, { headers: { origin: "https://b.example" } });
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://b.example");
      const refused = await fetch(`${serve.url}/search`, { headers: { origin: "https://c.example" } });
      expect(refused.headers.get("access-control-allow-origin")).toBeNull();
      expect(refused.headers.get("vary")).toMatch(/Origin/);
    } finally {
      await serve.stop();
    }
    const searchKey = await meili.client.getSearchKey({
      indexes: [missing, `${missing}_next`],
      actions: API_KEY_ACTIONS,
    });
    expect(serve.output()).toMatch(/"msg":"request"/);
    expect(serve.output()).toMatch(/request failed/);
    for (const text of [serve.output(), seen]) {
      expect(text).not.toContain(meili.masterKey);
      expect(text).not.toContain(searchKey);
    }
  });

  test("`postindex start` (embedded) at trace level: the generated master key is private (0600) and never logged", async () => {
    const dataDir = await makeTempDir("security-start");
    const content = await makeContentDir({ "a.json": JSON.stringify(makeRecord({ id: "a" })), "broken.json": "{" });
    try {
      const start = await startChild(
        ["start"],
        { MEILI_URL: "", POSTINDEX_DATA_DIR: dataDir, CONTENT_DIR: content, PORT: "0" },
        /search page\s+(http:\/\/\S+?)\/\s/,
      );
      let seen: string;
      try {
        seen = await probeAll(start.url);
      } finally {
        await start.stop();
      }
      const meiliDir = path.join(dataDir, "meili");
      const masterKey = (await readFile(path.join(meiliDir, MASTER_KEY_FILE), "utf8")).trim();
      expect(masterKey.length).toBeGreaterThanOrEqual(32);
      expect((await stat(path.join(meiliDir, MASTER_KEY_FILE))).mode & 0o777).toBe(0o600);
      expect((await stat(meiliDir)).mode & 0o077).toBe(0);
      expect(start.output()).toMatch(/"msg":"request"/);
      expect(start.output()).not.toContain(masterKey);
      expect(seen).not.toContain(masterKey);
      expect(await readFile(path.join(meiliDir, "meilisearch.log"), "utf8")).not.toContain(masterKey);
    } finally {
      await removeTempDir(dataDir);
    }
  });
});

/** An answer, from supertest or {@link rawRequest}. */
interface AnyAnswer {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly text?: string;
  readonly body?: unknown;
}

/** Fails unless an error answer is the JSON error shape, uncached, and says nothing about the server. */
function expectOpaqueError(answer: AnyAnswer, status: number): void {
  const text = answer.text ?? String(answer.body);
  expect(answer.status, text).toBe(status);
  expect(answer.headers["content-type"]).toMatch(/^application\/json/);
  expect(answer.headers["cache-control"]).toBe("no-store");
  expect(Object.keys(JSON.parse(text) as object)).toEqual(["error"]);
  expect(text).not.toMatch(
    /\/work|\/tmp\/|node_modules|\.[cm]?[jt]s:\d|\n\s+at |\bat \S+ \(|127\.0\.0\.1|localhost|ECONN|Meilisearch at|index_not_found|_next|zlib|header check/,
  );
  expect(text).not.toContain(uid);
}

/** `body` sent as is with `Content-Encoding: encoding` to `POST /related` of a listening API. */
function postEncoded(url: string, encoding: string, body: Buffer | string): Promise<AnyAnswer> {
  return rawRequest(url, "POST", "/related", {
    headers: { "content-type": "application/json", "content-encoding": encoding },
    body,
  });
}

describe("errors: bodies leak no paths, addresses, index names or stack traces", () => {
  let app: Express;
  let missingApp: Express;
  let silentApp: Express;
  let listening: RunningServer;
  const clients: MeiliClient[] = [];
  beforeAll(async () => {
    const client = createMeiliClient({ url: meili.url, apiKey: meili.masterKey });
    const unreachable = createMeiliClient({ url: "http://127.0.0.1:9", timeoutMs: 500 });
    clients.push(client, unreachable);
    app = createApp({ client, indexUid: uid, log: silentLog(), options: { bodyLimitBytes: 4_096 } });
    missingApp = createApp({ client, indexUid: `${uid}_absent`, log: silentLog() });
    silentApp = createApp({ client: unreachable, indexUid: uid, log: silentLog() });
    listening = await startServer(app, 0, { host: "127.0.0.1" });
  });
  afterAll(async () => {
    await listening?.close();
    await Promise.all(clients.map((client) => client.close()));
  });

  test("400s: bad parameters, bodies that are not JSON, not UTF-8, not decodable", async () => {
    for (const url of [
      "/search?limit=x",
      "/search?q=%ff",
      `/search?q=${"x".repeat(600)}`,
      "/posts/%E0%A4%A",
      "/posts/a/related?limit=0",
      "/facets/tools?q=%",
    ]) {
      expectOpaqueError(await request(app).get(url), 400);
    }
    expectOpaqueError(await request(app).post("/related").set("Content-Type", "application/json").send("{nope"), 400);
    expectOpaqueError(
      await request(app).post("/related").set("Content-Type", "application/json; charset=x-unknown").send("{}"),
      400,
    );
    expectOpaqueError(
      await request(app)
        .post("/related")
        .set("Content-Type", "application/json")
        .set("Content-Encoding", "compress")
        .send("{}"),
      400,
    );
    const json = Buffer.from(JSON.stringify({ entities: [{ name: "x", type: "tool" }] }));
    for (const [encoding, body] of [
      ["gzip", "not gzip"],
      ["gzip", gzipSync(json).subarray(0, 12)],
      ["deflate", Buffer.from([0x78, 0x9c, 1, 2, 3])],
      ["br", "not brotli"],
      ["br, gzip", gzipSync(json)],
    ] as const) {
      expectOpaqueError(await postEncoded(listening.url, encoding, body), 400);
    }
    expect((await postEncoded(listening.url, "gzip", gzipSync(json))).status, "a well-formed gzip body is read").toBe(
      200,
    );
    expectOpaqueError(
      await request(app)
        .post("/related")
        .send({ title: "x", meta: { revision: {} } }),
      400,
    );
  });

  test("404s: unknown routes, methods, posts and facets", async () => {
    expectOpaqueError(await request(app).get("/posts/nope"), 404);
    expectOpaqueError(await request(app).get("/facets/__proto__"), 404);
    expectOpaqueError(await request(app).put("/search"), 404);
    expectOpaqueError(await request(app).get("/../../etc/passwd"), 404);
    expectOpaqueError(await request(app).get("/api/public/index.html"), 404);
    expectOpaqueError(await request(app).get("/.env"), 404);
  });

  test("503s: an index not built yet, Meilisearch unreachable", async () => {
    for (const target of [missingApp, silentApp]) {
      for (const url of ["/search?q=x", "/posts/a", "/posts/a/related", "/facets/tools"])
        expectOpaqueError(await request(target).get(url), 503);
    }
    const health = await request(silentApp).get("/health").expect(503);
    expect(health.text).not.toMatch(/127\.0\.0\.1|ECONN/);
  });
});

describe("limits hold", () => {
  let app: Express;
  let client: MeiliClient;
  beforeAll(async () => {
    client = createMeiliClient({ url: meili.url, apiKey: meili.masterKey });
    app = createApp({ client, indexUid: uid, log: silentLog() });
  });
  afterAll(async () => {
    await client.close();
  });

  test("a body over 256 kB is a 413, announced or chunked, plain or gzip-compressed", async () => {
    const big = JSON.stringify({ entities: [{ name: "x".repeat(300 * 1024), type: "tool" }] });
    expectOpaqueError(await request(app).post("/related").set("Content-Type", "application/json").send(big), 413);
    const chunked = request(app)
      .post("/related")
      .set("Content-Type", "application/json")
      .set("Transfer-Encoding", "chunked");
    chunked.write(big.slice(0, 100_000));
    chunked.write(big.slice(100_000));
    expectOpaqueError(await chunked, 413);
    // A small compressed body that inflates past the limit (a zip bomb) is refused too.
    const bomb = gzipSync(
      Buffer.from(JSON.stringify({ entities: [{ name: "y".repeat(50 * 2 ** 20), type: "tool" }] })),
    );
    expect(bomb.length).toBeLessThan(64 * 1024);
    const server = await startServer(app, 0, { host: "127.0.0.1" });
    try {
      expectOpaqueError(await postEncoded(server.url, "gzip", bomb), 413);
    } finally {
      await server.close();
    }
  });

  test("a deeply nested body within the limit is a 400, and the API keeps answering", async () => {
    const deep = `{"entities": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expectOpaqueError(await request(app).post("/related").set("Content-Type", "application/json").send(deep), 400);
    const deepRecord = `{"title": "t", "meta": {"revision": {"status": "reviewed"}, "entities": ${"[".repeat(100_000)}${"]".repeat(100_000)}}}`;
    const answer = await request(app).post("/related").set("Content-Type", "application/json").send(deepRecord);
    expect([200, 400]).toContain(answer.status);
    await request(app).get("/health").expect(200);
  });

  test("query strings: at most 100 parameters, q 512 characters, 20 values of 200 characters per facet", async () => {
    expectOpaqueError(await request(app).get(`/search?${"a=1&".repeat(101)}`), 400);
    expectOpaqueError(await request(app).get(`/search?q=${"q".repeat(513)}`), 400);
    await request(app)
      .get(`/search?q=${"q".repeat(512)}`)
      .expect(200);
    expectOpaqueError(await request(app).get(`/search?stack=${"s".repeat(201)}`), 400);
    expectOpaqueError(await request(app).get(`/search?${"tools=t&".repeat(21)}`), 400);
    expectOpaqueError(await request(app).get(`/facets/tools?q=${"q".repeat(101)}`), 400);
  });

  test("the listening server: headers over 16 kB are refused (431), slow clients are cut off, keep-alive outlives proxies", async () => {
    const api = await startApi({
      config: { indexUid: uid, port: 0 },
      adminClient: meili.client,
      log: silentLog(),
      host: "127.0.0.1",
    });
    try {
      expect(api.server.requestTimeout).toBe(30_000);
      expect(api.server.headersTimeout).toBeGreaterThan(api.server.keepAliveTimeout);
      expect(api.server.keepAliveTimeout).toBeGreaterThanOrEqual(60_000);
      const { port } = new URL(api.url);
      const socket = connect(Number(port), "127.0.0.1");
      socket.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`);
      let reply = "";
      socket.setEncoding("utf8").on("data", (chunk: string) => (reply += chunk));
      await once(socket, "close");
      expect(reply).toMatch(/^HTTP\/1\.1 431/);
    } finally {
      await api.close();
    }
  });
});

describe("CORS and security headers, as configured", () => {
  let client: MeiliClient;
  beforeAll(() => {
    client = createMeiliClient({ url: meili.url, apiKey: meili.masterKey });
  });
  afterAll(async () => {
    await client.close();
  });

  test("no origins configured: no CORS headers for anyone, preflights answered without permission", async () => {
    const app = createApp({ client, indexUid: uid, log: silentLog() });
    const answer = await request(app).get("/search").set("Origin", "https://site.example").expect(200);
    expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    const preflight = await request(app)
      .options("/related")
      .set("Origin", "https://site.example")
      .set("Access-Control-Request-Method", "POST")
      .expect(204);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    expect(preflight.headers["access-control-allow-methods"]).toBeUndefined();
  });

  test("an allow-list: listed origins (any case, trailing slash) only; preflight names methods and headers", async () => {
    const app = createApp({
      client,
      indexUid: uid,
      log: silentLog(),
      options: { corsOrigins: ["https://Site.example/"] },
    });
    const allowed = await request(app).get("/posts/a").set("Origin", "https://site.example").expect(200);
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://site.example");
    expect(allowed.headers["access-control-expose-headers"]).toBe("ETag, Retry-After");
    expect(allowed.headers["access-control-allow-credentials"]).toBeUndefined();
    for (const origin of ["https://site.example.evil.example", "https://evil.example", "null", "http://site.example"]) {
      const refused = await request(app).get("/posts/a").set("Origin", origin).expect(200);
      expect(refused.headers["access-control-allow-origin"], origin).toBeUndefined();
    }
    const preflight = await request(app)
      .options("/related")
      .set("Origin", "https://site.example")
      .set("Access-Control-Request-Method", "POST")
      .expect(204);
    expect(preflight.headers).toMatchObject({
      "access-control-allow-methods": "GET, HEAD, POST, OPTIONS",
      "access-control-allow-headers": "Content-Type, If-None-Match",
      "access-control-max-age": "600",
    });
  });

  test('"*": any origin, never with credentials', async () => {
    const app = createApp({ client, indexUid: uid, log: silentLog(), options: { corsOrigins: ["*"] } });
    const answer = await request(app).get("/search").set("Origin", "https://anyone.example").expect(200);
    expect(answer.headers["access-control-allow-origin"]).toBe("*");
    expect(answer.headers["access-control-allow-credentials"]).toBeUndefined();
  });

  test("helmet's headers on answers, errors and the demo page; no X-Powered-By", async () => {
    const app = createApp({ client, indexUid: uid, log: silentLog() });
    for (const [url, status] of [
      ["/search", 200],
      ["/nope", 404],
      ["/search?limit=x", 400],
      ["/", 200],
    ] as const) {
      const { headers } = await request(app).get(url).expect(status);
      expect(headers, url).toMatchObject({
        "x-content-type-options": "nosniff",
        "x-frame-options": "SAMEORIGIN",
        "referrer-policy": "no-referrer",
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-resource-policy": "cross-origin",
        "strict-transport-security": expect.stringMatching(/max-age=\d+/),
      });
      const csp = headers["content-security-policy"] as string;
      expect(csp, url).toMatch(/default-src 'self'/);
      expect(csp, url).toMatch(/script-src 'self'(;|$)/);
      expect(csp, url).toMatch(/object-src 'none'/);
      expect(csp, url).toMatch(/frame-ancestors 'self'/);
      expect(csp, url).not.toMatch(/upgrade-insecure-requests/);
      expect(headers, url).not.toHaveProperty("x-powered-by");
    }
  });
});
