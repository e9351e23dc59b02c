import { connectMeili, createLogger, type Logger, type MeiliConnection } from "../src/index.js";
import type { Config } from "./config.js";
import type { IndexerContext } from "../indexer/context.js";

/** A connected indexer: the context its commands take, and how to let go of it. */
export interface IndexerRuntime {
  readonly context: IndexerContext;
  readonly connection: MeiliConnection;
  close(): Promise<void>;
}

/**
 * Connects to Meilisearch as the configuration says (embedded unless `MEILI_URL`). `retryForMs`:
 * how long a command keeps retrying an unreachable server before it fails (exit 1); a watcher
 * passes `Infinity`.
 */
export async function openIndexer(
  config: Config,
  options: { retryForMs: number; log?: Logger },
): Promise<IndexerRuntime> {
  const log = options.log ?? loggerFor(config);
  const connection = await connectFromConfig(config, log);
  log.debug({ url: connection.url, mode: connection.mode, index: config.indexUid }, "connected to Meilisearch");
  const context: IndexerContext = {
    client: connection.client,
    indexUid: config.indexUid,
    dataDir: config.dataDir,
    log,
    retry: {
      retryForMs: options.retryForMs,
      onRetry: (error, attempt, delayMs) =>
        log.warn({ attempt, retryInMs: delayMs, reason: error.message }, "Meilisearch unreachable, retrying"),
    },
  };
  return { context, connection, close: () => connection.close() };
}

/** The Meilisearch the configuration names: `MEILI_URL` with `MEILI_MASTER_KEY`, else the embedded one. */
export function connectFromConfig(config: Config, log: Logger): Promise<MeiliConnection> {
  return connectMeili({
    url: config.meiliUrl,
    apiKey: config.meiliMasterKey,
    dataDir: config.dataDir,
    binPath: config.meiliBin,
    log,
  });
}

/**
 * The log of an entry point: readable lines when stderr is a terminal, JSON lines otherwise, at
 * `LOG_LEVEL` (default `info`). `quietOnTerminal`: at a terminal with no `LOG_LEVEL` set, warnings
 * only (the command prints its own summary).
 */
export function loggerFor(config: Config, options: { quietOnTerminal?: boolean } = {}): Logger {
  const isTerminal = process.stderr.isTTY;
  const level = config.logLevel ?? (options.quietOnTerminal && isTerminal ? "warn" : "info");
  return createLogger(level, { pretty: isTerminal });
}
