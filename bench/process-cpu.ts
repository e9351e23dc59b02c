import { readFileSync } from "node:fs";

/** Clock ticks per second of `/proc/<pid>/stat` times (`getconf CLK_TCK`; 100 on Linux x86-64). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, all threads) a process has used so far, in ms, from `/proc/<pid>/stat`
 * (fields 14 and 15, counted after the command name, which may hold spaces). CPU time, unlike
 * wall time, is what a process takes from the others on a machine whose cores are all busy, and
 * it barely moves when unrelated load shares the machine.
 */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** This process's own CPU time so far, in ms. */
function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU ms per request of each process during one load run. */
export interface CpuPerRequest {
  /** Meilisearch (all its threads). */
  readonly meili: number;
  /** The API process; 0 for a run that does not go through it. */
  readonly api: number;
  /** The load generator (autocannon, in the benchmark's own process). */
  readonly load: number;
}

/**
 * Runs `run` and returns its result with each process's CPU time per completed request.
 * `pids.api` undefined: the API is not measured (direct runs).
 */
export async function withCpuPerRequest<T extends { readonly completed: number }>(
  pids: { readonly meili: number; readonly api?: number | undefined },
  run: () => Promise<T>,
): Promise<{ result: T; cpu: CpuPerRequest }> {
  const before = { meili: processCpuMs(pids.meili), api: pids.api ? processCpuMs(pids.api) : 0, load: ownCpuMs() };
  const result = await run();
  const after = { meili: processCpuMs(pids.meili), api: pids.api ? processCpuMs(pids.api) : 0, load: ownCpuMs() };
  const per = (from: number, to: number): number => (to - from) / Math.max(1, result.completed);
  return {
    result,
    cpu: { meili: per(before.meili, after.meili), api: per(before.api, after.api), load: per(before.load, after.load) },
  };
}
