import { execFile, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const cli = path.join(root, "cli/main.ts");
const launcher = path.join(root, "bin/postindex.js");

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `file ARGS` and waits for it to exit: its status (1 when it could not run) and output. */
function runToExit(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error && typeof error.code === "number" ? error.code : error ? 1 : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

/** Runs `postindex ARGS` from the sources, as a user would from a shell, and waits for it to exit. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runToExit(tsx, [cli, ...args], env);
}

/**
 * Runs `postindex ARGS` as `npx postindex` does: the launcher, `bin/postindex.js`, which runs the
 * build (`dist/bundle/`, made by `npm install`, `npm run build` or `npm test`).
 */
export function runBuiltCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runToExit(process.execPath, [launcher, ...args], env);
}

/**
 * Starts `postindex ARGS` from the sources in one process (`node --import tsx`, which is what the
 * `tsx` command runs in a child of its own), so that `child.pid` is the indexer itself: a signal
 * sent to it reaches the process that holds the locks and talks to Meilisearch.
 */
export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", cli, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
