import type { Request, RequestHandler } from "express";
import type { Logger } from "../../src/index.js";

/** The route pattern that answered (`/posts/:id`), or `unmatched`: a bounded label for logs and metrics. */
export function routeLabel(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === "string" ? `${req.baseUrl}${path}` : "unmatched";
}

/** What the access log says about one answered request. */
export interface AccessLine {
  readonly method: string;
  readonly path: string;
  readonly route: string;
  readonly status: number;
  /** Time to answer, in ms. */
  readonly ms: number;
  /** The client's address (honouring `trust proxy`). */
  readonly ip: string | undefined;
}

/** Writes one access line (pino, `info`; the caller checks the level first, to skip building it). */
export function logAccess(log: Logger, line: AccessLine): void {
  log.info({ ...line, ms: Math.round(line.ms * 100) / 100 }, "request");
}

/**
 * One structured line per answered request (pino, `info`): method, path, route, status, duration,
 * client address (`req.ip`, which honours `trust proxy`). The query string is left out: search
 * terms are the users' business.
 */
export function accessLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once("finish", () => {
      if (!log.isLevelEnabled("info")) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logAccess(log, {
        method: req.method,
        path: req.path,
        route: routeLabel(req),
        status: res.statusCode,
        ms,
        ip: req.ip,
      });
    });
    next();
  };
}
