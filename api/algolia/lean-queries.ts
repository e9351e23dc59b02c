import type { IncomingMessage } from "node:http";
import { parse as parseQueryString } from "node:querystring";
import type { ApiContext } from "../context.js";
import { hasBody, type LeanExchange, type LeanKit, type LeanRoute } from "../lean-routes.js";
import { AlgoliaError, toAlgoliaError } from "./errors.js";
import { ALGOLIA_BODY_LIMIT_BYTES, parseJsonBody, QUERIES_PATH } from "./routes.js";
import { runMultiQuery, runSingleQuery } from "./search.js";

/**
 * The Algolia searches (`POST /1/indexes/*\/queries`, the multi-query every InstantSearch page
 * sends, and `POST /1/indexes/:index/query`) served before Express (see `lean-routes.ts`), with
 * what the Express routes in `routes.ts` answer, to the header: the public key check (403), the
 * body read as JSON whatever its content type (413 past the limit, 400 when it is not JSON),
 * Algolia-shaped errors, the security and CORS headers, `Cache-Control: no-store`, metrics and the
 * access log. Why: Express's pass over a request (its prototypes, router, middleware chain and
 * body parser) was a good part of the API's CPU per multi-query, on cores it shares with
 * Meilisearch. A request this route does not claim (another method or path, a body in another
 * charset or a compressed one, a path Express would decode differently) goes to Express.
 */

const SINGLE_PATH = /^\/1\/indexes\/([^/]+)\/query\/?$/i;

/** Whether Express's text body parser would read the body differently (a charset, a content encoding). */
function isPlainUtf8(req: IncomingMessage): boolean {
  const encoding = req.headers["content-encoding"];
  if (encoding !== undefined && encoding.toLowerCase() !== "identity") return false;
  const type = req.headers["content-type"];
  if (type === undefined) return true;
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(type)?.[1]?.toLowerCase();
  return charset === undefined || charset === "utf-8" || charset === "utf8";
}

/** The body as UTF-8 text (a BOM dropped, as the Express parser does). @throws AlgoliaError 413 past `limit` bytes */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = (): AlgoliaError => new AlgoliaError(413, `body must be at most ${limit} bytes`);
  if (!hasBody(req)) return Promise.resolve("");
  if (Number(req.headers["content-length"]) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer): void => {
      length += chunk.length;
      if (length > limit) {
        req.off("data", onData);
        // Whatever else comes is read and dropped, so the connection stays usable.
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => {
      const text = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length)).toString("utf8");
      resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    });
    req.once("error", reject);
  });
}

/** The credential `x-algolia-api-key`, from the headers or the query string (as `routes.ts` reads it off Express). */
function apiKey(req: IncomingMessage, url: string, queryAt: number): string | undefined {
  const header = req.headers["x-algolia-api-key"];
  if (typeof header === "string") return header;
  if (queryAt === -1) return undefined;
  const value = parseQueryString(url.slice(queryAt + 1))["x-algolia-api-key"];
  return typeof value === "string" ? value : undefined;
}

/** Options for {@link leanAlgoliaRoute}. */
export interface LeanAlgoliaOptions {
  /** When set, requests must carry this API key, else a 403. */
  readonly publicKey?: string | undefined;
}

/** The lean Algolia search routes over the API's context (see the module comment). */
export function leanAlgoliaRoute(context: ApiContext, kit: LeanKit, options: LeanAlgoliaOptions = {}): LeanRoute {
  const { client, indexUid } = context;
  const { requestTimeoutMs, retryAfterSeconds } = context.options;
  const { publicKey } = options;
  const fail = (exchange: LeanExchange, error: unknown): void => {
    if (exchange.res.headersSent) return;
    const answer = toAlgoliaError(error);
    const headers = kit.headersFor(exchange.req);
    headers.push("Cache-Control", "no-store");
    if (answer.retryAfter) headers.push("Retry-After", String(retryAfterSeconds));
    const body = Buffer.from(JSON.stringify({ message: answer.message, status: answer.status }), "utf8");
    // With an ETag, as Express's `res.json` answers the Express routes' errors.
    kit.send(exchange, answer.status, headers, body, { etag: true });
  };
  return (req, res) => {
    if (req.method !== "POST") return false;
    const url = req.url ?? "";
    const queryAt = url.indexOf("?");
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    let indexName: string | undefined;
    if (!QUERIES_PATH.test(path)) {
      const single = SINGLE_PATH.exec(path);
      if (single === null) return false;
      try {
        indexName = decodeURIComponent(single[1] as string);
      } catch {
        return false;
      }
    }
    if (!isPlainUtf8(req)) return false;
    const baseUrl = (req as { baseUrl?: unknown }).baseUrl;
    const exchange: LeanExchange = {
      req,
      res,
      path,
      route: `${typeof baseUrl === "string" ? baseUrl : ""}${indexName === undefined ? "/1/indexes/*/queries" : "/1/indexes/:index/query"}`,
      startedAt: performance.now(),
    };
    const answer = async (): Promise<void> => {
      try {
        if (publicKey !== undefined && apiKey(req, url, queryAt) !== publicKey)
          throw new AlgoliaError(403, "Invalid Application-ID or API key");
        const body = parseJsonBody(await readBody(req, ALGOLIA_BODY_LIMIT_BYTES));
        const aliases = context.aliases();
        const timeoutMs = Math.max(1, requestTimeoutMs - (performance.now() - exchange.startedAt));
        const bytes =
          indexName === undefined
            ? await runMultiQuery(client, indexUid, body, aliases, timeoutMs)
            : await runSingleQuery(client, indexUid, indexName, body, aliases, timeoutMs);
        const headers = kit.headersFor(req);
        headers.push("Cache-Control", "no-store");
        kit.send(exchange, 200, headers, bytes, { etag: false });
      } catch (error) {
        fail(exchange, error);
      }
    };
    answer().catch((error: unknown) => {
      context.log.error({ err: error, path }, "answering an Algolia search failed");
      res.destroy();
    });
    return true;
  };
}
