// @ts-check
// What the search view asks the API for one search: the page of hits, and facet counts that say
// what checking one more value would add.

import { FACETS, search as searchApi } from "./api.js";
import { PAGE_SIZE } from "./routes.js";

/** @typedef {import("./routes.js").SearchState} SearchState */
/** @typedef {Record<string, Record<string, number>>} FacetCounts per facet, value → posts */
/**
 * `relaxed`: the search found nothing as typed, and these are the close results of a looser retry.
 * @typedef {{hits: object[], total: number, page: number, limit: number, facets: FacetCounts, relaxed?: boolean}} SearchAnswer
 */

/**
 * The page of hits for `search`, and the facet counts to show beside it. Values of one facet are
 * OR-ed, so a facet with a selection is counted without its own filter (disjunctive counts): one
 * more `GET /search` per such facet (`limit=1`, its counts only), sent together with the first.
 * `GET /search` has no parameter that answers those counts in the same request; the Algolia
 * protocol's multi-query endpoint does, in another answer shape.
 * @param {SearchState} search
 * @param {AbortSignal} signal
 * @returns {Promise<{answer: SearchAnswer, counts: FacetCounts}>}
 */
export async function fetchSearch(search, signal) {
  const query = { ...search, limit: PAGE_SIZE };
  const selectedFacets = FACETS.filter((facet) => (search.filters[facet] ?? []).length > 0);
  const [answer, ...others] = await Promise.all([
    searchApi(query, signal),
    ...selectedFacets.map((facet) =>
      searchApi(
        { ...query, page: 1, sort: "relevance", limit: 1, filters: { ...search.filters, [facet]: [] } },
        signal,
      ),
    ),
  ]);
  const counts = { ...answer.facets };
  for (const [index, facet] of selectedFacets.entries()) counts[facet] = others[index].facets[facet] ?? {};
  return { answer, counts };
}
