import { pino } from "pino";
import { createApp, API_KEY_ACTIONS, type ApiOptions } from "../../api/index.js";
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
