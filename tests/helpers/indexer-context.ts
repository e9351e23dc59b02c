import { afterAll } from "vitest";
import { pino } from "pino";
import type { IndexerContext } from "../../indexer/context.js";
import type { MeiliClient, SearchDocument } from "../../src/index.js";
import { makeTempDir, removeTempDir } from "./tmp-dir.js";

/** The lock folders this test file made; removed after its tests (a hook of the importing file). */
const lockFolders: string[] = [];
afterAll(async () => {
  await Promise.all(lockFolders.splice(0).map((folder) => removeTempDir(folder)));
});

/** An indexer context on a test Meilisearch: a fresh lock folder, silent logs, short retries. */
export async function makeIndexerContext(
  client: MeiliClient,
  indexUid: string,
  retryForMs = 2_000,
): Promise<IndexerContext> {
  const dataDir = await makeTempDir("indexer");
  lockFolders.push(dataDir);
  return {
    client,
    indexUid,
    dataDir,
    log: pino({ level: "silent" }),
    retry: { retryForMs, initialDelayMs: 50, maxDelayMs: 500 },
  };
}

/** Every document of an index, by record id (`source_id`), read from Meilisearch itself. */
export async function readDocuments(client: MeiliClient, indexUid: string): Promise<Map<string, SearchDocument>> {
  const page = await client.index(indexUid).getDocuments({ limit: 10_000 });
  return new Map(page.results.map((document) => [document.source_id, document]));
}

/** The record ids in an index, sorted. */
export async function readIds(client: MeiliClient, indexUid: string): Promise<string[]> {
  return [...(await readDocuments(client, indexUid)).keys()].sort();
}
