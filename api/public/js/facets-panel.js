// @ts-check
// Facet filters: one fieldset of checkboxes per facet, values with their counts, most frequent
// first. Checking values of one facet widens the search (OR); checking values of two facets
// narrows the search (AND). Counts of a facet that has a selection come from the search without
// that facet's own filter (search-fetch.js asks for them), so each count says what checking that
// value would add.

import { FACETS } from "./api.js";
import { formatNumber, h, replace } from "./dom.js";

const FACET_LABELS = { stack: "Stack", tools: "Tools", difficulty: "Difficulty", scenario: "Scenario" };

/** Values shown before "Show all". */
const COLLAPSED_VALUES = 6;

/**
 * @param {HTMLElement} root
 * @param {{onToggle(facet: string, value: string, checked: boolean): void}} handlers
 */
export function createFacetsPanel(root, handlers) {
  const expanded = new Set();
  /** @type {{counts: Record<string, Record<string, number>> | null, selected: Record<string, string[]>} | null} */
  let last = null;

  /**
   * @param {Record<string, Record<string, number>> | null} counts per facet, value → posts; null when
   *   unknown (the search failed): only the selected values are listed, without counts
   * @param {Record<string, string[]>} selected
   */
  function render(counts, selected) {
    last = { counts, selected };
    const focused = focusedValue();
    if (counts === null) {
      const withSelection = FACETS.filter((facet) => (selected[facet] ?? []).length > 0);
      replace(
        root,
        h("p", { class: "facets__unavailable muted" }, "Filter counts are unavailable until the search works again."),
        withSelection.map((facet) => fieldset(facet, null, selected[facet])),
      );
    } else {
      replace(
        root,
        FACETS.map((facet) => fieldset(facet, counts[facet] ?? {}, selected[facet] ?? [])),
      );
    }
    if (focused !== null) restoreFocus(focused);
  }

  function fieldset(facet, counts, selected) {
    // Selected values stay listed (and first) even when the search leaves them no posts, so they can be unchecked.
    const values = Object.entries(counts ?? {}).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    const listed = [
      ...selected.map((value) => [value, counts === null ? null : (counts[value] ?? 0)]),
      ...values.filter(([value]) => !selected.includes(value)),
    ];
    const isExpanded = expanded.has(facet);
    const shown = isExpanded ? listed : listed.slice(0, Math.max(COLLAPSED_VALUES, selected.length));
    const listId = `facet-${facet}-values`;
    return h(
      "fieldset",
      { class: "facet", dataset: { facet } },
      h("legend", { class: "facet__legend" }, FACET_LABELS[facet] ?? facet),
      listed.length === 0 ? h("p", { class: "facet__none muted" }, "No values") : null,
      h(
        "ul",
        { class: "facet__values", id: listId },
        shown.map(([value, count]) => option(facet, value, count, selected.includes(value))),
      ),
      listed.length > shown.length || isExpanded
        ? h(
            "button",
            {
              type: "button",
              class: "link-button facet__more",
              "aria-expanded": String(isExpanded),
              "aria-controls": listId,
              dataset: { facet },
              on: { click: () => toggleExpanded(facet) },
            },
            isExpanded ? "Show fewer" : `Show all ${listed.length}`,
          )
        : null,
    );
  }

  function option(facet, value, count, checked) {
    const id = `facet-${facet}-${[...value].map((char) => char.codePointAt(0).toString(36)).join("-")}`;
    return h(
      "li",
      { class: "facet__value" },
      h("input", {
        type: "checkbox",
        id,
        checked,
        dataset: { facet, value },
        on: { change: (event) => handlers.onToggle(facet, value, event.currentTarget.checked) },
      }),
      h(
        "label",
        { for: id },
        h("span", { class: "facet__name" }, value),
        count === null ? null : [" ", h("span", { class: "facet__count" }, formatNumber(count))],
      ),
    );
  }

  function toggleExpanded(facet) {
    if (expanded.has(facet)) expanded.delete(facet);
    else expanded.add(facet);
    if (last !== null) render(last.counts, last.selected);
  }

  /** What had focus inside the panel, to put it back after a re-render. */
  function focusedValue() {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || !root.contains(active)) return null;
    return {
      facet: active.dataset.facet,
      value: active.dataset.value,
      isMore: active.classList.contains("facet__more"),
    };
  }

  function restoreFocus({ facet, value, isMore }) {
    const candidates = elements(isMore ? "button.facet__more" : "input[type=checkbox]");
    const match = candidates.find(
      (element) => element.dataset.facet === facet && (isMore || element.dataset.value === value),
    );
    const checkboxes = elements("input[type=checkbox]");
    const sameFacet = checkboxes.find((element) => element.dataset.facet === facet);
    (match ?? sameFacet ?? checkboxes[0])?.focus();
  }

  /**
   * The panel's elements matching `selector`.
   * @param {string} selector
   */
  function elements(selector) {
    return [...root.querySelectorAll(selector)].filter((element) => element instanceof HTMLElement);
  }

  return { render };
}
