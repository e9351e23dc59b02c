import { STATUS_CODES } from "node:http";
import { createRequire } from "node:module";
import { Readable } from "node:stream";
import type { Agent as UndiciAgent, Dispatcher, request as undiciRequest } from "undici";
import { MeiliUnavailableError } from "../errors.js";
import { tryParseJson } from "../text/parse-json.js";

// undici's agent and its `request`, from their own modules: the package's index also loads fetch,
// WebSocket, EventSource, the cache and mock agents and more (~130 ms of every command's start-up
// here, ~40 ms this way). The package declares no `exports`, so these paths are its public files;
// the meilisearch-client tests run every request through them.
const requireCjs = createRequire(import.meta.url);
const Agent = requireCjs("undici/lib/dispatcher/agent") as typeof UndiciAgent;
const dispatchRequest = requireCjs("undici/lib/api/api-request") as (
  this: Dispatcher,
  options: Dispatcher.RequestOptions,
) => ReturnType<typeof undiciRequest>;

/**
 * The transport behind the Meilisearch client: undici's `request` over a keep-alive {@link Agent}.
 *
 * Why: Node's global `fetch` (the client's default) can cost ~40 ms per POST (Nagle + delayed ACK
 * when headers and body go out separately), and even without that it is slower: on Node 20.20 against
 * the embedded server, a search POST takes ~1.7 ms with `fetch` and ~0.7 ms here. It also asks for
 * gzip, which only costs CPU on a loopback connection.
 *
 * The client calls this function as `httpClient(url, init)` and returns whatever it resolves to, so it
 * must resolve to the parsed JSON body and throw on HTTP errors itself.
 * @see https://github.com/meilisearch/meilisearch-js/issues/1824 (the `httpClient` contract)
 */

/** Options for {@link createHttpClient}. */
export interface HttpClientOptions {
  /**
   * Per request: how long to wait to connect, for the response headers, and between body chunks.
   * @default 5000
   */
  readonly timeoutMs?: number;
  /**
   * Sockets kept open to the server.
   * @default 16
   */
  readonly connections?: number;
  /**
   * Requests in flight per socket (1 = no HTTP pipelining; Meilisearch answers in order anyway).
   * @default 1
   */
  readonly pipelining?: number;
  /**
   * Builds the error thrown for a non-2xx answer, from a body-less `Response` (status, headers) and
   * the parsed JSON body (Meilisearch's `{message, code, type, link}`, or `undefined`).
   * `client.ts` passes the client's own `MeilisearchApiError` so errors look as if `fetch` had been used.
   * @default an `Error` with Meilisearch's message and the body as `cause`
   */
  readonly createApiError?: (response: Response, body: unknown) => Error;
}

/** Where and what {@link MeiliHttpClient.postBytes} sends. */
export interface BytesRequest {
  /** `http://host:port` */
  readonly origin: string;
  /** Path and query, e.g. `/indexes/articles/search`. */
  readonly path: string;
  /** Request headers as they go out (lower-case names): built once by the caller, not per request. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The body: JSON text, or bytes as they are to go out (an NDJSON batch: sending a Buffer costs
   * a third of the CPU of sending the same text, which must be encoded on the way to the socket).
   */
  readonly body: string | Buffer;
  /**
   * The longest the answer may take from now, to its last byte; then the request is aborted and
   * the promise rejects with a {@link MeiliUnavailableError}, on time (a timer of its own, where
   * undici's timeouts above one second run on a coarse half-second clock).
   * @default the client's `timeoutMs`
   */
  readonly timeoutMs?: number;
}

/** A function usable as the meilisearch client's `httpClient` option, plus `close()` for its sockets. */
export type MeiliHttpClient = ((input: string | URL | Request, init?: RequestInit) => Promise<unknown>) & {
  /**
   * POSTs `request` over the same sockets and resolves with the raw body of a 2xx answer: no
   * `Headers`, `URL`, stream or string decoding on the way (the API's searches, which splice the
   * bytes). A non-2xx answer rejects with `createApiError`, a transport failure or the timeout
   * with a {@link MeiliUnavailableError}.
   */
  postBytes(request: BytesRequest): Promise<Buffer>;
  /** Closes the pooled sockets; in-flight requests finish first. */
  close(): Promise<void>;
};

const DEFAULTS = { timeoutMs: 5_000, connections: 16, pipelining: 1 } as const;

/** Error codes (Node's and undici's) that mean "the server cannot be reached right now". */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_SOCKET",
]);

/** Names of errors that are already "unavailable" (ours, and the client's own request timeout). */
const UNAVAILABLE_NAMES = new Set(["MeiliUnavailableError", "MeilisearchRequestTimeOutError"]);

/** Content types Meilisearch streams (task documents, chat completions): handed over as a web stream. */
const STREAMED_TYPES = ["application/x-ndjson", "text/event-stream"];

/**
 * Creates the keep-alive transport for the meilisearch client.
 * Connection failures and timeouts are thrown as {@link MeiliUnavailableError}; an aborted request
 * rejects with the signal's reason (the client relies on that to recognise its own timeouts).
 */
