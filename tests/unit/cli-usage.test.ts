import { describe, expect, test } from "vitest";
import { runCli, spawnCli, type CliResult } from "../helpers/run-cli.js";

/** `postindex ARGS`, killed after `ms` if still running (a command that got past its flags may wait forever). */
function runWithin(args: readonly string[], env: NodeJS.ProcessEnv, ms: number): Promise<CliResult> {
  const child = spawnCli(args, env);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  return new Promise((resolve) =>
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    }),
  );
}

/**
 * An invalid flag value is a usage error (exit 2, the flag named on stderr), reported by the
 * argument parser before the command connects to anything.
 */
describe("invalid flag values are usage errors", () => {
  test.each([
    [["serve", "--port", "abc"]],
    [["serve", "--port", "70000"]],
    [["serve", "--port", "-1"]],
    [["serve", "--port", "1.5"]],
    [["serve", "--port", ""]],
    [["serve", "--port=0x50"]],
    [["start", "--port", "x"]],
    [["start", "--port", "65536"]],
  ])("%j exits 2 naming --port", async (args) => {
    // MEILI_URL points at a closed port: a command that got past its flags would fail (exit 1) or
    // retry until killed, never exit 2.
    const result = await runWithin(args, { MEILI_URL: "http://127.0.0.1:9", LOG_LEVEL: "warn" }, 15_000);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--port");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test("--report without its file is a usage error", async () => {
    const result = await runCli(["check", ".", "--report"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--report");
  });
});

describe("postindex --version", () => {
  test.each([["--version"], ["-V"]])("%s prints package.json's version and exits 0", async (flag) => {
    const { version } = (await import("../../package.json", { with: { type: "json" } })).default as {
      version: string;
    };
    const result = await runCli([flag]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });
});
