import { fromDocumentId } from "../../src/index.js";
import { ms, runLoad, type LoadResult } from "../load.js";
import { benchCommand, machineLine, saveSection, type Figure } from "../results.js";
import type { CorpusPosts } from "../corpus-cache.js";
import type { BenchTarget } from "./search.js";

/** Options for {@link benchRelated} and {@link measureRelated}. */
export interface RelatedBenchOptions {
  /** Concurrent connections of the measured runs (the targets hold there). @default 8 */
  readonly connections?: number;
  /** Concurrent connections of a second, heavier run per case, reported without a target. @default 16 */
  readonly stressConnections?: number;
  /** Seconds of measurement per case and connection count. @default 10 */
  readonly durationSeconds?: number;
  /** Posts asked about per case, spread over the index. @default 100 */
  readonly postsPerCase?: number;
  /** The posts of each case (e.g. from the corpus's `posts.json`, see {@link casesFromCorpus}); default: picked from the index by {@link pickRelatedCases}. */
  readonly cases?: RelatedCasePosts;
}

/** The kinds of post the targets must hold for, each answered differently by the retrieval. */
export const RELATED_CASES = {
  rare: "a post with a few common entities and a rare one (1–4 other posts share it)",
  common: "a post whose entities are all common (each on at least 1/20 of the site)",
  many: "a post with 10–20 entities",
} as const;

export type RelatedCase = keyof typeof RELATED_CASES;

/** Record ids per case. */
export type RelatedCasePosts = Readonly<Record<RelatedCase, readonly string[]>>;

interface IndexedPost {
  readonly id: string;
  readonly entity_keys?: readonly string[];
}

/** Every indexed post's id and entity keys (placeholder searches paged by offset, ids only and keys). */
async function readPosts(target: BenchTarget): Promise<IndexedPost[]> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (target.apiKey !== undefined) headers["authorization"] = `Bearer ${target.apiKey}`;
  const posts: IndexedPost[] = [];
  for (const limit = 10_000; ;) {
    const response = await fetch(`${target.meiliUrl}/indexes/${encodeURIComponent(target.indexUid)}/search`, {
      method: "POST",
      headers,
      body: JSON.stringify({ q: "", attributesToRetrieve: ["id", "entity_keys"], limit, offset: posts.length }),
    });
    if (!response.ok) throw new Error(`reading posts: HTTP ${response.status}`);
    const { hits } = (await response.json()) as { hits: IndexedPost[] };
    posts.push(...hits);
    if (hits.length < limit) return posts;
  }
}

/**
 * Picks up to `count` posts of each {@link RELATED_CASES} case from the index itself, by document
 * frequencies, so any corpus works: `rare`, a post with fewer than 10 entities, one of which 2–5
 * posts carry (itself included); `common`,
 * every entity of the post on at least 1/20 of the index; `many`, 10–20 distinct entities. Spread
 * evenly over the candidates of each case.
 */
async function pickRelatedCases(target: BenchTarget, count: number): Promise<RelatedCasePosts> {
  const posts = await readPosts(target);
  const df = new Map<string, number>();
  for (const post of posts) for (const key of new Set(post.entity_keys ?? [])) df.set(key, (df.get(key) ?? 0) + 1);
  const commonFloor = posts.length / 20;
  const found: Record<RelatedCase, string[]> = { rare: [], common: [], many: [] };
  for (const post of posts) {
    const keys = [...new Set(post.entity_keys ?? [])];
    const counts = keys.map((key) => df.get(key) ?? 0);
    if (keys.length < 10 && counts.some((value) => value >= 2 && value <= 5)) found.rare.push(post.id);
    if (keys.length > 0 && counts.every((value) => value >= commonFloor)) found.common.push(post.id);
    if (keys.length >= 10 && keys.length <= 20) found.many.push(post.id);
  }
  const spread = (ids: readonly string[]) => spreadOver(ids, count).map((id) => fromDocumentId(id));
  return { rare: spread(found.rare), common: spread(found.common), many: spread(found.many) };
}

/** Up to `count` ids, spread evenly over `ids`. */
function spreadOver(ids: readonly string[], count: number): string[] {
  const step = Math.max(1, Math.floor(ids.length / count));
  return ids.filter((_, index) => index % step === 0).slice(0, count);
}

/** The cases from a generated corpus's `posts.json` (planted rare entities, common only, 10–20 entities). */
export function casesFromCorpus(posts: CorpusPosts, count = 100): RelatedCasePosts {
  return {
    rare: spreadOver(posts.rarePlanted, count),
    common: spreadOver(posts.commonOnly, count),
    many: spreadOver(posts.manyEntities, count),
  };
}

/** What one case measured at the two connection counts. */
export interface RelatedCaseResult {
  readonly posts: number;
  readonly measured: LoadResult;
  readonly stress: LoadResult;
}

