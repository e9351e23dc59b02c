import type { RequestHandler } from "express";

/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;

/**
 * CORS with an allow-list: a request whose `Origin` is listed (or any, with `"*"`) gets
 * `Access-Control-Allow-Origin` naming it; others get no CORS headers, so browsers refuse the
 * answer to the calling page. Preflights (`OPTIONS` with `Access-Control-Request-Method`) end here
 * with a 204. `Vary: Origin` keeps caches from serving one origin's answer to another.
 * @see https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS
 */
export function cors(allowedOrigins: readonly string[]): RequestHandler {
  const allowsAny = allowedOrigins.includes("*");
  const allowed = new Set(allowedOrigins.map((origin) => origin.replace(/\/+$/, "").toLowerCase()));
  return (req, res, next) => {
    res.vary("Origin");
    const origin = req.headers.origin;
    const isAllowed = origin !== undefined && (allowsAny || allowed.has(origin.toLowerCase()));
    if (isAllowed) {
      res.set("Access-Control-Allow-Origin", allowsAny ? "*" : origin);
      res.set("Access-Control-Expose-Headers", "ETag, Retry-After");
    }
    if (req.method !== "OPTIONS" || req.headers["access-control-request-method"] === undefined) {
      next();
      return;
    }
    if (isAllowed) {
      res.set("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
      res.set("Access-Control-Allow-Headers", "Content-Type, If-None-Match");
      res.set("Access-Control-Max-Age", String(PREFLIGHT_MAX_AGE));
    }
    res.status(204).end();
  };
}
