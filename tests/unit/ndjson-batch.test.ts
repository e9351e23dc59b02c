import { describe, expect, test } from "vitest";
import { NdjsonBatch } from "../../indexer/ndjson-batch.js";

describe("NdjsonBatch", () => {
  test("lines are joined by LF; the size counts each line's UTF-8 bytes plus its line end", () => {
    const batch = new NdjsonBatch(64);
    const lines = [
      JSON.stringify({ id: "a", title: "café" }),
      JSON.stringify({ id: "b", title: "数据 🚀" }),
      JSON.stringify({ id: "c" }),
    ];
    for (const line of lines) batch.add(line);
    expect(batch.lines).toBe(3);
    expect(batch.size).toBe(lines.reduce((bytes, line) => bytes + Buffer.byteLength(line) + 1, 0));
    expect(batch.take().toString("utf8")).toBe(lines.join("\n"));
  });

  test("take empties the batch; the next lines start a new text", () => {
    const batch = new NdjsonBatch(16);
    batch.add('{"id":"a"}');
    expect(batch.take().toString("utf8")).toBe('{"id":"a"}');
    expect(batch.lines).toBe(0);
    expect(batch.size).toBe(0);
    batch.add('{"id":"b"}');
    expect(batch.take().toString("utf8")).toBe('{"id":"b"}');
  });

  test("a batch taken stays as it was while the next lines are written (it may still be on its way)", () => {
    const batch = new NdjsonBatch(64);
    batch.add('{"id":"first"}');
    const sent = batch.take();
    batch.add('{"id":"XXXXX"}');
    expect(sent.toString("utf8")).toBe('{"id":"first"}');
  });

  test("grows past its first size, keeping what was written", () => {
    const batch = new NdjsonBatch(8);
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: `post-${i}`, body: "ü".repeat(i * 10) }));
    for (const line of lines) batch.add(line);
    expect(batch.take().toString("utf8")).toBe(lines.join("\n"));
  });

  test("a batch handed back is reused for a later one, and a batch still out is never written over", () => {
    // Larger than Node's shared pool serves (4 KiB), so each buffer has a memory of its own.
    const batch = new NdjsonBatch(16_384);
    batch.add('{"id":"one"}');
    const first = batch.take();
    batch.add('{"id":"two"}');
    const second = batch.take();
    batch.recycle(first);
    // The next lines were already going into a third buffer; the one handed back serves the batch after.
    batch.add('{"id":"three"}');
    const third = batch.take();
    batch.add('{"id":"four"}');
    const fourth = batch.take();
    expect(fourth.buffer).toBe(first.buffer);
    expect(new Set([first.buffer, second.buffer, third.buffer]).size).toBe(3);
    expect(fourth.toString("utf8")).toBe('{"id":"four"}');
    expect(third.toString("utf8")).toBe('{"id":"three"}');
    expect(second.toString("utf8")).toBe('{"id":"two"}');
  });
});
