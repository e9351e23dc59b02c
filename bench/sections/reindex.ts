import { createWriteStream } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import { once } from "node:events";
import { applySettings, createMeiliClient, scanFolder, toSearchDocument } from "../../src/index.js";
import { ingestNdjson } from "../meili-alone.js";
import { measureCli } from "../process.js";
import { BENCH_DIR, machineLine, saveSection } from "../results.js";

export interface BenchServer {
  url: string;
  apiKey: string;
}

/** The byte size of one batch, as postindex's DocumentPusher sends them. */
const BATCH_BYTES = 8 * 2 ** 20;

/** Writes the documents postindex would index, as NDJSON, once per corpus size (not timed). */
async function prepareDocuments(corpusDir: string, articles: number): Promise<string> {
  const file = path.join(BENCH_DIR, ".data", `documents-${articles}.ndjson`);
  if (await access(file).then(() => true, () => false)) return file;
  const out = createWriteStream(file);
  for await (const event of scanFolder(corpusDir)) {
    if (event.type !== "record" || event.outcome.kind !== "indexed") continue;
    if (!out.write(`${JSON.stringify(toSearchDocument(event.outcome.record, event.outcome.file))}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return file;
}

/**
 * Full reindex of the corpus by `postindex reindex` (compiled CLI, its own process) against
 * Meilisearch alone ingesting the same prepared documents as NDJSON, on the same server, in
 * alternating runs. Leaves index `indexUid` filled for the sections after it.
 */
export async function benchReindex(server: BenchServer, corpusDir: string, articles: number, indexUid: string, dataDir: string): Promise<void> {
  const documents = await prepareDocuments(corpusDir, articles);
  const client = createMeiliClient({ url: server.url, apiKey: server.apiKey, timeoutMs: 30_000 });
  const alone: number[] = [];
  const ours: { ms: number; maxRssKb: number }[] = [];
  for (let round = 0; round < 2; round += 1) {
    const baselineUid = `bench_alone_${round}`;
    await client.deleteIndexIfExists(baselineUid, { timeoutMs: 120_000 });
    const startedAt = performance.now();
    await applySettings(client, baselineUid);
    await ingestNdjson(server, baselineUid, documents, BATCH_BYTES);
    alone.push(performance.now() - startedAt);
    await client.deleteIndexIfExists(baselineUid, { timeoutMs: 120_000 });
    console.log(`reindex: Meilisearch alone ${(alone.at(-1)! / 1000).toFixed(1)} s`);

    const run = await measureCli(["reindex", corpusDir, "--report", "/dev/null"], {
      MEILI_URL: server.url,
      MEILI_MASTER_KEY: server.apiKey,
      MEILI_INDEX: indexUid,
      POSTINDEX_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
    });
    if (run.code !== 0) throw new Error(`postindex reindex exited ${run.code}`);
    ours.push(run);
    console.log(`reindex: postindex ${(run.ms / 1000).toFixed(1)} s, peak ${(run.maxRssKb / 1024).toFixed(0)} MB`);
  }
  await client.close();
  const bestAlone = Math.min(...alone);
  const bestOurs = Math.min(...ours.map((run) => run.ms));
  const ratio = bestOurs / bestAlone;
  const peakMb = Math.max(...ours.map((run) => run.maxRssKb)) / 1024;
  await saveSection("reindex", {
    title: "reindex: postindex vs. Meilisearch alone",
    method: `${articles.toLocaleString("en-US")} generated articles. Baseline: the same documents, prepared beforehand as NDJSON, POSTed in ${BATCH_BYTES / 2 ** 20} MiB batches to a fresh index with the same settings, waiting for every task. postindex: \`postindex reindex DIR\` (compiled CLI, own process: parse, normalise, validate, build _next, verify the count, swap). Same embedded Meilisearch 1.21, alternating, best of 2 each.`,
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: machineLine(),
    figures: [
      { name: "Meilisearch alone", value: `${(bestAlone / 1000).toFixed(1)} s` },
      { name: "postindex reindex", value: `${(bestOurs / 1000).toFixed(1)} s` },
      { name: "ratio", value: ratio.toFixed(2), target: "≤ 1.15", met: ratio <= 1.15 },
      { name: "indexer peak RSS", value: `${peakMb.toFixed(0)} MB`, target: "≤ 400 MB", met: peakMb <= 400 },
    ],
  });
}
