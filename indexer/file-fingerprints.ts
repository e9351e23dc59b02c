import { statSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { EventLoopSlices, fileStamp, findRecordFiles } from "../src/index.js";

/** Relative path → `mtime:size` of every record file: what tells a catch-up pass which files changed. */
export type FileFingerprints = Map<string, string>;

/**
 * The fingerprint of every record file under `dir` now. `stat` is called synchronously, in slices
 * that let the event loop turn: on a folder of 10,000 files that is ~30 ms, where one awaited
 * `stat` after another took ~0.8 s.
 */
export async function fingerprintFiles(dir: string): Promise<FileFingerprints> {
  const { files } = await findRecordFiles(dir);
  const fingerprints: FileFingerprints = new Map();
  const slices = new EventLoopSlices();
  for (const file of files) {
    const print = stampNow(`${dir}/${file}`);
    if (print !== undefined) fingerprints.set(file, print);
    if (slices.due()) await slices.pause();
  }
  return fingerprints;
}

function stampNow(absolute: string): string | undefined {
  try {
    const info = statSync(absolute, { throwIfNoEntry: false });
    return info === undefined ? undefined : fileStamp(info);
  } catch {
    return undefined;
  }
}

/** `mtime:size` of one file, undefined when it does not exist. */
export async function fingerprintFile(dir: string, file: string): Promise<string | undefined> {
  const info = await stat(path.join(dir, file)).catch(() => undefined);
  return info ? fileStamp(info) : undefined;
}

/** Files added, removed or modified between two fingerprints. */
export function changedFiles(before: FileFingerprints, after: FileFingerprints): string[] {
  const changed = new Set<string>();
  for (const [file, print] of after) if (before.get(file) !== print) changed.add(file);
  for (const file of before.keys()) if (!after.has(file)) changed.add(file);
  return [...changed];
}
