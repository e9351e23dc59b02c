/**
 * A count that grows whenever this process has the kernel read from the disk: `getrusage`'s block
 * input operations (`process.resourceUsage().fsRead`, ~1.4 µs a call), counted for all its
 * threads. A read served from the page cache does not move it, however long a busy machine makes
 * the read take; 0 for good where the system does not count them.
 */
export type DiskReadCounter = () => number;

const processDiskReads: DiskReadCounter = () => process.resourceUsage().fsRead;

/** The least growth of a sample that counts, however few its items (one large export: a sample of one file). */
const MIN_BLOCKS_PER_SAMPLE = 32;
/** Samples in a row that must find the count grown: one alone may be a module loaded late. */
const GROWN_SAMPLES_IN_A_ROW = 2;

/**
 * Tells, from samples of a {@link DiskReadCounter} taken as a scan goes on, whether the scan
 * reads from the disk (the page cache has dropped the folder): the count grew by at least
 * `blocksPerItem` for each file or folder read since the sample before, at every one of the last
 * {@link GROWN_SAMPLES_IN_A_ROW} samples. Not at any growth: with the files cached, their inodes
 * may still be read from the disk now and then (a warm reindex of 20,000 files: ~0.15 blocks a
 * file, every sample), where a file read from the disk costs a page (8 blocks of 512 bytes; ~8.7
 * measured) and a folder as much (8.2 measured), more for a large one.
 */
export class DiskReadWatch {
  readonly #count: DiskReadCounter;
  readonly #blocksPerItem: number;
  #last: number;
  #grownInARow = 0;

  constructor(blocksPerItem: number, count: DiskReadCounter = processDiskReads) {
    this.#count = count;
    this.#blocksPerItem = blocksPerItem;
    this.#last = count();
  }

  /** Takes a sample after `items` files or folders were read: whether they came from the disk. */
  sample(items: number): boolean {
    const now = this.#count();
    const least = Math.max(MIN_BLOCKS_PER_SAMPLE, items * this.#blocksPerItem);
    this.#grownInARow = now - this.#last >= least ? this.#grownInARow + 1 : 0;
    this.#last = now;
    return this.#grownInARow >= GROWN_SAMPLES_IN_A_ROW;
  }
}
