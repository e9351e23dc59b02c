/**
 * Highlight markers asked of Meilisearch: private-use characters no article contains, so the text
 * can be HTML-escaped first and the markers turned into `<mark>` after. (Meilisearch does not
 * escape; with `<mark>` as the tag, a title holding `<script>` would come back live.)
 */
export const MARK_OPEN = "\uE000";
export const MARK_CLOSE = "\uE001";

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** The entity of each character {@link escapeHtml} escapes, by its code, as bytes (for the answers written as bytes). */
export const HTML_ENTITY_BYTES: Readonly<Record<number, Buffer>> = Object.fromEntries(
  Object.entries(HTML_ESCAPES).map(([char, entity]) => [char.charCodeAt(0), Buffer.from(entity, "latin1")]),
);

/** `text` with `& < > " '` escaped, safe to insert as HTML text or an attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] as string);
}

/** Highlighted text from Meilisearch → safe HTML with `<mark>` around the matches. */
export function highlightToHtml(text: string): string {
  return escapeHtml(text).replaceAll(MARK_OPEN, "<mark>").replaceAll(MARK_CLOSE, "</mark>");
}
