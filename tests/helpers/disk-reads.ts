import type { DiskReadCounter } from "../../src/records/disk-reads.js";

/** A block-read count that grows at every sample: every folder or file read came from the disk. */
export function readsFromDiskEverySample(): DiskReadCounter {
  let reads = 0;
  return () => (reads += 8);
}

/** A block-read count that never grows: everything was served from the page cache. */
export const noReadsFromDisk: DiskReadCounter = () => 0;
