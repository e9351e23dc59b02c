import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

/** What a process that logs one entry with a key in it writes on stderr (the logger writes to fd 2). */
function stderrOfLogging(pretty: boolean): string {
  const script = [
    `import { createLogger } from ${JSON.stringify(path.join(ROOT, "src/logger.ts"))};`,
    `createLogger("info", { pretty: ${pretty} }).info({ posts: 3, apiKey: "s3cret-key" }, "index loaded");`,
  ].join("\n");
  const run = spawnSync(TSX, ["--eval", script], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`the logging process exited ${run.status}: ${run.stderr}`);
  return run.stderr;
}

describe("createLogger", () => {
  test("writes one JSON line per entry on stderr, keys redacted", () => {
    const output = stderrOfLogging(false);
    const entry = JSON.parse(output.trim()) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 30, name: "postindex", posts: 3, apiKey: "[redacted]", msg: "index loaded" });
    expect(output).not.toContain("s3cret-key");
  });

  test("writes readable lines for a terminal, keys redacted", () => {
    const output = stderrOfLogging(true);
    expect(output).toMatch(/INFO: index loaded/);
    expect(output).toMatch(/posts: 3/);
    expect(output).toContain('"[redacted]"');
    expect(output).not.toContain("s3cret-key");
  });
});
