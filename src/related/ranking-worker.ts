import { parentPort } from "node:worker_threads";
import {
  ExportRanker,
  planExport,
  type ExportChunk,
  type ExportOptions,
  type RelatedExportFormat,
} from "./export-ranking.js";
import { RelatedIndex, type RelatedDocument } from "./related-index.js";

/**
 * A ranking worker of an export (started by `ranking-threads.ts`): it receives the posts the main
 * thread reads, into its own related-posts index of them (the same posts give the same answers),
 * then ranks the runs of the export it is asked for and sends back their text, while the main
 * thread ranks others and writes every run in order.
 */

/** What the main thread sends a ranking worker, in this order: documents, start, then runs to rank. */
export type ToRankingWorker =
  /** Posts, in reading order: JSON text of an array of them. */
  | { readonly kind: "documents"; readonly json: string }
  /** Every post is sent: plan the export. */
  | {
      readonly kind: "start";
      readonly options: ExportOptions;
      readonly format: RelatedExportFormat;
      readonly withLists: boolean;
    }
  /** Rank positions `start .. end` of the export. */
  | { readonly kind: "rank"; readonly start: number; readonly end: number };

/** What a ranking worker answers: once it has every post, `ready` (with the posts it holds); then to each `rank`, the run. */
export type FromRankingWorker =
  { readonly kind: "ready"; readonly posts: number } | { readonly kind: "ranked"; readonly chunk: ExportChunk };

const port = parentPort;
if (port === null) throw new Error("ranking-worker runs as a worker thread (see ranking-threads.ts)");

/**
 * The worker's related-posts index, filled as the posts come: it holds the same posts as the main
 * thread's, numbered in arrival order rather than freshest first. That changes no answer: the
 * ranking orders ties itself, the freshness order only lets it stop early (the API's index, once
 * updated live, answers alike without it), and ranking is no slower for it at 100,000 posts. So no
 * post is held twice while the index is built, and the index is ready when the last post comes.
 */
const index = new RelatedIndex();
let ranking: { ranker: ExportRanker; format: RelatedExportFormat; withLists: boolean } | undefined;

// An error thrown here ends the worker, and the main thread's export fails with it.
port.on("message", (message: ToRankingWorker) => {
  if (message.kind === "documents") {
    for (const document of JSON.parse(message.json) as RelatedDocument[]) index.upsert(document);
  } else if (message.kind === "start") {
    const ranker = new ExportRanker(index, planExport(index), message.options);
    ranking = { ranker, format: message.format, withLists: message.withLists };
    const ready: FromRankingWorker = { kind: "ready", posts: index.size };
    port.postMessage(ready);
  } else {
    if (ranking === undefined) throw new Error("ranking-worker: asked to rank before start");
    const reply: FromRankingWorker = {
      kind: "ranked",
      chunk: ranking.ranker.rank(message.start, message.end, ranking.format, ranking.withLists),
    };
    port.postMessage(reply);
  }
});
