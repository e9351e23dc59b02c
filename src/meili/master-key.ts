import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PostindexError } from "../errors.js";

/** File, inside the embedded server's folder, that keeps its master key between runs. */
export const MASTER_KEY_FILE = "master-key";

/** Meilisearch refuses master keys shorter than 16 bytes. */
const MIN_KEY_BYTES = 16;

/**
 * The embedded server's master key, kept in `${dir}/master-key` (mode 0600) so that a restart on
 * the same data reuses it (the keys derived from it, like the search key, stay valid). Generated
 * (32 random bytes, base64url) on first use.
 * @throws PostindexError `config_invalid` when the file holds something Meilisearch would refuse.
 */
export async function loadOrCreateMasterKey(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, MASTER_KEY_FILE);
  const existing = await readKey(path);
  if (existing !== undefined) return existing;
  const key = randomBytes(32).toString("base64url");
  try {
    await writeFile(path, `${key}\n`, { mode: 0o600, flag: "wx" });
    return key;
  } catch (error) {
    // Another process wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return (await readKey(path)) ?? key;
    throw error;
  }
}

async function readKey(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const key = text.trim();
  if (Buffer.byteLength(key) < MIN_KEY_BYTES) {
    throw new PostindexError("config_invalid", `${path} holds no usable master key (needs ${MIN_KEY_BYTES}+ bytes)`);
  }
  // Someone may have copied it with looser permissions.
  await chmod(path, 0o600);
  return key;
}
