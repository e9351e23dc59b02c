import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { CommanderError } from "commander";
import { LiveRelatedIndex } from "../../api/related-refresher.js";
import { DEFAULT_TYPE_WEIGHTS, type RelatedIndex } from "../../src/index.js";
import {
  addExportCounts,
  emptyExportCounts,
  exportEnd,
  type RelatedExportCounts,
} from "../../src/related/export-ranking.js";
import { RankingThreads } from "../../src/related/ranking-threads.js";
import { relatedIndexFromFolder } from "../../src/related/related-export.js";
import {
  diffExports,
  formatDiff,
  parseExport,
  type ExportLists,
  type RelatedDiff,
} from "../../src/related/related-diff.js";
import type { Config } from "../config.js";
import { EXIT, requireFolder } from "../options.js";
import { createProgressBar } from "../progress.js";
import type { RelatedCommandOptions } from "../related-options.js";
import { connectFromConfig, loggerFor } from "../runtime.js";

/**
 * `postindex related [DIR] --out FILE`: every indexed post's related list, each exactly what
 * `GET /posts/:id/related` answers for the same `--limit` (and `--min-score`), from the live index
 * (as the API loads it) or, given DIR, straight from a content folder with no server. NDJSON (one
 * answer per line) or `--format json` (one object keyed by id), in record id order; `--diff OLD`
 * compares with an earlier export. Progress on a terminal; `--json` prints the report.
 */

/** What the command reports (`--json`). */
export interface RelatedReport {
  /** Where the posts came from: a content folder, or the live index. */
  source: { folder: string } | { index: string };
  out: string | null;
  format: RelatedCommandOptions["format"];
  limit: number;
  minScore: number | null;
  /** Records of the folder (folder mode only). */
  records?: { indexed: number; excluded: number; rejected: number; duplicates: number };
  export: RelatedExportCounts;
  /** Milliseconds: reading the posts into the related-posts index, computing and writing every list, in all. */
  timings: { loadMs: number; exportMs: number; totalMs: number };
  diff?: RelatedDiff;
}

/** Bytes gathered before a write: one write per line would cost more than the lists themselves. */
const WRITE_CHUNK = 1 << 20;

export async function runRelated(
  config: Config,
  dir: string | undefined,
  options: RelatedCommandOptions,
): Promise<number> {
  const startedAt = performance.now();
  // As the API: the request's own threshold, else the configured one (POSTINDEX_RELATED_MIN_SCORE).
  const minScore = options.minScore ?? config.api.relatedMinScore;
  if (options.out === undefined && options.diff === undefined)
    throw usage("say where the export goes (--out FILE, or --out - for stdout), or compare with --diff OLD");
  const toStdout = options.out === "-";
  // stdout carries the export with `--out -`: the report then goes to stderr.
  const reportStream = toStdout ? process.stderr : process.stdout;
  const before = options.diff === undefined ? undefined : await readOldExport(options.diff);
  const folder = dir === undefined ? undefined : await requireFolder(dir);

  // The lists are ranked on every core (the threads take the posts as they are read).
  const threads = new RankingThreads({ workers: config.relatedWorkers });
  try {
    const loaded = folder === undefined ? await loadLiveIndex(config, threads) : await loadFolderIndex(folder, threads);
    const loadMs = performance.now() - startedAt;

    const exportStartedAt = performance.now();
    const counts = emptyExportCounts();
    const after: ExportLists | undefined = before === undefined ? undefined : new Map();
    const posts = loaded.index.size;
    const bar = createProgressBar("related", process.stderr, "posts");
    const chunks = threads.export(
      loaded.index,
      { limit: options.limit, typeWeights: config.api.typeWeights ?? DEFAULT_TYPE_WEIGHTS, minScore },
      options.format,
      after !== undefined,
    );
    const pieces = (async function* () {
      for await (const chunk of chunks) {
        addExportCounts(counts, chunk.counts);
        for (const [id, entries] of chunk.lists ?? []) after?.set(id, entries);
        bar.update(counts.posts, posts, `${counts.entries} entries`);
        yield chunk.text;
      }
      yield exportEnd(options.format, counts.posts);
    })();
    if (options.out === undefined) for await (const _ of pieces);
    else await writeAll(pieces, toStdout ? process.stdout : createWriteStream(options.out));
    bar.stop();
    const exportMs = performance.now() - exportStartedAt;

    const report: RelatedReport = {
      source: folder === undefined ? { index: config.indexUid } : { folder },
      out: options.out ?? null,
      format: options.format,
      limit: options.limit,
      minScore: minScore ?? null,
      ...(loaded.records === undefined ? {} : { records: loaded.records }),
      export: counts,
      timings: { loadMs: Math.round(loadMs), exportMs: Math.round(exportMs), totalMs: Math.round(loadMs + exportMs) },
      ...(before === undefined || after === undefined ? {} : { diff: diffExports(before, after) }),
    };
    reportStream.write(`${options.json ? JSON.stringify(report) : summary(report)}\n`);
    return EXIT.ok;
  } finally {
    await threads.close();
  }
}

