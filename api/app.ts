import express, { type Express } from "express";
import helmet from "helmet";
import type { Logger, MeiliClient } from "../src/index.js";
import type { ApiContext } from "./context.js";
import { errorHandler, routeNotFound } from "./errors.js";
import { createMetrics } from "./metrics.js";
import { accessLog } from "./middleware/access-log.js";
import { cors } from "./middleware/cors.js";
import { deadline } from "./middleware/deadline.js";
import { resolveApiOptions, type ApiOptions } from "./options.js";
import { facetValueRoutes } from "./routes/facet-values.js";
import { healthRoutes } from "./routes/health.js";
import { metricsRoutes } from "./routes/metrics.js";
import { openApiRoutes } from "./routes/openapi.js";
import { postRoutes } from "./routes/posts.js";
import { relatedDraftRoutes } from "./routes/related-draft.js";
import { searchRoutes } from "./routes/search.js";
import { demoPageRoutes } from "./routes/demo-page.js";
import { LiveRelatedIndex } from "./related-refresher.js";

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
 * anything else, and the one error middleware.
 * @see README.md "HTTP API"
 */
export function createApp(deps: AppDeps): Express {
  const options = resolveApiOptions(deps.options);
  const related = deps.related ?? new LiveRelatedIndex({ client: deps.client, indexUid: deps.indexUid, log: deps.log });
  const context: ApiContext = { client: deps.client, indexUid: deps.indexUid, options, log: deps.log, related };
  const metrics = createMetrics();
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", "strong");
  app.set("trust proxy", options.trustProxy);
  app.use(metrics.observe, accessLog(deps.log));
  // No `upgrade-insecure-requests`: it would make a page served over plain HTTP on any address
  // but localhost load its own scripts over HTTPS, and show nothing.
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
      crossOriginResourcePolicy: { policy: "cross-origin" },
    }),
  );
  app.use(cors(options.corsOrigins));
  app.use(deadline(options.requestTimeoutMs, options.retryAfterSeconds));
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
  app.use(errorHandler({ log: deps.log, retryAfterSeconds: options.retryAfterSeconds, onMeiliError: metrics.countMeiliError }));
  return app;
}
