import type { Request, RequestHandler } from "express";
import type { Logger } from "../../src/index.js";

/** The route pattern that answered (`/posts/:id`), or `unmatched`: a bounded label for logs and metrics. */
export function routeLabel(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === "string" ? `${req.baseUrl}${path}` : "unmatched";
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
      log.info(
        { method: req.method, path: req.path, route: routeLabel(req), status: res.statusCode, ms: Math.round(ms * 100) / 100, ip: req.ip },
        "request",
      );
    });
    next();
  };
}
