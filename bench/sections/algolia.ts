import { planMultiQuery } from "../../api/algolia/search.js";
import { ms, runLoad, WARM_UP_SECONDS, type LoadRequest, type LoadResult } from "../load.js";
import { withCpuPerRequest, type CpuPerRequest } from "../process-cpu.js";
import { benchCommand, machineLine, saveSection, type Figure } from "../results.js";
import { SEARCHES, type BenchTarget, type Side } from "./search.js";

/**
 * The Algolia route (`POST /1/indexes/*\/queries`, issue 13) vs. the Meilisearch request it makes
 * (`POST /multi-search` with the very queries the API plans, built by its own planning code), at
 * 8 and 16 connections. The searches are the search section's, sent as InstantSearch sends them:
 * facets counted, highlight tags, a body snippet, 0-based pages, sorts as replica index names,
 * and, when a facet is refined, the second query InstantSearch adds for that facet's counts
 * without its own refinement (hitsPerPage 0).
 */

/** Issue 13's target: throughput of the Algolia route ≥ 0.85× of the Meilisearch request it makes. */
const ALGOLIA_TARGET = { minRatio: 0.85 } as const;

const FACET_NAMES = ["stack", "tools", "difficulty", "scenario", "code_language"] as const;

/** One search box search → the `requests` of an InstantSearch multi-query. */
function instantSearchRequests(indexUid: string, search: Record<string, string | readonly string[]>) {
  const sort = search["sort"];
  const indexName = sort === "recent" || sort === "popular" ? `${indexUid}_${sort}` : indexUid;
  const refined = FACET_NAMES.filter((facet) => search[facet] !== undefined);
  const facetFilters = (except?: string) =>
    refined
      .filter((facet) => facet !== except)
      .map((facet) => [search[facet] ?? []].flat().map((value) => `${facet}:${value}`));
  const common = {
    indexName,
    query: typeof search["q"] === "string" ? search["q"] : "",
    highlightPreTag: "__ais-highlight__",
    highlightPostTag: "__/ais-highlight__",
  };
  const main = {
    ...common,
    facets: ["stack", "tools", "difficulty", "scenario"],
    hitsPerPage: Number(search["limit"] ?? 20),
    page: Number(search["page"] ?? 1) - 1,
    attributesToSnippet: ["body:24"],
    facetFilters: facetFilters(),
  };
  const disjunctive = refined.map((facet) => ({
    ...common,
    facets: [facet],
    hitsPerPage: 0,
    page: 0,
    attributesToRetrieve: [],
    attributesToHighlight: [],
    attributesToSnippet: [],
    analytics: false,
    clickAnalytics: false,
    facetFilters: facetFilters(facet),
  }));
  return [main, ...disjunctive];
}

/** The bench's Algolia multi-queries (one per search of the search section). */
function bodies(indexUid: string): { requests: unknown[] }[] {
  return SEARCHES.map((search) => ({ requests: instantSearchRequests(indexUid, search) }));
}

/** The Algolia multi-queries, through the API, as the v5 lite client sends them (text/plain). */
function apiRequests(target: BenchTarget): LoadRequest[] {
  return bodies(target.indexUid).map((body) => ({
    method: "POST",
    path: "/1/indexes/*/queries?x-algolia-application-id=bench&x-algolia-api-key=bench",
    headers: { "content-type": "text/plain" },
    body: JSON.stringify(body),
  }));
}

/** The Meilisearch multi-search the API makes for each of them, sent directly. */
function directRequests(target: BenchTarget): LoadRequest[] {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (target.apiKey !== undefined) headers["authorization"] = `Bearer ${target.apiKey}`;
  return bodies(target.indexUid).map((body) => {
    const queries = planMultiQuery(target.indexUid, body).flatMap((item) =>
      item.kind === "search" ? [item.plan.meili] : [],
    );
    return { method: "POST", path: "/multi-search", headers, body: JSON.stringify({ queries }) };
  });
}

/** Options for {@link benchAlgolia}. */
export interface AlgoliaBenchOptions {
  /** @default [8, 16] */
  readonly connections?: readonly number[];
  /** @default 5 */
  readonly durationSeconds?: number;
  /** Alternating rounds (direct, API, …), best of each kept. @default 3 */
  readonly rounds?: number;
}

interface Level {
  readonly connections: number;
  readonly direct: Run;
  readonly api: Run;
  readonly passThrough?: Run | undefined;
}

/** One load run, with each process's CPU per request when the pids are known. */
interface Run {
  readonly result: LoadResult;
  readonly cpu?: CpuPerRequest;
}

function check(label: string, result: LoadResult): LoadResult {
  if (result.failures > 0 || result.completed === 0)
    throw new Error(`${label}: ${result.failures} failed requests, ${result.completed} answered`);
  return result;
}

function reqs(result: LoadResult): string {
  return `${Math.round(result.requestsPerSecond).toLocaleString("en-US")} req/s`;
}

