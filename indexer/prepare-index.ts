import { applySettings, verifySettings } from "../src/index.js";
import type { IndexerContext } from "./context.js";
import { retryWhileUnavailable } from "./retry.js";

/**
 * Makes sure index `uid` exists with postindex's settings, read back and verified. Settings that
 * are already in place make a task Meilisearch finishes at once.
 */
export async function prepareIndex(context: IndexerContext, uid: string): Promise<void> {
  const { client, retry } = context;
  await retryWhileUnavailable(async () => {
    await client.ensureIndex(uid, { timeoutMs: 60_000 });
    await applySettings(client, uid);
    await verifySettings(client, uid);
  }, retry);
}
