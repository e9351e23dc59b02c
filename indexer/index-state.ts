import { meiliErrorCode, toMeiliError, type MeiliClient } from "../src/index.js";

/** What the index holds for one document: enough to tell whether a record changed or moved. */
export interface IndexedEntry {
  file: string;
  hash: string;
}

/** Document id → where it came from and its content hash: the index is the state, no side database. */
export type IndexState = Map<string, IndexedEntry>;

/** Documents per page. @see readIndexState's `pageSize` */
const PAGE_SIZE = 10_000;
/** Pages read at once. */
const PAGES_AT_ONCE = 4;

/** What is read of each document (an index written by another tool may hold numeric ids). */
type StateFields = { id: string | number; source_file: string; content_hash: string };

/**
 * Reads every document's id, source file and content hash from the index (empty when it does not
 * exist). The index's document count says how many pages there are, and they are read
 * {@link PAGES_AT_ONCE} at a time (20,000 documents: ~370 ms one page after another, ~230 ms so);
 * should the last come back full (documents added meanwhile), the rest are read one by one.
 */
export async function readIndexState(
  client: MeiliClient,
  indexUid: string,
  options: { readonly pageSize?: number } = {},
): Promise<IndexState> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const state: IndexState = new Map();
  const index = client.index<StateFields>(indexUid);
  let count: number;
  try {
    count = await client.getDocumentCount(indexUid);
  } catch (error) {
    if (meiliErrorCode(error) === "index_not_found") return state;
    throw error;
  }
  const readPage = async (offset: number): Promise<StateFields[]> => {
    try {
      const fields: (keyof StateFields)[] = ["id", "source_file", "content_hash"];
      return (await index.getDocuments({ fields, limit: pageSize, offset })).results;
    } catch (error) {
      // Deleted since it was counted: it holds nothing.
      if (meiliErrorCode(error) === "index_not_found") return [];
      throw toMeiliError(error, `reading the documents of index "${indexUid}"`);
    }
  };
  const add = (documents: readonly StateFields[]): void => {
    for (const document of documents)
      state.set(String(document.id), { file: document.source_file, hash: document.content_hash });
  };
  const offsets: number[] = [];
  for (let offset = 0; offset === 0 || offset < count; offset += pageSize) offsets.push(offset);
  let last: StateFields[] = [];
  for (let at = 0; at < offsets.length; at += PAGES_AT_ONCE) {
    for (last of await Promise.all(offsets.slice(at, at + PAGES_AT_ONCE).map(readPage))) add(last);
  }
  for (let offset = offsets.length * pageSize; last.length === pageSize; offset += pageSize) {
    last = await readPage(offset);
    add(last);
  }
  return state;
}
