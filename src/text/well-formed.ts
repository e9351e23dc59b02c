/** ES2024 `String` methods (Node ≥ 20); the project's `lib` is ES2023. */
interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * `text` with every lone UTF-16 surrogate replaced by U+FFFD, as any UTF-8 encoder would.
 *
 * Why: JSON text may spell a lone surrogate as an escape (`"\ud800"`), `JSON.parse` accepts it,
 * and `JSON.stringify` writes it back as the same escape, which Meilisearch's JSON parser refuses:
 * one such record would fail its whole batch (and so a reindex, or every watcher batch), and one
 * such filter value a search. Such text cannot be stored as UTF-8 anyway.
 */
export function toWellFormedText(text: string): string {
  const candidate = text as string & WellFormedString;
  return candidate.isWellFormed() ? text : candidate.toWellFormed();
}
