// @ts-check
// The public API, called with relative URLs (the page works under any path prefix a proxy adds).

/** The facets the page filters on, in display order. */
export const FACETS = /** @type {const} */ (["stack", "tools", "difficulty", "scenario"]);

/** An answer that is not a success: `status` 0 means the API could not be reached at all. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {string | undefined} parameter the parameter a 400 names (`q`, `body`, `body.meta.title`)
   */
  constructor(status, code, message, parameter) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.parameter = parameter;
  }

  /** True when trying again later may help (API or Meilisearch down, timeout). */
  get isUnavailable() {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** True for the rejection of a request that was aborted on purpose (a newer one replaced it). */
function isAbort(error) {
  return error instanceof DOMException && error.name === "AbortError";
}

/**
 * @param {string} url relative
 * @param {{signal?: AbortSignal, method?: string, body?: string}} [init]
 */
async function requestJson(url, init = {}) {
  const headers = { accept: "application/json" };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  let response;
  try {
    response = await fetch(url, { method: init.method ?? "GET", headers, body: init.body, signal: init.signal });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError(
      0,
      "network",
      "The search service could not be reached. Check the connection and try again.",
      undefined,
    );
  }
  const data = await response.json().catch((error) => {
    if (isAbort(error)) throw error;
    return undefined;
  });
  if (!response.ok) {
    const detail = data?.error;
    const message =
      typeof detail?.message === "string"
        ? detail.message
        : `The API answered ${response.status} ${response.statusText}.`;
    throw new ApiError(response.status, detail?.code ?? `http_${response.status}`, message, detail?.parameter);
  }
  if (data === undefined)
    throw new ApiError(response.status, "bad_answer", "The API answered with something that is not JSON.", undefined);
  return data;
}

/**
 * `GET /search`: `filters` maps a facet to its selected values (repeated parameters: OR within a
 * facet, AND across facets). Defaults are left out of the URL so equal searches share a cache entry.
 * @param {{q: string, page: number, limit: number, sort: string, filters: Record<string, string[]>}} query
 * @param {AbortSignal} signal
 */
export function search(query, signal) {
  const params = new URLSearchParams();
  if (query.q !== "") params.set("q", query.q);
  for (const facet of FACETS) for (const value of query.filters[facet] ?? []) params.append(facet, value);
  if (query.sort !== "relevance") params.set("sort", query.sort);
  if (query.page !== 1) params.set("page", String(query.page));
  params.set("limit", String(query.limit));
  return requestJson(`search?${params}`, { signal });
}

/** `GET /posts/:id`: the indexed post. */
export function getPost(id, signal) {
  return requestJson(`posts/${encodeURIComponent(id)}`, { signal });
}

/** `GET /posts/:id/related`: `{id, related: [{id, title, score, shared}], fallback}`. */
export function getRelated(id, limit, signal) {
  return requestJson(`posts/${encodeURIComponent(id)}/related?limit=${limit}`, { signal });
}

/**
 * `POST /related` with the text exactly as pasted: the API parses it, so a bad draft gets the API's
 * own 400 message (naming `body` or the field at fault).
 * @param {string} text
 */
export function relatedForDraft(text, limit, signal) {
  return requestJson(`related?limit=${limit}`, { method: "POST", body: text, signal });
}
