// @ts-check
// The search view: instant search as you type (debounced, stale answers dropped), facet filters,
// sort, paging, and the empty and error states. Its state is the URL fragment (#/search?q=…); the
// DOM is search-layout.js, the changes to the state search-state.js, the requests search-fetch.js.

import { ApiError } from "./api.js";
import { debounce, latestOnly } from "./latest.js";
import { emptySearch, searchHref, searchKey } from "./routes.js";
import { fetchSearch } from "./search-fetch.js";
import { createSearchLayout } from "./search-layout.js";
import { searchTitle, selectedFilters, withFilter, withoutFilters, withQuery, withSort } from "./search-state.js";

/** @typedef {import("./routes.js").SearchState} SearchState */

/** Quiet time after a keystroke before searching. */
const TYPING_DEBOUNCE_MS = 150;

/**
 * @param {HTMLElement} root
 * @param {{onSearchChange(href: string): void}} hooks told the URL of every search shown
 */
export function createSearchView(root, hooks) {
  let state = emptySearch();
  /** @type {string | null} the search on screen, or on its way there */
  let shownKey = null;
  const latest = latestOnly();

  const layout = createSearchLayout(root, {
    onType: () => searchSoon(),
    onSubmit() {
      searchSoon.cancel();
      commit(withQuery(state, layout.typed()), false, true);
    },
    onSort: (sort) => commit(withSort(state, sort), true),
    onToggleFilter: (facet, value, checked) => commit(withFilter(state, facet, value, checked), true),
    onClearFilters: () => commit(withoutFilters(state), true),
    onRetry: () => void load(true),
  });

  const searchSoon = debounce(() => commit(withQuery(state, layout.typed()), false), TYPING_DEBOUNCE_MS);

  /**
   * Puts `next` in the URL (a new history entry for deliberate changes, not for keystrokes) and searches.
   * @param {SearchState} next
   * @param {boolean} push
   */
  function commit(next, push, force = false) {
    state = next;
    const href = searchHref(state);
    if (push) history.pushState(null, "", href);
    else history.replaceState(null, "", href);
    void load(force);
  }

  /**
   * Shows `search` (from the URL): searches unless it is what is already shown.
   * @param {SearchState} search
   */
  function show(search) {
    state = search;
    layout.showSearch(search);
    void load(false);
  }

  /** Searches the current state, unless it is on screen already (`force`: search anyway). */
  async function load(force = false) {
    const key = searchKey(state);
    if (!force && key === shownKey) return;
    shownKey = key;
    hooks.onSearchChange(searchHref(state));
    document.title = searchTitle(state);
    layout.showLoading(selectedFilters(state));
    const current = state;
    try {
      const outcome = await latest.run((signal) => fetchSearch(current, signal));
      if (outcome.current) layout.showAnswer(current, outcome.value);
    } catch (error) {
      shownKey = null;
      layout.showError(current, toApiError(error));
    }
  }

  /** The view is left: a search still waiting for the typing to stop must not rewrite the new URL. */
  function hide() {
    searchSoon.cancel();
  }

  return { show, hide, focusInput: layout.focusInput };
}

/**
 * A failure as the error state shows it.
 * @param {unknown} error
 */
function toApiError(error) {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(0, "client", message, undefined);
}
