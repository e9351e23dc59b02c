import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Express } from "express";

/** A listening API. */
export interface RunningServer {
  /** `http://HOST:PORT` (the real port when 0 was asked for). */
  readonly url: string;
  readonly server: Server;
  /** Stops accepting connections, lets in-flight requests finish (at most `graceMs`), then closes every socket. */
  close(): Promise<void>;
}

/** Options for {@link startServer}. */
export interface StartServerOptions {
  /** Interface to listen on. @default all interfaces */
  readonly host?: string;
  /** How long `close()` waits for in-flight requests. @default 5000 */
  readonly graceMs?: number;
}

/**
 * Listens on `port` (0: any free port). Keep-alive outlives common proxies' idle timeouts (a CDN
 * reusing a socket the server just closed gets a reset), and slow clients are cut off.
 */
export async function startServer(
  app: Express,
  port: number,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const server = options.host === undefined ? app.listen(port) : app.listen(port, options.host);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  await once(server, "listening");
  const address = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    close() {
      closing ??= closeServer(server, options.graceMs ?? 5_000);
      return closing;
    },
  };
}

async function closeServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((done) => server.close(() => done()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), graceMs);
  force.unref();
  await closed;
  clearTimeout(force);
}
