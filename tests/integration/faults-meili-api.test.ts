import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { reindexFolder } from "../../indexer/reindex.js";
import { startApi, type RunningApi } from "../../api/index.js";
import type { EmbeddedMeili } from "../../src/index.js";
import { silentLog } from "../helpers/api.js";
import { makeContentDir, writeContentFiles } from "../helpers/content-dir.js";
import { expectIndexMatches, postsOf } from "../helpers/convergence.js";
import { ndjsonFiles } from "../helpers/fault-corpus.js";
import { makeIndexerContext } from "../helpers/indexer-context.js";
import { killMeili, restartMeili } from "../helpers/kill-meili.js";
import { post, seedIndex } from "../helpers/seed-index.js";
import { freshIndexUid, startMeili, type TestMeili } from "../helpers/start-meili.js";

/** One answer seen by the load. */
interface Answer {
  readonly path: string;
  readonly status: number;
  readonly ms: number;
  readonly retryAfter: string | null;
  readonly body: string;
  readonly at: number;
}

const PATHS = [
  "/search?q=post",
  "/search?stack=general&sort=recent",
  "/posts/p-3",
  "/posts/p-4/related",
  "/facets/tools?q=t",
  "/health",
];

/** `connections` clients asking in a loop, each waiting for its answer, until `stop()`; `sent()` counts the requests. */
function startLoad(url: string, connections: number) {
  const answers: Answer[] = [];
  let sent = 0;
  let isStopping = false;
  const loops = Array.from({ length: connections }, async (_, client) => {
    for (let i = client; !isStopping; i += 1) {
      const path = PATHS[i % PATHS.length] as string;
      const startedAt = performance.now();
      sent += 1;
      const response = await fetch(`${url}${path}`);
      const body = await response.text();
      answers.push({
        path,
        status: response.status,
        ms: performance.now() - startedAt,
        retryAfter: response.headers.get("retry-after"),
        body,
        at: Date.now(),
      });
    }
  });
  return {
    answers,
    sent: () => sent,
    async stop() {
      isStopping = true;
      await Promise.all(loops);
    },
  };
}

describe("Meilisearch killed under API load", () => {
  let meili: TestMeili;
  let api: RunningApi;
  let restarted: EmbeddedMeili | undefined;
  const uid = freshIndexUid("kill_api");

  beforeAll(async () => {
    meili = await startMeili();
    const posts = Array.from({ length: 40 }, (_, i) =>
      post(`p-${i}`, {
        tools: [`t${i % 5}`],
        entities: [
          ["tool", `t${i % 5}`],
          ["problem", `x${i % 3}`],
        ],
      }),
    );
    await seedIndex(meili.client, uid, posts);
    api = await startApi({
      config: { indexUid: uid, port: 0 },
      adminClient: meili.client,
      log: silentLog(),
      host: "127.0.0.1",
      options: { requestTimeoutMs: 2_000 },
    });
  });

  afterAll(async () => {
    await api?.close();
    await restarted?.stop();
    await meili?.stop();
  });

  test("16 clients: 503s with Retry-After while it is down, never another error or a hang, then answers again", async () => {
    const load = startLoad(api.url, 16);
    try {
      await expect
        .poll(() => load.answers.filter((a) => a.status === 200).length, {
          message: "the load is answered",
          timeout: 20_000,
          interval: 25,
        })
        .toBeGreaterThanOrEqual(100);
      const killedAt = Date.now();
      await killMeili(meili.server);
      await expect
        .poll(() => load.answers.filter((a) => a.at > killedAt && a.status === 503).length, {
          message: "503s while it is down",
          timeout: 20_000,
          interval: 25,
        })
        .toBeGreaterThanOrEqual(50);
      restarted = await restartMeili(meili.dataDir, meili.url);
      const restartedAt = Date.now();
      await expect
        .poll(() => load.answers.filter((a) => a.at > restartedAt && a.status === 200).length, {
          message: "answers again after the restart",
          timeout: 20_000,
          interval: 25,
        })
        .toBeGreaterThanOrEqual(200);
    } finally {
      await load.stop();
    }
    const unexpected = load.answers.filter((a) => a.status !== 200 && a.status !== 503);
    expect(unexpected.map((a) => `${a.path} ${a.status} ${a.body}`)).toEqual([]);
    for (const answer of load.answers.filter((a) => a.status === 503)) {
      expect(answer.retryAfter, answer.path).toBe("5");
      expect(JSON.parse(answer.body), answer.path).toMatchObject({ error: { code: "meili_unavailable" } });
      expect(answer.body).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|\n\s+at |node_modules/);
    }
    // Never a hang, however the kill fell: every request sent was answered (stop() waited for each).
    expect(load.answers, "every request sent is answered").toHaveLength(load.sent());
    const last = load.answers.slice(-32);
    expect(last.every((a) => a.status === 200)).toBe(true);
  });

  test("8 clients while two reindexes swap a new index in: only 200s, and each total is the old or the new count", async () => {
    const context = await makeIndexerContext(meili.client, uid);
    const dir = await makeContentDir(ndjsonFiles("p", 40, 40));
    await reindexFolder(context, dir);
    const lastFiles = ndjsonFiles("p", 600, 300, 3);
    const load = startLoad(api.url, 8);
    try {
      await writeContentFiles(dir, ndjsonFiles("p", 1_500, 300, 2));
      await reindexFolder(context, dir);
      await writeContentFiles(dir, lastFiles);
      await rm(path.join(dir, "p/part-002.ndjson"), { force: true });
      await rm(path.join(dir, "p/part-003.ndjson"), { force: true });
      await rm(path.join(dir, "p/part-004.ndjson"), { force: true });
      await reindexFolder(context, dir);
      const doneAt = Date.now();
      await expect
        .poll(() => load.answers.filter((a) => a.at > doneAt).length, {
          message: "answers after the last swap",
          timeout: 5_000,
          interval: 25,
        })
        .toBeGreaterThanOrEqual(50);
    } finally {
      await load.stop();
    }
    expect(load.answers.filter((a) => a.status !== 200).map((a) => `${a.path} ${a.status} ${a.body}`)).toEqual([]);
    const totals = new Set(
      load.answers
        .filter((a) => a.path === "/search?q=post")
        .map((a) => (JSON.parse(a.body) as { total: number }).total),
    );
    expect(
      [...totals].every((total) => [40, 1_500, 600].includes(total)),
      [...totals].join(),
    ).toBe(true);
    // What the test wrote last: p-0 … p-599 at version 3 (the files that held p-600 … are gone).
    await expectIndexMatches(meili.client, uid, postsOf(lastFiles));
  });
});
