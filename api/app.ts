import { folderAliases } from "../src/check/filter-aliases.js";
import express, { type Express } from "express";
import type { Logger, MeiliClient } from "../src/index.js";
import type { ApiContext } from "./context.js";
import { errorHandler, routeNotFound } from "./errors.js";
import { createMetrics } from "./metrics.js";
import { accessLog } from "./middleware/access-log.js";
import { cors, corsPolicy } from "./middleware/cors.js";
import { deadline } from "./middleware/deadline.js";
import { resolveApiOptions, type ApiOptions } from "./options.js";
import { facetValueRoutes } from "./routes/facet-values.js";
import { healthRoutes } from "./routes/health.js";
import { metricsRoutes } from "./routes/metrics.js";
import { openApiRoutes } from "./routes/openapi.js";
import { postRoutes } from "./routes/posts.js";
import { relatedDraftRoutes } from "./routes/related-draft.js";
import { leanSearchRoute, searchRoutes } from "./routes/search.js";
import { LeanKit, serveFirst } from "./lean-routes.js";
import { securityHeaders, securityHeadersMiddleware } from "./security-headers.js";
import { demoPageRoutes } from "./routes/demo-page.js";
import { LiveRelatedIndex } from "./related-refresher.js";
import { algoliaPreflight, algoliaRoutes } from "./algolia/routes.js";
import { leanAlgoliaRoute } from "./algolia/lean-queries.js";

/** What {@link createApp} builds the API from. */
export interface AppDeps {
  /** A Meilisearch client holding a search-scoped key only (see `startApi`). */
  readonly client: MeiliClient;
  /** The live index uid (`articles`). */
  readonly indexUid: string;
  /** Access logs and server-side failures go here. */
  readonly log: Logger;
  /** Defaults: {@link DEFAULT_API_OPTIONS}. */
  readonly options?: Partial<ApiOptions>;
  /** The related-posts index (`startApi` starts and closes it). @default one made here, loaded at the first related request */
  readonly related?: LiveRelatedIndex;
}

/**
 * Builds the HTTP API without listening (`startServer` listens): security headers, CORS
 * allow-list, a deadline on every request, a bounded JSON body parser, the routes, a JSON 404 for
 * anything else, and the one error middleware. `GET /search` and the Algolia searches
 * (`POST /1/indexes/*\/queries`, `/1/indexes/:index/query`) are served before Express (see
 * `lean-routes.ts`, `algolia/lean-queries.ts`), with the same headers, errors, metrics and access log.
 * @see README.md "HTTP API"
 */
export function createApp(deps: AppDeps): Express {
  const options = resolveApiOptions(deps.options);
  const related = deps.related ?? new LiveRelatedIndex({ client: deps.client, indexUid: deps.indexUid, log: deps.log });
  const aliases = folderAliases(options.contentDir);
  const context: ApiContext = {
    client: deps.client,
    indexUid: deps.indexUid,
    options,
    log: deps.log,
    related,
    aliases,
  };
  const metrics = createMetrics();
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", "strong");
  app.set("trust proxy", options.trustProxy);
  const headers = securityHeaders();
  const allowList = corsPolicy(options.corsOrigins);
  app.use(metrics.observe, accessLog(deps.log));
  app.use(securityHeadersMiddleware(headers));
  app.use(algoliaPreflight(allowList), cors(allowList));
  app.use(deadline(options.requestTimeoutMs, options.retryAfterSeconds));
  // The Algolia protocol (issue 13) reads its own bodies (any content type) and answers Algolia-shaped errors.
  app.use(algoliaRoutes(context, { publicKey: options.algoliaApiKey }));
  app.use(express.json({ limit: options.bodyLimitBytes, type: ["application/json", "application/*+json"] }));
  app.use(
    searchRoutes(context),
    facetValueRoutes(context),
    postRoutes(context),
    relatedDraftRoutes(context),
    healthRoutes(context),
    openApiRoutes(context),
    metricsRoutes(metrics),
  );
  // The demo page last, so API requests never cost a file lookup.
  app.use(demoPageRoutes());
  app.use(routeNotFound);
  app.use(
    errorHandler({
      log: deps.log,
      retryAfterSeconds: options.retryAfterSeconds,
      onMeiliError: metrics.countMeiliError,
    }),
  );
  const kit = new LeanKit({
    app,
    securityHeaders: headers,
    cors: allowList,
    metrics,
    log: deps.log,
    retryAfterSeconds: options.retryAfterSeconds,
    trustProxy: options.trustProxy,
  });
  return serveFirst(app, [
    leanSearchRoute(context, kit),
    leanAlgoliaRoute(context, kit, { publicKey: options.algoliaApiKey }),
  ]);
}
