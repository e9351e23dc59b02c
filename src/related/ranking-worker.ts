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
 * thread reads, builds its own related-posts index of them (the same posts give the same index),
 * then ranks the runs of the export it is asked for and sends back their text, while the main
 * thread ranks others and writes every run in order.
 */

/** What the main thread sends a ranking worker, in this order: documents, start, then runs to rank. */
export type ToRankingWorker =
  /**
   * Posts, in reading order: JSON text of an array, with `null` where a post's numbers JSON
   * cannot carry (NaN, ±Infinity), those posts given in `exotic` by their place in the array.
   */
  | {
      readonly kind: "documents";
      readonly json: string;
      readonly exotic: readonly (readonly [number, RelatedDocument])[];
    }
  /** Every post is sent: build the index and plan the export. */
  | {
      readonly kind: "start";
      readonly options: ExportOptions;
      readonly format: RelatedExportFormat;
      readonly withLists: boolean;
    }
  /** Rank positions `start .. end` of the export. */
  | { readonly kind: "rank"; readonly start: number; readonly end: number };

/** What a ranking worker answers: once its index is built, `ready` (with the posts it holds); then to each `rank`, the run. */
export type FromRankingWorker =
  { readonly kind: "ready"; readonly posts: number } | { readonly kind: "ranked"; readonly chunk: ExportChunk };

const port = parentPort;
if (port === null) throw new Error("ranking-worker runs as a worker thread (see ranking-threads.ts)");

let documents: RelatedDocument[] = [];
/** One copy of each facet value and entity of the posts received (JSON gives each post its own). */
let values = new Map<string, string>();
let entities = new Map<string, RelatedDocument["entities"][number]>();
let ranking: { ranker: ExportRanker; format: RelatedExportFormat; withLists: boolean } | undefined;

// An error thrown here ends the worker, and the main thread's export fails with it.
port.on("message", (message: ToRankingWorker) => {
  if (message.kind === "documents") {
    const batch = JSON.parse(message.json) as (RelatedDocument | null)[];
    for (const [at, document] of message.exotic) batch[at] = document;
    for (const document of batch) documents.push(shared(document as RelatedDocument));
  } else if (message.kind === "start") {
    const index = RelatedIndex.of(documents);
    documents = [];
    values = new Map();
    entities = new Map();
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

/** The one copy of `text` among the posts received (anything but text as it is). */
function value<V>(text: V): V {
  if (typeof text !== "string") return text;
  const known = values.get(text);
  if (known !== undefined) return known as V;
  values.set(text, text);
  return text;
}

/**
 * The post with its facet values and entities shared with the posts received before (in place):
 * until the index is built, the worker holds every post, and their repeated values would be most
 * of its memory. Values of other types are left as they are, for the index to read as it reads them.
 */
function shared(document: RelatedDocument): RelatedDocument {
  if (Array.isArray(document.entities)) {
    document.entities = document.entities.map((entity) => {
      // Only plain `{name, type}` entities are shared (anything else is kept as it came).
      if (typeof entity?.name !== "string" || typeof entity.type !== "string" || Object.keys(entity).length !== 2)
        return entity;
      const key = `${entity.type}\u0000${entity.name}`;
      const known = entities.get(key);
      if (known !== undefined) return known;
      entities.set(key, entity);
      return entity;
    });
  }
  if (Array.isArray(document.stack)) document.stack = document.stack.map(value);
  if (Array.isArray(document.tools)) document.tools = document.tools.map(value);
  document.difficulty = value(document.difficulty);
  document.scenario = value(document.scenario);
  document.code_language = value(document.code_language);
  return document;
}
