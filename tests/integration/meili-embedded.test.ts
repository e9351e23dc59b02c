import { execFile } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  MASTER_KEY_FILE,
  createMeiliClient,
  isUnavailable,
  readMeiliVersion,
  resolveMeiliBinary,
  startEmbeddedMeili,
  toMeiliError,
  type EmbeddedMeili,
  type MeiliClient,
  type RecordAny,
} from "../../src/meili/index.js";
import { MeiliUnavailableError, PostindexError } from "../../src/errors.js";
import { makeTempDir, removeTempDir } from "../helpers/tmp-dir.js";

const binPath = process.env["MEILI_BIN"] || undefined;
const TASK_TIMEOUT = { timeoutMs: 30_000 };

describe("embedded Meilisearch", () => {
  let dataDir: string;
  let server: EmbeddedMeili;
  let client: MeiliClient;
  const logLines: string[] = [];
  const log = pino({ level: "info" }, { write: (line: string) => void logLines.push(line) });

  beforeAll(async () => {
    dataDir = await makeTempDir("embedded");
    server = await startEmbeddedMeili({ dataDir, binPath, log });
    client = createMeiliClient({ url: server.url, apiKey: server.masterKey });
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
    await removeTempDir(dataDir);
  });

  test("the shipped binary starts and reports version 1.21.0", async () => {
    expect(server.version).toBe("1.21.0");
    expect((await client.raw.getVersion()).pkgVersion).toBe("1.21.0");
  });

  test("/health answers available on a 127.0.0.1 port", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await client.health()).toEqual({ status: "available" });
  });

  test("the master key is kept in the data dir, readable only by its owner", async () => {
    const path = join(dataDir, "meili", MASTER_KEY_FILE);
    expect((await readFile(path, "utf8")).trim()).toBe(server.masterKey);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  test("the master key is enforced: no key and a wrong key are refused", async () => {
    const anonymous = createMeiliClient({ url: server.url });
    const wrong = createMeiliClient({ url: server.url, apiKey: "not-the-master-key-0123456789" });
    try {
      await expect(anonymous.getDocumentCount("anything")).rejects.toMatchObject({
        code: "meili_request_failed",
        cause: { cause: { code: "missing_authorization_header" } },
      });
      await expect(wrong.getDocumentCount("anything")).rejects.toMatchObject({
        cause: { cause: { code: "invalid_api_key" } },
      });
    } finally {
      await anonymous.close();
      await wrong.close();
    }
  });

  test("the start is reported with version and URL, never the key", () => {
    const started = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(started).toContainEqual(
      expect.objectContaining({ msg: "embedded Meilisearch started", version: "1.21.0", url: server.url }),
    );
    expect(logLines.join("\n")).not.toContain(server.masterKey);
  });

  test("the server log goes to the data dir and never contains the key", async () => {
    expect(server.logFile.startsWith(join(dataDir, "meili"))).toBe(true);
    const log = await readFile(server.logFile, "utf8");
    expect(log).toMatch(/Meilisearch|meilisearch/);
    expect(log).not.toContain(server.masterKey);
  });

  test("a restart on the same data dir reuses the master key and keeps the documents", async () => {
    const uid = "persisted";
    await client.waitForTask(
      client.index<RecordAny>(uid).addDocuments([{ id: "p1", title: "kept across restarts" }]),
      TASK_TIMEOUT,
    );
    const firstKey = server.masterKey;
    await client.close();
    await server.stop();

    server = await startEmbeddedMeili({ dataDir, binPath });
    client = createMeiliClient({ url: server.url, apiKey: server.masterKey });
    expect(server.masterKey).toBe(firstKey);
    expect(await client.getDocumentCount(uid)).toBe(1);
    const { hits } = await client.index(uid).search("restarts");
    expect(hits.map((hit) => hit["id"])).toEqual(["p1"]);
  });

  test("stop() ends the process, and a stopped server is unavailable, not a hang", async () => {
    const otherDir = await makeTempDir("embedded-stop");
    const doomed = await startEmbeddedMeili({ dataDir: otherDir, binPath });
    const doomedClient = createMeiliClient({ url: doomed.url, apiKey: doomed.masterKey, timeoutMs: 2_000 });
    try {
      await doomedClient.health();
      await doomed.stop();
      const exit = await doomed.onExit();
      expect(exit.code !== null || exit.signal !== null).toBe(true);
      await expect(doomedClient.health()).rejects.toBeInstanceOf(MeiliUnavailableError);
      const raw = await doomedClient
        .index("any")
        .search("x")
        .catch((error: unknown) => error);
      expect(isUnavailable(raw)).toBe(true);
      expect(toMeiliError(raw, "searching")).toBeInstanceOf(MeiliUnavailableError);
      await doomed.stop(); // idempotent
    } finally {
      await doomedClient.close();
      await doomed.stop();
      await removeTempDir(otherDir);
    }
  });

  test("the server is killed when the process that started it exits", async () => {
    const otherDir = await makeTempDir("embedded-orphan");
    const script = join(otherDir, "start-and-exit.mts");
    const entry = resolve("src/meili/index.ts");
    await writeFile(
      script,
      `import { startEmbeddedMeili } from ${JSON.stringify(entry)};
       const server = await startEmbeddedMeili({ dataDir: ${JSON.stringify(otherDir)}, binPath: ${JSON.stringify(binPath)} });
       console.log(server.url);
       process.exit(0);`,
    );
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script], { timeout: 30_000 });
      const url = stdout.trim();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const orphan = createMeiliClient({ url, timeoutMs: 1_000 });
      try {
        await expect
          .poll(
            () =>
              orphan.health().then(
                () => "still answering",
                (error: unknown) => (error instanceof MeiliUnavailableError ? "gone" : String(error)),
              ),
            { message: `the embedded server at ${url} is gone`, timeout: 5_000, interval: 25 },
          )
          .toBe("gone");
      } finally {
        await orphan.close();
      }
    } finally {
      await removeTempDir(otherDir);
    }
  });

  test("a server that cannot bind its port fails loudly with its log", async () => {
    const otherDir = await makeTempDir("embedded-busy");
    // Takes the port; drops whatever connects (the health probe) so that close() can finish.
    const blocker: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((done) => blocker.listen(0, "127.0.0.1", done));
    const port = (blocker.address() as { port: number }).port;
    try {
      const failure = await startEmbeddedMeili({ dataDir: otherDir, binPath, port }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MeiliUnavailableError);
      expect((failure as Error).message).toContain(`127.0.0.1:${port}`);
    } finally {
      await new Promise((done) => blocker.close(done));
      await removeTempDir(otherDir);
    }
  });

  test("a missing binary fails with meili_binary_missing naming MEILI_URL and MEILI_BIN", async () => {
    const failure = await startEmbeddedMeili({ dataDir, binPath: join(dataDir, "no-such-meilisearch") }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PostindexError);
    expect(failure).toMatchObject({ code: "meili_binary_missing" });
    expect((failure as Error).message).toMatch(/MEILI_URL.*MEILI_BIN/);
  });

  test("a binary installed without its execute bit is made executable", async () => {
    const fake = join(dataDir, "fake-meilisearch");
    await writeFile(fake, "#!/bin/sh\necho 'meilisearch 9.8.7'\n", { mode: 0o644 });
    expect((await stat(fake)).mode & 0o111).toBe(0);
    expect(await resolveMeiliBinary(fake)).toBe(fake);
    expect((await stat(fake)).mode & 0o777).toBe(0o755);
    expect(await readMeiliVersion(fake)).toBe("9.8.7");
  });

  test.skipIf(binPath !== undefined)("the packaged binary resolves and is executable without MEILI_BIN", async () => {
    const path = await resolveMeiliBinary();
    expect(path).toMatch(/@gaubee\/meilisearch-linux-amd64\/meilisearch$/);
    expect((await stat(path)).mode & 0o100).not.toBe(0);
  });
});
