import fc from "fast-check";
import { MARK_CLOSE, MARK_OPEN } from "../../src/search-highlight.js";
import { hostileText } from "./hostile.js";

/**
 * Text as Meilisearch's highlighted fields come back: hostile pieces, HTML, quotes, backslashes,
 * control characters, non-ASCII, highlight markers (stray ones too) and look-alikes of their bytes.
 */
export const highlightedText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      hostileText(2),
      fc.constantFrom(
        MARK_OPEN,
        MARK_CLOSE,
        "<script>",
        '"',
        "\\",
        "'",
        "&amp;",
        "\u2026",
        "\u0001",
        "\n",
        "é",
        "\u{1f600}",
        "\uE000x",
        "\uEE80",
      ),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));
