import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test, vi } from "vitest";
import { makeContentDir, ndjson } from "../helpers/content-dir.js";
import { readIds } from "../helpers/indexer-context.js";
import { makeRecord } from "../helpers/records.js";
import { runCli, spawnCli } from "../helpers/run-cli.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";
import { makeTempDir, removeTempDir } from "../helpers/tmp-dir.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const meili = sharedMeili();

async function envFor(indexUid: string): Promise<NodeJS.ProcessEnv> {
  return {
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.masterKey,
    MEILI_INDEX: indexUid,
    POSTINDEX_DATA_DIR: await makeTempDir("cli"),
    LOG_LEVEL: "warn",
  };
}

describe("postindex reindex / sync", () => {
  test("reindex --json prints the report, exits 0 with rejections, and fills the index", async () => {
    const uid = freshIndexUid("cli");
    const dir = await makeContentDir({
      "posts.ndjson": ndjson(makeRecord({ id: "a" }), makeRecord({ id: "b" }), { id: "broken" }),
    });
    const result = await runCli(["reindex", dir, "--json"], await envFor(uid));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).rejected).toEqual([
      { file: "posts.ndjson", line: 3, id: "broken", field: "title", message: "title is missing" },
    ]);
    expect(await readIds(meili.client, uid)).toEqual(["a", "b"]);
  });

  test("sync prints what it wrote and deleted", async () => {
    const uid = freshIndexUid("cli");
    const env = await envFor(uid);
    const dir = await makeContentDir({ "a.json": JSON.stringify(makeRecord({ id: "a" })) });
    const result = await runCli(["sync", dir], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("index: 1 written, 0 deleted, 0 unchanged");
    expect((await runCli(["sync", dir], env)).stdout).toContain("index: 0 written, 0 deleted, 1 unchanged");
  });

  test("an unreachable Meilisearch is an operational failure: exit 1 with a message, no stack trace", async () => {
    const dir = await makeContentDir({ "a.json": JSON.stringify(makeRecord({ id: "a" })) });
    const env = { ...(await envFor("x")), MEILI_URL: "http://127.0.0.1:9", POSTINDEX_MEILI_RETRY_MS: "300" };
    const result = await runCli(["reindex", dir], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/postindex reindex: .*127\.0\.0\.1:9/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test("an invalid variable stops the command with a message naming it", async () => {
    const result = await runCli(["sync", root], { MEILI_INDEX: "bad index!" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("MEILI_INDEX");
  });
});

describe("postindex start", () => {
  test("starts the embedded server, indexes the content, serves the API, and stops cleanly on Ctrl-C", async () => {
    const dataDir = await makeTempDir("start");
    const tsx = path.join(root, "node_modules/.bin/tsx");
    const child = spawn(tsx, [path.join(root, "cli/main.ts"), "start"], {
      env: {
        ...process.env,
        POSTINDEX_DATA_DIR: dataDir,
        PORT: "0",
        MEILI_URL: "",
        CONTENT_DIR: path.join(root, "content"),
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const url = await vi.waitFor(
        () => {
          const printed = /search page\s+(http:\/\/\S+?)\/\s/.exec(output)?.[1];
          if (printed === undefined) throw new Error(`start prints its URL (it printed: ${output.slice(-2_000)})`);
          return printed;
        },
        { timeout: 60_000, interval: 25 },
      );
      expect(output).toMatch(/42 indexed, 3 excluded, 2 rejected, 1 duplicate/);
      const answer = (await (await fetch(`${url}/search?q=cache`)).json()) as { total: number };
      expect(answer.total).toBeGreaterThan(0);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      child.kill("SIGINT");
      expect(await exited).toBe(0);
      await expect(fetch(`${url}/health`), "nothing listens after Ctrl-C").rejects.toThrow("fetch failed");
    } finally {
      child.kill("SIGKILL");
      await removeTempDir(dataDir);
    }
  });

  test("while Meilisearch is unreachable it keeps retrying and says so in the log", async () => {
    const dataDir = await makeTempDir("start");
    const child = spawnCli(["start"], {
      POSTINDEX_DATA_DIR: dataDir,
      PORT: "0",
      MEILI_URL: "http://127.0.0.1:9",
      MEILI_MASTER_KEY: "unused",
      CONTENT_DIR: path.join(root, "content"),
      LOG_LEVEL: "warn",
    });
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      await expect
        .poll(() => /"msg":"Meilisearch unreachable, retrying"/.test(stderr), {
          message: "start logs its retries",
          timeout: 20_000,
          interval: 25,
        })
        .toBe(true);
      const retry = JSON.parse(
        stderr.split("\n").find((line) => line.includes("Meilisearch unreachable, retrying")) ?? "{}",
      );
      expect(retry).toMatchObject({ attempt: 1, reason: expect.stringContaining("127.0.0.1:9") });
      expect(child.exitCode).toBeNull(); // still retrying: start never gives up on the server
    } finally {
      child.kill("SIGKILL");
      await exited;
      await removeTempDir(dataDir);
    }
  });
});
