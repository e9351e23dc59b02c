import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";
import { createMeiliClient, startEmbeddedMeili, type EmbeddedMeili, type MeiliClient } from "../../src/meili/index.js";
import { makeTempDir, removeTempDir } from "./tmp-dir.js";

/** A Meilisearch a test talks to: its address, its master key and a client holding that key. */
export interface MeiliHandle {
  readonly url: string;
  readonly masterKey: string;
  /** A client with the master key. */
  readonly client: MeiliClient;
}

/** A Meilisearch of one test file's own, in its own temp dir, on a free port: one the test may stop or kill. */
export interface TestMeili extends MeiliHandle {
  /** The temp data dir (removed by `stop`). */
  readonly dataDir: string;
  readonly server: EmbeddedMeili;
  /** Closes the client, stops the server, removes the data dir. */
  stop(): Promise<void>;
}

/**
 * The Meilisearch the whole run shares, started once by the vitest `globalSetup`
 * (tests/helpers/global-meili.ts). Call it while the file is collected (top level or a `describe`
 * body); its client is closed after the file's (or the describe's) tests. Each test works on its own
 * {@link freshIndexUid}; a test that stops, kills or restarts Meilisearch starts its own with
 * {@link startMeili} instead.
 */
export function sharedMeili(): MeiliHandle {
  const { url, masterKey } = inject("sharedMeili");
  const client = createMeiliClient({ url, apiKey: masterKey });
  afterAll(() => client.close());
  return { url, masterKey, client };
}

/**
 * Starts the npm-shipped Meilisearch binary (or `MEILI_BIN`) for a test file that stops, kills or
 * restarts it (every other test uses {@link sharedMeili}): call in `beforeAll` or the test,
 * `stop()` afterwards, and give each test its own {@link freshIndexUid}.
 */
export async function startMeili(): Promise<TestMeili> {
  const dataDir = await makeTempDir("meili");
  let server: EmbeddedMeili;
  try {
    server = await startEmbeddedMeili({ dataDir, binPath: process.env["MEILI_BIN"] || undefined });
  } catch (error) {
    await removeTempDir(dataDir);
    throw error;
  }
  const client = createMeiliClient({ url: server.url, apiKey: server.masterKey });
  return {
    url: server.url,
    masterKey: server.masterKey,
    client,
    dataDir,
    server,
    async stop() {
      await client.close();
      await server.stop();
      await removeTempDir(dataDir);
    },
  };
}

/** An index uid no other test uses: `<label>_<random>` (only `[A-Za-z0-9_-]`). */
export function freshIndexUid(label: string): string {
  return `${label.replace(/[^A-Za-z0-9_-]/g, "_")}_${randomBytes(4).toString("hex")}`;
}
