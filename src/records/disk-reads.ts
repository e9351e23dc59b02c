/**
 * A count that grows whenever this process has the kernel read from the disk: `getrusage`'s block
 * input operations (`process.resourceUsage().fsRead`, ~1.4 µs a call), counted for all its
 * threads. A read served from the page cache does not move it, however long a busy machine makes
 * the read take; 0 for good where the system does not count them.
 */
export type DiskReadCounter = () => number;

const processDiskReads: DiskReadCounter = () => process.resourceUsage().fsRead;

/** Samples in a row that must find the count grown: one alone may be a module loaded late. */
const GROWN_SAMPLES_IN_A_ROW = 2;

/**
 * Tells, from samples of a {@link DiskReadCounter} taken as a scan goes on, whether the scan
 * reads from the disk (the page cache has dropped the folder): the count grew at every one of the
 * last {@link GROWN_SAMPLES_IN_A_ROW} samples.
 */
export class DiskReadWatch {
  readonly #count: DiskReadCounter;
  #last: number;
  #grownInARow = 0;

  constructor(count: DiskReadCounter = processDiskReads) {
    this.#count = count;
    this.#last = count();
  }

  /** Takes a sample: whether the work since the samples before read from the disk. */
  sample(): boolean {
    const now = this.#count();
    this.#grownInARow = now > this.#last ? this.#grownInARow + 1 : 0;
    this.#last = now;
    return this.#grownInARow >= GROWN_SAMPLES_IN_A_ROW;
  }
}
