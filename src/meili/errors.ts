import { MeiliTaskError, MeiliUnavailableError, PostindexError } from "../errors.js";
import { isUnavailable } from "./http.js";

/**
 * Turning the meilisearch client's errors into postindex errors.
 *
 * The client wraps everything its `httpClient` throws in a `MeilisearchRequestError`, so an API error
 * arrives as `MeilisearchRequestError { cause: MeilisearchApiError { cause: {message, code, type, link} } }`
 * and a connection error as `MeilisearchRequestError { cause: MeiliUnavailableError }`. These helpers
 * walk the `cause` chain instead of relying on one depth.
 * @see https://www.meilisearch.com/docs/reference/errors/error_codes
 */

/** The parts of a finished Meilisearch task that error reporting reads. */
export interface FinishedTask {
  readonly uid: number;
  readonly type: string;
  readonly status: string;
  readonly indexUid: string | null;
  readonly error: { readonly message: string; readonly code: string } | null;
}

/**
 * Meilisearch's own error code (`index_not_found`, `invalid_document_id`, …) carried anywhere in
 * `error`'s cause chain: from an API answer or from a failed task. `undefined` when there is none.
 */
export function meiliErrorCode(error: unknown): string | undefined {
  for (const link of causeChain(error)) {
    const candidate = link as { name?: unknown; cause?: { code?: unknown; error?: { code?: unknown } | null } };
    if (candidate.name === "MeilisearchApiError" && typeof candidate.cause?.code === "string") {
      return candidate.cause.code;
    }
    if (link instanceof MeiliTaskError && typeof candidate.cause?.error?.code === "string") {
      return candidate.cause.error.code;
    }
  }
  return undefined;
}

/**
 * Any error thrown by the meilisearch client (or our transport) as a {@link PostindexError}:
 * {@link MeiliUnavailableError} when the server cannot be reached, else `meili_request_failed`
 * with Meilisearch's message. `action` says what was being done ("searching index articles").
 * A {@link PostindexError} is returned unchanged. Use {@link meiliErrorCode} for Meilisearch's code.
 */
export function toMeiliError(error: unknown, action: string): PostindexError {
  if (error instanceof PostindexError) return error;
  if (isUnavailable(error)) {
    const found = causeChain(error).find((link) => link instanceof MeiliUnavailableError);
    return new MeiliUnavailableError(`${action}: ${(found ?? (error as Error)).message}`, { cause: error });
  }
  const apiError = causeChain(error).find((link) => (link as { name?: unknown }).name === "MeilisearchApiError") as
    Error | undefined;
  const message = (apiError ?? (error as Error | undefined))?.message ?? String(error);
  return new PostindexError("meili_request_failed", `${action}: ${message}`, { cause: apiError ?? error });
}

/** The {@link MeiliTaskError} for a task that ended `failed` or `canceled`; `cause` is the task. */
export function taskError(task: FinishedTask): MeiliTaskError {
  const where = task.indexUid === null ? "" : ` on index "${task.indexUid}"`;
  const why = task.error?.message ?? (task.status === "canceled" ? "the task was canceled" : "no reason given");
  return new MeiliTaskError(`Meilisearch task ${task.uid} (${task.type}${where}) ${task.status}: ${why}`, {
    cause: task,
  });
}

function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  for (let current = error; typeof current === "object" && current !== null && chain.length < 10;) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}
