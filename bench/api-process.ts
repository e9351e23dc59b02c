import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { BENCH_DIR } from "./results.js";
import { CLI_SCRIPT } from "./process.js";
import type { BenchServer } from "./sections/reindex.js";

/** A server the bench started in a process of its own. */
export interface BenchProcess {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Spawns `node ARGS` and resolves once it prints `<what> on http://…`: its URL, pid and a stop.
 */
async function spawnListening(args: readonly string[], env: NodeJS.ProcessEnv, what: string): Promise<BenchProcess> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8");
  const pattern = new RegExp(`${what} on (http:\\/\\/\\S+)`);
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${what} exited ${code}: ${output}`)));
    child.stdout.on("data", (chunk: string) => {
      output += chunk;
      const match = pattern.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
  });
  return {
    url,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

/** `postindex serve` (compiled) in its own process, as production runs it; resolves with its URL. */
export async function startApiProcess(server: BenchServer, indexUid: string): Promise<BenchProcess> {
  const api = await spawnListening(
    [CLI_SCRIPT, "serve"],
    { MEILI_URL: server.url, MEILI_MASTER_KEY: server.apiKey, MEILI_INDEX: indexUid, PORT: "0", LOG_LEVEL: "warn" },
    "API",
  );
  await untilRelatedLoaded(api.url);
  return api;
}

/**
 * `bench/pass-through-proxy.mjs` in its own process: forwards every request to Meilisearch
 * unchanged, doing nothing else (the floor for any HTTP process between a client and the engine).
 */
export function startPassThroughProcess(server: BenchServer): Promise<BenchProcess> {
  return spawnListening([path.join(BENCH_DIR, "pass-through-proxy.mjs"), server.url], {}, "pass-through");
}

/**
 * Waits until the API's related-posts index is loaded (it reads every document at start, which
 * keeps Meilisearch busy for a few seconds at 100,000 articles): a draft with no entities answers
 * 200 from then on, 503 before.
 */
async function untilRelatedLoaded(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const response = await fetch(`${url}/related`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"entities":[]}',
    });
    await response.arrayBuffer();
    if (response.ok) return;
    if (Date.now() > deadline)
      throw new Error(`postindex serve: related posts still answer ${response.status} after 2 minutes`);
    await new Promise((done) => setTimeout(done, 100));
  }
}
