import { randomBytes } from "node:crypto";
import { createMeiliClient, startEmbeddedMeili, type EmbeddedMeili, type MeiliClient } from "../../src/meili/index.js";
import { makeTempDir, removeTempDir } from "./tmp-dir.js";

/** A real Meilisearch for one test file, in its own temp dir, on a free port. */
export interface TestMeili {
  readonly url: string;
  readonly masterKey: string;
  /** A client with the master key. */
  readonly client: MeiliClient;
  /** The temp data dir (removed by `stop`). */
  readonly dataDir: string;
  readonly server: EmbeddedMeili;
  /** Closes the client, stops the server, removes the data dir. */
  stop(): Promise<void>;
}

/**
 * Starts the npm-shipped Meilisearch binary (or `MEILI_BIN`) for a test file:
 * call in `beforeAll`, `stop()` in `afterAll`, and give each test its own {@link freshIndexUid}.
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
