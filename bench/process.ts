import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { BENCH_DIR } from "./results.js";
import { nodeFlagsFor } from "../bin/node-flags.js";

export const PROJECT_DIR = path.resolve(BENCH_DIR, "..");
/** The compiled CLI, as `npx postindex` runs it. */
export const CLI_SCRIPT = path.join(PROJECT_DIR, "dist/indexer/cli.js");

export interface MeasuredRun {
  ms: number;
  maxRssKb: number;
  code: number;
  stdout: string;
}

/** Runs the compiled CLI in a child process and reports its wall time and peak RSS. */
export async function measureCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<MeasuredRun> {
  const dir = await mkdtemp(path.join(tmpdir(), "postindex-measure-"));
  const outFile = path.join(dir, "usage.json");
  try {
    // The same V8 flags `npx postindex` would add for this command (bin/node-flags.js).
    const flags = nodeFlagsFor(args[0]);
    const stdout = await runNode([...flags, path.join(BENCH_DIR, "measure-process.mjs"), outFile, CLI_SCRIPT, ...args], env);
    const usage = JSON.parse(await readFile(outFile, "utf8")) as Omit<MeasuredRun, "stdout">;
    return { ...usage, stdout };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", () => resolve(stdout));
  });
}
