// @ts-check
// "Related for a draft" (#/draft): an editor pastes a record, in any spelling the indexer accepts
// (or {"entities": [{name, type}]}), and sees the posts it would be related to (POST /related).

import { ApiError, relatedForDraft } from "./api.js";
import { h, replace } from "./dom.js";
import { latestOnly } from "./latest.js";
import { relatedList } from "./related-list.js";

const RELATED_LIMIT = 8;

/** A draft in the messy export spelling (`Post Meta`, a Python-style stack, flattened entities). */
const EXAMPLE_DRAFT = {
  title: "Quarantining flaky tests in CI without hiding real failures",
  intro: "A test that fails one run in twenty blocks every merge. Quarantine it, but keep it visible.",
  "Post Meta": {
    stack: "['python services', 'backend', 'python']",
    tools: "pytest, github actions",
    difficulty: "Intermediate",
    revision: ["status: draft", "version: 0.1.0"],
    entities: [
      "name: flaky tests",
      "type: problem",
      "name: slow ci builds",
      "type: problem",
      "name: pytest",
      "type: tool",
    ],
  },
};

/** @param {HTMLElement} root */
export function createDraftView(root) {
  const latest = latestOnly();
  const textarea = h("textarea", {
    id: "draft-json",
    name: "draft",
    rows: "14",
    spellcheck: "false",
    "aria-describedby": "draft-hint",
    class: "draft__input",
  });
  const submit = h("button", { type: "submit", class: "button button--primary" }, "Find related posts");
  const example = h("button", { type: "button", class: "button" }, "Insert an example");
  const status = h("p", { class: "draft__count", role: "status" });
  const output = h("div", { class: "draft__output" });
  const form = h(
    "form",
    { class: "draft", "aria-labelledby": "draft-title" },
    h("label", { for: "draft-json", class: "draft__label" }, "Draft record (JSON)"),
    h(
      "p",
      { id: "draft-hint", class: "muted" },
      "Paste a record as your CMS exports it: any accepted spelling (meta, Post Meta, camelCase or spaced keys, list strings), ",
      "with or without an id; or just ",
      h("code", {}, '{"entities": [{"name": "flaky tests", "type": "problem"}]}'),
      ". Ctrl+Enter sends it.",
    ),
    textarea,
    h("div", { class: "draft__actions" }, submit, example),
  );
  replace(
    root,
    h("h1", { id: "draft-title", tabindex: "-1" }, "Related posts for a draft"),
    h(
      "p",
      {},
      "Which published posts would a new article be related to? The answer lists each with its score and the entities they share.",
    ),
    form,
    h(
      "section",
      { class: "draft__results", "aria-labelledby": "draft-results-title" },
      h("h2", { id: "draft-results-title" }, "Similar Posts"),
      status,
      output,
    ),
  );

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void send();
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  });
  example.addEventListener("click", () => {
    textarea.value = JSON.stringify(EXAMPLE_DRAFT, null, 2);
    textarea.focus();
  });

  async function send() {
    const text = textarea.value.trim();
    if (text === "") {
      showProblem({ isBadDraft: true, detail: "Paste a record first (JSON)." });
      textarea.focus();
      return;
    }
    textarea.removeAttribute("aria-invalid");
    output.setAttribute("aria-busy", "true");
    status.textContent = "Finding related posts…";
    try {
      const outcome = await latest.run((signal) => relatedForDraft(text, RELATED_LIMIT, signal));
      if (!outcome.current) return;
      output.removeAttribute("aria-busy");
      const count = outcome.value.related.length;
      status.textContent = `${count} related ${count === 1 ? "post" : "posts"}`;
      replace(output, relatedList(outcome.value));
    } catch (error) {
      if (!(error instanceof ApiError))
        showProblem({ isBadDraft: false, detail: error instanceof Error ? error.message : String(error) });
      // 400 (not JSON, a field at fault) and 413 (too large) are the draft's problem; the API's message names it.
      else
        showProblem({
          isBadDraft: error.status >= 400 && error.status < 500,
          detail: error.status ? `${error.message} (HTTP ${error.status})` : error.message,
        });
    }
  }

  /** A rejected draft shows why (the API's message names the field) and marks the textarea invalid. */
  function showProblem({ isBadDraft, detail }) {
    output.removeAttribute("aria-busy");
    status.textContent = "";
    if (isBadDraft) textarea.setAttribute("aria-invalid", "true");
    replace(
      output,
      h(
        "div",
        { class: "notice notice--error", role: "alert" },
        h(
          "p",
          { class: "notice__title" },
          isBadDraft ? "This draft cannot be read." : "Related posts are unavailable right now.",
        ),
        h("p", { class: "notice__detail" }, detail),
      ),
    );
  }

  return {
    /** @param {{focus: boolean}} options focus the heading (when the reader came from another view) */
    show({ focus }) {
      document.title = "Related for a draft · postindex";
      if (focus) root.querySelector("h1")?.focus();
    },
  };
}
