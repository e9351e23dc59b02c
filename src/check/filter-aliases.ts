import type { Facet } from "../document-types.js";
import { loadContentConfig, NO_ALIASES, type AliasTable } from "./content-config.js";

/**
 * The values a reader's facet filters mean, with the content folder's declared aliases applied
 * (`tools=k8s` → `tools=kubernetes`), as the records' values were when they were indexed; a value
 * met twice is kept once. The same object when no alias applies (the common case costs nothing).
 */
export function filtersMeant<F extends Partial<Record<Facet, readonly string[]>>>(filters: F, aliases: AliasTable): F {
  if (aliases.empty) return filters;
  let meant: F | undefined;
  for (const [facet, values] of Object.entries(filters) as [Facet, readonly string[] | undefined][]) {
    const table = aliases.facets.get(facet);
    if (table === undefined || values === undefined || !values.some((value) => table.has(value))) continue;
    meant ??= { ...filters };
    (meant as Record<Facet, readonly string[]>)[facet] = [...new Set(values.map((value) => table.get(value) ?? value))];
  }
  return meant ?? filters;
}

/** A facet-value query (autocomplete) that is a declared alias, as the value it stands for. */
export function facetQueryMeant(facet: Facet, query: string, aliases: AliasTable): string {
  return aliases.facets.get(facet)?.get(query) ?? query;
}

/** How often the API looks at the content folder's `postindex.config.json` again, at most. */
const RECHECK_MS = 1_000;

/**
 * The aliases `dir/postindex.config.json` declares, as the API reads them: looked at again at most
 * once a second (an edit applies within a second, as the indexer reapplies it), the last valid ones
 * kept while the file does not parse. No folder: no aliases. `clock`: milliseconds (tests pass their own).
 */
export function folderAliases(
  dir: string | undefined,
  clock: () => number = () => performance.now(),
): () => AliasTable {
  if (dir === undefined) return () => NO_ALIASES;
  let current = NO_ALIASES;
  let checkedAt = Number.NEGATIVE_INFINITY;
  return () => {
    const now = clock();
    if (now - checkedAt < RECHECK_MS) return current;
    checkedAt = now;
    const loaded = loadContentConfig(dir);
    if (loaded.problems.length === 0) current = loaded.config.aliases;
    return current;
  };
}
