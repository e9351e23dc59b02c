import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * A generated, deterministic corpus of article records for the benchmark: realistic field sizes,
 * every export spelling the input contract accepts (a third canonical, a third messy, a third mixed),
 * a few excluded and broken records, and entities whose frequencies follow a Zipf-like curve so that
 * related-posts scoring meets both rare and very common entities (an area like "backend").
 */

/** Mulberry32: a small seeded PRNG, so every run generates the same corpus. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STACKS = ["python services", "node services", "go services", "rust services", "java services", "php sites", "static sites", "react apps", "vue apps", "django apps", "rails apps", "wordpress sites"];
const AREAS = ["backend", "frontend", "devops", "data", "security", "performance", "testing", "search"];
const TOOLS = ["git", "docker", "kubernetes", "nginx", "postgres", "redis", "pytest", "fastapi", "uvicorn", "ruff", "express", "vitest", "webpack", "vite", "terraform", "ansible", "grafana", "prometheus", "sentry", "logs", "cdn", "meilisearch", "elasticsearch", "kafka", "rabbitmq"];
const PROBLEMS = ["testing critical paths before launch", "reducing cold start time", "fixing memory leaks", "caching api responses", "zero downtime deploys", "debugging slow queries", "rotating secrets", "rate limiting", "handling timeouts", "observability on a budget", "migrating a database", "paginating large lists", "indexing content for search", "shrinking bundle size", "hardening containers"];
const SCENARIOS = ["behind a cdn", "on a single vps", "in kubernetes", "on serverless", "in a monorepo", "with a small team", "under heavy load", "during a migration"];
const DIFFICULTIES = ["beginner", "intermediate", "advanced"];
const LANGUAGES = ["python", "javascript", "typescript", "go", "rust", "java", "php", "ruby"];
const WORDS = "when a project grows the team ships software changes carefully measures results documents every step keeps rollback plans ready reviews metrics and avoids surprises in production while cache rules query plans and templates stay separate".split(" ");

/** Index drawn with a Zipf-like bias: low indexes are common, high ones rare. */
function zipf(random: () => number, size: number, skew = 1.1): number {
  return Math.min(size - 1, Math.floor(size * Math.pow(random(), skew * 2)));
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function sentence(random: () => number, length: number): string {
  return Array.from({ length }, () => pick(random, WORDS)).join(" ") + ".";
}

/** One canonical record (the shape of `tests/fixtures/records/alphanode-000504.json`). */
export function generateRecord(index: number, random: () => number): Record<string, unknown> {
  const stack = STACKS[zipf(random, STACKS.length)] as string;
  const area = AREAS[zipf(random, AREAS.length, 0.6)] as string;
  const problem = PROBLEMS[zipf(random, PROBLEMS.length)] as string;
  // A long tail of rare, post-specific entities, as real articles have.
  const rareTopic = `topic ${zipf(random, 20_000, 1.6)}`;
  const tools = [...new Set(Array.from({ length: 3 + Math.floor(random() * 4) }, () => TOOLS[zipf(random, TOOLS.length)] as string))];
  const scenario = pick(random, SCENARIOS);
  const id = `gen-${String(index).padStart(7, "0")}`;
  const status = random() < 0.04 ? "draft" : "reviewed";
  return {
    id,
    site: "benchsite",
    title: `practical guide to ${problem} with ${stack} ${index}`,
    intro: sentence(random, 30),
    sections: [
      { heading: "context", paragraphs: [sentence(random, 60), sentence(random, 50)] },
      { heading: "checklist", items: ["run linting", "run unit tests", "tag the release"] },
      { heading: "final notes", paragraphs: [sentence(random, 50)] },
    ],
    meta: {
      topic: `${problem} / ${stack}`,
      summary: sentence(random, 25),
      ai_outline: { context: scenario, problem, stack, recommended_action: "measure first, change carefully" },
      stack: [stack, area],
      tools,
      code_language: pick(random, LANGUAGES),
      difficulty: pick(random, DIFFICULTIES),
      reading_time: 2 + Math.floor(random() * 15),
      view_count: Math.floor(random() * 100_000),
      score: { quality: Math.floor(random() * 100), freshness: Math.floor(random() * 100), depth: 50, clarity: 60 },
      revision: { status, version: "1.0.0", last_reviewed: `20${10 + Math.floor(random() * 15)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}` },
      flags: { ai_generated_style: 1, has_images: 0, image_heavy: 0, needs_human_review: 0, noindex: random() < 0.02 ? 1 : 0 },
      entities: [
        { name: stack, type: "stack" },
        { name: area, type: "area" },
        { name: problem, type: "problem" },
        { name: tools[0], type: "tool" },
        { name: rareTopic, type: "topic" },
      ],
      payload: { source_id: id, generator: "bench", paragraphs: 3, scenario, seed: index },
    },
  };
}

/** The same record in the messy spellings real exports use (see `alphanode-000504.messy.json`). */
export function messyRecord(record: Record<string, unknown>): Record<string, unknown> {
  const meta = record["meta"] as Record<string, any>;
  const { id: _id, meta: _meta, ...rest } = record;
  const kv = (group: Record<string, unknown>): string[] => Object.entries(group).map(([k, v]) => `${k.replace(/_/g, " ")}: ${v}`);
  return {
    ...rest,
    title: `  ${String(record["title"])} `,
    "Post Meta": {
      ...meta,
      ai_outline: undefined,
      "ai outline": kv(meta.ai_outline),
      stack: `[${(meta.stack as string[]).map((s) => `'${s}'`).join(", ")}]`,
      tools: (meta.tools as string[]).join(", "),
      difficulty: String(meta.difficulty).toUpperCase(),
      reading_time: undefined,
      "reading time": `${meta.reading_time} min`,
      view_count: undefined,
      viewCount: Number(meta.view_count).toLocaleString("en-US"),
      score: kv(meta.score),
      revision: kv(meta.revision),
      flags: kv(meta.flags),
      entities: (meta.entities as { name: string; type: string }[]).flatMap((e) => [`name: ${e.name}`, `type: ${e.type}`]),
      payload: kv(meta.payload),
    },
  };
}

export interface CorpusOptions {
  articles: number;
  /** Records per NDJSON file. @default 1000 */
  perFile?: number;
  seed?: number;
}

/** Writes the corpus as NDJSON files under `dir`; returns the canonical records' ids in order. */
export async function writeCorpus(dir: string, options: CorpusOptions): Promise<{ files: number; bytes: number }> {
  const perFile = options.perFile ?? 1000;
  const random = createRandom(options.seed ?? 42);
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  let files = 0;
  for (let start = 0; start < options.articles; start += perFile) {
    const lines: string[] = [];
    for (let index = start; index < Math.min(options.articles, start + perFile); index += 1) {
      const record = generateRecord(index, random);
      lines.push(JSON.stringify(index % 3 === 1 ? messyRecord(record) : record));
    }
    const text = lines.join("\n") + "\n";
    bytes += Buffer.byteLength(text);
    files += 1;
    await writeFile(path.join(dir, `part-${String(files).padStart(4, "0")}.ndjson`), text);
  }
  return { files, bytes };
}
