import { Router } from "express";
import { getPost, relatedForDocument } from "../../src/index.js";
import type { ApiContext } from "../context.js";
import { parseParams, relatedQuerySchema } from "../queries.js";
import { filtersMeant } from "../../src/check/filter-aliases.js";
import { readQuery } from "../read-query.js";
import { sendCacheable } from "../respond.js";

/**
 * `GET /posts/:id`: the indexed post (`:id` is the record id, percent-encoded as needed).
 * `GET /posts/:id/related?limit=…&stack=…`: posts sharing its entities, best first, from the
 * related-posts index (in memory, within a second of the live index).
 */
export function postRoutes(context: ApiContext): Router {
  const { client, indexUid, options, related } = context;
  return Router()
    .get("/posts/:id", async (req, res) => {
      sendCacheable(res, await getPost(client, indexUid, req.params.id), options.cacheMaxAgeSeconds);
    })
    .get("/posts/:id/related", async (req, res) => {
      const query = parseParams(relatedQuerySchema, readQuery(req));
      const answer = relatedForDocument(await related.current(), req.params.id, {
        ...query,
        filters: filtersMeant(query.filters, context.aliases()),
        minScore: query.minScore ?? options.relatedMinScore,
        typeWeights: options.typeWeights,
      });
      sendCacheable(res, answer, options.cacheMaxAgeSeconds);
    });
}
