import { stat } from "node:fs/promises";
import path from "node:path";
import { findRecordFiles } from "../src/index.js";

/** Relative path → `mtime:size` of every record file: what tells a catch-up pass which files changed. */
export type FileFingerprints = Map<string, string>;

export async function fingerprintFiles(dir: string): Promise<FileFingerprints> {
  const { files } = await findRecordFiles(dir);
  const fingerprints: FileFingerprints = new Map();
  for (const file of files) {
    const print = await fingerprintFile(dir, file);
    if (print !== undefined) fingerprints.set(file, print);
  }
  return fingerprints;
}

/** `mtime:size` of one file, undefined when it does not exist. */
export async function fingerprintFile(dir: string, file: string): Promise<string | undefined> {
  const info = await stat(path.join(dir, file)).catch(() => undefined);
  return info ? `${info.mtimeMs}:${info.size}` : undefined;
}

/** Files added, removed or modified between two fingerprints. */
export function changedFiles(before: FileFingerprints, after: FileFingerprints): string[] {
  const changed = new Set<string>();
  for (const [file, print] of after) if (before.get(file) !== print) changed.add(file);
  for (const file of before.keys()) if (!after.has(file)) changed.add(file);
  return [...changed];
}
