import { parseSearchQuery } from "../../api/queries.js";
import { parseQueryString } from "../../api/read-query.js";
import { searchRequestFor } from "../../src/index.js";
import { ms, runLoad, WARM_UP_SECONDS, type LoadRequest, type LoadResult } from "../load.js";
import { measureInStep } from "../in-step-latency.js";
import { benchCommand, machineLine, saveSection, type Figure } from "../results.js";
import { withCpuPerRequest, type CpuPerRequest } from "../process-cpu.js";

/** Where the API and the Meilisearch behind it listen (loopback), and the index both search. */
export interface BenchTarget {
  readonly meiliUrl: string;
  /** A key that may search the index (the API's own, or the master key). */
  readonly apiKey: string | undefined;
  readonly indexUid: string;
  readonly apiUrl: string;
  /** Process ids of Meilisearch and the API, when known: their CPU time per request is measured. */
  readonly meiliPid?: number | undefined;
  readonly apiPid?: number | undefined;
  /**
   * A process that forwards requests to Meilisearch unchanged (`bench/pass-through-proxy.mjs`),
   * when started: measured beside the API, it is the floor for any HTTP process in the path.
   */
  readonly passThrough?: { readonly url: string; readonly pid: number } | undefined;
}

/**
 * What a site's search box sends, in rough proportion: words (most), typos, a word being typed,
 * facet filters alone and with words, the other sorts, later pages and a longer page.
 */
export const SEARCHES: readonly Record<string, string | readonly string[]>[] = [
  { q: "caching api responses" },
  { q: "zero downtime deploys", stack: "python services" },
  { q: "memory leaks", difficulty: "advanced" },
  { q: "debuging slow queris" },
  { q: "rate limiting", sort: "recent" },
  { q: "kubernetes", page: "2" },
  { q: "", tools: ["docker", "redis"] },
  { q: "cold start", sort: "popular", limit: "20" },
  { q: "rotating secrets", scenario: "in kubernetes" },
  { q: "testing critical paths before launch" },
  { q: "observability", stack: ["go services", "rust services"] },
  { q: "paginating large lists", code_language: "python" },
  { q: "docker" },
  { q: "kuber" },
  { q: "timeouts handling" },
  { q: "migrating a databse" },
  { q: "nginx cdn", page: "3" },
  { q: "secrets", difficulty: "beginner", sort: "recent" },
  { q: "bundle size", stack: "react apps" },
  { q: "", stack: "node services", sort: "popular" },
  { q: "postgres slow queries", tools: "postgres" },
  { q: "hardening containers", scenario: "on a single vps" },
  { q: "search indexing" },
  { q: "deploys", page: "2", limit: "20" },
];

function queryString(search: Record<string, string | readonly string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(search))
    for (const item of typeof value === "string" ? [value] : value) params.append(name, item);
  return params.toString();
}

/** `GET /search?…` through the API. */
function apiRequests(): LoadRequest[] {
  return SEARCHES.map((search) => ({ method: "GET", path: `/search?${queryString(search)}` }));
}

/** The very Meilisearch request the API sends for each search, sent directly. */
function directRequests(target: BenchTarget): LoadRequest[] {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (target.apiKey !== undefined) headers["authorization"] = `Bearer ${target.apiKey}`;
  return SEARCHES.map((search) => ({
    method: "POST",
    path: `/indexes/${encodeURIComponent(target.indexUid)}/search`,
    headers,
    body: JSON.stringify(searchRequestFor(parseSearchQuery(parseQueryString(queryString(search))))),
  }));
}

function assertClean(label: string, result: LoadResult): void {
  if (result.failures > 0 || result.completed === 0)
    throw new Error(`${label}: ${result.failures} failed requests, ${result.completed} answered`);
}

/** Options for {@link measureSearch} and {@link benchSearch}. */
export interface SearchBenchOptions {
  /** Concurrent connections of the throughput runs. @default [8, 16] */
  readonly connections?: readonly number[];
  /** Seconds per throughput run; latency runs (1 connection) take the same. @default 5 */
  readonly durationSeconds?: number;
  /** Alternating rounds (direct, API, direct, API, …); each figure is the best of its rounds. @default 3 */
  readonly rounds?: number;
  /** Called after every run (progress). */
  readonly onRun?: (label: string, result: LoadResult) => void;
}

