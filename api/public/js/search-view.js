// The search view: instant search as you type (debounced, stale answers dropped), facet filters,
// sort, paging, and the empty and error states. Its state is the URL fragment (#/search?q=…).

import { ApiError, FACETS, search as searchApi } from "./api.js";
import { createFacetsPanel } from "./facets-panel.js";
import { focusHeading, h, replace } from "./dom.js";
import { debounce, latestOnly } from "./latest.js";
import { emptyState, errorState, hitList, pager, pastLastPage, resultCountText } from "./results.js";
import { PAGE_SIZE, SORTS, emptySearch, searchHref, searchKey } from "./routes.js";

/** Quiet time after a keystroke before searching. */
const TYPING_DEBOUNCE_MS = 150;
const SORT_LABELS = { relevance: "Relevance", recent: "Most recent", popular: "Most popular" };

/**
 * @param {HTMLElement} root
 * @param {{onSearchChange(href: string): void}} hooks told the URL of every search shown
 */
export function createSearchView(root, hooks) {
  let state = emptySearch();
  let shownKey = null;
  let focusResultsOnLoad = false;
  const latest = latestOnly();

  const input = h("input", {
    id: "search-q",
    type: "search",
    name: "q",
    autocomplete: "off",
    spellcheck: "false",
    maxlength: "512",
    placeholder: "cache headers, flaky tests, zero-downtime deploys…",
  });
  const sort = h(
    "select",
    { id: "search-sort", name: "sort" },
    SORTS.map((value) => h("option", { value }, SORT_LABELS[value])),
  );
  const filtersToggle = h(
    "button",
    { type: "button", class: "button filters-toggle", "aria-expanded": "false", "aria-controls": "facets" },
    "Filters",
  );
  const facetsRoot = h("div", { id: "facets", class: "facets" });
  const status = h("p", {
    id: "search-status",
    class: "search-status",
    role: "status",
    "aria-live": "polite",
    "aria-atomic": "true",
  });
  const chips = h("div", { class: "chips" });
  const results = h("div", { class: "results" });
  const heading = h("h2", { class: "visually-hidden", id: "results-heading", tabindex: "-1" }, "Results");
  const facets = createFacetsPanel(facetsRoot, { onToggle: toggleFilter });

  const form = h(
    "form",
    { class: "search-form", role: "search", "aria-label": "Articles" },
    h("label", { for: "search-q", class: "search-form__label" }, "Search articles"),
    h(
      "div",
      { class: "search-form__row" },
      input,
      h("button", { type: "submit", class: "button button--primary" }, "Search"),
    ),
    h("div", { class: "search-form__options" }, h("label", { for: "search-sort" }, "Sort by"), sort, filtersToggle),
  );
  replace(
    root,
    h("h1", { class: "visually-hidden" }, "Search"),
    form,
    h(
      "div",
      { class: "search-layout" },
      h("aside", { class: "search-layout__facets", "aria-label": "Filters" }, facetsRoot),
      h(
        "section",
        { class: "search-layout__results", "aria-labelledby": "results-heading" },
        heading,
        status,
        chips,
        results,
      ),
    ),
  );

  const searchSoon = debounce(() => {
    state = { ...state, q: input.value.trim(), page: 1 };
    commit(false);
  }, TYPING_DEBOUNCE_MS);

  input.addEventListener("input", searchSoon);
  input.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown") return;
    const first = results.querySelector(".hit__link");
    if (first === null) return;
    event.preventDefault();
    first.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    searchSoon.cancel();
    state = { ...state, q: input.value.trim(), page: 1 };
    commit(false, true);
  });
  sort.addEventListener("change", () => {
    state = { ...state, sort: sort.value, page: 1 };
    commit(true);
  });
  filtersToggle.addEventListener("click", () => {
    const open = filtersToggle.getAttribute("aria-expanded") !== "true";
    filtersToggle.setAttribute("aria-expanded", String(open));
    facetsRoot.classList.toggle("is-open", open);
  });
  results.addEventListener("keydown", moveBetweenHits);

  /** Up/Down move between result links; Up from the first goes back to the search box. */
  function moveBetweenHits(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const links = [...results.querySelectorAll(".hit__link")];
    const at = links.indexOf(document.activeElement);
    if (at === -1) return;
    event.preventDefault();
    const next = at + (event.key === "ArrowDown" ? 1 : -1);
    if (next < 0) input.focus();
    else links[Math.min(next, links.length - 1)].focus();
  }

  function toggleFilter(facet, value, checked) {
    const values = state.filters[facet].filter((item) => item !== value);
    if (checked) values.push(value);
    state = { ...state, page: 1, filters: { ...state.filters, [facet]: values } };
    commit(true);
  }

  function clearFilters() {
    state = { ...emptySearch(), q: state.q, sort: state.sort };
    commit(true);
    input.focus();
  }

  /** A chip removes itself: focus goes back to the search box rather than being lost. */
  function removeFilter(facet, value) {
    toggleFilter(facet, value, false);
    input.focus();
  }

  /** Puts the state in the URL (a new history entry for deliberate changes, not for keystrokes) and searches. */
  function commit(push, force = false) {
    const href = searchHref(state);
    if (push) history.pushState(null, "", href);
    else history.replaceState(null, "", href);
    void load(force);
  }

  /** Shows `search` (from the URL): searches unless it is what is already shown. */
  function show(search) {
    state = search;
    if (document.activeElement !== input || input.value.trim() !== search.q) input.value = search.q;
    sort.value = search.sort;
    void load(false);
  }

  async function load(force) {
    const key = searchKey(state);
    if (!force && key === shownKey) return;
    shownKey = key;
    hooks.onSearchChange(searchHref(state));
    document.title = state.q === "" ? "Search · postindex" : `${state.q} · Search · postindex`;
    renderChips();
    results.setAttribute("aria-busy", "true");
    const current = state;
    try {
      const outcome = await latest.run((signal) => fetchWithCounts(current, signal));
      if (!outcome.current) return;
      renderAnswer(current, outcome.value);
    } catch (error) {
      renderError(
        current,
        error instanceof ApiError ? error : new ApiError(0, "client", String(error?.message ?? error), undefined),
      );
    }
  }

  /**
   * The page of hits, plus, for each facet with a selection, that facet's counts without its own
   * filter (OR within a facet: the counts say what checking one more value would add).
   */
  async function fetchWithCounts(search, signal) {
    const query = { ...search, limit: PAGE_SIZE };
    const selectedFacets = FACETS.filter((facet) => search.filters[facet].length > 0);
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

  function renderAnswer(search, { answer, counts }) {
    results.removeAttribute("aria-busy");
    status.textContent = resultCountText(answer, search);
    facets.render(counts, search.filters);
    if (answer.total === 0) replace(results, emptyState(search, clearFilters));
    else if (answer.hits.length === 0) replace(results, pastLastPage(answer, search));
    else
      replace(
        results,
        hitList(answer),
        pager(answer, search, () => (focusResultsOnLoad = true)),
      );
    if (focusResultsOnLoad) {
      focusResultsOnLoad = false;
      focusHeading(heading, status);
    }
  }

  function renderError(search, error) {
    results.removeAttribute("aria-busy");
    shownKey = null;
    status.textContent = error.isUnavailable ? "Search is unavailable" : "The search failed";
    facets.render(null, search.filters);
    replace(
      results,
      errorState(error, () => void load(true)),
    );
  }

  /** The selected filters as removable chips (on a phone the facet panel is folded away). */
  function renderChips() {
    const selected = FACETS.flatMap((facet) => state.filters[facet].map((value) => ({ facet, value })));
    filtersToggle.textContent = selected.length === 0 ? "Filters" : `Filters (${selected.length})`;
    replace(
      chips,
      selected.length === 0
        ? null
        : h(
            "ul",
            { class: "chips__list", "aria-label": "Active filters" },
            selected.map(({ facet, value }) =>
              h(
                "li",
                {},
                h(
                  "button",
                  {
                    type: "button",
                    class: "chip",
                    "aria-label": `Remove filter ${facet}: ${value}`,
                    on: { click: () => removeFilter(facet, value) },
                  },
                  `${facet}: ${value}`,
                  h("span", { "aria-hidden": "true" }, " ×"),
                ),
              ),
            ),
            h(
              "li",
              {},
              h("button", { type: "button", class: "link-button", on: { click: clearFilters } }, "Clear all"),
            ),
          ),
    );
  }

  /** The view is left: a search still waiting for the typing to stop must not rewrite the new URL. */
  function hide() {
    searchSoon.cancel();
  }

  return { show, hide, focusInput: () => input.focus() };
}
