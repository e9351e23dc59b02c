import { fromDocumentId } from "../../src/index.js";
import { ms, runLoad } from "../load.js";
import { machineLine, saveSection } from "../results.js";
import type { BenchTarget } from "./search.js";

/** Options for {@link benchRelated}. */
export interface RelatedBenchOptions {
  /** Concurrent connections of the measured run (the targets hold there). @default 2 */
  readonly connections?: number;
  /** Concurrent connections of a second, heavier run, reported without a target. @default 4 */
  readonly stressConnections?: number;
  /** Seconds of measurement. @default 10 */
  readonly durationSeconds?: number;
  /** Distinct posts asked about, spread over the index. @default 1000 */
  readonly posts?: number;
}

/** Record ids of up to `count` indexed posts, spread evenly over the index (one placeholder search, ids only). */
async function samplePostIds(target: BenchTarget, count: number): Promise<string[]> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (target.apiKey !== undefined) headers["authorization"] = `Bearer ${target.apiKey}`;
  const response = await fetch(`${target.meiliUrl}/indexes/${encodeURIComponent(target.indexUid)}/search`, {
    method: "POST",
    headers,
    body: JSON.stringify({ q: "", attributesToRetrieve: ["id"], limit: 100_000 }),
  });
  if (!response.ok) throw new Error(`sampling post ids: HTTP ${response.status}`);
  const { hits } = (await response.json()) as { hits: { id: string }[] };
  const step = Math.max(1, Math.floor(hits.length / count));
  return hits.filter((_, index) => index % step === 0).slice(0, count).map((doc) => fromDocumentId(doc.id));
}

/**
 * `GET /posts/:id/related` latency through the API, cycling through posts spread over the index
 * (every request computed from the live index: df counts, candidate fetch, scoring).
 * Targets: p95 ≤ 15 ms, p99 ≤ 30 ms.
 */
export async function benchRelated(target: BenchTarget, articles: number, options: RelatedBenchOptions = {}): Promise<void> {
  const connections = options.connections ?? 2;
  const stressConnections = options.stressConnections ?? 4;
  const duration = options.durationSeconds ?? 10;
  const ids = await samplePostIds(target, options.posts ?? 1_000);
  const requests = ids.map((id) => ({ method: "GET" as const, path: `/posts/${encodeURIComponent(id)}/related?limit=5` }));
  await runLoad({ url: target.apiUrl, requests, connections, durationSeconds: 2 });
  const result = await runLoad({ url: target.apiUrl, requests, connections, durationSeconds: duration });
  const stress = await runLoad({ url: target.apiUrl, requests, connections: stressConnections, durationSeconds: duration });
  for (const run of [result, stress]) {
    if (run.failures > 0 || run.completed === 0) throw new Error(`related: ${run.failures} failed requests, ${run.completed} answered`);
  }
  await saveSection("related", {
    title: "related posts: GET /posts/:id/related",
    method: `autocannon on loopback through the API, cycling through ${ids.length.toLocaleString("en-US")} posts spread over an index of ${articles.toLocaleString("en-US")} generated articles (Zipf-like entity frequencies: rare topics, a quarter-of-the-site area); limit=5, every response timed, each answer computed from the live index. ${connections} connections for ${duration} s after a 2 s warm-up (the targets), then ${stressConnections} connections for ${duration} s (no target).`,
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: machineLine(),
    figures: [
      { name: `throughput, ${connections} connections`, value: `${Math.round(result.requestsPerSecond).toLocaleString("en-US")} req/s` },
      { name: "p50 latency", value: ms(result.p50) },
      { name: "p95 latency", value: ms(result.p95), target: "≤ 15 ms", met: result.p95 <= 15 },
      { name: "p99 latency", value: ms(result.p99), target: "≤ 30 ms", met: result.p99 <= 30 },
      { name: `p50 / p95 / p99, ${stressConnections} connections`, value: `${ms(stress.p50)} / ${ms(stress.p95)} / ${ms(stress.p99)}` },
      { name: `throughput, ${stressConnections} connections`, value: `${Math.round(stress.requestsPerSecond).toLocaleString("en-US")} req/s` },
    ],
  });
  console.log(`related: p50 ${ms(result.p50)}, p95 ${ms(result.p95)}, p99 ${ms(result.p99)} at ${connections} connections; p95 ${ms(stress.p95)} at ${stressConnections}`);
}
