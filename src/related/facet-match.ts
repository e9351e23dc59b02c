import { FACETS, type Facet } from "../document-types.js";
import type { FacetSelection } from "../meili/filter.js";
import type { RelatedDocument } from "./related-index.js";

/**
 * A facet selection as a test on a document, matching what `buildFacetFilter` asks Meilisearch
 * for: values of one facet OR-ed (an array facet matches when it holds any of them), facets AND-ed,
 * a facet the document lacks never matching. Values on both sides are normalised the same way
 * (`normaliseFacetValue`), so plain string equality is Meilisearch's equality here.
 * @returns undefined when nothing is selected (every document passes)
 */
export function facetPredicate(selection: FacetSelection): ((document: RelatedDocument) => boolean) | undefined {
  const wanted: [Facet, Set<string>][] = [];
  for (const facet of FACETS) {
    const values = selection[facet] ?? [];
    if (values.length > 0) wanted.push([facet, new Set(values)]);
  }
  if (wanted.length === 0) return undefined;
  return (document) =>
    wanted.every(([facet, values]) => {
      const value: unknown = document[facet];
      if (Array.isArray(value)) return value.some((item) => typeof item === "string" && values.has(item));
      return typeof value === "string" && values.has(value);
    });
}