export function createHttpClient(options: HttpClientOptions = {}): MeiliHttpClient {
  const { timeoutMs, connections, pipelining } = { ...DEFAULTS, ...options };
  const createApiError = options.createApiError ?? defaultApiError;
  const agent = new Agent({
    connections,
    pipelining,
    keepAliveTimeout: 4_000,
    connect: { timeout: timeoutMs },
  });

  async function send(input: string | URL | Request, init: RequestInit = {}): Promise<unknown> {
    const url = input instanceof Request ? input.url : input.toString();
    const signal = init.signal ?? undefined;
    let response: Awaited<ReturnType<typeof undiciRequest>>;
    try {
      const target = new URL(url);
      response = await dispatchRequest.call(agent, {
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: (init.method ?? "GET") as Dispatcher.HttpMethod,
        headers: Object.fromEntries(new Headers(init.headers)),
        body: toBody(init.body),
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (error) {
      throw transportError(error, url, signal);
    }
    const { statusCode, headers, body } = response;
    const contentType = String(headers["content-type"] ?? "");
    if (statusCode < 300 && STREAMED_TYPES.some((type) => contentType.startsWith(type))) {
      return Readable.toWeb(body);
    }
    let text: string;
    try {
      text = await body.text();
    } catch (error) {
      throw transportError(error, url, signal);
    }
    if (statusCode >= 200 && statusCode < 300) return text === "" ? undefined : JSON.parse(text);
    const status = { status: statusCode, statusText: STATUS_CODES[statusCode] ?? "", headers: toHeaders(headers) };
    throw createApiError(new Response(null, status), parseJsonOrUndefined(text));
  }

  function postBytes(outgoing: BytesRequest): Promise<Buffer> {
    const limitMs = outgoing.timeoutMs ?? timeoutMs;
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let statusCode = 0;
      let responseHeaders: Record<string, string | string[] | undefined> = {};
      let controller: Dispatcher.DispatchController | undefined;
      let settled = false;
      const settle = (error: unknown, bytes?: Buffer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error === undefined) resolve(bytes as Buffer);
        else reject(error);
      };
      const timer = setTimeout(() => {
        const error = new MeiliUnavailableError(
          `Meilisearch at ${outgoing.origin} did not answer within ${limitMs} ms`,
        );
        settle(error);
        controller?.abort(error);
      }, limitMs);
      agent.dispatch(
        {
          origin: outgoing.origin,
          path: outgoing.path,
          method: "POST",
          headers: outgoing.headers,
          body: outgoing.body,
          headersTimeout: limitMs,
          bodyTimeout: limitMs,
        },
        {
          onRequestStart(started) {
            controller = started;
            if (settled) started.abort(new MeiliUnavailableError("the request was given up"));
          },
          onResponseStart(_controller, status, headers) {
            statusCode = status;
            if (status >= 300) responseHeaders = headers;
          },
          onResponseData(_controller, chunk) {
            chunks.push(chunk);
          },
          onResponseEnd() {
            const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
            if (statusCode >= 200 && statusCode < 300) return settle(undefined, bytes);
            const status = {
              status: statusCode,
              statusText: STATUS_CODES[statusCode] ?? "",
              headers: toHeaders(responseHeaders),
            };
            settle(createApiError(new Response(null, status), parseJsonOrUndefined(bytes.toString("utf8"))));
          },
          onResponseError(_controller, error) {
            settle(transportError(error, `${outgoing.origin}${outgoing.path}`, undefined));
          },
        },
      );
    });
  }

  return Object.assign(send, { postBytes, close: () => agent.close() });
}

/**
 * Whether `error` (or anything in its `cause` chain) means Meilisearch could not be reached:
 * connection refused or reset, a timeout, a socket closed mid-answer.
 * Works on raw errors from the meilisearch client too (it wraps transport errors in `MeilisearchRequestError`).
 */
export function isUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current != null && depth < 10; depth += 1) {
    if (typeof current !== "object") return false;
    const { name, code } = current as { name?: unknown; code?: unknown };
    if (typeof name === "string" && UNAVAILABLE_NAMES.has(name)) return true;
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function transportError(error: unknown, url: string, signal: AbortSignal | undefined): unknown {
  // The client aborts with its own sentinel reasons and checks for them by identity.
  if (signal?.aborted) return signal.reason;
  if (!isUnavailable(error)) return error;
  const detail = (error as { code?: string }).code ?? (error as Error).message;
  return new MeiliUnavailableError(`Meilisearch at ${new URL(url).origin} is unreachable (${detail})`, {
    cause: error,
  });
}

function toBody(body: RequestInit["body"]): string | Uint8Array | undefined {
  if (body == null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  throw new TypeError("the Meilisearch http client only sends string or Uint8Array bodies");
}

function toHeaders(headers: Record<string, string | string[] | undefined>): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) result.append(name, item);
  }
  return result;
}

/** An error answer's JSON body, or undefined when it has none. */
function parseJsonOrUndefined(text: string): unknown {
  const read = tryParseJson(text);
  return "value" in read ? read.value : undefined;
}

function defaultApiError(response: Response, body: unknown): Error {
  const message = (body as { message?: unknown } | undefined)?.message;
  return new Error(typeof message === "string" ? message : `${response.status}: ${response.statusText}`, {
    cause: body,
  });
}