/** The best direct and API run at one connection count. */
export interface SearchComparison {
  readonly connections: number;
  readonly direct: LoadResult;
  readonly api: LoadResult;
  /** API / direct requests per second. */
  readonly ratio: number;
  /** API p50 − direct p50, ms. */
  readonly overheadMs: number;
  /** CPU ms per request of each process in the kept direct and API runs (when the pids are known). */
  readonly cpu?: { readonly direct: CpuPerRequest; readonly api: CpuPerRequest };
  /** The best run through the pass-through process (the direct requests, forwarded), when measured. */
  readonly passThrough?: { readonly result: LoadResult; readonly ratio: number; readonly overheadMs: number };
}

/** What {@link measureSearch} found: one connection (latency) first, then each throughput level. */
export interface SearchMeasurement {
  readonly latency: SearchComparison;
  readonly load: readonly SearchComparison[];
  readonly rounds: number;
  readonly durationSeconds: number;
}

/** Targets of issue 12: throughput at every load level, and the median added at one connection. */
const SEARCH_TARGETS = { minRatio: 0.9, maxOverheadMs: 0.5 } as const;

/** Where a run's requests go: Meilisearch itself, the API, or the pass-through process. */
export type Side = "direct" | "api" | "passThrough";

/** One load run, with the CPU each process spent on it when measured. */
interface Measured {
  readonly result: LoadResult;
  readonly cpu?: CpuPerRequest;
}

function best(runs: readonly Measured[], better: (a: LoadResult, b: LoadResult) => boolean): Measured {
  return runs.reduce((kept, run) => (better(run.result, kept.result) ? run : kept));
}

const busiest = (a: LoadResult, b: LoadResult): boolean => a.requestsPerSecond > b.requestsPerSecond;

/**
 * `/search` through the API vs. the same Meilisearch request sent directly: the median latency at
 * one connection (what the API adds to each request), and throughput at each of `connections`
 * (on a machine the API shares with Meilisearch, every CPU-millisecond the API spends is taken
 * from Meilisearch), each beside the pass-through process when there is one. Throughput: within a
 * round every level runs direct, API, pass-through back to back; each figure is the best of its
 * rounds, so a burst of unrelated load on the machine does not decide the result. Latency: every
 * side in step ({@link measureInStep}), so the machine's drift cancels out of the difference.
 */
async function measureSearch(target: BenchTarget, options: SearchBenchOptions = {}): Promise<SearchMeasurement> {
  const levels = options.connections ?? [8, 16];
  const duration = options.durationSeconds ?? 5;
  const rounds = options.rounds ?? 3;
  const direct = { url: target.meiliUrl, requests: directRequests(target) };
  const api = { url: target.apiUrl, requests: apiRequests() };
  const sides: [Side, { url: string; requests: LoadRequest[] }][] = [
    ["direct", direct],
    ["api", api],
  ];
  if (target.passThrough) sides.push(["passThrough", { ...direct, url: target.passThrough.url }]);
  const maxConnections = Math.max(...levels);
  for (const [, warm] of sides)
    await runLoad({ ...warm, connections: maxConnections, durationSeconds: WARM_UP_SECONDS });

  const runs = new Map(
    levels.map((level) => [level, { direct: [] as Measured[], api: [] as Measured[], passThrough: [] as Measured[] }]),
  );
  const meiliPid = target.meiliPid;
  const inPath = { direct: undefined, api: target.apiPid, passThrough: target.passThrough?.pid };
  for (let round = 0; round < rounds; round += 1) {
    for (const level of levels) {
      const kept = runs.get(level)!;
      for (const [side, load] of sides) {
        const once = () => runLoad({ ...load, connections: level, durationSeconds: duration });
        const measured: Measured = meiliPid
          ? await withCpuPerRequest({ meili: meiliPid, api: inPath[side] }, once)
          : { result: await once() };
        const { result } = measured;
        assertClean(`${side} at ${level}`, result);
        kept[side].push(measured);
        options.onRun?.(`round ${round + 1}, ${side} at ${level}`, result);
      }
    }
  }
  const compare = (level: number): SearchComparison => {
    const kept = runs.get(level)!;
    const directBest = best(kept.direct, busiest);
    const apiBest = best(kept.api, busiest);
    const cpu = directBest.cpu && apiBest.cpu ? { direct: directBest.cpu, api: apiBest.cpu } : undefined;
    const passBest = kept.passThrough.length > 0 ? best(kept.passThrough, busiest).result : undefined;
    return { ...comparison(level, directBest.result, apiBest.result, passBest), ...(cpu ? { cpu } : {}) };
  };
  return {
    latency: await latencyInStep(sides, rounds * LATENCY_CYCLES_PER_ROUND),
    load: levels.map((level) => compare(level)),
    rounds,
    durationSeconds: duration,
  };
}