async function loadRun(
  target: BenchTarget,
  ids: readonly string[],
  connections: number,
  durationSeconds: number,
): Promise<LoadResult> {
  const requests = ids.map((id) => ({
    method: "GET" as const,
    path: `/posts/${encodeURIComponent(id)}/related?limit=5`,
  }));
  const run = await runLoad({ url: target.apiUrl, requests, connections, durationSeconds });
  if (run.failures > 0 || run.completed === 0)
    throw new Error(`related: ${run.failures} failed requests, ${run.completed} answered`);
  return run;
}

/** Waits (up to a minute) until the API answers related posts: its related-posts index is loaded at start. */
async function untilServed(target: BenchTarget, id: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(`${target.apiUrl}/posts/${encodeURIComponent(id)}/related`);
    await response.arrayBuffer();
    if (response.ok) return;
    if (Date.now() > deadline) throw new Error(`related: the API still answers ${response.status} after a minute`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/**
 * `GET /posts/:id/related?limit=5` latency through the API, per case: after a warm-up over every
 * case, each case alone at `connections` and then at `stressConnections`, cycling through its posts.
 */
async function measureRelated(
  target: BenchTarget,
  cases: RelatedCasePosts,
  options: RelatedBenchOptions = {},
): Promise<Record<RelatedCase, RelatedCaseResult>> {
  const connections = options.connections ?? 8;
  const stressConnections = options.stressConnections ?? 16;
  const duration = options.durationSeconds ?? 10;
  const names = Object.keys(RELATED_CASES) as RelatedCase[];
  for (const name of names)
    if (cases[name].length === 0) throw new Error(`related: no post of case "${name}" in the index`);
  await untilServed(target, cases.rare[0] as string);
  await loadRun(
    target,
    names.flatMap((name) => cases[name]),
    connections,
    2,
  );
  const results = {} as Record<RelatedCase, RelatedCaseResult>;
  for (const name of names) {
    const measured = await loadRun(target, cases[name], connections, duration);
    const stress = await loadRun(target, cases[name], stressConnections, duration);
    results[name] = { posts: cases[name].length, measured, stress };
    console.log(
      `related ${name}: ${connections} connections p50 ${ms(measured.p50)} p95 ${ms(measured.p95)} p99 ${ms(measured.p99)}; ` +
        `${stressConnections}: p50 ${ms(stress.p50)} p95 ${ms(stress.p95)} p99 ${ms(stress.p99)}`,
    );
  }
  return results;
}

/**
 * The related-posts section: picks the cases from the index ({@link pickRelatedCases}), measures
 * them ({@link measureRelated}) and saves the figures. Target per case at 8 connections:
 * p99 ≤ 30 ms (issue 12), p95 ≤ 15 ms.
 */
export async function benchRelated(
  target: BenchTarget,
  articles: number,
  options: RelatedBenchOptions = {},
): Promise<void> {
  const connections = options.connections ?? 8;
  const stressConnections = options.stressConnections ?? 16;
  const duration = options.durationSeconds ?? 10;
  const cases = options.cases ?? (await pickRelatedCases(target, options.postsPerCase ?? 100));
  const results = await measureRelated(target, cases, options);
  const figures: Figure[] = [];
  for (const [name, result] of Object.entries(results) as [RelatedCase, RelatedCaseResult][]) {
    const { measured, stress } = result;
    figures.push(
      {
        name: `${name}: p50 / p95, ${connections} connections`,
        value: `${ms(measured.p50)} / ${ms(measured.p95)}`,
        target: "p95 ≤ 15 ms",
        met: measured.p95 <= 15,
      },
      {
        name: `${name}: p99, ${connections} connections`,
        value: ms(measured.p99),
        target: "≤ 30 ms",
        met: measured.p99 <= 30,
      },
      {
        name: `${name}: throughput, ${connections} connections`,
        value: `${Math.round(measured.requestsPerSecond).toLocaleString("en-US")} req/s`,
      },
      {
        name: `${name}: p50 / p95 / p99, ${stressConnections} connections`,
        value: `${ms(stress.p50)} / ${ms(stress.p95)} / ${ms(stress.p99)}`,
      },
    );
  }
  const caseText = (Object.entries(RELATED_CASES) as [RelatedCase, string][])
    .map(([name, text]) => `${name}: ${text} (${results[name].posts} posts)`)
    .join("; ");
  // One section per index size (20,000 always, 100,000 with --articles 100000), each kept until rerun.
  await saveSection(`related/${articles}`, {
    title: `related posts: GET /posts/:id/related, ${articles.toLocaleString("en-US")} articles`,
    command: benchCommand(),
    method: `autocannon on loopback against \`postindex serve\` (own process, its related-posts index loaded) over an index of ${articles.toLocaleString("en-US")} generated articles; limit=5, every response timed. Three cases, ${options.cases === undefined ? "picked from the index by document frequency" : "from the corpus's posts.json"}, each measured alone, cycling through its posts — ${caseText}. After a 2 s warm-up over all of them, each case ${duration} s at ${connections} connections (the targets), then ${duration} s at ${stressConnections} (no target).`,
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: machineLine(),
    figures,
  });
}
