import { createWriteStream } from "node:fs";
import { rename } from "node:fs/promises";
import path from "node:path";
import { once } from "node:events";
import { createMeiliClient, scanFolder, toSearchDocument } from "../../src/index.js";
import { exists, type Corpus } from "../corpus-cache.js";
import { percentile } from "../load.js";
import { INDEXER_BATCH_BYTES as BATCH_BYTES, loadAlone, readBatches } from "../meili-alone.js";
import { measureCli, rssSource, type MeasuredRun } from "../process.js";
import { benchCommand, corpusKey, machineLine, saveSection } from "../results.js";

export interface BenchServer {
  url: string;
  apiKey: string;
  /** The server's process id, when the bench started it (its CPU time is read per run). */
  pid?: number;
}

/** The byte size of one batch, as postindex's DocumentPusher sends them. */
/** Targets: issue 12 for the ratio, the earlier memory bound for the indexer. */
const MAX_RATIO = 1.1;
const MAX_RSS_MB = 400;

/** Options for {@link benchReindex}. */
export interface ReindexBenchOptions {
  /** Alternating rounds (baseline, postindex); each side's figure is its best round. @default 3 */
  readonly rounds?: number;
}

/**
 * The documents postindex indexes for this corpus, as NDJSON in scan order (what its pusher
 * sends), written once per corpus next to it (not timed).
 */
