import { PassThrough } from "node:stream";
import { describe, expect, test } from "vitest";
import { createProgressBar } from "../../cli/progress.js";

/** A stream that says it is a terminal, and what was written to it. */
function fakeTerminal(isTTY: boolean): { stream: NodeJS.WriteStream; written: () => string } {
  const chunks: string[] = [];
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 120, rows: 40 });
  stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString("utf8")));
  return { stream: stream as unknown as NodeJS.WriteStream, written: () => chunks.join("") };
}

describe("the progress bar of the bulk commands", () => {
  test("on a terminal it draws the label, the counts and the detail", async () => {
    const { stream, written } = fakeTerminal(true);
    const bar = createProgressBar("checking", stream);
    bar.update(3, 10, "posts/a.json");
    bar.update(7, 10, "posts/b.json");
    bar.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toContain("checking [");
    expect(written()).toContain("3/10 files | posts/a.json");
  });

  test("anywhere else it writes nothing", async () => {
    const { stream, written } = fakeTerminal(false);
    const bar = createProgressBar("checking", stream);
    bar.update(3, 10, "posts/a.json");
    bar.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toBe("");
  });
});
