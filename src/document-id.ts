/**
 * Record ids ↔ Meilisearch document ids. Meilisearch accepts only `[A-Za-z0-9_-]` (at most 511
 * bytes), and one bad id fails a whole batch, so every record id goes through here.
 * @see https://www.meilisearch.com/docs/learn/getting_started/primary_key#formatting-the-document-id
 */

/** The longest document id Meilisearch accepts, in bytes. */
export const MAX_DOCUMENT_ID_BYTES = 511;

const ENCODED_PREFIX = "b64_";
const SAFE_ID = /^[A-Za-z0-9_-]+$/;

/**
 * An id that is already a valid document id is kept as it is; any other (spaces, dots, unicode,
 * or one that starts with the encoding prefix) becomes `b64_` + base64url of its UTF-8 bytes.
 * The mapping is reversible and injective, so two records can never share a document id.
 */
export function toDocumentId(recordId: string): string {
  if (SAFE_ID.test(recordId) && !recordId.startsWith(ENCODED_PREFIX)) return recordId;
  return ENCODED_PREFIX + Buffer.from(recordId, "utf8").toString("base64url");
}

/** The record id a document id stands for (the inverse of `toDocumentId`). */
export function fromDocumentId(documentId: string): string {
  if (!documentId.startsWith(ENCODED_PREFIX)) return documentId;
  return Buffer.from(documentId.slice(ENCODED_PREFIX.length), "base64url").toString("utf8");
}
