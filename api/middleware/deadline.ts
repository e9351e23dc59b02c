import type { RequestHandler } from "express";
import { MeiliUnavailableError } from "../../src/index.js";
import { sendError, toHttpError } from "../errors.js";

/**
 * A deadline on every request: when no answer has started after `timeoutMs`, the client gets a
 * 503 with `Retry-After` (Meilisearch too slow), whatever the handler is still waiting for. The
 * handler's late answer is then dropped (see `sendError` and `sendJson`).
 */
export function deadline(timeoutMs: number, retryAfterSeconds: number): RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => {
      const error = new MeiliUnavailableError(`no answer within ${timeoutMs} ms`);
      sendError(res, toHttpError(error), retryAfterSeconds);
    }, timeoutMs);
    timer.unref();
    const clear = (): void => clearTimeout(timer);
    res.once("finish", clear);
    res.once("close", clear);
    next();
  };
}
