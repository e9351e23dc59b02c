import { toWellFormedText } from "./well-formed.js";

/**
 * Values seen so far and their normalised form: a folder's facet values and entity names come from
 * a small vocabulary, repeated on every post (a record's entities alone are 3–20 of them). Bounded
 * in count and in the length of what is kept, so no input can make it hold much.
 */
const normalisedValues = new Map<string, string>();
const MAX_CACHED_VALUES = 20_000;
const MAX_CACHED_LENGTH = 100;

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
  const cached = normalisedValues.get(value);
  if (cached !== undefined) return cached;
  const normalised = toWellFormedText(value).trim().replace(/\s+/gu, " ").toLowerCase();
  if (value.length <= MAX_CACHED_LENGTH && normalisedValues.size < MAX_CACHED_VALUES)
    normalisedValues.set(value, normalised);
  return normalised;
}
