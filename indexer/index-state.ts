import { meiliErrorCode, toMeiliError, type MeiliClient } from "../src/index.js";

/** What the index holds for one document: enough to tell whether a record changed or moved. */
export interface IndexedEntry {
  file: string;
  hash: string;
}

/** Document id → where it came from and its content hash: the index is the state, no side database. */
export type IndexState = Map<string, IndexedEntry>;

const PAGE_SIZE = 10_000;

/** Reads every document's id, source file and content hash from the index (empty when it does not exist). */
export async function readIndexState(client: MeiliClient, indexUid: string): Promise<IndexState> {
  const state: IndexState = new Map();
  const index = client.index<{ id: string; source_file: string; content_hash: string }>(indexUid);
  for (let offset = 0; ; offset += PAGE_SIZE) {
    let page;
    try {
      page = await index.getDocuments({ fields: ["id", "source_file", "content_hash"], limit: PAGE_SIZE, offset });
    } catch (error) {
      if (meiliErrorCode(error) === "index_not_found") return state;
      throw toMeiliError(error, `reading the documents of index "${indexUid}"`);
    }
    for (const document of page.results)
      state.set(String(document.id), { file: document.source_file, hash: document.content_hash });
    if (page.results.length < PAGE_SIZE) return state;
  }
}
