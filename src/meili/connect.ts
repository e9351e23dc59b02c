import { readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createMeiliClient, type MeiliClient } from "./client.js";
import { startEmbeddedMeili, type EmbeddedLog, type EmbeddedMeili } from "./embedded.js";
import { checkHealth } from "./embedded-support.js";
import { loadOrCreateMasterKey } from "./master-key.js";

/** Options for {@link connectMeili}. */
export interface ConnectOptions {
  /** An existing server (`MEILI_URL`); unset: the embedded one. */
  readonly url?: string;
  /** Its key (`MEILI_MASTER_KEY`). */
  readonly apiKey?: string;
  /** postindex's data folder (embedded server data, its address file). */
  readonly dataDir: string;
  /** `MEILI_BIN`. */
  readonly binPath?: string;
  readonly log?: EmbeddedLog;
}

/** A client on a Meilisearch this process may use; `close()` stops the server if this process started it. */
export interface MeiliConnection {
  readonly client: MeiliClient;
  readonly url: string;
  /** The key the client uses (admin side only; never log it). */
  readonly apiKey: string | undefined;
  /** How the server was reached, for the start-up summary. */
  readonly mode: "external" | "embedded-started" | "embedded-reused";
  /** Set when this process started the embedded server. */
  readonly embedded?: EmbeddedMeili;
  close(): Promise<void>;
}

/** Where a running embedded server leaves its address, so other postindex processes share it. */
function addressFile(dataDir: string): string {
  return join(resolve(dataDir), "meili", "server.json");
}

/**
 * Connects to `MEILI_URL` when given; otherwise reuses the embedded server another postindex
 * process runs on the same data dir (a `watch` and a `reindex` side by side), or starts one.
 */
export async function connectMeili(options: ConnectOptions): Promise<MeiliConnection> {
  if (options.url !== undefined) {
    const client = createMeiliClient({ url: options.url, apiKey: options.apiKey });
    return { client, url: options.url, apiKey: options.apiKey, mode: "external", close: () => client.close() };
  }
  const running = await findRunningEmbedded(options.dataDir);
  if (running) {
    const apiKey = await loadOrCreateMasterKey(join(resolve(options.dataDir), "meili"));
    const client = createMeiliClient({ url: running, apiKey });
    return { client, url: running, apiKey, mode: "embedded-reused", close: () => client.close() };
  }
  const embedded = await startEmbeddedMeili({ dataDir: options.dataDir, binPath: options.binPath, log: options.log });
  const file = addressFile(options.dataDir);
  await writeFile(file, JSON.stringify({ url: embedded.url, pid: process.pid }), { mode: 0o600 });
  const client = createMeiliClient({ url: embedded.url, apiKey: embedded.masterKey });
  return {
    client,
    url: embedded.url,
    apiKey: embedded.masterKey,
    mode: "embedded-started",
    embedded,
    async close() {
      await client.close();
      await embedded.stop();
      await rm(file, { force: true });
    },
  };
}

async function findRunningEmbedded(dataDir: string): Promise<string | undefined> {
  try {
    const { url } = JSON.parse(await readFile(addressFile(dataDir), "utf8")) as { url?: unknown };
    if (typeof url === "string" && (await checkHealth(url))) return url;
  } catch {
    // No address file, or an unreadable one: no server to share.
  }
  return undefined;
}
