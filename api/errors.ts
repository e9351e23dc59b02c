import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import {
  BadRequestError,
  meiliErrorCode,
  NotFoundError,
  PostindexError,
  type ErrorCode,
  type Logger,
} from "../src/index.js";

/** The one table from error code to HTTP status. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = Object.freeze({
  bad_request: 400,
  not_found: 404,
  payload_too_large: 413,
  record_invalid: 400,
  file_unreadable: 500,
  meili_unavailable: 503,
  meili_task_failed: 502,
  meili_request_failed: 502,
  meili_binary_missing: 500,
  lock_held: 503,
  config_invalid: 500,
  internal: 500,
});

/**
 * What clients read for a server-side failure: the cause goes to the log, never into an answer
 * (no addresses, paths or stack traces).
 */
const PUBLIC_MESSAGES: Partial<Record<ErrorCode, string>> = {
  meili_unavailable: "the search service is unavailable; try again shortly",
  meili_request_failed: "the search service could not answer this request",
  meili_task_failed: "the search service could not answer this request",
  lock_held: "the service is busy; try again shortly",
};

/** An error as the API answers it. */
export interface HttpError {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  /** The request parameter at fault, for a 400. */
  readonly parameter?: string;
  /** Set on a 503: the `Retry-After` the answer carries, in seconds. */
  readonly retryAfter?: boolean;
}

/** The error body every failure answers with: `{"error": {"code", "message"}}` (plus `parameter` on a 400). */
export function errorBody(error: HttpError): { error: { code: ErrorCode; message: string; parameter?: string } } {
  const { code, message, parameter } = error;
  return { error: parameter === undefined ? { code, message } : { code, message, parameter } };
}

/**
 * Any thrown value → the answer for it. Postindex errors map through {@link HTTP_STATUS}; the
 * JSON body parser's (a body that does not decompress included) and the router's own errors
 * become 400/413 naming `body` or `path`; a missing index is a 503 (not built yet); anything else
 * is a 500 that says nothing more.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof PostindexError) return fromPostindexError(error);
  const { type, status } = (typeof error === "object" && error !== null ? error : {}) as {
    type?: unknown;
    status?: unknown;
  };
  if (type === "entity.parse.failed") return badRequest(new BadRequestError("body", "body is not valid JSON"));
  if (type === "entity.too.large") {
    const limit = (error as { limit?: unknown }).limit;
    const detail = typeof limit === "number" ? `at most ${limit} bytes` : "smaller";
    return { status: 413, code: "payload_too_large", message: `body must be ${detail}`, parameter: "body" };
  }
  if (typeof type === "string" && typeof status === "number" && status >= 400 && status < 500) {
    return badRequest(new BadRequestError("body", "body could not be read (check Content-Type, charset and encoding)"));
  }
  if (error instanceof URIError && status === 400) {
    return badRequest(new BadRequestError("path", "path: malformed percent escape (use %XX with two hex digits)"));
  }
  if (isUndecodableBody(error, status)) {
    return badRequest(new BadRequestError("body", "body could not be read (check Content-Type, charset and encoding)"));
  }
  return { status: 500, code: "internal", message: "internal error" };
}

/**
 * A body that could not be read off the request, such as one whose `Content-Encoding: gzip` does
 * not decompress: the body parser passes such stream errors (zlib's) on as an http-errors 400
 * marked `expose`, without the `type` its own errors carry. The client's fault, never a 500.
 */
function isUndecodableBody(error: unknown, status: unknown): boolean {
  if (status !== 400) return false;
  const { expose, type } = error as { expose?: unknown; type?: unknown };
  return expose === true && type === undefined;
}

function badRequest(error: BadRequestError): HttpError {
  return { status: 400, code: "bad_request", message: error.message, parameter: error.parameter };
}

function fromPostindexError(error: PostindexError): HttpError {
  if (error instanceof BadRequestError) return badRequest(error);
  if (meiliErrorCode(error) === "index_not_found") {
    return {
      status: 503,
      code: "meili_unavailable",
      message: "the search index is not built yet; try again shortly",
      retryAfter: true,
    };
  }
  const status = HTTP_STATUS[error.code];
  const message = status >= 500 ? (PUBLIC_MESSAGES[error.code] ?? "internal error") : error.message;
  return { status, code: error.code, message, ...(status === 503 ? { retryAfter: true } : {}) };
}

/** Sends `error` unless an answer has already started (a request past its deadline). */
export function sendError(res: Response, error: HttpError, retryAfterSeconds: number): void {
  if (res.headersSent) return;
  res.status(error.status).set("Cache-Control", "no-store");
  if (error.retryAfter === true) res.set("Retry-After", String(retryAfterSeconds));
  res.json(errorBody(error));
}

/** Options for {@link errorHandler}. */
export interface ErrorHandlerOptions {
  readonly log: Logger;
  readonly retryAfterSeconds: number;
  /** Called with the code of every failure that came from Meilisearch (for metrics). */
  readonly onMeiliError?: (code: ErrorCode) => void;
}

/** The one error middleware: maps, logs server-side failures with their cause, answers. */
export function errorHandler(options: ErrorHandlerOptions): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const answer = toHttpError(error);
    if (answer.code.startsWith("meili_")) options.onMeiliError?.(answer.code);
    if (answer.status >= 500) {
      // A client that already hung up (say, during shutdown) gets no answer: not worth a warning.
      const level = res.destroyed ? "debug" : "warn";
      options.log[level]({ err: error, method: req.method, path: req.path, status: answer.status }, "request failed");
    }
    sendError(res, answer, options.retryAfterSeconds);
  };
}

/** Unknown routes: a 404 in the same JSON shape as every other error. */
export const routeNotFound: RequestHandler = (req, _res, next) => {
  const path = req.path.length > 100 ? `${req.path.slice(0, 100)}…` : req.path;
  next(new NotFoundError(`no such route: ${req.method} ${path}`));
};
