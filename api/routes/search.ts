import { Router } from "express";
import { parseSearchQuery, searchPosts } from "../../src/index.js";
import type { ApiContext } from "../context.js";
import { readQuery } from "../read-query.js";
import { sendCacheable } from "../respond.js";

/** `GET /search?q=…&stack=…&page=…&limit=…&sort=…`: full-text search with facets. */
export function searchRoutes(context: ApiContext): Router {
  return Router().get("/search", async (req, res) => {
    const query = parseSearchQuery(readQuery(req));
    const answer = await searchPosts(context.client, context.indexUid, query);
    sendCacheable(res, answer, context.options.cacheMaxAgeSeconds);
  });
}
