import { createHash } from "node:crypto";
import type { Meilisearch } from "./client.js";
import { meiliErrorCode, toMeiliError } from "./errors.js";

/** Scope of a key made by {@link findOrCreateKey}. */
export interface SearchKeyOptions {
  /** Index uids or patterns (`articles*`) the key may reach. */
  readonly indexes: readonly string[];
  /**
   * What the key may do.
   * @default ["search"]
   */
  readonly actions?: readonly string[];
}

/**
 * Finds or creates a Meilisearch API key with exactly this scope and no expiry.
 * The key's uid is derived from the scope (a name-based UUID), so every process and every restart
 * finds the same key instead of creating another, and two processes racing to create it agree.
 * The key's value is derived by Meilisearch from the uid and the master key, so it is stable too.
 * @returns the key, or `null` when the server has no master key (no key is needed then).
 * @see https://www.meilisearch.com/docs/reference/api/keys
 */
export async function findOrCreateKey(raw: Meilisearch, options: SearchKeyOptions): Promise<string | null> {
  const actions = [...(options.actions ?? ["search"])].sort();
  const indexes = [...options.indexes].sort();
  const uid = uuidFrom(JSON.stringify({ actions, indexes }));
  try {
    return (await raw.getKey(uid)).key;
  } catch (error) {
    if (meiliErrorCode(error) === "missing_master_key") return null;
    if (meiliErrorCode(error) !== "api_key_not_found") throw toMeiliError(error, "reading the search key");
  }
  const description = `postindex: ${actions.join(", ")} on ${indexes.join(", ")}`;
  try {
    return (await raw.createKey({ uid, name: "postindex search", description, actions, indexes, expiresAt: null })).key;
  } catch (error) {
    // Another process created it between our read and our write.
    if (meiliErrorCode(error) === "api_key_already_exists") return (await raw.getKey(uid)).key;
    throw toMeiliError(error, "creating the search key");
  }
}

/** A UUID (version 4 layout, as Meilisearch requires) derived from `text`. */
function uuidFrom(text: string): string {
  const bytes = createHash("sha256").update(text).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
