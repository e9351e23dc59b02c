// @ts-check
// The article view (#/posts/ID), rendered like the site's article page: title, intro, sections
// (lists as lists), the post meta box, and "Similar Posts" with the entities each one shares.

import { ApiError, getPost, getRelated } from "./api.js";
import { focusHeading, h, replace } from "./dom.js";
import { latestOnly } from "./latest.js";
import { postMetaBox } from "./post-meta.js";
import { relatedList } from "./related-list.js";

/** Related posts shown under an article. */
const RELATED_LIMIT = 5;

function section(part) {
  return h(
    "section",
    { class: "post__section" },
    h("h2", {}, part.heading),
    (part.paragraphs ?? []).map((text) => h("p", {}, text)),
    part.items?.length
      ? h(
          "ul",
          { class: "post__items" },
          part.items.map((item) => h("li", {}, item)),
        )
      : null,
  );
}

function article(post) {
  return h(
    "article",
    { class: "post" },
    h("h1", { class: "post__title", tabindex: "-1" }, post.title),
    post.intro ? h("p", { class: "post__intro" }, post.intro) : null,
    (post.sections ?? []).map(section),
    postMetaBox(post),
  );
}

function failure(error, what, onRetry) {
  const notFound = error instanceof ApiError && error.status === 404;
  return h(
    "div",
    { class: `notice${notFound ? "" : " notice--error"}`, role: "alert" },
    h(
      "p",
      { class: "notice__title" },
      notFound ? `This ${what} is not in the index.` : `The ${what} could not be loaded.`,
    ),
    h(
      "p",
      { class: "notice__detail" },
      error instanceof ApiError && error.status
        ? `${error.message} (HTTP ${error.status})`
        : String(error.message ?? error),
    ),
    notFound ? null : h("p", {}, h("button", { type: "button", class: "button", on: { click: onRetry } }, "Try again")),
  );
}

/**
 * @param {HTMLElement} root
 * @param {{backHref(): string}} hooks where "Back to results" leads (the last search)
 */
export function createPostView(root, hooks) {
  const latest = latestOnly();

  async function show(id) {
    const back = h("p", { class: "back" }, h("a", { href: hooks.backHref() }, "← Back to results"));
    const body = h("div", { class: "post-body", "aria-busy": "true" }, h("p", { class: "muted" }, "Loading…"));
    const similar = h(
      "div",
      { class: "similar__body", "aria-busy": "true" },
      h("p", { class: "muted" }, "Finding similar posts…"),
    );
    replace(root, back, body);
    document.title = "Loading… · postindex";
    const outcome = await latest.run(async (signal) => {
      const related = getRelated(id, RELATED_LIMIT, signal).then(
        (answer) => ({ answer, error: undefined }),
        (error) => ({ answer: undefined, error }),
      );
      const post = await getPost(id, signal).then(
        (value) => ({ value, error: undefined }),
        (error) => ({ value: undefined, error }),
      );
      return { post, related };
    });
    if (!outcome.current) return;
    const { related } = outcome.value;
    body.removeAttribute("aria-busy");
    if (outcome.value.post.error) {
      document.title = "Post not available · postindex";
      replace(
        body,
        failure(outcome.value.post.error, "post", () => void show(id)),
      );
      return;
    }
    const post = outcome.value.post.value;
    document.title = `${post.title} · postindex`;
    replace(
      body,
      article(post),
      h(
        "section",
        { class: "similar", "aria-labelledby": "similar-title" },
        h("h2", { id: "similar-title" }, "Similar Posts"),
        similar,
      ),
    );
    focusHeading(body.querySelector(".post__title"), null);
    const relatedOutcome = await related;
    if (root.contains(similar)) renderRelated(similar, relatedOutcome, id);
  }

  function renderRelated(target, { answer, error }, id) {
    target.removeAttribute("aria-busy");
    if (error)
      replace(
        target,
        failure(error, "list of similar posts", () => void show(id)),
      );
    else replace(target, relatedList(answer));
  }

  return { show, cancel: () => latest.cancel() };
}