/** Cycles through every search, per round, of the in-step latency measurement (~5 s a round). */
const LATENCY_CYCLES_PER_ROUND = 12;

/** The latency comparison at one connection, every side measured in step ({@link measureInStep}). */
async function latencyInStep(
  sides: readonly [Side, { url: string; requests: LoadRequest[] }][],
  cycles: number,
): Promise<SearchComparison> {
  const results = await measureInStep(
    sides.map(([, load]) => load),
    { cycles },
  );
  const of = (side: Side): LoadResult | undefined => results[sides.findIndex(([name]) => name === side)];
  const direct = of("direct") as LoadResult;
  const api = of("api") as LoadResult;
  const passThrough = of("passThrough");
  for (const [side] of sides) assertClean(`${side} at 1 connection`, of(side) as LoadResult);
  return comparison(1, direct, api, passThrough);
}

/** The API's and the pass-through's results against the direct one at one connection count. */
function comparison(
  connections: number,
  direct: LoadResult,
  api: LoadResult,
  passThrough: LoadResult | undefined,
): SearchComparison {
  const against = (result: LoadResult) => ({
    ratio: result.requestsPerSecond / direct.requestsPerSecond,
    overheadMs: result.p50 - direct.p50,
  });
  return {
    connections,
    direct,
    api,
    ...against(api),
    ...(passThrough ? { passThrough: { result: passThrough, ...against(passThrough) } } : {}),
  };
}

function reqs(result: LoadResult): string {
  return `${Math.round(result.requestsPerSecond).toLocaleString("en-US")} req/s`;
}

