import { toDocumentId } from "../document-id.js";
import type { RelatedControls } from "../document-types.js";
import type { RelatedDocument, RelatedIndex } from "./related-index.js";

/**
 * The editors' word on a related list, applied at answer time (so the API, `POST /related` and the
 * export agree, and an edit to a post's controls, or to a pinned post, shows up like any other
 * change):
 * - a post flagged `no_related` never appears in any list, pinned or not (it stays searchable);
 * - the post's `excluded` ids never appear in its list;
 * - its `pinned` ids come first, in their order, when indexed, not excluded, not flagged, not the
 *   post itself and passing the request's facet filters; any other pinned id is left out (`check`
 *   warns about those that are not indexed). A pinned post is never listed a second time.
 */

/** What {@link editorialFilter} decides for one list. */
export interface EditorialFilter {
  /** The pinned posts to list first, in the editor's order, at most k. */
  readonly pinned: readonly RelatedDocument[];
  /** Whether a post may be listed by the algorithm or the fallback: not flagged, excluded or pinned, and passing the facet filters. */
  readonly accept: (document: RelatedDocument) => boolean;
}

/** Whether the post is kept out of every related list (`meta.flags.no_related`). */
function isKeptOutOfRelated(document: RelatedDocument): boolean {
  return document.flags?.no_related === true;
}

/**
 * The pinned posts and the test for every other entry of one list.
 * @param controls the post's (or draft's) `related` field: record ids
 * @param selfId the document id of the post asked about, never listed
 * @param facets the request's facet filters as a test, undefined when there are none
 * @param k the length of the list
 */
export function editorialFilter(
  index: RelatedIndex,
  controls: RelatedControls | undefined,
  selfId: string | undefined,
  facets: ((document: RelatedDocument) => boolean) | undefined,
  k: number,
): EditorialFilter {
  const blocked = new Set<string>();
  for (const id of controls?.excluded ?? []) blocked.add(toDocumentId(id));
  const pinned: RelatedDocument[] = [];
  for (const id of controls?.pinned ?? []) {
    const documentId = toDocumentId(id);
    if (blocked.has(documentId) || documentId === selfId) continue;
    blocked.add(documentId);
    const document = index.get(documentId);
    if (pinned.length === k || document === undefined || isKeptOutOfRelated(document)) continue;
    if (facets === undefined || facets(document)) pinned.push(document);
  }
  const accept =
    blocked.size === 0
      ? (document: RelatedDocument) => !isKeptOutOfRelated(document) && (facets === undefined || facets(document))
      : (document: RelatedDocument) =>
          !isKeptOutOfRelated(document) && !blocked.has(document.id) && (facets === undefined || facets(document));
  return { pinned, accept };
}
