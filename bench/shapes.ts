import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { articleRecord, createRandom, isPlainSpec, messyRecord, type ArticlePlan, type ArticleSpec } from "./corpus.js";

/**
 * The layouts the benchmark corpus is written in: the shapes content folders have in practice.
 * Every shape holds the very same records (`planArticles` + `articleRecord`); only how they are
 * spread over files differs, and `mixed` adds what a real content repository has: CRLF exports,
 * array files, a few broken files and lines, files postindex does not read.
 */
export const SHAPE_NAMES = ["files", "ndjson", "mixed"] as const;
export type ShapeName = (typeof SHAPE_NAMES)[number];

/** A record written so that it cannot be read: a truncated `.json` file or a cut NDJSON line. */
export interface BrokenRecord {
  readonly id: string;
  readonly file: string;
  /** The NDJSON line (1-based); null for a whole `.json` file. */
  readonly line: number | null;
}

/** What writing a shape produced. */
export interface ShapeOutput {
  /** Record files (`.json`, `.ndjson`). */
  readonly files: number;
  /** Files postindex does not read (a README, an image, a hidden file). */
  readonly ignoredFiles: number;
  readonly bytes: number;
  readonly broken: readonly BrokenRecord[];
}

/** One layout: how it is described in RESULTS.md and how it is written. */
export interface Shape {
  readonly name: ShapeName;
  /** One sentence for RESULTS.md. */
  readonly description: string;
  write(dir: string, plan: ArticlePlan): Promise<ShapeOutput>;
}

export function isShapeName(name: string): name is ShapeName {
  return (SHAPE_NAMES as readonly string[]).includes(name);
}