/** {@link measureSearch}, saved as the `search` section of bench/RESULTS.md. */
export async function benchSearch(
  target: BenchTarget,
  articles: number,
  options: SearchBenchOptions = {},
): Promise<void> {
  const measured = await measureSearch(target, options);
  const { latency } = measured;
  const figures: Figure[] = [
    { name: "p50 latency at 1 connection, direct / API", value: `${ms(latency.direct.p50)} / ${ms(latency.api.p50)}` },
    {
      name: "p50 overhead at 1 connection",
      value: ms(latency.overheadMs),
      target: `≤ ${SEARCH_TARGETS.maxOverheadMs} ms`,
      met: latency.overheadMs <= SEARCH_TARGETS.maxOverheadMs,
    },
  ];
  if (latency.passThrough)
    figures.push({
      name: "p50 overhead at 1 connection of a process that only forwards the request (the floor of any process in the path)",
      value: ms(latency.passThrough.overheadMs),
    });
  for (const level of measured.load) {
    figures.push(
      {
        name: `throughput at ${level.connections} connections, direct / API`,
        value: `${reqs(level.direct)} / ${reqs(level.api)}`,
      },
      {
        name: `API / direct at ${level.connections} connections`,
        value: `${level.ratio.toFixed(2)}×`,
        target: `≥ ${SEARCH_TARGETS.minRatio}×`,
        met: level.ratio >= SEARCH_TARGETS.minRatio,
      },
      {
        name: `p50 / p99 at ${level.connections} connections, direct / API`,
        value: `${ms(level.direct.p50)} / ${ms(level.direct.p99)}, ${ms(level.api.p50)} / ${ms(level.api.p99)}`,
      },
    );
    if (level.passThrough)
      figures.push({
        name: `a process that only forwards the request / direct at ${level.connections} connections (the floor of any process in the path)`,
        value: `${level.passThrough.ratio.toFixed(2)}× (${reqs(level.passThrough.result)})`,
      });
  }
  for (const level of measured.load) {
    if (!level.cpu) continue;
    const { direct, api } = level.cpu;
    const predicted = (direct.meili + direct.load) / (api.meili + api.api + api.load);
    figures.push(
      {
        name: `CPU per search at ${level.connections} connections: Meilisearch direct / via the API`,
        value: `${ms(direct.meili)} / ${ms(api.meili)}`,
      },
      {
        name: `CPU per search at ${level.connections} connections: the API process; the load generator direct / API`,
        value: `${ms(api.api)}; ${ms(direct.load)} / ${ms(api.load)}`,
      },
      {
        name: `API / direct that this CPU allows when the cores are the limit, ${level.connections} connections`,
        value: `${predicted.toFixed(2)}×`,
      },
    );
  }
  const levels = measured.load.map((level) => level.connections).join(" and ");
  // One section per index size (20,000 always, 100,000 with --articles 100000), each kept until rerun.
  await saveSection(`search/${articles}`, {
    title: `search: the API vs. Meilisearch directly, ${articles.toLocaleString("en-US")} articles`,
    command: benchCommand(),
    method: `autocannon on loopback against \`postindex serve\` (own process) over an index of ${articles.toLocaleString("en-US")} generated articles, cycling through ${SEARCHES.length} searches of a search box (words, typos, a word being typed, facet filters, sorts, pages). Direct: the very Meilisearch request the API sends (POST /indexes/…/search, same body). Pass-through: the same direct requests sent through \`bench/pass-through-proxy.mjs\`, a process of its own that only forwards each request to Meilisearch and the answer back (node:http and undici, no parsing): what any HTTP process in the path costs on this machine. Latency: 1 connection, measured in step (bench/in-step-latency.ts): one request at a time, in turn to Meilisearch, the API and the pass-through (the same search to each, then the next), ${measured.rounds * LATENCY_CYCLES_PER_ROUND} cycles through the searches, medians compared; back-to-back runs of a few seconds met the machine at different moments and moved the difference by up to a millisecond. Throughput: ${levels} connections; ${measured.durationSeconds} s per run, every response timed; ${measured.rounds} rounds, each running every level direct, API, pass-through, after a ${WARM_UP_SECONDS} s warm-up of each; best of the rounds. CPU per search: user + system time of each process (/proc/PID/stat, all threads) over the kept run, divided by the requests answered; it moves far less than wall time when other load shares the machine, and on a machine whose two cores are busy the throughput ratio cannot exceed (Meilisearch + load generator CPU, direct) / (Meilisearch + API + load generator CPU, via the API).`,
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: machineLine(),
    figures,
  });
  const ratios = measured.load.map((level) => `${level.ratio.toFixed(2)}× at ${level.connections}`).join(", ");
  console.log(`search: API / direct ${ratios}; p50 overhead at 1 connection ${ms(latency.overheadMs)}`);
  if (latency.passThrough) {
    const floors = measured.load.map((level) => `${level.passThrough?.ratio.toFixed(2)}× at ${level.connections}`);
    console.log(`  pass-through / direct ${floors.join(", ")}; p50 overhead ${ms(latency.passThrough.overheadMs)}`);
  }
  for (const level of measured.load) {
    if (level.cpu)
      console.log(
        `  CPU per search at ${level.connections}: meili ${ms(level.cpu.direct.meili)} direct, ${ms(level.cpu.api.meili)} via API; API ${ms(level.cpu.api.api)}; load ${ms(level.cpu.direct.load)} / ${ms(level.cpu.api.load)}`,
      );
  }
}
