/**
 * Comparing index settings as Meilisearch returns them with the settings postindex sent.
 * Meilisearch fills in every setting and returns set-like lists (sortable attributes, typo exceptions)
 * sorted, so the comparison looks only at the keys that were sent and ignores order in lists whose
 * order means nothing.
 * @see https://www.meilisearch.com/docs/reference/api/settings#settings-object
 */

/** Settings whose list order is meaningful (attribute ranking, rule order). */
const ORDERED_LISTS = new Set(["searchableAttributes", "rankingRules"]);

/**
 * The differences between `expected` and `actual`, one readable line each
 * (`"sortableAttributes: expected [...], got [...]"`); empty when `actual` has everything `expected` sets.
 */
export function diffSettings(expected: object, actual: object): string[] {
  const differences: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    collect(value, (actual as Record<string, unknown>)[key], key, ORDERED_LISTS.has(key), differences);
  }
  return differences;
}

function collect(expected: unknown, actual: unknown, path: string, isOrdered: boolean, out: string[]): void {
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) {
      out.push(`${path}: expected ${canonical(expected)}, got ${canonical(actual)}`);
      return;
    }
    for (const [key, value] of Object.entries(expected)) collect(value, actual[key], `${path}.${key}`, false, out);
    return;
  }
  const same = Array.isArray(expected)
    ? Array.isArray(actual) && listKey(expected, isOrdered) === listKey(actual, isOrdered)
    : Object.is(expected, actual);
  if (!same) out.push(`${path}: expected ${canonical(expected)}, got ${canonical(actual)}`);
}

function listKey(list: readonly unknown[], isOrdered: boolean): string {
  const items = list.map(canonical);
  return JSON.stringify(isOrdered ? items : items.sort());
}

/** JSON with object keys sorted, so equal values always print the same. */
function canonical(value: unknown): string {
  if (value === undefined) return "undefined";
  return JSON.stringify(value, (_key, inner: unknown) =>
    isPlainObject(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1))) : inner,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
