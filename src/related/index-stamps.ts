/**
 * Stamps for `SearchDocument.indexed_at`: every call returns a whole number greater than the one
 * before, close to the wall clock in microseconds (`Date.now() × 1000`, plus one per stamp within a
 * millisecond). Documents are pushed in stamp order and Meilisearch runs an index's tasks in order,
 * so the stamps visible in an index only grow: a reader that remembers the highest stamp it has
 * read finds every later write with `indexed_at >= cursor`. A later process (the next `sync`, a
 * restarted `watch`, a `reindex`) starts from a later clock, so its stamps are higher too. Stamps
 * stay below 2^53 (exact as JSON numbers and as Meilisearch's f64 facets) until the year 2255.
 */
export function createIndexStamps(now: () => number = Date.now): () => number {
  let last = 0;
  return () => {
    last = Math.max(Math.floor(now()) * 1000, last + 1);
    return last;
  };
}
