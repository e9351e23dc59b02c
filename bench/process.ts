import { spawn } from "node:child_process";
import { access, constants, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { BENCH_DIR } from "./results.js";
import { nodeFlagsFor } from "../bin/node-flags.js";

export const PROJECT_DIR = path.resolve(BENCH_DIR, "..");
/** The built CLI the launcher runs (`npm run build`: compiled, then bundled by scripts/bundle-cli.mjs). */
export const CLI_SCRIPT = path.join(PROJECT_DIR, "dist/bundle/main.js");
/** What `npx postindex` runs: the launcher, which sets the command's V8 flags and runs the built CLI. */
const LAUNCHER = path.join(PROJECT_DIR, "bin/postindex.js");
/** GNU time, when installed: peak RSS of the process tree, read by the kernel. */
const GNU_TIME = "/usr/bin/time";

export interface MeasuredRun {
  /** Wall time from spawn to exit, measured here in the parent (Node start and module loading included). */
  ms: number;
  /** Peak resident set size of the command's processes, in KiB. */
  maxRssKb: number;
  code: number;
  stdout: string;
}

/** How {@link measureCli} reads the peak RSS; said in the method text of the sections. */
export async function rssSource(): Promise<string> {
  return (await hasGnuTime())
    ? "peak RSS by GNU time (largest of the launcher and the process it starts)"
    : "peak RSS by the process's own resourceUsage() (the command run with its V8 flags directly, one Node start)";
}

async function hasGnuTime(): Promise<boolean> {
  return access(GNU_TIME, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/**
 * Runs `postindex ARGS…` as a user does (`node bin/postindex.js ARGS…`) in a child process and
 * reports its wall time, measured in this process from spawn until the child has exited and closed
 * its output, and its peak RSS: through GNU time when installed, else through
 * `measure-process.mjs` (which runs the launcher with the command's V8 flags already given, so it
 * does not re-launch and the one process's own maxRSS is the whole).
 */
export async function measureCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<MeasuredRun> {
  const dir = await mkdtemp(path.join(tmpdir(), "postindex-measure-"));
  const usageFile = path.join(dir, "usage");
  try {
    const command = (await hasGnuTime())
      ? [GNU_TIME, "-f", "%M", "-o", usageFile, process.execPath, LAUNCHER, ...args]
      : [
          process.execPath,
          ...nodeFlagsFor(args[0]),
          path.join(BENCH_DIR, "measure-process.mjs"),
          usageFile,
          LAUNCHER,
          ...args,
        ];
    const run = await runTimed(command, env);
    const maxRssKb = Number((await readFile(usageFile, "utf8")).trim().split(/\s+/).at(-1));
    if (!Number.isFinite(maxRssKb)) throw new Error(`no peak RSS in ${usageFile}`);
    return { ...run, maxRssKb };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runTimed(command: readonly string[], env: NodeJS.ProcessEnv): Promise<Omit<MeasuredRun, "maxRssKb">> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = command as [string, ...string[]];
    const startedAt = performance.now();
    const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({ ms: performance.now() - startedAt, code: code ?? (signal ? 128 : 1), stdout }),
    );
  });
}
