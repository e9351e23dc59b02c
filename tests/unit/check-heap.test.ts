import { describe, expect, test } from "vitest";
import { leanHeapOnceLarge } from "../../cli/check-heap.js";

/** The flags `leanHeapOnceLarge` sets over a check that reports `progress` records after its files. */
const flagsSetOver = (lints: boolean, progress: number[]): string[] => {
  const set: string[] = [];
  const onRecords = leanHeapOnceLarge(lints, (flags) => set.push(flags));
  for (const records of progress) onRecords(records);
  return set;
};

describe("check's garbage collection once a check is large", () => {
  test("a check of up to 30,000 records runs with V8's defaults", () => {
    expect(flagsSetOver(false, [0, 1, 1_000, 20_000, 30_000])).toEqual([]);
  });

  test("past 30,000 records the heaps are collected at 1.5× of what survived, set once", () => {
    expect(flagsSetOver(false, [0, 29_999, 30_001, 40_000, 100_000])).toEqual(["--heap-growing-percent=50"]);
    // A single export's records arrive at once.
    expect(flagsSetOver(false, [100_000])).toEqual(["--heap-growing-percent=50"]);
  });

  test("with the content lints nothing is set, however large the check", () => {
    expect(flagsSetOver(true, [0, 50_000, 100_000])).toEqual([]);
  });
});
