import { rm } from "node:fs/promises";
import path from "node:path";
import type { Corpus } from "../corpus-cache.js";
import { measureCli, rssSource, type MeasuredRun } from "../process.js";
import { BENCH_DIR, benchCommand, corpusKey, machineLine, saveSection } from "../results.js";

/** Targets of issue 14: every post of a 100,000-article folder in ≤ 30 s, memory ≤ 500 MB. */
const MAX_SECONDS = 30;
const MAX_RSS_MB = 500;

/** A Meilisearch holding the corpus's index (filled by the reindex section), for the live export. */
export interface RelatedExportServer {
  readonly url: string;
  readonly apiKey: string;
  readonly indexUid: string;
}

/** Options for {@link benchRelatedExport}. */
export interface RelatedExportBenchOptions {
  /** Runs of each mode; the wall time is the best, the peak RSS the largest. @default 2 */
  readonly rounds?: number;
  /** Also export from the live index on this server; undefined: the folder only. */
  readonly server?: RelatedExportServer | undefined;
}

/**
 * `postindex related DIR --out FILE --json` (straight from the folder, no server) and, when a
 * filled index is at hand, `postindex related --out FILE --json` (from the live index), run as a
 * user runs them, over the corpus: wall time from spawn to exit and peak RSS, each run's export
 * holding one list per indexed post of the corpus.
 */
export async function benchRelatedExport(corpus: Corpus, options: RelatedExportBenchOptions = {}): Promise<void> {
  const rounds = options.rounds ?? 2;
  const out = path.join(BENCH_DIR, ".data", "related-export.ndjson");
  const expected = corpus.manifest.expected.indexed;
  const folderRuns: MeasuredRun[] = [];
  const liveRuns: MeasuredRun[] = [];
  let server = options.server;
  try {
    for (let round = 0; round < rounds; round += 1) {
      folderRuns.push(await exportRun(["related", corpus.contentDir, "--out", out, "--json"], {}, expected));
      if (server !== undefined) {
        const { url, apiKey, indexUid } = server;
        const env = { MEILI_URL: url, MEILI_MASTER_KEY: apiKey, MEILI_INDEX: indexUid, LOG_LEVEL: "warn" };
        // The index may hold another size of the corpus (a reindex at another --articles): then no live figure.
        const run = await exportRun(["related", "--out", out, "--json"], env, expected).catch((error: unknown) => {
          console.log(`related-export: no live figure (${error instanceof Error ? error.message : String(error)})`);
          return undefined;
        });
        if (run === undefined) server = undefined;
        else liveRuns.push(run);
      }
    }
  } finally {
    await rm(out, { force: true });
  }
  const best = (runs: MeasuredRun[]) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const peakMb = (runs: MeasuredRun[]) => Math.max(...runs.map((run) => run.maxRssKb)) / 1024;
  const bestFolder = best(folderRuns);
  const folderSeconds = bestFolder.ms / 1000;
  const timings = JSON.parse(bestFolder.stdout).timings as { loadMs: number; exportMs: number };
  const scale = corpus.articles / 100_000;
  const figures = [
    {
      name: "from the folder: wall time",
      value: `${folderSeconds.toFixed(2)} s (reading ${(timings.loadMs / 1000).toFixed(1)} s, lists ${(timings.exportMs / 1000).toFixed(1)} s)`,
      // The target is for 100,000 articles; a smaller corpus is held to its share of it.
      target: `≤ ${MAX_SECONDS} s per 100,000 posts`,
      met: folderSeconds <= MAX_SECONDS * scale,
    },
    {
      name: "from the folder: peak RSS",
      value: `${peakMb(folderRuns).toFixed(0)} MB`,
      target: `≤ ${MAX_RSS_MB} MB`,
      met: peakMb(folderRuns) <= MAX_RSS_MB,
    },
    { name: "posts / s", value: Math.round(expected / folderSeconds).toLocaleString("en-US") },
  ];
  if (liveRuns.length > 0) {
    figures.push({
      name: "from the live index: wall time / peak RSS",
      value: `${(best(liveRuns).ms / 1000).toFixed(2)} s / ${peakMb(liveRuns).toFixed(0)} MB`,
    });
  }
  await saveSection(corpusKey("related-export", corpus.shape, corpus.articles), {
    title: "related-export: every post's related list (postindex related)",
    method: `\`postindex related DIR --out FILE --json\` (limit 5, straight from the folder: read, normalise, classify, build the in-memory related-posts index, rank every indexed post with the API's MaxScore over it, write NDJSON) and, after a reindex, \`postindex related --out FILE --json\` (the index loaded from Meilisearch as the API loads it), run as a user runs them (\`node bin/postindex.js\`, compiled and bundled, its own process), timed from spawn to exit, best of ${rounds} ${rounds === 1 ? "run" : "runs"}; ${await rssSource()}, the largest. Every run must write one list per indexed post of the corpus. For scale: 20,000 sequential API calls take about 220 s.`,
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: machineLine(),
    command: benchCommand(),
    corpus: { shape: corpus.shape, articles: corpus.articles, description: corpus.manifest.description },
    figures,
  });
  console.log(`related-export ${corpus.shape} ${corpus.articles}: ${folderSeconds.toFixed(2)} s from the folder`);
}

async function exportRun(args: readonly string[], env: NodeJS.ProcessEnv, expected: number): Promise<MeasuredRun> {
  const run = await measureCli(args, env);
  const posts = run.code === 0 ? (JSON.parse(run.stdout) as { export: { posts: number } }).export.posts : undefined;
  if (posts !== expected)
    throw new Error(`${args.join(" ")}: exit ${run.code}, ${posts} posts exported; expected ${expected}`);
  console.log(
    `${args.slice(0, 2).join(" ")}: ${(run.ms / 1000).toFixed(2)} s, peak ${(run.maxRssKb / 1024).toFixed(0)} MB`,
  );
  return run;
}
