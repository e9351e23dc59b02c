import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh, empty folder under the OS temp dir (`postindex-<label>-XXXXXX`). */
export async function makeTempDir(label = "test"): Promise<string> {
  return mkdtemp(join(tmpdir(), `postindex-${label}-`));
}

/** Removes a folder made by {@link makeTempDir}, with everything in it; a missing folder is fine. */
export async function removeTempDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true, maxRetries: 3 });
}
