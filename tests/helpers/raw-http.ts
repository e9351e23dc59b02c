import { request as httpRequest, type IncomingHttpHeaders } from "node:http";

/** An answer as it came over the wire. */
export interface RawAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * Sends one request byte for byte: the path as given (no client-side normalising or encoding of
 * the URL) and the body as given (a Buffer is not serialised), as a hostile client can.
 */
export function rawRequest(
  base: string,
  method: string,
  path: string,
  options: { readonly headers?: Record<string, string>; readonly body?: string | Buffer } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  const { body } = options;
  const headers = {
    ...options.headers,
    ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }),
  };
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
