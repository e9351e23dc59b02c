import type { Response } from "express";

/**
 * Answers a successful GET with a cacheable JSON body: `Cache-Control: public, max-age=N` (Express
 * adds a strong `ETag` and answers `If-None-Match` with a 304). Nothing is sent when an answer has
 * already gone out (the request's deadline passed first).
 */
export function sendCacheable(res: Response, body: unknown, maxAgeSeconds: number): void {
  if (res.headersSent) return;
  res.set("Cache-Control", cacheControl(maxAgeSeconds)).json(body);
}

/** Answers with a JSON body no cache may keep (health, drafts, errors). */
export function sendUncached(res: Response, body: unknown, status = 200): void {
  if (res.headersSent) return;
  res.status(status).set("Cache-Control", "no-store").json(body);
}

/** The `Cache-Control` of a cacheable answer. */
export function cacheControl(maxAgeSeconds: number): string {
  return maxAgeSeconds > 0 ? `public, max-age=${maxAgeSeconds}` : "public, max-age=0, must-revalidate";
}
