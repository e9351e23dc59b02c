import { hash } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
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

/** {@link sendCacheable} for a body already serialised to JSON bytes. */
export function sendCacheableJson(res: Response, json: Buffer, maxAgeSeconds: number): void {
  if (res.headersSent) return;
  res.set("Cache-Control", cacheControl(maxAgeSeconds)).set("Content-Type", JSON_CONTENT_TYPE).send(json);
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

/** The `Content-Type` of every JSON answer (what Express's `res.json` sets). */
const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/**
 * The strong `ETag` Express gives a body: `"<length in hex>-<27 characters of base64 SHA-1>"` (the
 * `etag` package's form), so an answer's tag is the same whichever path wrote it.
 */
function entityTag(body: Buffer): string {
  if (body.length === 0) return '"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  return `"${body.length.toString(16)}-${hash("sha1", body, "base64").slice(0, 27)}"`;
}

const NO_CACHE = /(?:^|,)\s*?no-cache\s*?(?:,|$)/;

/**
 * Whether a GET's validators still match `etag`, as Express's `req.fresh` decides it (the `fresh`
 * package): `If-None-Match` of `*` or a list holding the tag (weak comparison), never with a
 * request `Cache-Control: no-cache`; `If-Modified-Since` alone never matches (no `Last-Modified`).
 */
function isFresh(headers: IncomingHttpHeaders, etag: string): boolean {
  const noneMatch = headers["if-none-match"];
  if (!noneMatch) return false;
  const requested = headers["cache-control"];
  if (requested && NO_CACHE.test(requested)) return false;
  if (noneMatch === "*") return true;
  for (const token of noneMatch.split(",")) {
    const match = token.replace(/^ +| +$/g, "");
    if (match === etag || match === `W/${etag}` || `W/${match}` === etag) return true;
  }
  return false;
}

/**
 * Writes a JSON answer on a bare `node:http` response in one call, as Express's `res.json` would:
 * `headers` (name, value, name, value, …) first, then `Content-Type`, `Content-Length` and the
 * {@link entityTag}; a GET or HEAD whose validators match gets a 304 without a body (and without
 * `Content-Type` and `Content-Length`); a HEAD gets the headers alone.
 * @returns the status sent
 */
export function writeJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: string[],
  body: Buffer,
): number {
  const etag = entityTag(body);
  const isRead = req.method === "GET" || req.method === "HEAD";
  if (isRead && status >= 200 && status < 300 && isFresh(req.headers, etag)) {
    headers.push("ETag", etag);
    res.writeHead(304, headers);
    res.end();
    return 304;
  }
  headers.push("Content-Type", JSON_CONTENT_TYPE, "Content-Length", String(body.length), "ETag", etag);
  res.writeHead(status, headers);
  if (req.method === "HEAD") res.end();
  else res.end(body);
  return status;
}
