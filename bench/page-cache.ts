import { writeFile } from "node:fs/promises";

/**
 * Drops the kernel's page cache (clean pages only: `echo 1 > /proc/sys/vm/drop_caches`), so the
 * next run reads the corpus from the disk, as a first run over a folder nobody has read for a
 * while does (these VMs also page out what was not touched for a minute). Needs root.
 * @returns whether it could
 */
export async function dropPageCache(): Promise<boolean> {
  try {
    await writeFile("/proc/sys/vm/drop_caches", "1");
    return true;
  } catch {
    return false;
  }
}
