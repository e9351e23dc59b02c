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

/**
 * Writes `{}` at each path (its segments) under `root`, for property tests over folder trees: a
 * path that names a file or folder already there, or runs through a file, is skipped.
 * @returns the files written, `/`-separated
 */
export async function writeFileTree(root: string, paths: readonly (readonly string[])[]): Promise<Set<string>> {
  const files = new Set<string>();
  const folders = new Set<string>();
  for (const parts of paths) {
    const file = parts.join("/");
    const prefixes = parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
    if (folders.has(file) || files.has(file) || prefixes.some((prefix) => files.has(prefix))) continue;
    await mkdir(path.join(root, ...parts.slice(0, -1)), { recursive: true });
    await writeFile(path.join(root, file), "{}");
    files.add(file);
    for (const prefix of prefixes) folders.add(prefix);
  }
  return files;
}

/** NDJSON text of the given records, one per line. */
export function ndjson(...records: unknown[]): string {
  return records.map((record) => JSON.stringify(record)).join("\n") + "\n";
}
