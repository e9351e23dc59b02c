// @ts-check
// The page's state lives in the URL fragment, so every view can be bookmarked, shared and reached
// with Back: #/search?q=…&stack=…&page=2&sort=recent, #/posts/ID, #/draft.

import { FACETS } from "./api.js";

export const SORTS = /** @type {const} */ (["relevance", "recent", "popular"]);
export const PAGE_SIZE = 10;

/** @typedef {{q: string, page: number, sort: string, filters: Record<string, string[]>}} SearchState */

/** @returns {SearchState} */
export function emptySearch() {
  return { q: "", page: 1, sort: "relevance", filters: Object.fromEntries(FACETS.map((facet) => [facet, []])) };
}

/** The parameters of a search in the fragment. */
const SEARCH_PARAMS = ["q", "page", "sort", ...FACETS];

/**
 * The route a fragment names; `null` for a fragment that is not a route (an in-page anchor such
 * as the skip link's `#main`), which leaves the current view in place. A search written without
 * its path (`#q=redis`, `#?q=redis`) is the search it describes; any other path is the search view.
 * @returns {{view: "search", search: SearchState} | {view: "post", id: string} | {view: "draft"} | null}
 */
export function parseRoute(hash) {
  if (hash === "" || hash === "#" || hash === "#/") return { view: "search", search: emptySearch() };
  if (!hash.startsWith("#/")) {
    const params = new URLSearchParams(hash.slice(1).replace(/^\?/, ""));
    return SEARCH_PARAMS.some((name) => params.has(name)) ? { view: "search", search: parseSearch(params) } : null;
  }
  const [path, query = ""] = hash.slice(2).split(/\?(.*)/s, 2);
  if (path === "draft") return { view: "draft" };
  if (path.startsWith("posts/") && path.length > "posts/".length) {
    try {
      return { view: "post", id: decodeURIComponent(path.slice("posts/".length)) };
    } catch {
      return { view: "search", search: emptySearch() };
    }
  }
  return { view: "search", search: parseSearch(new URLSearchParams(query)) };
}

/** @returns {SearchState} */
function parseSearch(params) {
  const search = emptySearch();
  search.q = params.get("q") ?? "";
  const page = Number(params.get("page"));
  search.page = Number.isInteger(page) && page >= 1 && page <= 1000 ? page : 1;
  const sort = params.get("sort");
  search.sort = SORTS.includes(sort) ? sort : "relevance";
  for (const facet of FACETS)
    search.filters[facet] = [...new Set(params.getAll(facet).filter((value) => value !== ""))];
  return search;
}

/** @param {SearchState} search */
export function searchHref(search) {
  const params = new URLSearchParams();
  if (search.q !== "") params.set("q", search.q);
  for (const facet of FACETS) for (const value of search.filters[facet]) params.append(facet, value);
  if (search.sort !== "relevance") params.set("sort", search.sort);
  if (search.page !== 1) params.set("page", String(search.page));
  const query = params.toString();
  return query === "" ? "#/search" : `#/search?${query}`;
}

export function postHref(id) {
  return `#/posts/${encodeURIComponent(id)}`;
}

/** A stable key for comparing two searches. */
export function searchKey(search) {
  return searchHref(search);
}
