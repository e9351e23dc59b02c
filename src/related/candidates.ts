import type { SearchDocument } from "../document-types.js";
import type { Filter, MeiliClient, RecordAny } from "../meili/client.js";
import { toMeiliError } from "../meili/errors.js";

/** Fields fetched for each related-posts candidate: what scoring and ties need, and the title for the answer. */
export const CANDIDATE_FIELDS = ["id", "title", "entity_keys", "last_reviewed_at"] as const;

/** A fetched related-posts candidate. */
export type CandidateDocument = Pick<SearchDocument, (typeof CANDIDATE_FIELDS)[number]>;

/** Options for {@link fetchAllMatching}. */
export interface FetchAllOptions {
  /** A filter clause, or Meilisearch's array form (outer array AND, inner arrays OR) of clauses. */
  readonly filter: Filter;
  /** The fields each document comes back with (keep it small: every match is transferred). */
  readonly fields: readonly string[];
  /** How many matches are expected, to size the first page. @default 100 */
  readonly expectedCount?: number;
  /** Order, e.g. `["last_reviewed_at:desc"]`. @default the index's internal order */
  readonly sort?: readonly string[];
  /**
   * The largest page asked for.
   * @default 5000
   */
  readonly maxPageSize?: number;
}

/**
 * Pages of documents matching `filter`, read with placeholder searches (no query words, so no
 * ranking work), until `isDone` says so or the matches run out. Searches rather than the
 * documents endpoint, so the API's search-only key suffices; paging stops at the index's
 * `pagination.maxTotalHits` (100,000).
 * @throws MeiliUnavailableError / PostindexError `meili_request_failed` (see `toMeiliError`)
 * @see https://www.meilisearch.com/docs/reference/api/search#placeholder-search
 */
async function readPages<D extends RecordAny>(
  client: MeiliClient,
  indexUid: string,
  options: FetchAllOptions,
  isDone: (documents: readonly D[]) => boolean,
): Promise<D[]> {
  const limit = Math.min(options.maxPageSize ?? 5_000, Math.max(20, (options.expectedCount ?? 100) + 1));
  const index = client.index<D>(indexUid);
  const documents: D[] = [];
  for (;;) {
    let hits: D[];
    try {
      ({ hits } = await index.search("", {
        filter: options.filter,
        attributesToRetrieve: [...options.fields],
        ...(options.sort === undefined ? {} : { sort: [...options.sort] }),
        limit,
        offset: documents.length,
      }));
    } catch (error) {
      throw toMeiliError(error, `reading documents of index "${indexUid}"`);
    }
    documents.push(...hits);
    if (hits.length < limit || isDone(documents)) return documents;
  }
}

/**
 * Every document of index `indexUid` matching `filter`, in pages sized by `expectedCount` (one more
 * than expected, so the usual case takes a single request).
 */
export async function fetchAllMatching<D extends RecordAny>(client: MeiliClient, indexUid: string, options: FetchAllOptions): Promise<D[]> {
  return readPages<D>(client, indexUid, options, () => false);
}

/**
 * The freshest documents matching `filter` (by `last_reviewed_at`, unknown last): at least `needed`
 * of them when there are, plus every document exactly as fresh as the `needed`-th, so that a
 * final sort by id among equally fresh ones sees them all.
 */
export async function fetchFreshest(client: MeiliClient, indexUid: string, filter: Filter, needed: number): Promise<CandidateDocument[]> {
  const options = { filter, fields: CANDIDATE_FIELDS, sort: ["last_reviewed_at:desc"], expectedCount: needed + 49 };
  return readPages<CandidateDocument>(client, indexUid, options, (documents) => {
    const cutoff = documents[needed - 1];
    return cutoff !== undefined && documents.at(-1)?.last_reviewed_at !== cutoff.last_reviewed_at;
  });
}
