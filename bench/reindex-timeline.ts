/**
 * Where a reindex's time goes, beside the baseline: `npx tsx bench/reindex-timeline.ts CORPUS [ROUNDS]`
 * (CORPUS: a generated corpus folder, e.g. `bench/.data/corpus-files-20000`, with its
 * `documents.ndjson` and `content/`). On one embedded Meilisearch, each round loads the prepared
 * documents as Meilisearch alone (`loadAlone`), then runs `postindex reindex content/` as the bench
 * does (`measureCli`, `MEILI_URL`); afterwards prints each round's wall time, Meilisearch's CPU
 * time during it (`/proc/PID/stat`) and its document batches (tasks per indexing run, documents,
 * duration, start relative to the round's start).
 * Figures for `bench/NOTES.md`; it writes nothing.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { request } from "undici";
import { createMeiliClient, startEmbeddedMeili } from "../src/index.js";
import { INDEXER_BATCH_BYTES, loadAlone, readBatches } from "./meili-alone.js";
import { processCpuMs } from "./process-cpu.js";
import { measureCli } from "./process.js";

/** What this reads of a Meilisearch batch (`GET /batches`). */
interface Batch {
  startedAt: string;
  duration: string;
  details: { receivedDocuments?: number };
  stats: { totalNbTasks: number; types: Record<string, number> };
}

const [corpus, roundsArgument = "2"] = process.argv.slice(2);
if (corpus === undefined) throw new Error("usage: tsx bench/reindex-timeline.ts CORPUS_DIR [ROUNDS]");
const dataDir = await mkdtemp(path.join(tmpdir(), "postindex-timeline-"));
const server = await startEmbeddedMeili({ dataDir });
const target = { url: server.url, apiKey: server.masterKey };
const client = createMeiliClient({ ...target, timeoutMs: 60_000 });
const { bodies } = await readBatches(path.join(corpus, "documents.ndjson"), INDEXER_BATCH_BYTES);
/** Each side's start, wall time and Meilisearch's CPU time meanwhile (all its threads). */
const starts: { side: string; at: number; seconds: number; engineCpuMs: number }[] = [];
try {
  for (let round = 1; round <= Number(roundsArgument); round += 1) {
    await client.deleteIndexIfExists("alone", { timeoutMs: 60_000 });
    let at = Date.now();
    let engineCpu = processCpuMs(server.pid);
    await loadAlone(client, target, "alone", bodies);
    const aloneSeconds = (Date.now() - at) / 1000;
    starts.push({
      side: "Meilisearch alone",
      at,
      seconds: aloneSeconds,
      engineCpuMs: processCpuMs(server.pid) - engineCpu,
    });
    at = Date.now();
    engineCpu = processCpuMs(server.pid);
    const run = await measureCli(["reindex", path.join(corpus, "content"), "--report", "/dev/null"], {
      MEILI_URL: server.url,
      MEILI_MASTER_KEY: server.masterKey,
      POSTINDEX_DATA_DIR: dataDir,
    });
    if (run.code !== 0) throw new Error(`postindex reindex exited ${run.code}`);
    const engineCpuMs = processCpuMs(server.pid) - engineCpu;
    starts.push({ side: "postindex reindex", at, seconds: run.ms / 1000, engineCpuMs });
  }
  const answer = await request(`${server.url}/batches?limit=1000`, {
    headers: { authorization: `Bearer ${server.masterKey}` },
  });
  const batches = ((await answer.body.json()) as { results: Batch[] }).results.toReversed();
  for (const start of starts) {
    const end = start.at + start.seconds * 1000;
    console.log(
      `${start.side}: ${start.seconds.toFixed(2)} s, Meilisearch's CPU ${(start.engineCpuMs / 1000).toFixed(2)} s`,
    );
    for (const batch of batches) {
      const began = Date.parse(batch.startedAt);
      if (began < start.at || began > end || batch.stats.types["documentAdditionOrUpdate"] === undefined) continue;
      const [, minutes = "0", rest = "NaN"] = /PT(?:(\d+)M)?([\d.]+)S/.exec(batch.duration) ?? [];
      const seconds = Number(minutes) * 60 + Number(rest);
      console.log(
        `  run at +${((began - start.at) / 1000).toFixed(2)} s: ${batch.stats.totalNbTasks} tasks, ${batch.details.receivedDocuments} documents, ${seconds.toFixed(2)} s`,
      );
    }
  }
} finally {
  await client.close();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
