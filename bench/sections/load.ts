import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pino } from "pino";
import { FolderWatcher } from "../../indexer/watch.js";
import { createMeiliClient, fromDocumentId, type MeiliClient } from "../../src/index.js";
import { createRandom, generateRecord } from "../corpus.js";
import { ms, runLoad, type LoadRequest, type LoadResult } from "../load.js";
import { BENCH_DIR, machineLine, saveSection } from "../results.js";
import type { BenchTarget } from "./search.js";

/** Options for {@link benchLoad}; the defaults are the figures. */
export interface LoadBenchOptions {
  /** Concurrent keep-alive connections. @default 64 */
  readonly connections?: number;
  /** Seconds under load. @default 30 */
  readonly durationSeconds?: number;
  /** Edits the watcher applies meanwhile, spread evenly over the run. @default 150 */
  readonly edits?: number;
  /** Files the edits rotate through. @default 15 */
  readonly editFiles?: number;
}

/** The bound p99 is held to: a third of the API's 3 s request deadline. */
const P99_TARGET_MS = 1_000;

const SEARCHES = [
  "q=caching%20api%20responses",
  "q=zero%20downtime%20deploys&stack=python%20services",
  "q=debuging%20slow%20queris",
  "q=rate%20limiting&sort=recent",
  "q=kubernetes&page=2",
  "tools=docker&tools=redis",
  "q=cold%20start&sort=popular&limit=20",
  "q=observability&stack=go%20services&stack=rust%20services",
];

const FACET_QUERIES = ["py", "re", "do", "ku"];

/** Record ids of `count` indexed posts spread over the index (one search, ids only). */
async function samplePostIds(client: MeiliClient, indexUid: string, count: number): Promise<string[]> {
  const { hits } = await client
    .index<{ id: string }>(indexUid)
    .search("", { attributesToRetrieve: ["id"], limit: 100_000 });
  const step = Math.max(1, Math.floor(hits.length / count));
  return hits
    .filter((_, index) => index % step === 0)
    .slice(0, count)
    .map((hit) => fromDocumentId(hit.id));
}

/** What a site's visitors ask, in these proportions: searches, posts, related posts, autocomplete. */
function visitorRequests(ids: readonly string[]): LoadRequest[] {
  const requests: LoadRequest[] = [];
  ids.forEach((id, index) => {
    const post = encodeURIComponent(id);
    requests.push({ method: "GET", path: `/search?${SEARCHES[index % SEARCHES.length]}` });
    requests.push({ method: "GET", path: `/search?${SEARCHES[(index + 3) % SEARCHES.length]}` });
    requests.push({ method: "GET", path: `/posts/${post}` });
    requests.push({ method: "GET", path: `/posts/${post}/related?limit=5` });
    if (index % 4 === 0)
      requests.push({ method: "GET", path: `/facets/tools?q=${FACET_QUERIES[(index / 4) % FACET_QUERIES.length]}` });
  });
  return requests;
}

/** An edited, indexable article for file `slot` of the stream: its title says which edit it is. */
function editedRecord(slot: number, edit: number): Record<string, unknown> {
  const record = generateRecord(20_000_000 + slot, createRandom(slot + 1));
  const meta = record["meta"] as Record<string, Record<string, unknown>>;
  return {
    ...record,
    title: `${String(record["title"])} (edit ${edit})`,
    meta: {
      ...meta,
      revision: { ...meta["revision"], status: "reviewed" },
      flags: { ...meta["flags"], noindex: 0, needs_human_review: 0 },
    },
  };
}

/**
 * The API under `connections` concurrent connections for `durationSeconds` (autocannon, cycling
 * through searches, posts, related posts and facet autocomplete over posts spread across the
 * index), while a `FolderWatcher` on a copy of the corpus applies a stream of edits to the same
 * index. Records failures (must be 0: no non-2xx, no error, no timeout), latency percentiles and
 * throughput, and whether every edit reached the index. `target.apiKey` must be able to write
 * (the bench passes the master key): the watcher uses it. The edit files are removed at the end
 * and their posts leave the index, so the index is the corpus again for the sections after.
 */
