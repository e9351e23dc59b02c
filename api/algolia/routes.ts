import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from "express";
import type { ApiContext } from "../context.js";
import type { CorsPolicy } from "../middleware/cors.js";
import { AlgoliaError, toAlgoliaError } from "./errors.js";
import { instantSearchPageRoutes } from "./page.js";
import { runRecommendations } from "./recommend.js";
import { runFacetQuery, runMultiQuery, runSingleQuery } from "./search.js";

/**
 * The Algolia routes (`/1/…`), so an InstantSearch UI and its Algolia client work against
 * postindex by changing the client's host:
 *
 * - `POST /1/indexes/*\/queries`, `POST /1/indexes/:index/query`,
 *   `POST /1/indexes/:index/facets/:facet/query`, `POST /1/indexes/*\/recommendations`.
 * - Bodies are JSON whatever their `Content-Type` says: browser clients send `text/plain` (v5) or
 *   `application/x-www-form-urlencoded` (v4) so that the request is "simple" and needs no CORS
 *   preflight; credentials come as `x-algolia-application-id` / `x-algolia-api-key` headers or
 *   query parameters. They are accepted as they are, or checked against `publicKey` when one is
 *   configured. Nothing is ever sent to Algolia.
 * - Errors are Algolia's shape, `{"message", "status"}`, whatever failed (a bad body, a missing
 *   index, Meilisearch unavailable), never the rest of the API's.
 * @see README.md "Use your InstantSearch UI"
 */

/** Options for {@link algoliaRoutes}. */
export interface AlgoliaRouteOptions {
  /** When set, requests must carry this API key (`x-algolia-api-key`), else a 403. */
  readonly publicKey?: string | undefined;
  /** Largest body, in bytes. @default 65536 */
  readonly bodyLimitBytes?: number;
}

/** The path of the multi-query, as Express matches it (any case, `*` escaped or not, one trailing slash). */
export const QUERIES_PATH = /^\/1\/indexes\/(?:\*|%2A)\/queries\/?$/i;
/** The default {@link AlgoliaRouteOptions.bodyLimitBytes}. */
export const ALGOLIA_BODY_LIMIT_BYTES = 64 * 1024;
const RECOMMENDATIONS = /^\/1\/indexes\/(?:\*|%2A)\/recommendations\/?$/i;
/** Headers the Algolia clients send that a preflight must allow. */
const ALLOWED_HEADERS =
  "Content-Type, X-Algolia-Application-Id, X-Algolia-API-Key, X-Algolia-Agent, X-Algolia-UserToken";

function sendAlgoliaError(res: Response, error: unknown, retryAfterSeconds: number): void {
  if (res.headersSent) return;
  const answer = toAlgoliaError(error);
  res.status(answer.status).set("Cache-Control", "no-store");
  if (answer.retryAfter) res.set("Retry-After", String(retryAfterSeconds));
  res.json({ message: answer.message, status: answer.status });
}

/** The credential named `name`, from the headers or the query string (lite clients in a browser). */
function credential(req: Request, name: string): string | undefined {
  const header = req.headers[name];
  if (typeof header === "string") return header;
  const value = (req.query as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

/** The body as JSON: any content type, empty = `{}`. */
function jsonBody(req: Request): unknown {
  const text: unknown = req.body;
  return parseJsonBody(typeof text === "string" ? text : "");
}

/** A body's text as JSON, empty (or blank) = `{}`. @throws AlgoliaError 400 when it is not JSON */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AlgoliaError(400, "body is not valid JSON");
  }
}

/**
 * Preflights of `/1/…` (browsers send one when a client adds custom headers): answered here, before
 * the API's own CORS middleware, with the Algolia headers allowed for the configured origins.
 */
export function algoliaPreflight(policy: CorsPolicy): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "OPTIONS" || !req.path.startsWith("/1/")) {
      next();
      return;
    }
    res.vary("Origin");
    const allowOrigin = policy.allowOrigin(req.headers.origin);
    if (allowOrigin !== undefined && req.headers["access-control-request-method"] !== undefined) {
      res.set("Access-Control-Allow-Origin", allowOrigin);
      res.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      res.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
      res.set("Access-Control-Max-Age", "600");
    }
    res.status(204).end();
  };
}

/** The `/1/…` routes over the API's context (see the module comment). */
export function algoliaRoutes(context: ApiContext, options: AlgoliaRouteOptions = {}): Router {
  const { client, indexUid, related } = context;
  const { retryAfterSeconds, typeWeights } = context.options;
  const recommendDeps = { client, indexUid, related, typeWeights, aliases: context.aliases };
  const router = Router();
  router.use(instantSearchPageRoutes(indexUid, options.publicKey));
  const handle =
    (run: (req: Request) => Promise<unknown>): RequestHandler =>
    (req, res) => {
      run(req).then(
        (answer) => {
          // Sent as bytes (the searches answer JSON bytes already): no ETag hashed over a body no
          // client revalidates (POST answers).
          if (!res.headersSent)
            res
              .status(200)
              .set({ "Cache-Control": "no-store", "Content-Type": "application/json; charset=utf-8" })
              .end(Buffer.isBuffer(answer) ? answer : Buffer.from(JSON.stringify(answer), "utf8"));
        },
        (error: unknown) => sendAlgoliaError(res, error, retryAfterSeconds),
      );
    };
  router.use("/1", (req, res, next) => {
    if (options.publicKey !== undefined && credential(req, "x-algolia-api-key") !== options.publicKey) {
      sendAlgoliaError(res, new AlgoliaError(403, "Invalid Application-ID or API key"), retryAfterSeconds);
      return;
    }
    next();
  });
  router.use("/1", express.text({ type: () => true, limit: options.bodyLimitBytes ?? ALGOLIA_BODY_LIMIT_BYTES }));
  router.post(
    QUERIES_PATH,
    handle((req) => runMultiQuery(client, indexUid, jsonBody(req), context.aliases())),
  );
  router.post(
    RECOMMENDATIONS,
    handle((req) => runRecommendations(recommendDeps, jsonBody(req))),
  );
  router.post(
    "/1/indexes/:index/query",
    handle((req) => runSingleQuery(client, indexUid, String(req.params["index"]), jsonBody(req), context.aliases())),
  );
  router.post(
    "/1/indexes/:index/facets/:facet/query",
    handle((req) =>
      runFacetQuery(
        client,
        indexUid,
        String(req.params["index"]),
        String(req.params["facet"]),
        jsonBody(req),
        context.aliases(),
      ),
    ),
  );
  router.all("/1/*rest", (req, res) => {
    const path = req.path.length > 100 ? `${req.path.slice(0, 100)}…` : req.path;
    sendAlgoliaError(res, new AlgoliaError(404, `no such route: ${req.method} ${path}`), retryAfterSeconds);
  });
  const errors: ErrorRequestHandler = (error: unknown, req, res, next) => {
    if (!req.path.startsWith("/1/")) {
      next(error);
      return;
    }
    sendAlgoliaError(res, error, retryAfterSeconds);
  };
  router.use(errors);
  return router;
}
