import { cp, mkdir, rm, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { pino } from "pino";
import { FolderWatcher } from "../../indexer/watch.js";
import { CONFIG_FILE } from "../../src/check/content-config.js";
import { createMeiliClient, type MeiliClient } from "../../src/index.js";
import { generateRecord, createRandom } from "../corpus.js";
import { INDEXER_BATCH_BYTES, NdjsonBodies, sendAlone, type MeiliTarget } from "../meili-alone.js";
import { BENCH_DIR, benchCommand, machineLine, saveSection } from "../results.js";
import type { BenchServer } from "./reindex.js";

const EDITS = 40;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** The longest {@link untilField} waits (an alias renaming a quarter of 100,000 posts takes ~40 s). */
const FIELD_DEADLINE_MS = 180_000;

/** Polls a document every `pollMs` until its `field` satisfies `holds`; throws after {@link FIELD_DEADLINE_MS}. */
async function untilField(
  target: { client: MeiliClient; indexUid: string; id: string },
  field: "title" | "stack",
  holds: (value: unknown) => boolean,
  pollMs: number,
): Promise<void> {
  const deadline = Date.now() + FIELD_DEADLINE_MS;
  for (;;) {
    const document = await target.client
      .index(target.indexUid)
      .getDocument(target.id, { fields: [field] })
      .catch(() => undefined);
    if (holds(document?.[field])) return;
    if (Date.now() > deadline)
      throw new Error(`watch bench: document ${target.id}'s ${field} is still ${JSON.stringify(document?.[field])}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Polls the document every 2 ms until its title is `title`: it is searchable. */
function untilVisible(client: MeiliClient, indexUid: string, id: string, title: string): Promise<void> {
  return untilField({ client, indexUid, id }, "title", (value) => value === title, 2);
}

/** Enqueued → finished of the index's latest document task: Meilisearch's own share of the latency. */
async function lastTaskMs(client: MeiliClient, indexUid: string): Promise<number> {
  const { results } = await client.raw.tasks.getTasks({
    indexUids: [indexUid],
    types: ["documentAdditionOrUpdate"],
    limit: 1,
  });
  const latest = results[0];
  if (!latest) throw new Error("no document task found");
  // A document can be readable a moment before its task is marked finished.
  const task = await client.waitForTask(latest.uid, { timeoutMs: 30_000 });
  if (!task.finishedAt) throw new Error(`task ${task.uid} has no finish time`);
  return Date.parse(task.finishedAt) - Date.parse(task.enqueuedAt);
}

/** The posts whose stack holds `value`: how many, and one of them. */
async function stackPosts(
  client: MeiliClient,
  indexUid: string,
  value: string,
): Promise<{ count: number; id: string }> {
  const result = await client
    .index(indexUid)
    .search("", { filter: `stack = "${value}"`, limit: 1, attributesToRetrieve: ["id"] });
  return { count: result.estimatedTotalHits ?? 0, id: String(result.hits[0]?.["id"] ?? "") };
}

/** Polls the document every 20 ms until its stack holds `value`. */
function untilStackHolds(client: MeiliClient, indexUid: string, id: string, value: string): Promise<void> {
  return untilField({ client, indexUid, id }, "stack", (stack) => Array.isArray(stack) && stack.includes(value), 20);
}

/** An alias declared in the watched folder and then removed: how long until each is in the index. */
interface AliasEditTimes {
  variant: string;
  posts: number;
  firstMs: number;
  allMs: number;
  revertMs: number;
  /** Meilisearch alone replacing the same documents with the new name. */
  engineMs: number;
}

/**
 * Writes `postindex.config.json` declaring the corpus's most used stack value an alias of a new
 * name (the largest rename an editor makes: every post with that stack changes), times it until
 * one such post shows the new name and until the watcher is idle with every post renamed, then
 * removes the file and times the way back (so later sections see the index as before).
 */
async function timeAliasEdit(
  watcher: FolderWatcher,
  client: MeiliClient,
  target: MeiliTarget,
  indexUid: string,
  watchDir: string,
): Promise<AliasEditTimes> {
  const facets = await client.index(indexUid).search("", { facets: ["stack"], limit: 0 });
  const [variant = "", posts = 0] =
    Object.entries(facets.facetDistribution?.["stack"] ?? {}).sort((a, b) => b[1] - a[1])[0] ?? [];
  const meant = `${variant}-renamed`;
  const sample = await stackPosts(client, indexUid, variant);
  const configFile = path.join(watchDir, CONFIG_FILE);
  const startedAt = performance.now();
  await writeFile(configFile, JSON.stringify({ aliases: { stack: { [variant]: meant } } }));
  await untilStackHolds(client, indexUid, sample.id, meant);
  const firstMs = performance.now() - startedAt;
  await watcher.onIdle();
  const renamed = await stackPosts(client, indexUid, meant);
  const allMs = performance.now() - startedAt;
  if (renamed.count !== posts)
    throw new Error(`alias ${variant} → ${meant}: ${renamed.count} of ${posts} posts renamed`);
  const revertStartedAt = performance.now();
  await unlink(configFile);
  await untilStackHolds(client, indexUid, sample.id, variant);
  await watcher.onIdle();
  const revertMs = performance.now() - revertStartedAt;
  const restored = await stackPosts(client, indexUid, variant);
  if (restored.count !== posts)
    throw new Error(`alias removed: ${restored.count} of ${posts} posts back to ${variant}`);
  const engineMs = await timeEngineRename(client, target, indexUid, variant, meant);
  return { variant, posts, firstMs, allMs, revertMs, engineMs };
}

/**
 * Meilisearch alone making the same change, as a loader would: the documents whose stack holds
 * `variant`, read from the index beforehand (not timed), sent back with `meant` in its place as
 * NDJSON in the indexer's batches, until every task ends; then sent back as they were (not timed).
 */
async function timeEngineRename(
  client: MeiliClient,
  target: MeiliTarget,
  indexUid: string,
  variant: string,
  meant: string,
): Promise<number> {
  const renamed = new NdjsonBodies(INDEXER_BATCH_BYTES);
  const original = new NdjsonBodies(INDEXER_BATCH_BYTES);
  const page = 5_000;
  for (let offset = 0; ; offset += page) {
    const { results } = await client
      .index(indexUid)
      .getDocuments({ filter: `stack = ${JSON.stringify(variant)}`, limit: page, offset });
    for (const document of results) {
      original.add(JSON.stringify(document));
      const stack = (document.stack ?? []).map((value) => (value === variant ? meant : value));
      renamed.add(JSON.stringify({ ...document, stack }));
    }
    if (results.length < page) break;
  }
  const startedAt = performance.now();
  await sendAlone(target, indexUid, renamed.finish());
  const engineMs = performance.now() - startedAt;
  await sendAlone(target, indexUid, original.finish());
  return engineMs;
}

/**
 * Watch latency on the full index: a file write → the change searchable, split into
 * Meilisearch's own task time (enqueued → finished) and what postindex adds (detection,
 * batching, lock, parse, push, noticing the task ended).
 */
export async function benchWatch(
  server: BenchServer,
  corpusDir: string,
  indexUid: string,
  articles: number,
): Promise<void> {
  const watchDir = path.join(BENCH_DIR, ".data", "watch-content");
  await rm(watchDir, { recursive: true, force: true });
  await cp(corpusDir, watchDir, { recursive: true });
  await mkdir(path.join(watchDir, "edits"), { recursive: true });
  const liveFile = path.join(watchDir, "edits", "live.json");
  const random = createRandom(7);
  const record = generateRecord(10_000_000, random);
  await writeFile(liveFile, JSON.stringify(record));
  const client = createMeiliClient({ url: server.url, apiKey: server.apiKey, timeoutMs: 30_000 });
  const context = {
    client,
    indexUid,
    dataDir: path.join(BENCH_DIR, ".data", "run"),
    log: pino({ level: "warn" }),
    retry: { retryForMs: 60_000 },
  };
  const watcher = new FolderWatcher(context, watchDir);
  const reconcileStartedAt = performance.now();
  await watcher.start();
  const reconcileMs = performance.now() - reconcileStartedAt;
  const totals: number[] = [];
  const meiliTimes: number[] = [];
  const added: number[] = [];
  let alias: AliasEditTimes | undefined;
  try {
    for (let edit = 0; edit < EDITS; edit += 1) {
      const title = `edited title ${edit} ${Date.now()}`;
      const startedAt = performance.now();
      await writeFile(liveFile, JSON.stringify({ ...record, title }));
      await untilVisible(client, indexUid, String(record["id"]), title);
      const total = performance.now() - startedAt;
      const meiliMs = await lastTaskMs(client, indexUid);
      totals.push(total);
      meiliTimes.push(meiliMs);
      added.push(total - meiliMs);
      await watcher.onIdle();
    }
    alias = await timeAliasEdit(watcher, client, server, indexUid, watchDir);
  } finally {
    await watcher.stop();
    await client.close();
  }
  const p95Added = percentile(added, 95);
  await saveSection(`watch/${articles}`, {
    title: `watch: file write → searchable, ${articles.toLocaleString("en-US")} articles`,
    method: `\`FolderWatcher\` on a copy of the ${articles.toLocaleString("en-US")}-article corpus, index already holding it. ${EDITS} sequential edits of one file; each is timed from the write until the new title is returned by Meilisearch (polled every 2 ms). Meilisearch's share is its own task time (enqueuedAt → finishedAt); postindex adds the rest: change detection, batching window (20 ms), the write lock, parsing, the push and noticing the task ended (polled every 20 ms). Then an edit of \`${CONFIG_FILE}\`: the corpus's most used stack value declared an alias of a new name; the watcher answers it with a full reconcile (the folder re-read, the documents whose content changed pushed); timed from the write until one such post shows the new name (polled every 20 ms) and until the watcher is idle with every one renamed (counted), then the file removed and the way back timed the same way. Beside it, Meilisearch alone making the same change as a loader would: those documents, read from the index beforehand (not timed), sent back with the new name as NDJSON in the indexer's ${INDEXER_BATCH_BYTES / 2 ** 20} MiB batches, until every task ends.`,
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: machineLine(),
    command: benchCommand(),
    figures: [
      {
        name: `start-up reconcile (${articles.toLocaleString("en-US")} articles)`,
        value: `${(reconcileMs / 1000).toFixed(1)} s`,
      },
      {
        name: "write → searchable p50 / p95",
        value: `${percentile(totals, 50).toFixed(0)} / ${percentile(totals, 95).toFixed(0)} ms`,
      },
      {
        name: "Meilisearch task p50 / p95",
        value: `${percentile(meiliTimes, 50).toFixed(0)} / ${percentile(meiliTimes, 95).toFixed(0)} ms`,
      },
      {
        name: "postindex adds p50 / p95",
        value: `${percentile(added, 50).toFixed(0)} / ${p95Added.toFixed(0)} ms`,
        target: "p95 ≤ 150 ms",
        met: p95Added <= 150,
      },
      ...(alias === undefined
        ? []
        : [
            {
              name: `${CONFIG_FILE} edit: stack "${alias.variant}" (${alias.posts.toLocaleString("en-US")} posts) made an alias → first post renamed / every post renamed`,
              value: `${(alias.firstMs / 1000).toFixed(1)} s / ${(alias.allMs / 1000).toFixed(1)} s`,
            },
            { name: "the alias removed again → every post back", value: `${(alias.revertMs / 1000).toFixed(1)} s` },
            {
              name: `Meilisearch alone replacing the same ${alias.posts.toLocaleString("en-US")} documents with the new name / the watcher's every post renamed`,
              value: `${(alias.engineMs / 1000).toFixed(1)} s / ${(alias.allMs / 1000).toFixed(1)} s = ${(alias.allMs / alias.engineMs).toFixed(2)}×`,
            },
          ]),
    ],
  });
  console.log(`watch: postindex adds p95 ${p95Added.toFixed(0)} ms`);
}
