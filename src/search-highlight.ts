/**
 * Highlight markers asked of Meilisearch: private-use characters no article contains, so the text
 * can be HTML-escaped first and the markers turned into `<mark>` after. (Meilisearch does not
 * escape; with `<mark>` as the tag, a title holding `<script>` would come back live.)
 */
export const MARK_OPEN = "\uE000";
export const MARK_CLOSE = "\uE001";

const MARK_OPEN_BYTES = Buffer.from(MARK_OPEN, "utf8");
const MARK_CLOSE_BYTES = Buffer.from(MARK_CLOSE, "utf8");
/**
 * The markers' UTF-8 bytes, for the answers written as bytes (EE 80 80 and EE 80 81): both
 * share their first two bytes and differ in the last.
 */
export const MARKER_BYTES = {
  lead: MARK_OPEN_BYTES[0] as number,
  middle: MARK_OPEN_BYTES[1] as number,
  openLast: MARK_OPEN_BYTES[2] as number,
  closeLast: MARK_CLOSE_BYTES[2] as number,
  length: MARK_OPEN_BYTES.length,
} as const;
if (MARK_OPEN_BYTES.length !== 3 || MARK_CLOSE_BYTES.compare(MARK_OPEN_BYTES, 0, 2, 0, 2) !== 0)
  throw new Error("search-highlight: the markers must be 3-byte characters that differ only in their last byte");

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