/** Measures and saves the `algolia` section of bench/RESULTS.md. */
export async function benchAlgolia(target: BenchTarget, articles: number, options: AlgoliaBenchOptions = {}) {
  const levels = options.connections ?? [8, 16];
  const duration = options.durationSeconds ?? 5;
  const rounds = options.rounds ?? 3;
  const direct = { url: target.meiliUrl, requests: directRequests(target) };
  const api = { url: target.apiUrl, requests: apiRequests(target) };
  const sides: [Side, { url: string; requests: LoadRequest[] }][] = [
    ["direct", direct],
    ["api", api],
  ];
  if (target.passThrough) sides.push(["passThrough", { ...direct, url: target.passThrough.url }]);
  for (const [, warm] of sides)
    check("warm-up", await runLoad({ ...warm, connections: 16, durationSeconds: WARM_UP_SECONDS }));
  const kept = new Map<number, { direct?: Run; api?: Run; passThrough?: Run }>();
  const inPath = { direct: undefined, api: target.apiPid, passThrough: target.passThrough?.pid };
  const measure = async (side: Side, once: () => Promise<LoadResult>): Promise<Run> => {
    if (target.meiliPid === undefined) return { result: await once() };
    return withCpuPerRequest({ meili: target.meiliPid, api: inPath[side] }, once);
  };
  for (let round = 0; round < rounds; round += 1) {
    for (const connections of levels) {
      const level = kept.get(connections) ?? {};
      for (const [side, load] of sides) {
        const run = await measure(side, () => runLoad({ ...load, connections, durationSeconds: duration }));
        const result = check(`${side} at ${connections}`, run.result);
        const previous = level[side];
        if (previous === undefined || result.requestsPerSecond > previous.result.requestsPerSecond) level[side] = run;
        const cpu = run.cpu
          ? `, CPU/req meili ${ms(run.cpu.meili)} api ${ms(run.cpu.api)} load ${ms(run.cpu.load)}`
          : "";
        console.log(
          `  algolia round ${round + 1}, ${side} at ${connections}: ${reqs(result)}, p50 ${ms(result.p50)}${cpu}`,
        );
      }
      kept.set(connections, level);
    }
  }
  const measured: Level[] = levels.map((connections) => {
    const level = kept.get(connections);
    if (level?.direct === undefined || level.api === undefined) throw new Error("algolia: a level was not measured");
    return { connections, direct: level.direct, api: level.api, passThrough: level.passThrough };
  });
  const figures: Figure[] = measured.flatMap(
    ({ connections, direct: directRun, api: apiRun, passThrough }): Figure[] => {
      const level = { connections, direct: directRun.result, api: apiRun.result };
      const ratio = level.api.requestsPerSecond / level.direct.requestsPerSecond;
      const cpu =
        directRun.cpu && apiRun.cpu
          ? [
              {
                name: `CPU per multi-query at ${connections} connections: Meilisearch direct / via the API; the API; load generator direct / API`,
                value: `${ms(directRun.cpu.meili)} / ${ms(apiRun.cpu.meili)}; ${ms(apiRun.cpu.api)}; ${ms(directRun.cpu.load)} / ${ms(apiRun.cpu.load)}`,
              },
              {
                name: `Algolia route / Meilisearch that this CPU allows when the cores are the limit, ${connections} connections`,
                value: `${(
                  (directRun.cpu.meili + directRun.cpu.load) /
                  (apiRun.cpu.meili + apiRun.cpu.api + apiRun.cpu.load)
                ).toFixed(2)}×`,
              },
            ]
          : [];
      return [
        {
          name: `throughput at ${level.connections} connections, Meilisearch multi-search / Algolia route`,
          value: `${reqs(level.direct)} / ${reqs(level.api)}`,
        },
        {
          name: `Algolia route / Meilisearch at ${level.connections} connections`,
          value: `${ratio.toFixed(2)}×`,
          target: `≥ ${ALGOLIA_TARGET.minRatio}×`,
          met: ratio >= ALGOLIA_TARGET.minRatio,
        },
        {
          name: `p50 / p99 at ${level.connections} connections, Meilisearch / Algolia route`,
          value: `${ms(level.direct.p50)} / ${ms(level.direct.p99)}, ${ms(level.api.p50)} / ${ms(level.api.p99)}`,
        },
        ...cpu,
        ...(passThrough
          ? [
              {
                name: `a process that only forwards the multi-search / Meilisearch at ${connections} connections (the floor of any process in the path)`,
                value: `${(passThrough.result.requestsPerSecond / level.direct.requestsPerSecond).toFixed(2)}× (${reqs(passThrough.result)})`,
              },
            ]
          : []),
      ];
    },
  );
  await saveSection(`algolia/${articles}`, {
    title: `algolia: the InstantSearch route vs. the Meilisearch request it makes, ${articles.toLocaleString("en-US")} articles`,
    method: `autocannon on loopback against \`postindex serve\` (own process) over an index of ${articles.toLocaleString("en-US")} generated articles, cycling through the search section's ${SEARCHES.length} searches sent as InstantSearch multi-queries (POST /1/indexes/*/queries, text/plain, with the extra facet query InstantSearch adds per refined facet). Direct: POST /multi-search with the very queries the API plans for each (its own planning code). Pass-through: the direct requests sent through \`bench/pass-through-proxy.mjs\`, a process that only forwards each request to Meilisearch and the answer back (the floor of any HTTP process in the path). ${levels.join(" and ")} connections, ${duration} s per run, ${rounds} alternating rounds (direct, API, pass-through) after a ${WARM_UP_SECONDS} s warm-up of each, best of the rounds.`,
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: machineLine(),
    command: benchCommand(),
    figures,
  });
  const summary = measured
    .map(
      (level) =>
        `${(level.api.result.requestsPerSecond / level.direct.result.requestsPerSecond).toFixed(2)}× at ${level.connections}`,
    )
    .join(", ");
  console.log(`algolia: Algolia route / Meilisearch ${summary}`);
}
