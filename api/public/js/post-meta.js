// @ts-check
// The "post meta" box, the way the site renders it (see the shared seed page): one row per meta
// field, lists as lists, key-value groups as "key: value" lists, entities as a list of lists.

import { formatNumber, h, labelFor } from "./dom.js";

/** Meta fields in the seed page's order; other unknown fields follow in the document's order. */
const META_ORDER = [
  "topic",
  "summary",
  "ai_outline",
  "ai_brief",
  "stack",
  "tools",
  "code_language",
  "difficulty",
  "reading_time",
  "view_count",
  "score",
  "revision",
  "reference",
  "hash",
  "flags",
  "checklist",
  "entities",
  "payload",
  "notes",
];

/** Document fields that are the article itself or index bookkeeping, not meta. */
const NOT_META = new Set([
  "id",
  "source_id",
  "title",
  "site",
  "intro",
  "sections",
  "body",
  "entity_keys",
  "last_reviewed_at",
  "scenario",
  "source_file",
  "content_hash",
]);

const UNITS = { reading_time: (value) => `${value} min` };

function isEmpty(value) {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

/** A scalar as text: booleans as yes/no, numbers grouped. */
function scalarText(value) {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return formatNumber(value);
  return String(value);
}

/** Any meta value as nodes: arrays and objects as lists, recursively. */
function metaValue(value) {
  if (Array.isArray(value)) {
    return h(
      "ul",
      { class: "meta__list" },
      value.map((item) => h("li", {}, metaValue(item))),
    );
  }
  if (typeof value === "object" && value !== null) {
    return h(
      "ul",
      { class: "meta__list" },
      Object.entries(value)
        .filter(([, item]) => !isEmpty(item))
        .map(([key, item]) =>
          typeof item === "object" && item !== null
            ? h("li", {}, `${labelFor(key)}:`, metaValue(item))
            : h("li", {}, `${labelFor(key)}: ${scalarText(item)}`),
        ),
    );
  }
  return scalarText(value);
}

/** The fields of `post` shown in the box, in order. */
function metaFields(post) {
  const known = META_ORDER.filter((key) => Object.hasOwn(post, key));
  const others = Object.keys(post).filter((key) => !NOT_META.has(key) && !META_ORDER.includes(key));
  return [...known, ...others].filter((key) => !isEmpty(post[key]));
}

/** The "{site} post meta" box. */
export function postMetaBox(post) {
  const title = post.site ? `${post.site} post meta` : "post meta";
  return h(
    "aside",
    { class: "post-meta", "aria-labelledby": "post-meta-title" },
    h("h2", { class: "post-meta__title", id: "post-meta-title" }, title),
    h(
      "dl",
      { class: "post-meta__fields" },
      metaFields(post).map((key) =>
        h(
          "div",
          { class: "post-meta__row", dataset: { field: key } },
          h("dt", {}, labelFor(key)),
          h("dd", {}, UNITS[key] && typeof post[key] === "number" ? UNITS[key](post[key]) : metaValue(post[key])),
        ),
      ),
    ),
  );
}
