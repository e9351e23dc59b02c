import type { Corpus } from "../corpus-cache.js";
import { dropPageCache } from "../page-cache.js";
import { measureCli, rssSource, type MeasuredRun } from "../process.js";
import { benchCommand, corpusKey, machineLine, saveSection } from "../results.js";

/** Targets of issue 12, on every shape. */
const MIN_RECORDS_PER_SECOND = 25_000;
/** Issue 15: `check --lint` (every content lint, one pass) on 100,000 records. */
const MIN_LINT_RECORDS_PER_SECOND = 20_000;
const MAX_RSS_MB = 300;

/** Options for {@link benchCheck}. */
export interface CheckBenchOptions {
  /** Runs; the wall time is the best of them, the peak RSS the largest. @default 3 */
  readonly rounds?: number;
}

/** The counts on the first line of `postindex check`'s summary: `checked DIR: N indexed, M excluded, R rejected, …`. */
function countsOf(run: MeasuredRun): { indexed: number; excluded: number; rejected: number } | undefined {
  const match = /(\d+) indexed, (\d+) excluded, (\d+) rejected/.exec(run.stdout);
  return match ? { indexed: Number(match[1]), excluded: Number(match[2]), rejected: Number(match[3]) } : undefined;
}

/**
 * `postindex check DIR` over one generated corpus: records per second (every record of the corpus,
 * over the whole process's wall time, best of `rounds`) and peak RSS (the largest). Each run's
 * counts must be the ones the corpus was generated with, so a figure never stands for a partial read.
 */
export async function benchCheck(corpus: Corpus, options: CheckBenchOptions = {}): Promise<void> {
  const rounds = options.rounds ?? 3;
  const runs = await checkRuns(corpus, rounds, []);
  const lintRuns = await checkRuns(corpus, rounds, ["--lint"]);
  const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const rate = Math.round(corpus.articles / (best.ms / 1000));
  const bestLint = lintRuns.reduce((a, b) => (b.ms < a.ms ? b : a));
  const lintRate = Math.round(corpus.articles / (bestLint.ms / 1000));
  const lintPeakMb = Math.max(...lintRuns.map((run) => run.maxRssKb)) / 1024;
  const cold = (await dropPageCache()) ? (await checkRuns(corpus, 1, [], "page cache dropped"))[0] : undefined;
  const coldFigure =
    cold === undefined
      ? "not measured (dropping the page cache needs root)"
      : `${Math.round(corpus.articles / (cold.ms / 1000)).toLocaleString("en-US")} (${(cold.ms / 1000).toFixed(2)} s)`;
  const peakMb = Math.max(...runs.map((run) => run.maxRssKb)) / 1024;
  await saveSection(corpusKey("check", corpus.shape, corpus.articles), {
    title: "check: parse, normalise, validate, classify",
    method: `\`postindex check DIR --report /dev/null\` run as a user runs it (\`node bin/postindex.js\`, compiled and bundled, its own process) over each generated corpus; records / s = every record in the corpus (indexed, excluded and broken alike) over the whole process's wall time, from spawn to exit (Node start included), best of ${rounds} ${rounds === 1 ? "run" : "runs"}; ${await rssSource()}, the largest of the runs. Every run must report the counts the corpus was generated with. The \`--lint\` figure: the same runs with \`--lint\` (every content lint at its default settings, in the same pass). "Page cache dropped": one more run right after \`echo 1 > /proc/sys/vm/drop_caches\` (root only), so that the corpus is read from the disk, as a folder nobody has read for a while is.`,
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: machineLine(),
    command: benchCommand(),
    corpus: { shape: corpus.shape, articles: corpus.articles, description: corpus.manifest.description },
    figures: [
      {
        name: "records / s",
        value: rate.toLocaleString("en-US"),
        target: `≥ ${MIN_RECORDS_PER_SECOND.toLocaleString("en-US")}`,
        met: rate >= MIN_RECORDS_PER_SECOND,
      },
      { name: "wall time", value: `${(best.ms / 1000).toFixed(2)} s` },
      {
        name: "records / s with --lint (all content lints)",
        value: `${lintRate.toLocaleString("en-US")} (peak ${lintPeakMb.toFixed(0)} MB)`,
        target: `≥ ${MIN_LINT_RECORDS_PER_SECOND.toLocaleString("en-US")}`,
        met: lintRate >= MIN_LINT_RECORDS_PER_SECOND,
      },
      { name: "peak RSS", value: `${peakMb.toFixed(0)} MB`, target: `< ${MAX_RSS_MB} MB`, met: peakMb < MAX_RSS_MB },
      {
        name: "records / s, page cache dropped first (one run)",
        value: coldFigure,
      },
      {
        name: "files / MB",
        value: `${corpus.manifest.files.toLocaleString("en-US")} / ${(corpus.manifest.bytes / 2 ** 20).toFixed(0)}`,
      },
    ],
  });
  console.log(
    `check ${corpus.shape}: ${rate} records/s, peak ${peakMb.toFixed(0)} MB; with --lint ${lintRate} records/s; page cache dropped ${coldFigure}`,
  );
}

/** `rounds` runs of `postindex check DIR --report /dev/null EXTRA…`, each holding the corpus's counts. */
async function checkRuns(
  corpus: Corpus,
  rounds: number,
  extra: readonly string[],
  label = extra.join(" "),
): Promise<MeasuredRun[]> {
  const { expected } = corpus.manifest;
  const runs: MeasuredRun[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const run = await measureCli(["check", corpus.contentDir, "--report", "/dev/null", ...extra]);
    // check exits 1 when a record was rejected: the corpora with broken records must.
    const wantCode = expected.rejected > 0 ? 1 : 0;
    const counts = countsOf(run);
    if (run.code !== wantCode || JSON.stringify(counts) !== JSON.stringify(expected)) {
      throw new Error(
        `check ${corpus.shape} ${label}: exit ${run.code} with ${JSON.stringify(counts)}; expected exit ${wantCode} with ${JSON.stringify(expected)}`,
      );
    }
    runs.push(run);
    console.log(
      `check ${corpus.shape} ${label}: ${(run.ms / 1000).toFixed(2)} s, peak ${(run.maxRssKb / 1024).toFixed(0)} MB`,
    );
  }
  return runs;
}
