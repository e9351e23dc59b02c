import { FACETS, type Facet, type SearchDocument } from "../document-types.js";

/**
 * Meilisearch filter expressions, built in one place.
 *
 * Values always go through {@link quoteFilterValue}; attributes are field names of
 * {@link SearchDocument} typed by our own code, never taken from a request. Every builder returns a
 * {@link FilterClause}: a single condition, an `IN [...]` list, a parenthesised `OR` group, or an
 * `AND` chain of those. Such clauses can be `AND`-ed with one another without further parentheses
 * (`AND` binds tighter than `OR`, and every `OR` here is inside parentheses).
 *
 * @see https://www.meilisearch.com/docs/learn/filtering_and_sorting/filter_expression_reference
 */

/** A filter expression produced by this module (never by concatenation at a call site). */
export type FilterClause = string & { readonly __brand: "FilterClause" };

/** A filterable field of the search document. */
export type FilterAttribute = Extract<keyof SearchDocument, string>;

/**
 * Quote a value for a Meilisearch filter: escape `\` first, then `"`, and wrap in double quotes.
 *
 * Inside double quotes the filter parser treats everything (spaces, `OR`, `AND`, `(`, `)`, `=`,
 * `[`, `,`, `'`, line breaks) as part of the value; `\"` stands for a quote and, since
 * Meilisearch 1.4, `\\` for a backslash. Escaping the backslash first is what keeps a value that
 * ends in `\` from escaping the closing quote.
 * @see https://github.com/meilisearch/meilisearch/pull/4038
 */
export function quoteFilterValue(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

function clause(expression: string): FilterClause {
  return expression as FilterClause;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** `attribute = "value"`. */
export function filterEquals(attribute: FilterAttribute, value: string): FilterClause {
  return clause(`${attribute} = ${quoteFilterValue(value)}`);
}

/**
 * Documents whose `attribute` holds any of `values` (for array fields: contains any of them):
 * `attribute = "a"`, or `(attribute = "a" OR attribute = "b")`. Undefined when `values` is empty,
 * which means "no condition", not "match nothing".
 */
export function filterAnyOf(attribute: FilterAttribute, values: readonly string[]): FilterClause | undefined {
  const distinct = unique(values);
  if (distinct.length === 0) return undefined;
  if (distinct.length === 1) return filterEquals(attribute, distinct[0] as string);
  return clause(`(${distinct.map((value) => filterEquals(attribute, value)).join(" OR ")})`);
}

/**
 * `attribute IN ["a", "b"]`: the compact form of {@link filterAnyOf} for long lists (no nesting, one
 * condition however many values). Undefined when `values` is empty.
 */
export function filterIn(attribute: FilterAttribute, values: readonly string[]): FilterClause | undefined {
  const distinct = unique(values);
  if (distinct.length === 0) return undefined;
  return clause(`${attribute} IN [${distinct.map(quoteFilterValue).join(", ")}]`);
}

/**
 * Documents whose `attribute` holds none of `values`: `attribute != "a"`, or
 * `attribute NOT IN ["a", "b"]`. Undefined when `values` is empty. Documents without the field
 * match too (Meilisearch's `!=` / `NOT IN` semantics).
 */
export function filterNoneOf(attribute: FilterAttribute, values: readonly string[]): FilterClause | undefined {
  const distinct = unique(values);
  if (distinct.length === 0) return undefined;
  if (distinct.length === 1) return clause(`${attribute} != ${quoteFilterValue(distinct[0] as string)}`);
  return clause(`${attribute} NOT IN [${distinct.map(quoteFilterValue).join(", ")}]`);
}

/** `AND` of the given clauses, skipping undefined ones; undefined when none is left. */
export function filterAllOf(...clauses: readonly (FilterClause | undefined)[]): FilterClause | undefined {
  const present = clauses.filter((part): part is FilterClause => part !== undefined && part.length > 0);
  if (present.length === 0) return undefined;
  return clause(present.join(" AND "));
}

/** Selected values per facet, as `GET /search` reads them (already normalised). */
export type FacetSelection = Partial<Record<Facet, readonly string[]>>;

/**
 * The facet part of a search filter: values of one facet are `OR`-ed, facets are `AND`-ed, in the
 * order of {@link FACETS}; `extra` clauses are `AND`-ed after them. Undefined when nothing is
 * selected. Example: `(stack = "a" OR stack = "b") AND tools = "c"`.
 */
export function buildFacetFilter(
  selection: FacetSelection,
  extra: readonly (FilterClause | undefined)[] = [],
): FilterClause | undefined {
  const facetClauses = FACETS.map((facet) => filterAnyOf(facet, selection[facet] ?? []));
  return filterAllOf(...facetClauses, ...extra);
}

/** Posts carrying any of the given entity keys (`type:name`): `entity_keys IN [...]`. */
export function entityFilter(keys: readonly string[]): FilterClause | undefined {
  return filterIn("entity_keys", keys);
}

/** Every post but the given ones: `id != "x"` or `id NOT IN [...]`. */
export function excludeIds(ids: readonly string[]): FilterClause | undefined {
  return filterNoneOf("id", ids);
}
