import { createConnection, createServer, type Server, type Socket } from "node:net";
import { beforeAll, describe, expect, test } from "vitest";
import { MeiliTaskError, MeiliUnavailableError, PostindexError } from "../../src/errors.js";
import {
  applySettings,
  createHttpClient,
  createMeiliClient,
  isUnavailable,
  meiliErrorCode,
  toMeiliError,
  verifySettings,
  type MeiliClient,
  type RecordAny,
} from "../../src/meili/index.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

const TASK = { timeoutMs: 30_000 };

describe("Meilisearch client", () => {
  const meili = sharedMeili();
  let client: MeiliClient;

  beforeAll(async () => {
    client = meili.client;
  });

  async function indexWith(label: string, documents: RecordAny[]): Promise<string> {
    const uid = freshIndexUid(label);
    await client.ensureIndex(uid, TASK);
    await client.waitForTask(client.index<RecordAny>(uid).addDocuments(documents), TASK);
    return uid;
  }

  test("settings apply, read back equal, and a drifted setting is named", async () => {
    const uid = freshIndexUid("settings");
    await client.ensureIndex(uid, TASK);
    const task = await applySettings(client, uid);
    expect(task.status).toBe("succeeded");
    await expect(verifySettings(client, uid)).resolves.toBeUndefined();

    await client.waitForTask(client.index(uid).updateSortableAttributes(["view_count"]), TASK);
    await expect(verifySettings(client, uid)).rejects.toThrow(/sortableAttributes: expected/);
  });

  test("the settings give facet counts, facet filters and sorting on the document fields", async () => {
    const uid = freshIndexUid("facets");
    await client.ensureIndex(uid, TASK);
    await applySettings(client, uid);
    const documents = [
      {
        id: "a",
        title: "caching python services",
        stack: ["python", "backend"],
        difficulty: "beginner",
        view_count: 5,
      },
      { id: "b", title: "caching node services", stack: ["node", "backend"], difficulty: "advanced", view_count: 50 },
      { id: "c", title: "caching in python", stack: ["python"], difficulty: "beginner", view_count: 500 },
    ];
    await client.waitForTask(client.index<RecordAny>(uid).addDocuments(documents), TASK);

    const result = await client.index(uid).search("caching", {
      facets: ["stack", "difficulty"],
      filter: 'stack = "python"',
      sort: ["view_count:desc"],
    });
    expect(result.hits.map((hit) => hit["id"])).toEqual(["c", "a"]);
    expect(result.estimatedTotalHits).toBe(2);
    expect(result.facetDistribution?.["stack"]).toEqual({ python: 2, backend: 1 });
    expect(result.facetDistribution?.["difficulty"]).toEqual({ beginner: 2 });
  });

  test("waitForTask throws MeiliTaskError with Meilisearch's message when a task fails", async () => {
    const uid = freshIndexUid("badid");
    const failure = await client
      .waitForTask(client.index<RecordAny>(uid).addDocuments([{ id: "a b", title: "bad id" }]), TASK)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MeiliTaskError);
    expect(failure).toMatchObject({ code: "meili_task_failed", cause: { status: "failed", indexUid: uid } });
    expect((failure as Error).message).toContain('Document identifier `"a b"` is invalid');
    expect(meiliErrorCode(failure)).toBe("invalid_document_id");
  });

  test("a write Meilisearch refuses outright is a request failure with its code", async () => {
    const uid = freshIndexUid("refused");
    const failure = await client
      .waitForTask(client.index(uid).updateSettings({ rankingRules: ["no_such_rule"] }), TASK)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PostindexError);
    expect(failure).toMatchObject({ code: "meili_request_failed" });
    expect(meiliErrorCode(failure)).toBe("invalid_settings_ranking_rules");
  });

  test("swapIndexes swaps two indexes: each uid shows the other's documents", async () => {
    const live = await indexWith("live", [{ id: "old", title: "old" }]);
    const next = await indexWith("next", [
      { id: "new1", title: "new" },
      { id: "new2", title: "new" },
    ]);
    const task = await client.swapIndexes(live, next, TASK);
    expect(task.type).toBe("indexSwap");
    expect(await client.getDocumentCount(live)).toBe(2);
    expect((await client.index(live).getDocument("new1"))["title"]).toBe("new");
    expect(await client.getDocumentCount(next)).toBe(1);
    expect((await client.index(next).getDocument("old"))["title"]).toBe("old");
  });

  test("swapIndexes with rename moves an index to a free uid", async () => {
    const next = await indexWith("renamed", [{ id: "r", title: "renamed" }]);
    const live = freshIndexUid("fresh_live");
    await client.swapIndexes(next, live, { ...TASK, rename: true });
    expect(await client.getDocumentCount(live)).toBe(1);
    expect(meiliErrorCode(await client.getDocumentCount(next).catch((error: unknown) => error))).toBe(
      "index_not_found",
    );
  });

  test("swapIndexes with a missing index fails with MeiliTaskError", async () => {
    const live = await indexWith("lonely", [{ id: "x" }]);
    const failure = await client.swapIndexes(live, freshIndexUid("missing"), TASK).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MeiliTaskError);
    expect(meiliErrorCode(failure)).toBe("index_not_found");
  });

  test("ensureIndex and deleteIndexIfExists say whether they did something", async () => {
    const uid = freshIndexUid("lifecycle");
    expect(await client.ensureIndex(uid, TASK)).toBe(true);
    expect(await client.ensureIndex(uid, TASK)).toBe(false);
    expect(await client.deleteIndexIfExists(uid, TASK)).toBe(true);
    expect(await client.deleteIndexIfExists(uid, TASK)).toBe(false);
  });

  test("getDocumentCount counts, and a missing index is index_not_found", async () => {
    const uid = await indexWith("count", [{ id: "1" }, { id: "2" }, { id: "3" }]);
    expect(await client.getDocumentCount(uid)).toBe(3);
    const failure = await client.getDocumentCount(freshIndexUid("nothing")).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "meili_request_failed" });
    expect(meiliErrorCode(failure)).toBe("index_not_found");
  });

  test("the search key can search its index but cannot add documents or read others", async () => {
    const uid = await indexWith("keyed", [{ id: "k", title: "searchable with the search key" }]);
    const other = await indexWith("other", [{ id: "o", title: "not for the search key" }]);
    const key = await client.getSearchKey({ indexes: [uid] });
    expect(key).toEqual(expect.any(String));
    expect(key).not.toBe(meili.masterKey);
    expect(await client.getSearchKey({ indexes: [uid] })).toBe(key);

    const searcher = createMeiliClient({ url: meili.url, apiKey: key ?? undefined });
    try {
      const { hits } = await searcher.index(uid).search("search key");
      expect(hits.map((hit) => hit["id"])).toEqual(["k"]);
      const write = await searcher
        .index<RecordAny>(uid)
        .addDocuments([{ id: "evil" }])
        .catch((error: unknown) => error);
      expect(meiliErrorCode(write)).toBe("invalid_api_key");
      const elsewhere = await searcher
        .index(other)
        .search("key")
        .catch((error: unknown) => error);
      expect(meiliErrorCode(elsewhere)).toBe("invalid_api_key");
    } finally {
      await searcher.close();
    }
    expect(await client.getDocumentCount(uid)).toBe(1);
  });

  test("raw client errors carry Meilisearch's code through toMeiliError", async () => {
    const raw = await client.raw.getIndex(freshIndexUid("absent")).catch((error: unknown) => error);
    expect(isUnavailable(raw)).toBe(false);
    const wrapped = toMeiliError(raw, "reading an index");
    expect(wrapped).toMatchObject({ code: "meili_request_failed" });
    expect(wrapped.message).toMatch(/^reading an index: Index `.*` not found\.$/);
    expect(meiliErrorCode(wrapped)).toBe("index_not_found");
  });

  test("the client sends through the undici transport, which parses answers and raises API errors", async () => {
    expect(client.raw.config.httpClient).toEqual(expect.any(Function));
    const uid = await indexWith("transport", [{ id: "t", title: "round trip" }]);
    const http = createHttpClient({ timeoutMs: 2_000 });
    const headers = { Authorization: `Bearer ${meili.masterKey}`, "Content-Type": "application/json" };
    try {
      const answer = await http(`${meili.url}/indexes/${uid}/search`, {
        method: "POST",
        headers,
        body: JSON.stringify({ q: "round" }),
      });
      expect(answer).toMatchObject({ hits: [{ id: "t" }], query: "round" });
      const failure = await http(`${meili.url}/indexes/${freshIndexUid("gone")}`, { headers }).catch(
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({ cause: { code: "index_not_found" } });
    } finally {
      await http.close();
    }
  });

  test("requests reuse keep-alive connections instead of opening one each", async () => {
    const connections: Socket[] = [];
    const target = new URL(meili.url);
    const proxy: Server = createServer((socket) => {
      connections.push(socket);
      const upstream = createConnection(Number(target.port), target.hostname);
      socket.pipe(upstream).pipe(socket);
      socket.on("close", () => upstream.destroy());
      upstream.on("close", () => socket.destroy());
    });
    await new Promise<void>((done) => proxy.listen(0, "127.0.0.1", done));
    const proxied = createMeiliClient({
      url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
      apiKey: meili.masterKey,
    });
    try {
      const uid = freshIndexUid("keepalive");
      await proxied.ensureIndex(uid, TASK);
      const afterWarmUp = connections.length;
      expect(afterWarmUp).toBeGreaterThan(0);
      for (let round = 0; round < 10; round += 1) await proxied.index(uid).search("anything");
      expect(connections).toHaveLength(afterWarmUp);
    } finally {
      await proxied.close();
      for (const socket of connections) socket.destroy();
      await new Promise((done) => proxy.close(done));
    }
  });

  test("nothing listening gives MeiliUnavailableError; a bad URL is config_invalid", async () => {
    expect(() => createMeiliClient({ url: "http://[not a host" })).toThrow(
      expect.objectContaining({ code: "config_invalid" }),
    );
    const port = await freePort();
    const nowhere = createMeiliClient({ url: `http://127.0.0.1:${port}`, apiKey: meili.masterKey });
    try {
      const failure = await nowhere.health().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MeiliUnavailableError);
      expect((failure as Error).message).toContain("ECONNREFUSED");
      await expect(nowhere.waitForTask(1, TASK)).rejects.toBeInstanceOf(MeiliUnavailableError);
    } finally {
      await nowhere.close();
    }
  });

  test("a server that never answers: requests end after timeoutMs, task waits after theirs", async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket.resume()));
    await new Promise<void>((done) => silent.listen(0, "127.0.0.1", done));
    const port = (silent.address() as { port: number }).port;
    const mute = createMeiliClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 200 });
    try {
      const failure = await mute.health().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MeiliUnavailableError);
      expect(isUnavailable(failure)).toBe(true);
      expect((failure as Error).message).toContain("UND_ERR_HEADERS_TIMEOUT");
      const patient = createMeiliClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 60_000 });
      const late = await patient.waitForTask(7, { timeoutMs: 100 }).catch((error: unknown) => error);
      await patient.close();
      expect(late).toBeInstanceOf(MeiliTaskError);
      expect((late as Error).message).toBe("Meilisearch task 7 did not finish within 100 ms");
    } finally {
      await mute.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => silent.close(done));
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}
