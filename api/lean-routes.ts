import type { IncomingMessage, ServerResponse } from "node:http";
import type { Express, Request } from "express";
import type { Logger } from "../src/index.js";
import { errorBody, toHttpError } from "./errors.js";
import type { ApiMetrics } from "./metrics.js";
import { logAccess } from "./middleware/access-log.js";
import type { CorsPolicy } from "./middleware/cors.js";
import { CORS_EXPOSED_HEADERS } from "./middleware/cors.js";
import { writeJson } from "./respond.js";
import type { HeaderPair } from "./security-headers.js";

/**
 * Routes served before Express sees the request, for the hot GET routes (`/search`).
 *
 * Why: on the 2 cores the API shares with Meilisearch, every CPU-millisecond it spends is taken
 * from Meilisearch. Express's own pass over a request (its request and response prototypes, the
 * router, the middleware chain) cost ~80–140 µs of CPU before a route ran; a lean route answers
 * the same request, with the same headers, status codes, metrics and access log, in a fraction of
 * that. Any request a lean route does not claim (another path or method, a body, an unusual
 * spelling of the path) goes to Express, which still has every route.
 */

/** Answers and returns true, or returns false (having touched nothing) to leave the request to Express. */
export type LeanRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

type Handle = (this: Express, req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/**
 * `app`, trying `routes` first on every request it handles (listening, under supertest, or
 * mounted in another Express app: all of them call `app.handle`).
 */
export function serveFirst(app: Express, routes: readonly LeanRoute[]): Express {
  const target = app as unknown as { handle: Handle };
  const expressHandle = target.handle;
  target.handle = function handle(req, res, next) {
    for (const route of routes) if (route(req, res)) return;
    expressHandle.call(this, req, res, next);
  };
  return app;
}

/** Whether a request carries a body (which Express's body parser would read, and judge). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return (length !== undefined && length !== "0") || req.headers["transfer-encoding"] !== undefined;
}

/** What lean routes answer with, so their answers match the Express routes' to the header. */
export interface LeanKitOptions {
  readonly app: Express;
  readonly securityHeaders: readonly HeaderPair[];
  readonly cors: CorsPolicy;
  readonly metrics: ApiMetrics;
  readonly log: Logger;
  readonly retryAfterSeconds: number;
  /** Express's `trust proxy`: `false` reads the client address off the socket. */
  readonly trustProxy: boolean | number | string;
}

/** One request being answered by a lean route. */
export interface LeanExchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The path, without the query string. */
  readonly path: string;
  /** The route pattern, for metrics and the access log (`/search`). */
  readonly route: string;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
}

/** The headers, metrics and logs every lean answer needs. */
export class LeanKit {
  readonly #options: LeanKitOptions;
  /** The security headers as a flat `name, value, …` list, for `writeHead`. */
  readonly #security: readonly string[];

  constructor(options: LeanKitOptions) {
    this.#options = options;
    this.#security = options.securityHeaders.flat();
  }

  /** The headers of any answer to `req`, in the Express routes' order: security headers, then CORS. */
  headersFor(req: IncomingMessage): string[] {
    const headers = this.#security.slice();
    headers.push("Vary", "Origin");
    const allowOrigin = this.#options.cors.allowOrigin(req.headers.origin);
    if (allowOrigin !== undefined)
      headers.push("Access-Control-Allow-Origin", allowOrigin, "Access-Control-Expose-Headers", CORS_EXPOSED_HEADERS);
    return headers;
  }

  /** Sends a successful JSON answer (ETag, 304, HEAD as Express does) and accounts for it. */
  answer(exchange: LeanExchange, headers: string[], body: Buffer): void {
    const status = writeJson(exchange.req, exchange.res, 200, headers, body);
    this.#finished(exchange, status);
  }

  /**
   * Sends `body` (JSON) with `status` and `headers`, then `Content-Type` and `Content-Length`
   * (and an `ETag` with `etag`, as Express's `res.json` adds), and accounts for it: the Algolia
   * routes' answers to POSTs, which no client revalidates.
   */
  send(exchange: LeanExchange, status: number, headers: string[], body: Buffer, options: { etag: boolean }): void {
    const { req, res } = exchange;
    let sent = status;
    if (options.etag) sent = writeJson(req, res, status, headers, body);
    else {
      headers.push("Content-Type", "application/json; charset=utf-8", "Content-Length", String(body.length));
      res.writeHead(status, headers);
      res.end(body);
    }
    this.#finished(exchange, sent);
  }

  /** Answers `error` as the error middleware would: mapped, counted, logged when it is the server's, uncached. */
  fail(exchange: LeanExchange, error: unknown): void {
    const { req, res } = exchange;
    const answer = toHttpError(error);
    const { metrics, log, retryAfterSeconds } = this.#options;
    if (answer.code.startsWith("meili_")) metrics.countMeiliError(answer.code);
    if (answer.status >= 500) {
      // A client that already hung up (say, during shutdown) gets no answer: not worth a warning.
      log[res.destroyed ? "debug" : "warn"](
        { err: error, method: req.method, path: exchange.path, status: answer.status },
        "request failed",
      );
    }
    if (res.headersSent) return;
    const headers = this.headersFor(req);
    headers.push("Cache-Control", "no-store");
    if (answer.retryAfter === true) headers.push("Retry-After", String(retryAfterSeconds));
    const status = writeJson(req, res, answer.status, headers, Buffer.from(JSON.stringify(errorBody(answer)), "utf8"));
    this.#finished(exchange, status);
  }

  #finished(exchange: LeanExchange, status: number): void {
    const { req, route } = exchange;
    const method = req.method ?? "GET";
    const ms = performance.now() - exchange.startedAt;
    this.#options.metrics.record(method, route, status, ms / 1e3);
    const { log } = this.#options;
    if (log.isLevelEnabled("info"))
      logAccess(log, { method, path: exchange.path, route, status, ms, ip: this.#clientIp(req) });
  }

  /** `req.ip` as Express computes it (honouring `trust proxy`), without making `req` an Express request for good. */
  #clientIp(req: IncomingMessage): string | undefined {
    const { app, trustProxy } = this.#options;
    if (trustProxy === false) return req.socket.remoteAddress;
    const own = Object.getPrototypeOf(req) as object;
    Object.setPrototypeOf(req, app.request);
    try {
      return (req as unknown as Request).ip;
    } finally {
      Object.setPrototypeOf(req, own);
    }
  }
}
