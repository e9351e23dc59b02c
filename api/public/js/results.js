// @ts-check
// The result list of the search view and its states: hits, no hits, and an error; plus the pager.

import { formatMonth, formatNumber, h, highlighted } from "./dom.js";
import { postHref, searchHref } from "./routes.js";

/** What the live region announces for an answer. */
export function resultCountText(answer, search) {
  const { total } = answer;
  const posts = `${formatNumber(total)} ${total === 1 ? "post" : "posts"}`;
  if (total === 0) return search.q === "" ? "No posts match these filters" : `No results for “${search.q}”`;
  const what =
    search.q === "" ? posts : `${formatNumber(total)} ${total === 1 ? "result" : "results"} for “${search.q}”`;
  const pages = pageCount(answer);
  const counted = pages > 1 && answer.page <= pages ? `${what}, page ${answer.page} of ${pages}` : what;
  return answer.relaxed === true ? `No exact match, showing close results: ${counted}` : counted;
}

/** Pages a client can reach: the API serves pages 1 to 1,000 (`SEARCH_LIMITS.maxPage`). */
function pageCount(answer) {
  return Math.max(1, Math.min(Math.ceil(answer.total / answer.limit), 1000));
}

function hitMeta(hit) {
  const parts = [
    hit.site,
    hit.difficulty,
    hit.scenario,
    hit.reading_time === null || hit.reading_time === undefined ? null : `${hit.reading_time} min read`,
    hit.view_count === null || hit.view_count === undefined ? null : `${formatNumber(hit.view_count)} views`,
    hit.last_reviewed_at === null || hit.last_reviewed_at === undefined
      ? null
      : `reviewed ${formatMonth(hit.last_reviewed_at)}`,
  ].filter((part) => typeof part === "string" && part !== "");
  return h("p", { class: "hit__meta" }, parts.join(" · "));
}

function hitItem(hit) {
  const title = typeof hit.title_highlighted === "string" ? highlighted(hit.title_highlighted) : hit.title;
  return h(
    "li",
    { class: "hit" },
    h("h3", { class: "hit__title" }, h("a", { class: "hit__link", href: postHref(hit.id) }, title)),
    hit.snippet ? h("p", { class: "hit__snippet" }, highlighted(hit.snippet)) : null,
    hitMeta(hit),
    hit.stack?.length
      ? h(
          "ul",
          { class: "tags", "aria-label": "Stack" },
          hit.stack.map((value) => h("li", { class: "tag" }, value)),
        )
      : null,
  );
}

/** The hits of one page, as an ordered list numbered from the page's first hit. */
export function hitList(answer) {
  return h("ol", { class: "hits", start: String((answer.page - 1) * answer.limit + 1) }, answer.hits.map(hitItem));
}

/** No hits: say so, and offer the way out that fits (fewer filters, other words). */
export function emptyState(search, onClearFilters) {
  const hasFilters = Object.values(search.filters).some((values) => values.length > 0);
  return h(
    "div",
    { class: "notice" },
    h(
      "p",
      { class: "notice__title" },
      search.q === ""
        ? "No posts match these filters."
        : `No posts match “${search.q}”${hasFilters ? " with these filters" : ""}.`,
    ),
    hasFilters
      ? h("p", {}, h("button", { type: "button", class: "button", on: { click: onClearFilters } }, "Clear all filters"))
      : h("p", {}, "Check the spelling, or try fewer or more general words."),
  );
}

/** A page past the last one (an old bookmark, a hand-edited URL): say so, link to the last page. */
export function pastLastPage(answer, search) {
  const last = pageCount(answer);
  return h(
    "div",
    { class: "notice" },
    h("p", { class: "notice__title" }, `There is no page ${answer.page}: the results end on page ${last}.`),
    h("p", {}, h("a", { href: searchHref({ ...search, page: last }) }, `Go to page ${last}`)),
  );
}

/** A failed search: what happened, and a retry. */
export function errorState(error, onRetry) {
  const title = error.isUnavailable ? "Search is unavailable right now." : "The search could not be run.";
  return h(
    "div",
    { class: "notice notice--error", role: "alert" },
    h("p", { class: "notice__title" }, title),
    h("p", { class: "notice__detail" }, error.status ? `${error.message} (HTTP ${error.status})` : error.message),
    h("p", {}, h("button", { type: "button", class: "button", on: { click: onRetry } }, "Try again")),
  );
}

/** Previous / numbered pages / Next, as links (they work with Back, middle-click and bookmarks). */
export function pager(answer, search, onFollow) {
  const pages = pageCount(answer);
  if (pages <= 1) return null;
  const current = answer.page;
  const link = (page, text, label, rel) =>
    h(
      "a",
      {
        class: "pager__link",
        href: searchHref({ ...search, page }),
        "aria-label": label,
        rel,
        on: { click: onFollow },
      },
      text,
    );
  const numbers = [];
  for (const page of pageWindow(current, pages)) {
    if (page === null) numbers.push(h("li", { class: "pager__gap", "aria-hidden": "true" }, "…"));
    else if (page === current)
      numbers.push(h("li", {}, h("span", { class: "pager__current", "aria-current": "page" }, String(page))));
    else numbers.push(h("li", {}, link(page, String(page), `Page ${page}`)));
  }
  return h(
    "nav",
    { class: "pager", "aria-label": "Pages" },
    h(
      "ul",
      {},
      current > 1 ? h("li", {}, link(current - 1, "‹ Previous", "Previous page", "prev")) : null,
      numbers,
      current < pages ? h("li", {}, link(current + 1, "Next ›", "Next page", "next")) : null,
    ),
  );
}

/** 1 … 4 5 6 … 20: the first, the last, and the neighbours of the current page. */
function pageWindow(current, pages) {
  const wanted = new Set([1, pages, current - 1, current, current + 1].filter((page) => page >= 1 && page <= pages));
  const sorted = [...wanted].sort((a, b) => a - b);
  const out = [];
  for (const [index, page] of sorted.entries()) {
    if (index > 0 && page - sorted[index - 1] > 1) out.push(page - sorted[index - 1] === 2 ? page - 1 : null);
    out.push(page);
  }
  return out;
}
