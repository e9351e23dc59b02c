import { toWellFormedText } from "./well-formed.js";

/**
 * The one rule that makes facet values and entity names comparable: trimmed, every run of
 * white space (any Unicode white space, line breaks included) collapsed to one space, lower-cased,
 * lone surrogates replaced (see {@link toWellFormedText}).
 *
 * Records are normalised with it when they are indexed and search parameters when they are read,
 * so `?stack=%20Python%0AServices` matches a record whose stack says `"python  services"`.
 * `toLowerCase()` is locale-independent, so the result does not depend on the server's locale.
 */
export function normaliseFacetValue(value: string): string {
  return toWellFormedText(value).trim().replace(/\s+/gu, " ").toLowerCase();
}