/** Writes files under one folder, a few at a time, creating folders once; counts files and bytes. */
class FileSink {
  readonly #dir: string;
  /** Folders being or already created, so each is made once and every write waits for its own. */
  readonly #folders = new Map<string, Promise<unknown>>();
  readonly #pending = new Set<Promise<void>>();
  files = 0;
  bytes = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Queues one file (`relative` uses `/`); waits while 32 writes are in flight. */
  async write(relative: string, content: string | Uint8Array): Promise<void> {
    const target = path.join(this.#dir, ...relative.split("/"));
    const folder = path.dirname(target);
    this.files += 1;
    this.bytes += typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
    const job = (async () => {
      let made = this.#folders.get(folder);
      if (made === undefined) {
        made = mkdir(folder, { recursive: true });
        this.#folders.set(folder, made);
      }
      await made;
      await writeFile(target, content);
    })();
    this.#pending.add(job);
    void job.finally(() => this.#pending.delete(job)).catch(() => undefined);
    if (this.#pending.size >= 32) await Promise.race(this.#pending);
  }

  async close(): Promise<void> {
    await Promise.all(this.#pending);
  }
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** The parts of a canonical record a file path is built from. */
function pathParts(record: Record<string, unknown>): {
  site: string;
  year: string;
  problem: string;
  stack: string;
  name: string;
} {
  const meta = record["meta"] as {
    ai_outline: { problem: string; stack: string };
    revision: { last_reviewed: string };
    payload: { seed: number };
  };
  const { problem, stack } = meta.ai_outline;
  return {
    site: String(record["site"]),
    year: meta.revision.last_reviewed.slice(0, 4),
    problem: slug(problem),
    stack: slug(stack),
    name: `${slug(problem)}-with-${slug(stack)}-${meta.payload.seed}`,
  };
}

/** The record's text as a content repository keeps it: pretty-printed, one per file. */
function prettyText(record: Record<string, unknown>): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

function written(spec: ArticleSpec, record: Record<string, unknown>): Record<string, unknown> {
  return spec.messy ? messyRecord(record) : record;
}

/** `site/year/…/name.json`, 2–4 folders deep: site/year, then a topic folder, then a stack folder. */
function nestedFilePath(record: Record<string, unknown>, depth: number): string {
  const parts = pathParts(record);
  const folders = [parts.site, parts.year, parts.problem, parts.stack].slice(0, depth);
  return `${folders.join("/")}/${parts.name}.json`;
}

const filesShape: Shape = {
  name: "files",
  description:
    "one pretty-printed JSON file per article in nested folders (`site/year/topic/stack/…`, 2–4 levels deep, named after the article)",
  async write(dir, plan) {
    const sink = new FileSink(dir);
    const layout = createRandom(plan.seed + 1);
    for (const spec of plan.specs) {
      const record = articleRecord(spec, plan.seed);
      await sink.write(nestedFilePath(record, 2 + Math.floor(layout() * 3)), prettyText(written(spec, record)));
    }
    await sink.close();
    return { files: sink.files, ignoredFiles: 0, bytes: sink.bytes, broken: [] };
  },
};

/** Records per NDJSON export and per JSON array file. */
const PER_EXPORT = 1000;

function partName(prefix: string, number: number, extension: string): string {
  return `${prefix}${String(number).padStart(4, "0")}.${extension}`;
}

const ndjsonShape: Shape = {
  name: "ndjson",
  description: `${PER_EXPORT.toLocaleString("en-US")}-record NDJSON exports (compact JSON, LF line ends) in one folder`,
  async write(dir, plan) {
    const sink = new FileSink(dir);
    for (let start = 0; start < plan.specs.length; start += PER_EXPORT) {
      const lines = plan.specs
        .slice(start, start + PER_EXPORT)
        .map((spec) => JSON.stringify(written(spec, articleRecord(spec, plan.seed))));
      await sink.write(partName("part-", start / PER_EXPORT + 1, "ndjson"), `${lines.join("\n")}\n`);
    }
    await sink.close();
    return { files: sink.files, ignoredFiles: 0, bytes: sink.bytes, broken: [] };
  },
};

/** How many truncated `.json` files, and how many cut NDJSON lines, a mixed corpus of `articles` has. */
function brokenCount(articles: number): number {
  return Math.max(2, Math.round(articles / 10_000));
}

/** One NDJSON export of the mixed corpus being filled: its lines and which of them may be cut. */
interface ExportInProgress {
  lines: string[];
  /** Index (in `lines`) and id of the last plain record, the one cut when this export gets a broken line. */
  lastPlain: { at: number; id: string } | undefined;
}

const mixedShape: Shape = {
  name: "mixed",
  description:
    "a content repository: half the articles one JSON file each (60 % flat in `articles/`, 40 % nested `articles/site/year/`), a quarter in JSON array files of 1,000, a quarter in 1,000-line CRLF NDJSON exports (the first with a byte-order mark); every third record in messy spellings; a few truncated JSON files and cut NDJSON lines, a README, an image and a hidden file",
  async write(dir, plan) {
    const sink = new FileSink(dir);
    const layout = createRandom(plan.seed + 2);
    const articles = plan.specs.length;
    const wantBroken = brokenCount(articles);
    const broken: BrokenRecord[] = [];
    let truncatedFiles = 0;
    let arrayRecords: string[] = [];
    let arrayFiles = 0;
    let current: ExportInProgress = { lines: [], lastPlain: undefined };
    let exports = 0;
    let cutLines = 0;

    const flushArray = async (): Promise<void> => {
      if (arrayRecords.length === 0) return;
      arrayFiles += 1;
      await sink.write(`exports/json/${partName("batch-", arrayFiles, "json")}`, `[\n${arrayRecords.join(",\n")}\n]\n`);
      arrayRecords = [];
    };
    const flushExport = async (last: boolean): Promise<void> => {
      if (current.lines.length === 0) return;
      exports += 1;
      const file = `exports/ndjson/${partName("export-", exports, "ndjson")}`;
      // Every other export (and the last, if none was yet) has one line cut in the middle, a half-written export.
      if ((exports % 2 === 0 || (last && cutLines === 0)) && cutLines < wantBroken && current.lastPlain) {
        const { at, id } = current.lastPlain;
        const line = current.lines[at] as string;
        current.lines[at] = line.slice(0, Math.floor(line.length / 2));
        broken.push({ id, file, line: at + 1 });
        cutLines += 1;
      }
      const bom = exports === 1 ? "\uFEFF" : "";
      await sink.write(file, `${bom}${current.lines.join("\r\n")}\r\n`);
      current = { lines: [], lastPlain: undefined };
    };

    for (const spec of plan.specs) {
      const record = articleRecord(spec, plan.seed);
      const text = written(spec, record);
      const bucket = layout();
      const nested = layout() < 0.4;
      if (bucket < 0.5) {
        const parts = pathParts(record);
        const file = nested ? `articles/${parts.site}/${parts.year}/${parts.name}.json` : `articles/${parts.name}.json`;
        let content = prettyText(text);
        // Truncated files spread over the corpus, each standing for one plain record.
        if (
          isPlainSpec(spec) &&
          truncatedFiles < wantBroken &&
          spec.index >= ((truncatedFiles + 1) * articles) / (wantBroken + 1)
        ) {
          content = content.slice(0, Math.floor(content.length * 0.6));
          broken.push({ id: spec.id, file, line: null });
          truncatedFiles += 1;
        }
        await sink.write(file, content);
      } else if (bucket < 0.75) {
        arrayRecords.push(JSON.stringify(text));
        if (arrayRecords.length === PER_EXPORT) await flushArray();
      } else {
        if (isPlainSpec(spec)) current.lastPlain = { at: current.lines.length, id: spec.id };
        current.lines.push(JSON.stringify(text));
        if (current.lines.length === PER_EXPORT) await flushExport(false);
      }
    }
    await flushArray();
    await flushExport(true);
    const recordFiles = sink.files;
    await sink.write("README.md", "# Articles\n\nExported by the content pipeline; `articles/` is edited by hand.\n");
    await sink.write("assets/cover.png", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    await sink.write("articles/.DS_Store", "\0\0\0\x01Bud1");
    await sink.close();
    return { files: recordFiles, ignoredFiles: sink.files - recordFiles, bytes: sink.bytes, broken };
  },
};

/** The shapes by name, in the order the benchmark runs and reports them. */
export const SHAPES: Readonly<Record<ShapeName, Shape>> = { files: filesShape, ndjson: ndjsonShape, mixed: mixedShape };
