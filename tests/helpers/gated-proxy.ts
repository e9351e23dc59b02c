import { once } from "node:events";
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Which requests a {@link GatedProxy} holds back: `POST /swap-indexes` → true. */
export type HoldRule = (method: string, path: string) => boolean;

/**
 * A real HTTP proxy in front of Meilisearch that holds back the requests a test names, so that a
 * fault (a kill, a restart) lands at an exact point of the indexer's work instead of whenever a
 * race puts it: a held request is neither forwarded nor answered until {@link GatedProxy.release}.
 */
export interface GatedProxy {
  /** `http://127.0.0.1:PORT`: give it to the client under test instead of Meilisearch's URL. */
  readonly url: string;
  /** Resolves once a request matching the rule is held (with its method and path). */
  readonly firstHeld: Promise<string>;
  /** Every request received, held or not, in arrival order: `METHOD /path` (no query). */
  readonly requests: readonly string[];
  /**
   * Stops holding: every held request's connection is dropped (as a server that died mid-request
   * would), so the client retries it; later requests go through.
   */
  release(): void;
  close(): Promise<void>;
}

/** Starts a {@link GatedProxy} to `target` (Meilisearch's URL) on a free port of 127.0.0.1. */
export async function startGatedProxy(target: string, holds: HoldRule): Promise<GatedProxy> {
  const held: ServerResponse[] = [];
  const requests: string[] = [];
  let isHolding = true;
  let markHeld: (what: string) => void = () => {};
  const firstHeld = new Promise<string>((done) => (markHeld = done));
  const server = createServer((incoming: IncomingMessage, answer: ServerResponse) => {
    const path = incoming.url ?? "/";
    const method = incoming.method ?? "GET";
    const pathOnly = path.split("?")[0] ?? path;
    requests.push(`${method} ${pathOnly}`);
    if (isHolding && holds(method, pathOnly)) {
      held.push(answer);
      markHeld(`${method} ${path}`);
      return;
    }
    const upstream = request(new URL(path, target), { method, headers: incoming.headers }, (response) => {
      answer.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(answer);
      // Killed mid-answer: the client sees the connection dropped too.
      response.on("close", () => response.complete || answer.socket?.destroy());
    });
    // Meilisearch unreachable (killed): the client sees its connection dropped, as it would without the proxy.
    upstream.on("error", () => answer.socket?.destroy());
    incoming.pipe(upstream);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const release = (): void => {
    isHolding = false;
    for (const answer of held.splice(0)) answer.socket?.destroy();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    firstHeld,
    requests,
    release,
    async close() {
      release();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
