import {
  filterAllOf,
  filterIn,
  meiliErrorCode,
  RELATED_FIELDS,
  toMeiliError,
  type FilterClause,
  type MeiliClient,
  type RelatedDocument,
} from "../src/index.js";

/**
 * What the related-posts refresher reads from Meilisearch, one method per question, each a single
 * request (or pages of one). Documents are read through the documents API (`documents.get`:
 * uncapped offsets, no ranking work) and counted with page-based searches (`hitsPerPage: 0`: an
 * exact count that reads no document, only filter bitmaps).
 * @see https://www.meilisearch.com/docs/reference/api/documents#get-documents-with-post
 */

/** A stamp range `[from, to)` of `indexed_at`; `null` ends are open. */
export interface StampRange {
  readonly from: number | null;
  readonly to: number | null;
}

/** A document's id and stamp, as {@link IndexFeed.stampsIn} reads them. */
export interface StampedId {
  readonly id: string;
  readonly indexed_at?: number;
}

/** `indexed_at` is a number this process read or computed: written as a plain number, never text. */
function stampClause(operator: ">=" | "<", stamp: number): FilterClause {
  if (!Number.isFinite(stamp)) throw new RangeError(`not a stamp: ${stamp}`);
  return `indexed_at ${operator} ${stamp}` as FilterClause;
}

function rangeFilter(range: StampRange): FilterClause {
  const clauses = [
    range.from === null ? undefined : stampClause(">=", range.from),
    range.to === null ? undefined : stampClause("<", range.to),
  ];
  return filterAllOf(...clauses) ?? ("indexed_at EXISTS" as FilterClause);
}

const UNSTAMPED = "indexed_at NOT EXISTS" as FilterClause;

/** Reads one index for the related-posts refresher. */
export class IndexFeed {
  readonly #client: MeiliClient;
  readonly #indexUid: string;

  constructor(client: MeiliClient, indexUid: string) {
    this.#client = client;
    this.#indexUid = indexUid;
  }

  /** Documents `offset .. offset + limit` of the index, in its internal order. */
  async page(offset: number, limit: number): Promise<RelatedDocument[]> {
    return this.#documents({ fields: [...RELATED_FIELDS], offset, limit }, "reading documents");
  }

  /**
   * Documents stamped `indexed_at >= cursor`, oldest stamp first, skipping the first `offset`
   * (those already read with the same cursor).
   */
  async changedSince(cursor: number, offset: number, limit: number): Promise<RelatedDocument[]> {
    const query = {
      filter: stampClause(">=", cursor),
      sort: ["indexed_at:asc"],
      fields: [...RELATED_FIELDS],
      offset,
      limit,
    };
    return this.#documents(query, "reading changed documents");
  }

  /** The highest `indexed_at` in the index, or undefined when no document is stamped. */
  async newestStamp(): Promise<number | undefined> {
    const query = {
      filter: "indexed_at EXISTS" as FilterClause,
      sort: ["indexed_at:desc"],
      fields: ["indexed_at"],
      limit: 1,
    };
    const [newest] = await this.#documents<StampedId>(query, "reading the newest stamp");
    return typeof newest?.indexed_at === "number" ? newest.indexed_at : undefined;
  }

  /** The documents of these ids that the index holds. */
  async byIds(ids: readonly string[]): Promise<RelatedDocument[]> {
    const found: RelatedDocument[] = [];
    for (let start = 0; start < ids.length; start += 500) {
      const batch = ids.slice(start, start + 500);
      const query = { filter: filterIn("id", batch) as FilterClause, fields: [...RELATED_FIELDS], limit: batch.length };
      found.push(...(await this.#documents(query, "reading documents by id")));
    }
    return found;
  }

  /** Ids and stamps of every document in `range` (or, with `null`, of every unstamped document). */
  async stampsIn(range: StampRange | null): Promise<StampedId[]> {
    const filter = range === null ? UNSTAMPED : rangeFilter(range);
    const found: StampedId[] = [];
    for (const limit = 5_000; ;) {
      const page = await this.#documents<StampedId>(
        { filter, fields: ["id", "indexed_at"], offset: found.length, limit },
        "reading document stamps",
      );
      found.push(...page);
      if (page.length < limit) return found;
    }
  }

  /** The number of documents in the index (index stats: exact, uncapped). */
  async count(): Promise<number> {
    return this.#client.getDocumentCount(this.#indexUid);
  }

  /** How many documents each range holds (`null`: the unstamped ones), in one multi-search. */
  async countIn(ranges: readonly (StampRange | null)[]): Promise<number[]> {
    if (ranges.length === 0) return [];
    const queries = ranges.map((range) => ({
      indexUid: this.#indexUid,
      q: "",
      filter: range === null ? UNSTAMPED : rangeFilter(range),
      page: 1,
      hitsPerPage: 0,
      attributesToRetrieve: [],
    }));
    try {
      const { results } = await this.#client.raw.multiSearch({ queries });
      return ranges.map((_, position) => results[position]?.totalHits ?? 0);
    } catch (error) {
      throw toMeiliError(error, `counting documents by stamp in index "${this.#indexUid}"`);
    }
  }

  async #documents<D = RelatedDocument>(
    query: { filter?: FilterClause; sort?: string[]; fields: string[]; offset?: number; limit: number },
    action: string,
  ): Promise<D[]> {
    const index = this.#client.index(this.#indexUid);
    try {
      return (await index.getDocuments(query as never)).results as D[];
    } catch (error) {
      if (
        query.sort !== undefined &&
        meiliErrorCode(error) === "invalid_document_sort" &&
        (await this.#matchesNone(query))
      )
        return [];
      throw toMeiliError(error, `${action} of index "${this.#indexUid}"`);
    }
  }

  /**
   * Meilisearch refuses to sort documents by a sortable attribute no document has carried yet
   * (`invalid_document_sort`), as in an index filled before stamps existed; the filter then
   * matches nothing either, which this asks without the sort.
   */
  async #matchesNone(query: { filter?: FilterClause }): Promise<boolean> {
    try {
      return (
        (
          await this.#client
            .index(this.#indexUid)
            .getDocuments({ filter: query.filter, fields: ["id"], limit: 1 } as never)
        ).results.length === 0
      );
    } catch {
      return false;
    }
  }
}
