import { Router } from "express";
import { FACETS, isFacet, NotFoundError, searchFacetValues } from "../../src/index.js";
import type { ApiContext } from "../context.js";
import { facetValuesQuerySchema, parseParams } from "../queries.js";
import { facetQueryMeant, filtersMeant } from "../../src/check/filter-aliases.js";
import { readQuery } from "../read-query.js";
import { sendCacheable } from "../respond.js";

/** `GET /facets/:facet?q=py`: autocomplete on a facet's values, with the other facets' filters. */
export function facetValueRoutes(context: ApiContext): Router {
  return Router().get("/facets/:facet", async (req, res) => {
    const facet = req.params.facet;
    if (!isFacet(facet))
      throw new NotFoundError(`no facet ${JSON.stringify(facet.slice(0, 40))}; facets are ${FACETS.join(", ")}`);
    const query = parseParams(facetValuesQuerySchema, readQuery(req));
    const aliases = context.aliases();
    const answer = await searchFacetValues(context.client, context.indexUid, {
      facet,
      ...query,
      q: facetQueryMeant(facet, query.q, aliases),
      filters: filtersMeant(query.filters, aliases),
    });
    sendCacheable(res, answer, context.options.cacheMaxAgeSeconds);
  });
}
