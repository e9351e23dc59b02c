import type { Logger } from "pino";
import type { MeiliClient } from "../src/index.js";
import type { RetryOptions } from "./retry.js";

/** What every indexer command works with: one index of one Meilisearch, a log, the lock folder. */
export interface IndexerContext {
  readonly client: MeiliClient;
  readonly indexUid: string;
  /** Where the write lock lives (`POSTINDEX_DATA_DIR`). */
  readonly dataDir: string;
  readonly log: Logger;
  /** Backoff while Meilisearch is unreachable: bounded for commands, unbounded for the watcher. */
  readonly retry: RetryOptions;
}
