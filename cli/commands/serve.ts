import { API_KEY_ACTIONS, startApi, type RunningApi } from "../../api/index.js";
import type { MeiliConnection } from "../../src/index.js";
import type { Config } from "../config.js";
import { connectFromConfig, loggerFor } from "../runtime.js";
import { EXIT } from "../options.js";
import { untilSignal } from "../signals.js";

/**
 * `postindex serve`: the HTTP API until SIGINT/SIGTERM (in-flight requests finish). With
 * `MEILI_URL` and `MEILI_SEARCH_KEY` the process never holds an admin key; otherwise the search
 * key is found or created with `MEILI_MASTER_KEY` (or the embedded server's key).
 */
export async function runServe(config: Config, options: { port?: number }): Promise<number> {
  const log = loggerFor(config);
  const port = options.port ?? config.port;
  let connection: MeiliConnection | undefined;
  let api: RunningApi;
  if (config.meiliUrl !== undefined && config.meiliSearchKey !== undefined) {
    api = await startApi({
      config,
      log,
      port,
      options: config.api,
      searchKey: config.meiliSearchKey,
      meiliUrl: config.meiliUrl,
    });
  } else {
    connection = await connectFromConfig(config, log);
    api = await startApi({ config, log, port, options: config.api, adminClient: connection.client });
  }
  process.stdout.write(`postindex API on ${api.url} (index "${config.indexUid}")\n`);
  await untilSignal();
  await api.close();
  await connection?.close();
  return EXIT.ok;
}

/** `postindex search-key`: prints the search-only key the API uses (for `MEILI_SEARCH_KEY`). */
export async function runSearchKey(config: Config): Promise<number> {
  const connection = await connectFromConfig(config, loggerFor(config));
  try {
    const key = await connection.client.getSearchKey({
      indexes: [config.indexUid, `${config.indexUid}_next`],
      actions: API_KEY_ACTIONS,
    });
    if (key === null) {
      process.stderr.write("postindex search-key: this Meilisearch has no master key, so no key is needed\n");
      return EXIT.failed;
    }
    process.stdout.write(`${key}\n`);
    return EXIT.ok;
  } finally {
    await connection.close();
  }
}
