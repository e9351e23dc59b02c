// @ts-check
// "Similar Posts": each related post with its score and the entities it shares, which are the
// reason it is listed (GET /posts/:id/related and POST /related answer in the same shape).

import { h } from "./dom.js";
import { postHref } from "./routes.js";

const FALLBACK_NOTES = {
  same_stack_recent: "No post shares a topic with this one yet: these are the most recent posts of the same stack.",
  recent: "No post shares a topic with this one yet: these are the most recent posts.",
};

/** The score as people read it: 0.6054 → "0.61". */
function formatScore(score) {
  return score.toFixed(2);
}

function sharedEntity(entity) {
  const title =
    typeof entity.contribution === "number" ? `adds ${formatScore(entity.contribution)} to the score` : undefined;
  return h(
    "li",
    { class: "entity", title },
    h("span", { class: "entity__name" }, entity.name),
    " ",
    h("span", { class: "entity__type" }, entity.type),
  );
}

function relatedItem(post) {
  return h(
    "li",
    { class: "related__item" },
    h("a", { class: "related__link", href: postHref(post.id) }, post.title),
    h(
      "span",
      { class: "related__score", title: "Share of the post's topic weight this one shares (1: all of it)" },
      post.source === "pinned"
        ? h("span", { class: "related__pinned", title: "Placed here by an editor (meta.related.pinned)" }, "pinned")
        : null,
      `score ${formatScore(post.score)}`,
    ),
    post.shared.length === 0
      ? null
      : h(
          "div",
          { class: "related__why" },
          h("span", { class: "related__why-label" }, "Shared:"),
          h("ul", { class: "entities", "aria-label": `Shared with ${post.title}` }, post.shared.map(sharedEntity)),
        ),
  );
}

/**
 * The list for a related-posts answer, or a short note when it is empty.
 * @param {{related: Array<{id: string, title: string, score: number, source?: string, shared: Array<{name: string, type: string, contribution?: number}>}>, fallback?: string | null}} answer
 */
export function relatedList(answer) {
  if (answer.related.length === 0) return h("p", { class: "muted" }, "No related posts yet.");
  const note = answer.fallback ? (FALLBACK_NOTES[answer.fallback] ?? null) : null;
  return h(
    "div",
    { class: "related" },
    note === null ? null : h("p", { class: "muted" }, note),
    h("ol", { class: "related__list" }, answer.related.map(relatedItem)),
  );
}