function usage(message: string): CommanderError {
  return new CommanderError(EXIT.usage, "postindex.usage", message);
}

async function readOldExport(file: string): Promise<ExportLists> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) throw usage(`cannot read the export to compare with: ${file}`);
  try {
    return parseExport(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${file} is not a related-posts export: ${reason}`, { cause: error });
  }
}

interface LoadedIndex {
  readonly index: RelatedIndex;
  readonly records?: { indexed: number; excluded: number; rejected: number; duplicates: number };
}

async function loadFolderIndex(folder: string, threads: RankingThreads): Promise<LoadedIndex> {
  const bar = createProgressBar("reading", process.stderr);
  const { index, counts } = await relatedIndexFromFolder(
    folder,
    (p) => bar.update(p.doneFiles, p.totalFiles, `${p.records} records`),
    (document) => threads.add(document),
  );
  bar.stop();
  return { index, records: counts };
}

/** The live index's posts, read as the API reads them at start-up (and handed on to the ranking threads). */
async function loadLiveIndex(config: Config, threads: RankingThreads): Promise<LoadedIndex> {
  const log = loggerFor(config, { quietOnTerminal: true });
  const connection = await connectFromConfig(config, log);
  const live = new LiveRelatedIndex({ client: connection.client, indexUid: config.indexUid, log });
  try {
    const index = await live.current();
    for (const document of index.documents()) threads.add(document);
    return { index };
  } finally {
    await live.close();
    await connection.close();
  }
}

/** Writes every piece, a chunk at a time, waiting whenever the stream asks to; ends a file (never stdout). */
async function writeAll(pieces: AsyncIterable<string>, stream: Writable): Promise<void> {
  const failed = new Promise<never>((_, reject) => stream.once("error", reject));
  failed.catch(() => undefined);
  let chunk = "";
  for await (const piece of pieces) {
    chunk += piece;
    if (chunk.length < WRITE_CHUNK) continue;
    if (!stream.write(chunk)) await Promise.race([once(stream, "drain"), failed]);
    chunk = "";
  }
  if (chunk !== "") stream.write(chunk);
  if (stream === process.stdout) {
    await new Promise<void>((resolve, reject) => stream.write("", (error) => (error ? reject(error) : resolve())));
    return;
  }
  stream.end();
  await Promise.race([once(stream, "finish"), failed]);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function summary(report: RelatedReport): string {
  const { export: counts, timings } = report;
  const from = "folder" in report.source ? report.source.folder : `index ${report.source.index}`;
  const where = report.out === null ? "" : report.out === "-" ? " to stdout" : ` to ${report.out}`;
  const lines = [
    `related posts of ${counts.posts} posts from ${from}${where} in ${seconds(timings.totalMs)} ` +
      `(reading ${seconds(timings.loadMs)}, lists ${seconds(timings.exportMs)}): ${counts.entries} entries ` +
      `(${counts.pinned} pinned, ${counts.entities} by entities, ${counts.fallback} fallback), ` +
      `${counts.fallbackLists} lists with a fallback, ${counts.emptyLists} empty`,
  ];
  if (report.diff !== undefined) lines.push("", formatDiff(report.diff));
  return lines.join("\n");
}
