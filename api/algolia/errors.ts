import { meiliErrorCode } from "../../src/index.js";
import { toHttpError } from "../errors.js";

/**
 * An error as Algolia's API answers it: `{"message": "…", "status": 400}`. Algolia's clients read
 * `message` and `status` (and retry other hosts on a 5xx, of which we have one).
 * @see https://www.algolia.com/doc/rest-api/search/#errors
 */
export class AlgoliaError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "AlgoliaError";
    this.status = status;
  }
}

/** The body of an Algolia error answer. */
export interface AlgoliaErrorBody {
  readonly message: string;
  readonly status: number;
}

/**
 * Any thrown value → the Algolia error answer for it, and whether it carries `Retry-After`.
 * Postindex errors (a bad body, Meilisearch unavailable) keep the status and public message the
 * rest of the API gives them; nothing about the server leaks.
 */
export function toAlgoliaError(error: unknown): AlgoliaErrorBody & { readonly retryAfter: boolean } {
  if (error instanceof AlgoliaError) return { message: error.message, status: error.status, retryAfter: false };
  // A search Meilisearch refuses as asked (a filter too deep for it, say) is the request's fault.
  const code = meiliErrorCode(error);
  if (code !== undefined && (code.startsWith("invalid_search_") || code.startsWith("invalid_facet_search_")))
    return { message: "the search could not be run as asked (simplify its filters)", status: 400, retryAfter: false };
  const answer = toHttpError(error);
  return { message: answer.message, status: answer.status, retryAfter: answer.retryAfter === true };
}
