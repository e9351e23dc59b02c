import { fromDocumentId, MAX_DOCUMENT_ID_BYTES, toDocumentId } from "./document-id.js";
import type { SearchDocument } from "./document-types.js";
import { NotFoundError } from "./errors.js";
import type { MeiliClient } from "./meili/client.js";
import { toMeiliError } from "./meili/errors.js";
import { filterEquals } from "./meili/filter.js";

/** An indexed post as `GET /posts/:id` answers it: the document, with `id` the record id. */
export type PublicDocument = Omit<SearchDocument, "id"> & { readonly id: string };

/**
 * The indexed document of the record `recordId` (the id as the export wrote it; it is mapped to its
 * document id here), with only `fields` when given. Read with a search on `id` (a filterable
 * attribute), so a search-only key suffices.
 * @throws NotFoundError when no such post is indexed (excluded and rejected records never are)
 * @throws MeiliUnavailableError / PostindexError `meili_request_failed` (see `toMeiliError`)
 */
async function getIndexedDocument<K extends keyof SearchDocument>(
  client: MeiliClient,
  indexUid: string,
  recordId: string,
  fields?: readonly K[],
): Promise<Pick<SearchDocument, K>> {
  const documentId = toDocumentId(recordId);
  const notFound = () => new NotFoundError(`no indexed post has id ${JSON.stringify(shorten(recordId))}`);
  if (recordId === "" || Buffer.byteLength(documentId) > MAX_DOCUMENT_ID_BYTES) throw notFound();
  let hits: Pick<SearchDocument, K>[];
  try {
    const attributesToRetrieve = fields === undefined ? ["*"] : [...fields];
    ({ hits } = await client
      .index(indexUid)
      .search("", { filter: filterEquals("id", documentId), limit: 1, attributesToRetrieve }));
  } catch (error) {
    throw toMeiliError(error, `reading a document of index "${indexUid}"`);
  }
  const [document] = hits;
  if (document === undefined) throw notFound();
  return document;
}

/** `GET /posts/:id`: the whole indexed post, `id` being the record id. */
export async function getPost(client: MeiliClient, indexUid: string, recordId: string): Promise<PublicDocument> {
  const document = await getIndexedDocument(client, indexUid, recordId);
  return { ...document, id: document.source_id ?? fromDocumentId(document.id) };
}

function shorten(value: string): string {
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}
