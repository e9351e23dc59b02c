import { createMeiliClient, PostindexError, type Logger, type MeiliClient } from "../src/index.js";
import { createApp } from "./app.js";
import { resolveApiOptions, type ApiOptions } from "./options.js";
import { LiveRelatedIndex } from "./related-refresher.js";
import { startServer, type RunningServer } from "./server.js";

/**
 * What the API's key may do: search (`/search`, `GET /posts/:id`), and read documents and index
 * stats, which the related-posts index loads and refreshes itself from. Nothing that writes, no
 * settings, no tasks, no keys.
 */
export const API_KEY_ACTIONS = ["search", "documents.get", "stats.get"] as const;

/** Options for {@link startApi}. */
export interface StartApiOptions {
  /** `indexUid` is the live index; `port` the default port. */
  readonly config: { readonly indexUid: string; readonly port: number };
  /**
   * A client with the admin or master key: used once, to find or create the API's search key (and
   * for Meilisearch's URL). Not needed with `searchKey` and `meiliUrl`.
   */
  readonly adminClient?: MeiliClient;
  /** A search key to use as it is (`MEILI_SEARCH_KEY`), so this process never needs the admin key. */
  readonly searchKey?: string;
  /** Meilisearch's URL. @default adminClient.url */
  readonly meiliUrl?: string;
  readonly log: Logger;
  /** Port to listen on (0: any free port). @default config.port */
  readonly port?: number;
  /** Interface to listen on. @default all interfaces */
  readonly host?: string;
  /** See {@link ApiOptions}; the command line passes what the environment sets (`Config.api`). */
  readonly options?: Partial<ApiOptions>;
}

/** A running API; `close()` stops the server and closes the API's own Meilisearch client (not the admin one). */
export interface RunningApi extends RunningServer {
  /** The API's client (read-only key). */
  readonly searchClient: MeiliClient;
}

/**
 * Starts the HTTP API, and the loading of its related-posts index, with a key that may only read
 * ({@link API_KEY_ACTIONS}) `indexUid` and `indexUid_next` (so it keeps
 * working across a reindex's swap): `searchKey` when given, else found or created with the admin
 * client, which is not kept. A server without a master key needs no key; the API then uses none.
 * Each Meilisearch request is bounded by `requestTimeoutMs`.
 * @throws MeiliUnavailableError when Meilisearch cannot be reached to look the key up
 * @throws PostindexError `config_invalid` with neither `adminClient` nor `searchKey` and `meiliUrl`
 */
export async function startApi(options: StartApiOptions): Promise<RunningApi> {
  const { config, adminClient, log } = options;
  const apiOptions = resolveApiOptions(options.options);
  const url = options.meiliUrl ?? adminClient?.url;
  if (url === undefined || (options.searchKey === undefined && adminClient === undefined)) {
    throw new PostindexError("config_invalid", "the API needs an admin client, or a search key and Meilisearch's URL");
  }
  const indexes = [config.indexUid, `${config.indexUid}_next`];
  const apiKey =
    options.searchKey ?? (await adminClient?.getSearchKey({ indexes, actions: API_KEY_ACTIONS })) ?? undefined;
  const searchClient = createMeiliClient({ url, apiKey, timeoutMs: apiOptions.requestTimeoutMs });
  try {
    const related = new LiveRelatedIndex({ client: searchClient, indexUid: config.indexUid, log });
    related.start();
    const app = createApp({ client: searchClient, indexUid: config.indexUid, log, options: apiOptions, related });
    const running = await startServer(
      app,
      options.port ?? config.port,
      options.host === undefined ? {} : { host: options.host },
    ).catch(async (error: unknown) => {
      await related.close();
      throw error;
    });
    log.info({ url: running.url, index: config.indexUid }, "API listening");
    return {
      ...running,
      searchClient,
      async close() {
        await running.close();
        await related.close();
        await searchClient.close();
      },
    };
  } catch (error) {
    await searchClient.close();
    throw error;
  }
}