export async function benchLoad(
  target: BenchTarget,
  corpusDir: string,
  articles: number,
  options: LoadBenchOptions = {},
): Promise<void> {
  const connections = options.connections ?? 64;
  const durationSeconds = options.durationSeconds ?? 30;
  const edits = options.edits ?? 150;
  const editFiles = options.editFiles ?? 15;
  const client = createMeiliClient({ url: target.meiliUrl, apiKey: target.apiKey, timeoutMs: 30_000 });
  const watchDir = path.join(BENCH_DIR, ".data", "load-content");
  const editsDir = path.join(watchDir, "edits");
  await rm(watchDir, { recursive: true, force: true });
  await cp(corpusDir, watchDir, { recursive: true, filter: (source) => !path.basename(source).startsWith(".") });
  await mkdir(editsDir, { recursive: true });
  const context = {
    client,
    indexUid: target.indexUid,
    dataDir: path.join(BENCH_DIR, ".data", "run"),
    log: pino({ level: "warn" }),
    retry: { retryForMs: 60_000 },
  };
  let batches = 0;
  const watcher = new FolderWatcher(context, watchDir, { onApplied: () => (batches += 1) });
  try {
    await watcher.start();
    const requests = visitorRequests(await samplePostIds(client, target.indexUid, 500));
    const latest = new Map<number, number>();
    const editEveryMs = (durationSeconds * 1_000) / (edits + 1);
    let written = 0;
    const stream = setInterval(() => {
      if (written >= edits) return;
      const slot = written % editFiles;
      latest.set(slot, written);
      writeFile(path.join(editsDir, `edit-${slot}.json`), JSON.stringify(editedRecord(slot, written))).catch(
        (error: unknown) => console.warn(`load: could not write an edit: ${String(error)}`),
      );
      written += 1;
    }, editEveryMs);
    const batchesBefore = batches;
    let result: LoadResult;
    try {
      result = await runLoad({ url: target.apiUrl, requests, connections, durationSeconds });
    } finally {
      clearInterval(stream);
    }
    const batchesDuring = batches - batchesBefore;
    const visible = await untilEditsVisible(client, target.indexUid, latest);
    const p99Met = result.p99 <= P99_TARGET_MS;
    await saveSection("load", {
      title: `load: the API under ${connections} connections while the watcher applies edits`,
      method: `autocannon on loopback against \`postindex serve\` (own process) over an index of ${articles.toLocaleString("en-US")} generated articles: ${connections} connections for ${durationSeconds} s, cycling through ${requests.length.toLocaleString("en-US")} requests (searches with typos, facets, sorts and pages; posts; related posts; facet autocomplete) over 500 posts spread across the index, every response timed. Meanwhile a \`FolderWatcher\` on a copy of the corpus rewrites ${editFiles} article files in turn, ${edits} edits evenly spread over the run, into the same index. Failures: non-2xx answers, socket errors and timeouts.`,
      measuredAt: new Date().toISOString().slice(0, 10),
      machine: machineLine(),
      figures: [
        { name: "failed requests", value: String(result.failures), target: "0", met: result.failures === 0 },
        { name: "requests answered", value: result.completed.toLocaleString("en-US") },
        { name: "throughput", value: `${Math.round(result.requestsPerSecond).toLocaleString("en-US")} req/s` },
        { name: "p50 / p95 latency", value: `${ms(result.p50)} / ${ms(result.p95)}` },
        { name: "p99 latency", value: ms(result.p99), target: `≤ ${P99_TARGET_MS / 1_000} s`, met: p99Met },
        { name: "edits written / watcher batches during the run", value: `${written} / ${batchesDuring}` },
        { name: "every edit in the index afterwards", value: visible ? "yes" : "no", target: "yes", met: visible },
      ],
    });
    console.log(
      `load: ${result.failures} failures, p99 ${ms(result.p99)}, ${Math.round(result.requestsPerSecond)} req/s, ${written} edits in ${batchesDuring} batches`,
    );
    if (result.failures > 0 || !visible)
      throw new Error(`load: ${result.failures} failed requests; every edit visible: ${visible}`);
  } finally {
    await rm(editsDir, { recursive: true, force: true });
    await untilGone(client, target.indexUid, editFiles).catch((error: unknown) =>
      console.warn(`load: edit posts still indexed: ${String(error)}`),
    );
    await watcher.stop();
    await rm(watchDir, { recursive: true, force: true });
    await client.close();
  }
}

/** Polls until the last edit of every file is what the index holds (at most 30 s). */
async function untilEditsVisible(
  client: MeiliClient,
  indexUid: string,
  latest: ReadonlyMap<number, number>,
): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const titles = await Promise.all(
      [...latest].map(async ([slot, edit]) => {
        const id = String(editedRecord(slot, edit)["id"]);
        const document = await client
          .index(indexUid)
          .getDocument(id, { fields: ["title"] })
          .catch(() => undefined);
        return document?.title === editedRecord(slot, edit)["title"];
      }),
    );
    if (titles.every(Boolean)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Polls until the edit files' posts have left the index (at most 30 s). */
async function untilGone(client: MeiliClient, indexUid: string, editFiles: number): Promise<void> {
  const ids = Array.from({ length: editFiles }, (_, slot) => String(editedRecord(slot, 0)["id"]));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const found = await Promise.all(
      ids.map((id) =>
        client
          .index(indexUid)
          .getDocument(id, { fields: ["id"] })
          .then(
            () => true,
            () => false,
          ),
      ),
    );
    if (!found.some(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the edit posts did not leave the index within 30 s");
}
