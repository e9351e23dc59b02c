import { pino } from "pino";
import { createApp, startServer, API_KEY_ACTIONS, type ApiOptions, type RunningServer } from "../../api/index.js";
import { createMeiliClient, type Logger, type MeiliClient } from "../../src/index.js";
import type { MeiliHandle } from "./start-meili.js";

/** A logger that writes nothing (tests assert on answers, not logs). */
export function silentLog(): Logger {
  return pino({ level: "silent" });
}

/** A client holding the API's own key (search only, on `uid` and `uid_next`), like `startApi` makes. */
export async function apiClientFor(meili: MeiliHandle, uid: string, timeoutMs = 2_000): Promise<MeiliClient> {
  const apiKey = await meili.client.getSearchKey({ indexes: [uid, `${uid}_next`], actions: API_KEY_ACTIONS });
  return createMeiliClient({ url: meili.url, apiKey: apiKey ?? undefined, timeoutMs });
}

/** The API over index `uid`, with the API's key; `close()` closes its client. */
export async function testApp(meili: MeiliHandle, uid: string, options: Partial<ApiOptions> = {}) {
  const client = await apiClientFor(meili, uid);
  const app = createApp({ client, indexUid: uid, log: silentLog(), options });
  return { app, client, close: () => client.close() };
}

/**
 * The API over index `uid` listening twice, as the Algolia tests need it: `open` allows the browser
 * origin `origin` (CORS) and takes any Algolia key, `keyed` requires the public key `key`.
 * `close()` closes both and their client.
 */
export async function algoliaServers(meili: MeiliHandle, uid: string, origin: string, key: string) {
  const client = await apiClientFor(meili, uid);
  const log = silentLog();
  const listen = (options: Partial<ApiOptions>): Promise<RunningServer> =>
    startServer(createApp({ client, indexUid: uid, log, options }), 0, { host: "127.0.0.1" });
  const open = await listen({ corsOrigins: [origin] });
  const keyed = await listen({ algoliaApiKey: key });
  return {
    open,
    keyed,
    async close(): Promise<void> {
      await open.close();
      await keyed.close();
      await client.close();
    },
  };
}
