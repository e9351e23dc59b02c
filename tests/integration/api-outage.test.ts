import { createServer, type Server, type Socket } from "node:net";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { API_KEY_ACTIONS, createApp, startApi, type RunningApi } from "../../api/index.js";
import { createMeiliClient, meiliErrorCode, startEmbeddedMeili, type EmbeddedMeili } from "../../src/index.js";
import type { RecordAny } from "../../src/meili/client.js";
import { silentLog } from "../helpers/api.js";
import { post, seedIndex } from "../helpers/seed-index.js";
import { freshIndexUid, startMeili, type TestMeili } from "../helpers/start-meili.js";

describe("Meilisearch down and up again", () => {
  let meili: TestMeili;
  let api: RunningApi;
  let restarted: EmbeddedMeili | undefined;
  const uid = freshIndexUid("outage");

  beforeAll(async () => {
    meili = await startMeili();
    await seedIndex(meili.client, uid, [
      post("a", { entities: [["topic", "x"]] }),
      post("b", { entities: [["topic", "x"]] }),
    ]);
    api = await startApi({
      config: { indexUid: uid, port: 0 },
      adminClient: meili.client,
      log: silentLog(),
      host: "127.0.0.1",
    });
  });

  afterAll(async () => {
    await api?.close();
    await restarted?.stop();
    await meili?.stop();
  });

  test("the API's key may read (search, documents, stats for the related-posts index), never write", async () => {
    await request(api.url).get("/posts/a").expect(200);
    const index = api.searchClient.index<RecordAny>(uid);
    const write = await api.searchClient
      .waitForTask(index.addDocuments([{ id: "z" }]), { timeoutMs: 5_000 })
      .catch((error: unknown) => error);
    expect(meiliErrorCode(write)).toBe("invalid_api_key");
    expect(meiliErrorCode(await index.deleteDocument("a").catch((error: unknown) => error))).toBe("invalid_api_key");
    expect((await index.getDocument("a")).id).toBe("a");
  });

  test("startApi takes a ready search key instead of an admin client", async () => {
    const searchKey = await meili.client.getSearchKey({ indexes: [uid], actions: API_KEY_ACTIONS });
    const second = await startApi({
      config: { indexUid: uid, port: 0 },
      meiliUrl: meili.url,
      searchKey: searchKey ?? undefined,
      log: silentLog(),
      host: "127.0.0.1",
    });
    try {
      const { body } = await request(second.url).get("/posts/a/related").expect(200);
      expect(body.related.map((item: { id: string }) => item.id)).toEqual(["b"]);
    } finally {
      await second.close();
    }
    await expect(startApi({ config: { indexUid: uid, port: 0 }, log: silentLog() })).rejects.toMatchObject({
      code: "config_invalid",
    });
  });

  test("while Meilisearch is stopped: 503 with Retry-After; after a restart on the same data: answers again, same API process", async () => {
    await request(api.url).get("/health").expect(200);
    await meili.server.stop();

    const health = await request(api.url).get("/health").expect(503);
    expect(health.body).toMatchObject({ status: "unavailable", error: { code: "meili_unavailable" } });
    expect(health.headers["retry-after"]).toBe("5");
    // Related posts come from memory, fresh for half a second after the last look at Meilisearch; then they wait for it too.
    await expect
      .poll(async () => (await request(api.url).get("/posts/a/related")).status, {
        message: "related posts are unavailable too",
        timeout: 2_000,
        interval: 25,
      })
      .toBe(503);
    for (const path of ["/search?q=post", "/posts/a", "/posts/a/related", "/facets/stack"]) {
      const { body, headers } = await request(api.url).get(path).expect(503);
      expect(body.error.code, path).toBe("meili_unavailable");
      expect(body.error.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
      expect(headers["retry-after"]).toBe("5");
    }
    const metrics = await request(api.url).get("/metrics").expect(200);
    expect(metrics.text).toMatch(/postindex_meilisearch_errors_total\{code="meili_unavailable"\} [1-9]/);

    restarted = await startEmbeddedMeili({
      dataDir: meili.dataDir,
      port: Number(new URL(meili.url).port),
      binPath: process.env["MEILI_BIN"] || undefined,
    });
    await expect
      .poll(async () => (await request(api.url).get("/health")).status, {
        message: "the API sees Meilisearch again",
        timeout: 20_000,
        interval: 25,
      })
      .toBe(200);
    const { body } = await request(api.url).get("/posts/a/related").expect(200);
    expect(body.related.map((item: { id: string }) => item.id)).toEqual(["b"]);
  });
});

describe("Meilisearch that accepts connections and never answers", () => {
  let silent: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((done) => silent.listen(0, "127.0.0.1", done));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((done) => silent.close(() => done()));
  });

  test("requests end with a 503 and Retry-After at the deadline instead of hanging", async () => {
    const { port } = silent.address() as { port: number };
    const client = createMeiliClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 10_000 });
    const app = createApp({
      client,
      indexUid: "articles",
      log: silentLog(),
      options: { requestTimeoutMs: 200, retryAfterSeconds: 2 },
    });
    try {
      for (const path of ["/search?q=x", "/health", "/posts/a/related"]) {
        const { body, headers } = await request(app).get(path).expect(503);
        expect(body.error.code, path).toBe("meili_unavailable");
        expect(headers["retry-after"]).toBe("2");
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      await client.close();
    }
  });
});
