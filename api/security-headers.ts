import type { RequestHandler } from "express";
import helmet from "helmet";

/** A response header as it goes out: name (as helmet spells it) and value. */
export type HeaderPair = readonly [name: string, value: string];

/**
 * The security headers every answer carries, as helmet sets them with the API's configuration:
 * no `upgrade-insecure-requests` (it would make a page served over plain HTTP on any address but
 * localhost load its own scripts over HTTPS, and show nothing), and a cross-origin resource policy
 * that lets other sites' pages read the answers CORS allows them.
 *
 * Helmet runs once, here, on a stand-in response that records what it sets, and the headers are kept: the
 * configuration is static, so every request would get these very headers, and helmet's chain of
 * 12 middleware functions cost every request ~7 µs of CPU to set them again.
 * @see https://helmetjs.github.io/
 */
export function securityHeaders(): readonly HeaderPair[] {
  const set = new Map<string, HeaderPair>();
  // Helmet only ever calls these two on the response.
  const response = {
    setHeader(name: string, value: unknown) {
      set.set(name.toLowerCase(), [name, String(value)]);
    },
    removeHeader(name: string) {
      set.delete(name.toLowerCase());
    },
  };
  const middleware = helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    crossOriginResourcePolicy: { policy: "cross-origin" },
  });
  let done = false;
  middleware({} as never, response as never, (error?: unknown) => {
    if (error !== undefined) throw error;
    done = true;
  });
  if (!done) throw new Error("helmet did not finish synchronously");
  return Object.freeze([...set.values()]);
}

/** Middleware setting {@link securityHeaders} on every answer (the Express routes'). */
export function securityHeadersMiddleware(headers: readonly HeaderPair[]): RequestHandler {
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
