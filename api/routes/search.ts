import { Router } from "express";
import { searchPostsJsonRelaxed } from "../algolia/relax.js";
import type { ApiContext } from "../context.js";
import { parseSearchQuery } from "../queries.js";
import { filtersMeant } from "../../src/check/filter-aliases.js";
import type { SearchQuery } from "../../src/index.js";
import { hasBody, type LeanKit, type LeanRoute } from "../lean-routes.js";
import { readQuery, readQueryString } from "../read-query.js";
import { cacheControl, sendCacheableJson } from "../respond.js";

/** `GET /search?…` through Express: what {@link leanSearchRoute} leaves to it (odd spellings, bodies). */
export function searchRoutes(context: ApiContext): Router {
  return Router().get("/search", async (req, res) => {
    const query = queryMeant(parseSearchQuery(readQuery(req)), context);
    const answer = await searchPostsJsonRelaxed(context.client, context.indexUid, query);
    sendCacheableJson(res, answer, context.options.cacheMaxAgeSeconds);
  });
}

/** Whether `path` is `/search` as Express's router matches it: any case, one trailing slash allowed. */
function isSearchPath(path: string): boolean {
  return (
    (path.length === 7 || (path.length === 8 && path.endsWith("/"))) && path.slice(0, 7).toLowerCase() === "/search"
  );
}

/**
 * `GET /search?q=…&stack=…&page=…&limit=…&sort=…`: full-text search with facets, served before
 * Express (see `lean-routes.ts`) for a body-less GET or HEAD. Meilisearch's answer is spliced into
 * the API's rather than parsed and serialised again (`searchPostsJson`), and the request's
 * deadline is the Meilisearch request's own timeout (the only wait): past it, a 503 with
 * `Retry-After`, as the deadline middleware answers the Express routes.
 */
export function leanSearchRoute(context: ApiContext, kit: LeanKit): LeanRoute {
  const { client, indexUid, options } = context;
  const cacheHeader = cacheControl(options.cacheMaxAgeSeconds);
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const url = req.url ?? "";
    const queryAt = url.indexOf("?");
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    if (!isSearchPath(path) || hasBody(req)) return false;
    const baseUrl = (req as { baseUrl?: unknown }).baseUrl;
    const exchange = {
      req,
      res,
      path,
      route: `${typeof baseUrl === "string" ? baseUrl : ""}/search`,
      startedAt: performance.now(),
    };
    const answer = async (): Promise<void> => {
      try {
        const query = queryMeant(
          parseSearchQuery(queryAt === -1 ? Object.create(null) : readQueryString(url.slice(queryAt + 1))),
          context,
        );
        const body = await searchPostsJsonRelaxed(client, indexUid, query, options.requestTimeoutMs);
        const headers = kit.headersFor(req);
        headers.push("Cache-Control", cacheHeader);
        kit.answer(exchange, headers, body);
      } catch (error) {
        kit.fail(exchange, error);
      }
    };
    answer().catch((error: unknown) => {
      context.log.error({ err: error, path }, "answering a search failed");
      res.destroy();
    });
    return true;
  };
}

/** The search with the content folder's aliases applied to its facet filters. */
function queryMeant(query: SearchQuery, context: ApiContext): SearchQuery {
  const filters = filtersMeant(query.filters, context.aliases());
  return filters === query.filters ? query : { ...query, filters };
}
