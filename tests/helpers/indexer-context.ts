import { pino } from "pino";
import type { IndexerContext } from "../../indexer/context.js";
import type { MeiliClient, SearchDocument } from "../../src/index.js";
import { makeTempDir } from "./tmp-dir.js";

/** An indexer context on a test Meilisearch: a fresh lock folder, silent logs, short retries. */
export async function makeIndexerContext(client: MeiliClient, indexUid: string, retryForMs = 2_000): Promise<IndexerContext> {
  return {
    client,
    indexUid,
    dataDir: await makeTempDir("indexer"),
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
