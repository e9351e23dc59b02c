// @ts-check
// The demo search page: a hash router over three views (search, post, draft). No framework, no
// build step; it calls only the public API, with relative URLs.

import { createDraftView } from "./js/draft-view.js";
import { createPostView } from "./js/post-view.js";
import { emptySearch, parseRoute, searchHref } from "./js/routes.js";
import { createSearchView } from "./js/search-view.js";

/**
 * The element with `id`; index.html holds every one the page looks up.
 * @param {string} id
 */
function byId(id) {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`index.html has no #${id}`);
  return element;
}

const views = { search: byId("view-search"), post: byId("view-post"), draft: byId("view-draft") };
const navLinks = [...document.querySelectorAll("[data-nav]")].filter((link) => link instanceof HTMLElement);
let lastSearchHref = "#/search";

const searchView = createSearchView(views.search, {
  onSearchChange(href) {
    lastSearchHref = href;
    document.querySelector('[data-nav="search"]')?.setAttribute("href", href);
  },
});
const postView = createPostView(views.post, { backHref: () => lastSearchHref });
const draftView = createDraftView(views.draft);
/** @type {"search" | "post" | "draft" | null} the view shown */
let current = null;

function route() {
  let next = parseRoute(location.hash);
  if (next === null) {
    if (current !== null) return; // an in-page anchor, not a route
    next = { view: "search", search: emptySearch() }; // first load: something must be shown
  } else if (next.view === "search" && location.hash.length > 1 && !location.hash.startsWith("#/")) {
    // A search without its path (#q=redis): the URL then reads as the page writes it.
    history.replaceState(null, "", searchHref(next.search));
  }
  if (current === "post" && next.view !== "post") postView.cancel();
  if (next.view !== "search") searchView.hide();
  // Focus follows a change of view (not the first load, where the skip link comes first).
  const isViewChange = current !== null && current !== next.view;
  current = next.view;
  for (const [name, element] of Object.entries(views)) element.hidden = name !== next.view;
  for (const link of navLinks) {
    if (link.dataset.nav === next.view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (next.view === "search") {
    searchView.show(next.search);
    if (isViewChange) searchView.focusInput();
  } else if (next.view === "post") {
    void postView.show(next.id);
  } else {
    draftView.show({ focus: isViewChange });
  }
}

// The skip link moves focus without touching the fragment (which holds the route).
document.querySelector(".skip-link")?.addEventListener("click", (event) => {
  event.preventDefault();
  const main = document.getElementById("main");
  main?.focus();
  main?.scrollIntoView();
});

// "/" jumps to the search box, as on many sites, unless the reader is typing somewhere.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLElement && (target.isContentEditable || target.closest("input, textarea, select"))) return;
  event.preventDefault();
  if (current !== "search") {
    location.hash = lastSearchHref;
    route(); // now, so the box is visible to take focus (the hashchange that follows changes nothing)
  }
  searchView.focusInput();
});

window.addEventListener("hashchange", route);
route();
