import { Router } from "express";
import { getIndexedDocument, getPost, relatedForDocument } from "../../src/index.js";
import type { ApiContext } from "../context.js";
import { parseParams, relatedQuerySchema } from "../queries.js";
import { readQuery } from "../read-query.js";
import { sendCacheable } from "../respond.js";

/**
 * `GET /posts/:id`: the indexed post (`:id` is the record id, percent-encoded as needed).
 * `GET /posts/:id/related?limit=…&stack=…`: posts sharing its entities, best first.
 */
export function postRoutes(context: ApiContext): Router {
  const { client, indexUid, options } = context;
  return Router()
    .get("/posts/:id", async (req, res) => {
      sendCacheable(res, await getPost(client, indexUid, req.params.id), options.cacheMaxAgeSeconds);
    })
    .get("/posts/:id/related", async (req, res) => {
      const query = parseParams(relatedQuerySchema, readQuery(req));
      const post = await getIndexedDocument(client, indexUid, req.params.id, ["id", "entities", "stack"]);
      const answer = await relatedForDocument(client, indexUid, post, { ...query, typeWeights: options.typeWeights });
      sendCacheable(res, answer, options.cacheMaxAgeSeconds);
    });
}