async function prepareDocuments(corpus: Corpus): Promise<string> {
  const file = path.join(corpus.root, "documents.ndjson");
  if (await exists(file)) return file;
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  for await (const event of scanFolder(corpus.contentDir)) {
    if (event.type !== "record" || event.outcome.kind !== "indexed") continue;
    if (!out.write(`${JSON.stringify(toSearchDocument(event.outcome.record, event.outcome.file))}\n`))
      await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  await rename(partial, file);
  return file;
}

/**
 * Full reindex of one corpus: `postindex reindex DIR` (the launcher, its own process, timed from
 * spawn to exit) against "Meilisearch alone" doing what any loader must: create the index, apply
 * the same settings, send the same documents (prepared beforehand, not timed) in the same 8 MiB
 * batches, wait for every task. Same server, alternating rounds, best of each; the ratio is taken
 * within this one run. Leaves index `indexUid` holding the corpus for the sections after it.
 */
export async function benchReindex(
  server: BenchServer,
  corpus: Corpus,
  indexUid: string,
  dataDir: string,
  options: ReindexBenchOptions = {},
): Promise<void> {
  const rounds = options.rounds ?? 3;
  const { bodies, documents } = await readBatches(await prepareDocuments(corpus), BATCH_BYTES);
  if (documents !== corpus.manifest.expected.indexed) {
    throw new Error(
      `reindex ${corpus.shape}: ${documents} prepared documents, the corpus was generated with ${corpus.manifest.expected.indexed} indexable records`,
    );
  }
  const client = createMeiliClient({ url: server.url, apiKey: server.apiKey, timeoutMs: 30_000 });
  const baselineUid = `${indexUid}_alone`;
  const alone: number[] = [];
  const ours: MeasuredRun[] = [];
  try {
    // The live index may hold another corpus of this shape (another size, an earlier run). A
    // reindex keeps the last good documents of files that are broken now (what it promises), and
    // the baseline cannot have those: every comparison starts from no live index.
    await client.deleteIndexIfExists(indexUid, { timeoutMs: 120_000 });
    for (let round = 0; round < rounds; round += 1) {
      await client.deleteIndexIfExists(baselineUid, { timeoutMs: 120_000 });
      const startedAt = performance.now();
      await loadAlone(client, server, baselineUid, bodies);
      alone.push(performance.now() - startedAt);
      const baselineCount = await client.getDocumentCount(baselineUid);
      if (baselineCount !== documents)
        throw new Error(
          `reindex ${corpus.shape}: the baseline index holds ${baselineCount} documents, ${documents} were sent`,
        );
      await client.deleteIndexIfExists(baselineUid, { timeoutMs: 120_000 });
      console.log(`reindex ${corpus.shape}: Meilisearch alone ${(alone.at(-1)! / 1000).toFixed(2)} s`);

      const run = await measureCli(["reindex", corpus.contentDir, "--report", "/dev/null"], {
        MEILI_URL: server.url,
        MEILI_MASTER_KEY: server.apiKey,
        MEILI_INDEX: indexUid,
        POSTINDEX_DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
      });
      if (run.code !== 0) throw new Error(`postindex reindex exited ${run.code}`);
      const count = await client.getDocumentCount(indexUid);
      if (count !== documents)
        throw new Error(
          `reindex ${corpus.shape}: postindex left ${count} documents in "${indexUid}", the baseline ${documents}`,
        );
      ours.push(run);
      console.log(
        `reindex ${corpus.shape}: postindex ${(run.ms / 1000).toFixed(2)} s, peak ${(run.maxRssKb / 1024).toFixed(0)} MB`,
      );
    }
  } finally {
    await client.close();
  }
  const bestAlone = Math.min(...alone);
  const bestOurs = Math.min(...ours.map((run) => run.ms));
  const ratio = bestOurs / bestAlone;
  // Each round's own ratio (its baseline, then postindex, a few seconds apart): on a machine whose
  // speed moves within a run, the best of each side may come from different moments.
  const roundRatios = ours.map((run, round) => run.ms / (alone[round] as number)).sort((a, b) => a - b);
  const peakMb = Math.max(...ours.map((run) => run.maxRssKb)) / 1024;
  await saveSection(corpusKey("reindex", corpus.shape, corpus.articles), {
    title: "reindex: postindex vs. Meilisearch alone",
    method: `Baseline, "Meilisearch alone": what any loader must do too: create the index, apply the same settings (\`applySettings\`), POST the same documents (prepared beforehand from the corpus, not timed) as NDJSON in the same ${BATCH_BYTES / 2 ** 20} MiB batches, wait for every task. postindex: \`postindex reindex DIR --report /dev/null\` run as a user runs it (\`node bin/postindex.js\`, compiled and bundled, its own process: parse, normalise, validate, build the \`_next\` index, verify the count, swap, drop the old one), timed in the parent from spawn to exit (Node start included). Both on the same embedded Meilisearch 1.21 in one bench run, ${rounds} alternating ${rounds === 1 ? "round" : "rounds"} (baseline, then postindex), best of each; the ratio is best postindex / best baseline, and beside it the median and range of each round's own ratio (its baseline, then postindex); ${await rssSource()}, the largest of the rounds. Both indexes must end up holding every indexable record.`,
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: machineLine(),
    command: benchCommand(),
    corpus: { shape: corpus.shape, articles: corpus.articles, description: corpus.manifest.description },
    figures: [
      { name: "Meilisearch alone", value: `${(bestAlone / 1000).toFixed(2)} s` },
      { name: "postindex reindex", value: `${(bestOurs / 1000).toFixed(2)} s` },
      { name: "ratio", value: ratio.toFixed(2), target: `≤ ${MAX_RATIO.toFixed(2)}`, met: ratio <= MAX_RATIO },
      {
        name: "each round's own ratio: median (lowest–highest)",
        value: `${percentile(roundRatios, 50).toFixed(2)} (${roundRatios[0]?.toFixed(2)}–${roundRatios.at(-1)?.toFixed(2)})`,
      },
      {
        name: "indexer peak RSS",
        value: `${peakMb.toFixed(0)} MB`,
        target: `≤ ${MAX_RSS_MB} MB`,
        met: peakMb <= MAX_RSS_MB,
      },
      { name: "documents", value: documents.toLocaleString("en-US") },
    ],
  });
  console.log(
    `reindex ${corpus.shape}: ratio ${ratio.toFixed(2)} (${(bestOurs / 1000).toFixed(2)} s vs ${(bestAlone / 1000).toFixed(2)} s), peak ${peakMb.toFixed(0)} MB`,
  );
}
