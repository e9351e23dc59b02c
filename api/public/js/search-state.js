// @ts-check
// The search view's state: what is searched (the URL fragment holds it, routes.js reads and writes
// it) and the changes the page makes to it, as pure functions from one state to the next.

import { FACETS } from "./api.js";
import { emptySearch } from "./routes.js";

/** @typedef {import("./routes.js").SearchState} SearchState */

/**
 * New text: back to the first page.
 * @param {SearchState} state
 * @param {string} q
 * @returns {SearchState}
 */
export function withQuery(state, q) {
  return { ...state, q: q.trim(), page: 1 };
}

/**
 * Another order: back to the first page.
 * @param {SearchState} state
 * @param {string} sort
 * @returns {SearchState}
 */
export function withSort(state, sort) {
  return { ...state, sort, page: 1 };
}

/**
 * A facet value checked or unchecked: back to the first page.
 * @param {SearchState} state
 * @param {string} facet
 * @param {string} value
 * @param {boolean} checked
 * @returns {SearchState}
 */
export function withFilter(state, facet, value, checked) {
  const values = (state.filters[facet] ?? []).filter((item) => item !== value);
  if (checked) values.push(value);
  return { ...state, page: 1, filters: { ...state.filters, [facet]: values } };
}

/**
 * Every filter removed; the text and the order stay.
 * @param {SearchState} state
 * @returns {SearchState}
 */
export function withoutFilters(state) {
  return { ...emptySearch(), q: state.q, sort: state.sort };
}

/**
 * The selected filters, facet by facet in display order.
 * @param {SearchState} state
 * @returns {{facet: string, value: string}[]}
 */
export function selectedFilters(state) {
  return FACETS.flatMap((facet) => (state.filters[facet] ?? []).map((value) => ({ facet, value })));
}

/**
 * The document title for a search.
 * @param {SearchState} state
 */
export function searchTitle(state) {
  return state.q === "" ? "Search · postindex" : `${state.q} · Search · postindex`;
}
