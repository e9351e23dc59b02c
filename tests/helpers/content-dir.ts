import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { onTestFinished } from "vitest";

/**
 * A real temp content folder holding `files` (relative path → text or bytes), removed when the
 * test finishes.
 */
export async function makeContentDir(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "postindex-content-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await writeContentFiles(dir, files);
  return dir;
}

export async function writeContentFiles(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const absolute = path.join(dir, relative);
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
  }
}

/** NDJSON text of the given records, one per line. */
export function ndjson(...records: unknown[]): string {
  return records.map((record) => JSON.stringify(record)).join("\n") + "\n";
}
