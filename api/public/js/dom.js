// @ts-check
// Building DOM without HTML strings: every piece of data becomes a text node, so nothing the API
// returns is ever parsed as markup. The one exception, <mark> in highlights, is rebuilt as elements.

/**
 * `h("a", {href, class: "x", on: {click}}, "text", child)`: an element with attributes, listeners
 * and children (strings become text nodes; null, undefined and false are skipped; arrays flattened).
 * Attributes that are null or undefined are left out.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (name === "on") {
      for (const [type, listener] of Object.entries(value)) element.addEventListener(type, listener);
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else if (typeof value === "boolean") {
      // A boolean sets the property (`checked`, `hidden`, `disabled`); strings always go to the attribute.
      if (name in element) element[name] = value;
      else if (value) element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
  return parent;
}

const NAMED_ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** Decodes the character references an HTML-escaping function produces (`&amp;`, `&#39;`, `&#x27;`). */
function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, name) => {
    if (name[0] !== "#") return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * A highlighted field (`title_highlighted`, `snippet`: escaped text with matches in `<mark>`) as
 * nodes. Only `<mark>` and `</mark>` are markup; everything else, a `<script>` the API would have
 * let through included, is decoded and inserted as text.
 * @returns {DocumentFragment}
 */
export function highlighted(html) {
  const fragment = document.createDocumentFragment();
  /** @type {DocumentFragment | HTMLElement} */
  let target = fragment;
  for (const part of String(html).split(/(<mark>|<\/mark>)/i)) {
    const tag = part.toLowerCase();
    if (tag === "<mark>") {
      if (target === fragment) target = fragment.appendChild(document.createElement("mark"));
    } else if (tag === "</mark>") {
      target = fragment;
    } else if (part !== "") {
      target.append(document.createTextNode(decodeEntities(part)));
    }
  }
  return fragment;
}

/** "1,234" in the page's language. */
export function formatNumber(value) {
  return new Intl.NumberFormat(document.documentElement.lang || undefined).format(value);
}

/** "May 2018" from Unix seconds (UTC: review dates are days, not instants). */
export function formatMonth(unixSeconds) {
  return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(unixSeconds * 1000));
}

/** `field_name` → "field name", the way the seed page labels meta fields. */
export function labelFor(key) {
  return key.replace(/[_-]+/g, " ").trim();
}

/**
 * Moves focus to a heading (made focusable if it is not), so keyboard and screen-reader users land
 * on what changed, and scrolls `scrollTarget` into view (`null`: the top of the page).
 */
export function focusHeading(element, scrollTarget = element) {
  if (!element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
  element.focus({ preventScroll: true });
  if (scrollTarget === null) window.scrollTo(0, 0);
  else scrollTarget.scrollIntoView({ block: "start" });
}
