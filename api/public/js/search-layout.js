// @ts-check
// The search view's DOM: the form (text, sort, the filters toggle), the facet panel, the chips of
// the selected filters, the status line and the results; keyboard moves between hits. It shows
// what it is given and reports what the reader does through `handlers`; it holds no search state.

import { createFacetsPanel } from "./facets-panel.js";
import { focusHeading, h, replace } from "./dom.js";
import { emptyState, errorState, hitList, pager, pastLastPage, resultCountText } from "./results.js";
import { SORTS } from "./routes.js";

/** @typedef {import("./routes.js").SearchState} SearchState */
/** @typedef {import("./search-fetch.js").SearchAnswer} SearchAnswer */
/** @typedef {import("./search-fetch.js").FacetCounts} FacetCounts */
/** @typedef {import("./api.js").ApiError} ApiError */

const SORT_LABELS = { relevance: "Relevance", recent: "Most recent", popular: "Most popular" };

/**
 * @typedef {object} SearchLayoutHandlers
 * @property {() => void} onType a keystroke in the search box
 * @property {() => void} onSubmit the form was submitted (Enter, the Search button)
 * @property {(sort: string) => void} onSort
 * @property {(facet: string, value: string, checked: boolean) => void} onToggleFilter
 * @property {() => void} onClearFilters
 * @property {() => void} onRetry the error state's "Try again"
 */

/**
 * Builds the search view inside `root`.
 * @param {HTMLElement} root
 * @param {SearchLayoutHandlers} handlers
 */
export function createSearchLayout(root, handlers) {
  let focusResultsOnLoad = false;

  const input = /** @type {HTMLInputElement} */ (
    h("input", {
      id: "search-q",
      type: "search",
      name: "q",
      autocomplete: "off",
      spellcheck: "false",
      maxlength: "512",
      placeholder: "cache headers, flaky tests, zero-downtime deploys…",
    })
  );
  const sort = /** @type {HTMLSelectElement} */ (
    h(
      "select",
      { id: "search-sort", name: "sort" },
      SORTS.map((value) => h("option", { value }, SORT_LABELS[value])),
    )
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
  const facets = createFacetsPanel(facetsRoot, { onToggle: handlers.onToggleFilter });

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

  /** "Clear all" and the empty state's "clear the filters": focus goes back to the search box. */
  function clearAll() {
    handlers.onClearFilters();
    input.focus();
  }

  input.addEventListener("input", handlers.onType);
  input.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown") return;
    const first = results.querySelector(".hit__link");
    if (!(first instanceof HTMLElement)) return;
    event.preventDefault();
    first.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    handlers.onSubmit();
  });
  sort.addEventListener("change", () => handlers.onSort(sort.value));
  filtersToggle.addEventListener("click", () => {
    const open = filtersToggle.getAttribute("aria-expanded") !== "true";
    filtersToggle.setAttribute("aria-expanded", String(open));
    facetsRoot.classList.toggle("is-open", open);
  });
  results.addEventListener("keydown", moveBetweenHits);

  /**
   * Up/Down move between result links; Up from the first goes back to the search box.
   * @param {KeyboardEvent} event
   */
  function moveBetweenHits(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const links = /** @type {HTMLElement[]} */ ([...results.querySelectorAll(".hit__link")]);
    const at = links.findIndex((link) => link === document.activeElement);
    if (at === -1) return;
    event.preventDefault();
    const next = at + (event.key === "ArrowDown" ? 1 : -1);
    if (next < 0) input.focus();
    else links[Math.min(next, links.length - 1)]?.focus();
  }

  /**
   * The form as `search` says (the text is left alone while the reader is typing it).
   * @param {SearchState} search
   */
  function showSearch(search) {
    if (document.activeElement !== input || input.value.trim() !== search.q) input.value = search.q;
    sort.value = search.sort;
  }

  /**
   * A search started: the selected filters as removable chips, the results marked busy.
   * @param {{facet: string, value: string}[]} selected
   */
  function showLoading(selected) {
    renderChips(selected);
    results.setAttribute("aria-busy", "true");
  }

  /**
   * @param {SearchState} search
   * @param {{answer: SearchAnswer, counts: FacetCounts}} shown
   */
  function showAnswer(search, { answer, counts }) {
    results.removeAttribute("aria-busy");
    status.textContent = resultCountText(answer, search);
    facets.render(counts, search.filters);
    if (answer.total === 0) replace(results, emptyState(search, clearAll));
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

  /**
   * @param {SearchState} search
   * @param {ApiError} error
   */
  function showError(search, error) {
    results.removeAttribute("aria-busy");
    status.textContent = error.isUnavailable ? "Search is unavailable" : "The search failed";
    facets.render(null, search.filters);
    replace(results, errorState(error, handlers.onRetry));
  }

  /**
   * The selected filters as removable chips (on a phone the facet panel is folded away). A chip
   * removes itself and gives focus back to the search box rather than losing it.
   * @param {{facet: string, value: string}[]} selected
   */
  function renderChips(selected) {
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
                    on: {
                      click: () => {
                        handlers.onToggleFilter(facet, value, false);
                        input.focus();
                      },
                    },
                  },
                  `${facet}: ${value}`,
                  h("span", { "aria-hidden": "true" }, " ×"),
                ),
              ),
            ),
            h("li", {}, h("button", { type: "button", class: "link-button", on: { click: clearAll } }, "Clear all")),
          ),
    );
  }

  return {
    /** What the search box holds now. */
    typed: () => input.value,
    focusInput: () => input.focus(),
    showSearch,
    showLoading,
    showAnswer,
    showError,
  };
}
