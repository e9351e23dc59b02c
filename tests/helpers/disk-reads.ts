import type { DiskReadCounter } from "../../src/records/disk-reads.js";

/** A block-read count that grows at every sample, by more than any sample's files or folders can be cached for. */
export function readsFromDiskEverySample(): DiskReadCounter {
  let reads = 0;
  return () => (reads += 1_000_000);
}

/** A block-read count that grows a little at every sample: the files cached, an inode read from the disk now and then. */
export function aTrickleOfDiskReads(): DiskReadCounter {
  let reads = 0;
  return () => (reads += 3);
}

/** A block-read count that never grows: everything was served from the page cache. */
export const noReadsFromDisk: DiskReadCounter = () => 0;
