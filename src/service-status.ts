import type { MeiliClient } from "./meili/client.js";
import { meiliErrorCode, toMeiliError } from "./meili/errors.js";

/** What `GET /health` reports when Meilisearch answers. */
export interface ServiceStatus {
  readonly status: "ok";
  readonly meilisearch: "available";
  readonly index: string;
  /** Indexed posts; null while the index is not built yet. */
  readonly documents: number | null;
}

/**
 * Checks that Meilisearch answers (`/health`) and counts the index's posts with a search (the API's
 * key may search but not read statistics).
 * @throws MeiliUnavailableError when Meilisearch cannot be reached
 */
export async function readServiceStatus(client: MeiliClient, indexUid: string): Promise<ServiceStatus> {
  await client.health();
  let documents: number | null;
  try {
    const result = await client.index(indexUid).search("", { page: 1, hitsPerPage: 0, attributesToRetrieve: [] });
    documents = result.totalHits ?? null;
  } catch (error) {
    if (meiliErrorCode(error) !== "index_not_found")
      throw toMeiliError(error, `counting the posts of index "${indexUid}"`);
    documents = null;
  }
  return { status: "ok", meilisearch: "available", index: indexUid, documents };
}
