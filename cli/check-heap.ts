import { setFlagsFromString } from "node:v8";

/**
 * Past this many records a `check` has long finished warming up, and what it makes from then on is
 * garbage at a steady rate on both threads (file text, parsed records, zod's results).
 */
const LARGE_CHECK_RECORDS = 30_000;
/**
 * By default V8 lets each heap grow to up to four times what survived the last full collection
 * before collecting again: a 100,000-record `check` peaked at 300–350 MB, two thirds of it
 * garbage (what the report keeps is ~35 MB). Collecting at 1.5× kept it at ~255 MB in the same
 * time. Set from the start instead, the extra collections while the heap is still small cost a
 * 20,000-record check ~0.04 s of its ~0.9 s, hence only once a check is large. Not with the content
 * lints: they keep every record's facts, and collecting at 1.5× of that larger heap cost 0.15–0.5 s
 * at 100,000 records. (The launcher sets the bulk passes' flags: bin/node-flags.js.)
 */
const LARGE_CHECK_FLAG = "--heap-growing-percent=50";

/**
 * Called with the records a `check` has read so far, after each file: once they pass
 * {@link LARGE_CHECK_RECORDS}, sets {@link LARGE_CHECK_FLAG} (process-wide: the worker thread's
 * heap too). Nothing when `lints` run. `setFlags`: V8's, or a test's.
 */
export function leanHeapOnceLarge(
  lints: boolean,
  setFlags: (flags: string) => void = setFlagsFromString,
): (records: number) => void {
  let set = lints;
  return (records) => {
    if (set || records <= LARGE_CHECK_RECORDS) return;
    set = true;
    setFlags(LARGE_CHECK_FLAG);
  };
}
