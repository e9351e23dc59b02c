import type { Facet } from "./document-types.js";
import type { MeiliClient } from "./meili/client.js";
import { toMeiliError } from "./meili/errors.js";
import { buildFacetFilter, type FacetSelection } from "./meili/filter.js";

/** What `GET /facets/:facet` asks. */
export interface FacetValuesQuery {
  readonly facet: Facet;
  /** The start of (or words in) the values wanted; "" lists the most frequent values. */
  readonly q: string;
  readonly limit: number;
  /** The search's other facet filters: counts are for posts matching them. */
  readonly filters: FacetSelection;
}

/** The `GET /facets/:facet` answer: matching values, most frequent first. */
export interface FacetValuesAnswer {
  readonly facet: Facet;
  readonly q: string;
  readonly values: readonly { readonly value: string; readonly count: number }[];
}

/**
 * Autocomplete on a facet's values (tools starting with "py"), typo-tolerant, counted over the
 * posts matching the other facets' filters. A filter on the facet itself is ignored, so the values
 * one could add to the selection are listed.
 * @throws MeiliUnavailableError / PostindexError `meili_request_failed` (see `toMeiliError`)
 * @see https://www.meilisearch.com/docs/reference/api/facet_search
 */
export async function searchFacetValues(
  client: MeiliClient,
  indexUid: string,
  query: FacetValuesQuery,
): Promise<FacetValuesAnswer> {
  const filter = buildFacetFilter({ ...query.filters, [query.facet]: [] });
  try {
    const { facetHits } = await client.index(indexUid).searchForFacetValues({
      facetName: query.facet,
      facetQuery: query.q,
      ...(filter === undefined ? {} : { filter }),
    });
    const values = facetHits.slice(0, query.limit).map(({ value, count }) => ({ value, count }));
    return { facet: query.facet, q: query.q, values };
  } catch (error) {
    throw toMeiliError(error, `searching the ${query.facet} values of index "${indexUid}"`);
  }
}
