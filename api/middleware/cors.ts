import type { RequestHandler } from "express";

/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;

/** Response headers CORS lets the calling page read. */
export const CORS_EXPOSED_HEADERS = "ETag, Retry-After";

/**
 * The allow-list: `allowOrigin(origin)` is the `Access-Control-Allow-Origin` an answer to a
 * request from `origin` carries (the origin itself, or `*` when any is allowed), or `undefined`
 * when that origin is not allowed. Shared by the middleware and the routes served before Express.
 */
export interface CorsPolicy {
  allowOrigin(origin: string | undefined): string | undefined;
}

/** The policy for `allowedOrigins` (`"*"` allows any; entries compared case-insensitively, without trailing slashes). */
export function corsPolicy(allowedOrigins: readonly string[]): CorsPolicy {
  const allowsAny = allowedOrigins.includes("*");
  const allowed = new Set(allowedOrigins.map((origin) => origin.replace(/\/+$/, "").toLowerCase()));
  return {
    allowOrigin(origin) {
      if (origin === undefined) return undefined;
      if (allowsAny) return "*";
      return allowed.size > 0 && allowed.has(origin.toLowerCase()) ? origin : undefined;
    },
  };
}

/**
 * CORS with an allow-list: a request whose `Origin` is listed (or any, with `"*"`) gets
 * `Access-Control-Allow-Origin` naming it; others get no CORS headers, so browsers refuse the
 * answer to the calling page. Preflights (`OPTIONS` with `Access-Control-Request-Method`) end here
 * with a 204. `Vary: Origin` keeps caches from serving one origin's answer to another.
 * @see https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS
 */
export function cors(policy: CorsPolicy): RequestHandler {
  return (req, res, next) => {
    res.vary("Origin");
    const allowOrigin = policy.allowOrigin(req.headers.origin);
    if (allowOrigin !== undefined) {
      res.set("Access-Control-Allow-Origin", allowOrigin);
      res.set("Access-Control-Expose-Headers", CORS_EXPOSED_HEADERS);
    }
    if (req.method !== "OPTIONS" || req.headers["access-control-request-method"] === undefined) {
      next();
      return;
    }
    if (allowOrigin !== undefined) {
      res.set("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
      res.set("Access-Control-Allow-Headers", "Content-Type, If-None-Match");
      res.set("Access-Control-Max-Age", String(PREFLIGHT_MAX_AGE));
    }
    res.status(204).end();
  };
}
