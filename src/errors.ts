/**
 * The one catalogue of stable error codes. The API maps each to an HTTP status in one table
 * (`api/errors.ts`); the CLI maps them to exit statuses.
 */
export const ERROR_CODES = [
  "bad_request",
  "not_found",
  "payload_too_large",
  "record_invalid",
  "file_unreadable",
  "meili_unavailable",
  "meili_task_failed",
  "meili_request_failed",
  "meili_binary_missing",
  "lock_held",
  "config_invalid",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Base of every error postindex raises on purpose: a stable `code`, a message for people, the foreign error in `cause`. */
export class PostindexError extends Error {
  override name = "PostindexError";
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Meilisearch could not be reached (connection refused, reset, timed out). */
export class MeiliUnavailableError extends PostindexError {
  override name = "MeiliUnavailableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("meili_unavailable", message, options);
  }
}

/** A Meilisearch task ended in `failed` or `canceled`, or did not end in time. */
export class MeiliTaskError extends PostindexError {
  override name = "MeiliTaskError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("meili_task_failed", message, options);
  }
}

/** A request parameter or body the API refuses; `parameter` names it. */
export class BadRequestError extends PostindexError {
  override name = "BadRequestError";
  readonly parameter: string;
  constructor(parameter: string, message: string) {
    super("bad_request", message);
    this.parameter = parameter;
  }
}

export class NotFoundError extends PostindexError {
  override name = "NotFoundError";
  constructor(message: string) {
    super("not_found", message);
  }
}
