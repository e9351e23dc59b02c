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
    expect(batch.take()).toBe(lines.join("\n"));
  });

  test("take empties the batch; the next lines start a new text", () => {
    const batch = new NdjsonBatch(16);
    batch.add('{"id":"a"}');
    expect(batch.take()).toBe('{"id":"a"}');
    expect(batch.lines).toBe(0);
    expect(batch.size).toBe(0);
    batch.add('{"id":"b"}');
    expect(batch.take()).toBe('{"id":"b"}');
  });

  test("grows past its first size, keeping what was written", () => {
    const batch = new NdjsonBatch(8);
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: `post-${i}`, body: "ü".repeat(i * 10) }));
    for (const line of lines) batch.add(line);
    expect(batch.take()).toBe(lines.join("\n"));
  });
});
