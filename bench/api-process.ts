import { spawn } from "node:child_process";
import { once } from "node:events";
import { CLI_SCRIPT } from "./process.js";
import type { BenchServer } from "./sections/reindex.js";

/** `postindex serve` (compiled) in its own process, as production runs it; resolves with its URL. */
export async function startApiProcess(
  server: BenchServer,
  indexUid: string,
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [CLI_SCRIPT, "serve"], {
    env: {
      ...process.env,
      MEILI_URL: server.url,
      MEILI_MASTER_KEY: server.apiKey,
      MEILI_INDEX: indexUid,
      PORT: "0",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8");
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`postindex serve exited ${code}: ${output}`)));
    child.stdout.on("data", (chunk: string) => {
      output += chunk;
      const match = /API on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
  });
  await untilRelatedLoaded(url);
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
