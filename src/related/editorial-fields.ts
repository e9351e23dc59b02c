import { readKeyValues, readList, readText } from "../records/normalise-values.js";

/**
 * Editors' controls over a post's related list, as records carry them (`meta.related`, also
 * spelled `Related`, `related_posts`, `relatedPosts` …): `pinned`, the record ids listed first, in
 * their order, and `excluded`, the record ids never listed. Kept with the content, so they are
 * reviewed and versioned like the rest of the article. The post-wide flag that keeps a post out of
 * every list (`meta.flags.no_related`, also `never_related`) is read with the other flags.
 * @see docs/records.md "Related posts: editors' controls"
 */

/** Other spellings of the two fields (after key normalisation: `Pinned Posts` → `pinned_posts`). */
const FIELD_ALIASES: Readonly<Record<string, "pinned" | "excluded">> = {
  pinned: "pinned",
  pin: "pinned",
  pins: "pinned",
  pinned_posts: "pinned",
  pinned_ids: "pinned",
  excluded: "excluded",
  exclude: "excluded",
  excludes: "excluded",
  excluded_posts: "excluded",
  excluded_ids: "excluded",
};

/**
 * `meta.related` in any accepted spelling → `{pinned?, excluded?}` of trimmed ids, duplicates
 * dropped in order. The group may be an object, a JSON string, or `"key: value"` lines; each list
 * an array, a JSON or Python-style list, bullet lines, or comma- or semicolon-separated ids. A
 * value that cannot be read is passed on unchanged, for validation to report against its field.
 * @returns undefined when the record has no such group
 */
export function normaliseRelatedControls(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const pairs = readKeyValues(value);
  if (!(pairs instanceof Map)) return pairs;
  const byField = new Map<"pinned" | "excluded", unknown>();
  for (const [key, entry] of pairs as Map<string, unknown>) {
    const field = FIELD_ALIASES[key];
    if (field !== undefined && !byField.has(field)) byField.set(field, entry);
  }
  const controls: Record<string, unknown> = {};
  for (const field of ["pinned", "excluded"] as const) {
    if (byField.has(field)) controls[field] = readIdList(byField.get(field));
  }
  return controls;
}

/** A list of record ids in any list encoding: trimmed, numbers as their text, empty and repeated ids dropped. */
function readIdList(value: unknown): unknown {
  const list = readList(typeof value === "number" ? String(value) : value, { commaSeparated: true });
  if (!Array.isArray(list)) return list;
  const seen = new Set<string>();
  const ids: unknown[] = [];
  for (const item of list) {
    const id = readText(item);
    if (typeof id === "string") {
      if (id === "" || seen.has(id)) continue;
      seen.add(id);
    }
    ids.push(id);
  }
  return ids;
}
