import { parseQueryString, parseSearchQuery, searchRequestFor } from "../../src/index.js";
import { ms, runLoad, type LoadRequest, type LoadResult } from "../load.js";
import { machineLine, saveSection } from "../results.js";

/** Where the API and the Meilisearch behind it listen (loopback), and the index both search. */
export interface BenchTarget {
  readonly meiliUrl: string;
  /** A key that may search the index (the API's own, or the master key). */
  readonly apiKey: string | undefined;
  readonly indexUid: string;
  readonly apiUrl: string;
}

/** Searches a site's visitors make: words, typos, facet filters, sorts, pages. */
const SEARCHES: readonly Record<string, string | readonly string[]>[] = [
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
];

function queryString(search: Record<string, string | readonly string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(search)) for (const item of typeof value === "string" ? [value] : value) params.append(name, item);
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
  if (result.failures > 0 || result.completed === 0) throw new Error(`${label}: ${result.failures} failed requests, ${result.completed} answered`);
}

/** Options for {@link benchSearch}. */
export interface SearchBenchOptions {
  /** Concurrent connections of the throughput runs. @default 16 */
  readonly connections?: number;
  /** Seconds per throughput run; latency runs take half. @default 5 */
  readonly durationSeconds?: number;
  /** Alternating rounds (direct, API, direct, API, …); each figure is the best of its rounds. @default 2 */
  readonly rounds?: number;
}

function best(results: readonly LoadResult[], better: (a: LoadResult, b: LoadResult) => boolean): LoadResult {
  return results.reduce((kept, result) => (better(result, kept) ? result : kept));
}

/**
 * `/search` through the API vs. the same Meilisearch query sent directly, side by side: throughput
 * at `connections` concurrent connections, and the median latency at one connection (what the API
 * adds to each request). Runs alternate and each figure is the best of its rounds, so a burst of
 * unrelated load on the machine does not decide the comparison. Targets: ≥ 0.8× direct
 * throughput, ≤ 1 ms added at the median.
 */
export async function benchSearch(target: BenchTarget, articles: number, options: SearchBenchOptions = {}): Promise<void> {
  const connections = options.connections ?? 16;
  const duration = options.durationSeconds ?? 5;
  const rounds = options.rounds ?? 2;
  const direct = { url: target.meiliUrl, requests: directRequests(target) };
  const api = { url: target.apiUrl, requests: apiRequests() };
  for (const warm of [direct, api]) await runLoad({ ...warm, connections, durationSeconds: 2 });

  const runs = { directLatency: [] as LoadResult[], apiLatency: [] as LoadResult[], directLoad: [] as LoadResult[], apiLoad: [] as LoadResult[] };
  for (let round = 0; round < rounds; round += 1) {
    runs.directLatency.push(await runLoad({ ...direct, connections: 1, durationSeconds: duration / 2 }));
    runs.apiLatency.push(await runLoad({ ...api, connections: 1, durationSeconds: duration / 2 }));
    runs.directLoad.push(await runLoad({ ...direct, connections, durationSeconds: duration }));
    runs.apiLoad.push(await runLoad({ ...api, connections, durationSeconds: duration }));
  }
  for (const [label, results] of Object.entries(runs)) for (const result of results) assertClean(label, result);
  const fastest = (a: LoadResult, b: LoadResult) => a.p50 < b.p50;
  const busiest = (a: LoadResult, b: LoadResult) => a.requestsPerSecond > b.requestsPerSecond;
  const directLatency = best(runs.directLatency, fastest);
  const apiLatency = best(runs.apiLatency, fastest);
  const directLoad = best(runs.directLoad, busiest);
  const apiLoad = best(runs.apiLoad, busiest);

  const ratio = apiLoad.requestsPerSecond / directLoad.requestsPerSecond;
  const overhead = apiLatency.p50 - directLatency.p50;
  await saveSection("search", {
    title: "search: the API vs. Meilisearch directly",
    method: `autocannon on loopback against an index of ${articles.toLocaleString("en-US")} generated articles, cycling through ${SEARCHES.length} searches (words, typos, facet filters, sorts, pages). Direct: the very Meilisearch request the API sends (POST /indexes/…/search, same body). Throughput: ${connections} connections for ${duration} s; latency: 1 connection for ${duration / 2} s, every response timed. ${rounds} alternating rounds after a 2 s warm-up of each; best of the rounds.`,
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: machineLine(),
    figures: [
      { name: "throughput, direct", value: `${Math.round(directLoad.requestsPerSecond).toLocaleString("en-US")} req/s` },
      { name: "throughput, API", value: `${Math.round(apiLoad.requestsPerSecond).toLocaleString("en-US")} req/s` },
      { name: "API / direct throughput", value: `${ratio.toFixed(2)}×`, target: "≥ 0.8×", met: ratio >= 0.8 },
      { name: "p50 latency, direct / API", value: `${ms(directLatency.p50)} / ${ms(apiLatency.p50)}` },
      { name: "p50 overhead", value: ms(overhead), target: "≤ 1 ms", met: overhead <= 1 },
      { name: "p99 latency under load, direct / API", value: `${ms(directLoad.p99)} / ${ms(apiLoad.p99)}` },
    ],
  });
  console.log(`search: API ${Math.round(apiLoad.requestsPerSecond)} req/s vs direct ${Math.round(directLoad.requestsPerSecond)} (${ratio.toFixed(2)}×), p50 overhead ${ms(overhead)}`);
}
