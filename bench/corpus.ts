/**
 * Generated, deterministic article records for the benchmark. Two generators:
 *
 * - {@link generateRecord}: one record with Zipf-like entity frequencies (the tests and the watch
 *   and load sections use it; its output must not change);
 * - {@link planArticles} + {@link articleRecord}: the benchmark corpus, whose entity distributions
 *   are chosen so related posts meet the cases users have: most posts carry 3 entities from a
 *   small vocabulary (an area is on a quarter of the site, a stack on an eighth), a fifth carry
 *   10–20 entities, and a few carry a planted rare entity shared by exactly 2–5 posts.
 *
 * The layouts the corpus is written in (one file per article, NDJSON exports, a mixed content
 * repository) are in `shapes.ts`; generation and caching under `bench/.data` in `corpus-cache.ts`.
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

const STACKS = [
  "python services",
  "node services",
  "go services",
  "rust services",
  "java services",
  "php sites",
  "static sites",
  "react apps",
  "vue apps",
  "django apps",
  "rails apps",
  "wordpress sites",
];
const AREAS = ["backend", "frontend", "devops", "data", "security", "performance", "testing", "search"];
const TOOLS = [
  "git",
  "docker",
  "kubernetes",
  "nginx",
  "postgres",
  "redis",
  "pytest",
  "fastapi",
  "uvicorn",
  "ruff",
  "express",
  "vitest",
  "webpack",
  "vite",
  "terraform",
  "ansible",
  "grafana",
  "prometheus",
  "sentry",
  "logs",
  "cdn",
  "meilisearch",
  "elasticsearch",
  "kafka",
  "rabbitmq",
];
const PROBLEMS = [
  "testing critical paths before launch",
  "reducing cold start time",
  "fixing memory leaks",
  "caching api responses",
  "zero downtime deploys",
  "debugging slow queries",
  "rotating secrets",
  "rate limiting",
  "handling timeouts",
  "observability on a budget",
  "migrating a database",
  "paginating large lists",
  "indexing content for search",
  "shrinking bundle size",
  "hardening containers",
];
const SCENARIOS = [
  "behind a cdn",
  "on a single vps",
  "in kubernetes",
  "on serverless",
  "in a monorepo",
  "with a small team",
  "under heavy load",
  "during a migration",
];
const DIFFICULTIES = ["beginner", "intermediate", "advanced"];
const LANGUAGES = ["python", "javascript", "typescript", "go", "rust", "java", "php", "ruby"];
const WORDS =
  "when a project grows the team ships software changes carefully measures results documents every step keeps rollback plans ready reviews metrics and avoids surprises in production while cache rules query plans and templates stay separate".split(
    " ",
  );

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
  const tools = [
    ...new Set(Array.from({ length: 3 + Math.floor(random() * 4) }, () => TOOLS[zipf(random, TOOLS.length)] as string)),
  ];
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
      revision: {
        status,
        version: "1.0.0",
        last_reviewed: `20${10 + Math.floor(random() * 15)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
      },
      flags: {
        ai_generated_style: 1,
        has_images: 0,
        image_heavy: 0,
        needs_human_review: 0,
        noindex: random() < 0.02 ? 1 : 0,
      },
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

/** A key-value group as `"key: value"` lines, keys spelled with spaces. */
function kv(group: Record<string, unknown>): string[] {
  return Object.entries(group).map(([k, v]) => `${k.replace(/_/g, " ")}: ${String(v)}`);
}

/** The same record in the messy spellings real exports use (see `alphanode-000504.messy.json`). */
export function messyRecord(record: Record<string, unknown>): Record<string, unknown> {
  const meta = record["meta"] as Record<string, any>;
  const { id: _id, meta: _meta, ...rest } = record;
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
      entities: (meta.entities as { name: string; type: string }[]).flatMap((e) => [
        `name: ${e.name}`,
        `type: ${e.type}`,
      ]),
      payload: kv(meta.payload),
    },
  };
}

/** What every benchmark corpus holds, whatever its layout: one sentence for RESULTS.md. */
export const CORPUS_RECORDS =
  "Every shape holds the same seeded records (about 3 KB of text each, 4 sites): 4 in 5 posts carry 3 entities from a small vocabulary (one of 4 areas, so an area is on a quarter of the site; one of 8 stacks, an eighth; one of 15 problems), 1 in 5 carry 10–20 entities (those three, tools, a scenario, a language and a long tail of topics); max(10, N / 2,000) rare entities are planted on exactly 2–5 posts each; every third record is in messy export spellings; 2 % are drafts and 1 % noindex (excluded). `bench/.data/corpus-SHAPE-N/posts.json` lists post ids of each kind.";

/** Sites of the benchmark corpus: the id prefix and the first folder of the `files` layout. */
export const SITES = ["alphanode", "byteharbor", "cloudnotes", "devcrafts"] as const;
/** Eight stacks drawn uniformly: each is on an eighth of the site. */
const COMMON_STACKS = [
  "python services",
  "node services",
  "go services",
  "rust services",
  "java services",
  "php sites",
  "react apps",
  "static sites",
] as const;
/** Four areas drawn uniformly: each is on a quarter of the site. */
const COMMON_AREAS = ["backend", "frontend", "devops", "data"] as const;

/** `few`: 3 entities from the small vocabulary; `many`: 10–20 entities, with a long tail of topics. */
export type EntityProfile = "few" | "many";

/** A post's entity, as records carry it. */
export interface Entity {
  readonly name: string;
  readonly type: string;
}

/** What the plan decided about one article before its text is generated. */
export interface ArticleSpec {
  readonly index: number;
  readonly id: string;
  readonly site: (typeof SITES)[number];
  readonly profile: EntityProfile;
  /** A rare entity shared by exactly 2–5 posts (its group), when the post is one of them. */
  readonly planted: Entity | undefined;
  /** Why the record is excluded (`revision.status` draft, `flags.noindex`), if it is. */
  readonly exclusion: "draft" | "noindex" | undefined;
  /** Written in the messy export spellings ({@link messyRecord}): every third record. */
  readonly messy: boolean;
}

/** A planted rare entity and the posts (record ids) that share it. */
export interface PlantedGroup {
  readonly entity: Entity;
  readonly ids: readonly string[];
}

export interface ArticlePlan {
  readonly seed: number;
  readonly specs: readonly ArticleSpec[];
  readonly groups: readonly PlantedGroup[];
}

/** Share of posts with 10–20 entities. */
const MANY_ENTITIES_SHARE = 0.2;
const DRAFT_SHARE = 0.02;
const NOINDEX_SHARE = 0.01;

/** Whether a post is one the layouts may break or the posts list may call "common only". */
export function isPlainSpec(spec: ArticleSpec): boolean {
  return spec.profile === "few" && spec.planted === undefined && spec.exclusion === undefined;
}

/**
 * Decides, for `count` articles, each one's site, entity profile, exclusion and spelling, and
 * plants `max(10, count / 2000)` rare entities, each on exactly 2–5 indexable posts with 3 common
 * entities (so the rare one decides their related posts). Deterministic in `seed`.
 */
export function planArticles(count: number, seed = 42): ArticlePlan {
  const random = createRandom(seed);
  const specs: ArticleSpec[] = [];
  for (let index = 0; index < count; index += 1) {
    const site = pick(random, SITES);
    const profile: EntityProfile = random() < MANY_ENTITIES_SHARE ? "many" : "few";
    const draw = random();
    const exclusion = draw < DRAFT_SHARE ? "draft" : draw < DRAFT_SHARE + NOINDEX_SHARE ? "noindex" : undefined;
    specs.push({
      index,
      id: `${site}-${String(index).padStart(7, "0")}`,
      site,
      profile,
      planted: undefined,
      exclusion,
      messy: index % 3 === 1,
    });
  }
  const groups: PlantedGroup[] = [];
  const groupCount = Math.max(10, Math.round(count / 2000));
  for (let group = 0; group < groupCount; group += 1) {
    const entity = { name: `rare quirk ${group + 1}`, type: "topic" };
    const size = 2 + (group % 4);
    const ids: string[] = [];
    for (let attempt = 0; ids.length < size && attempt < count * 4; attempt += 1) {
      const index = Math.floor(random() * count);
      const spec = specs[index] as ArticleSpec;
      if (!isPlainSpec(spec)) continue;
      specs[index] = { ...spec, planted: entity };
      ids.push(spec.id);
    }
    if (ids.length < 2) break;
    groups.push({ entity, ids });
  }
  return { seed, specs, groups };
}

/** Up to `count` distinct values of `draw()` (fewer when the vocabulary is too small). */
function distinct(count: number, draw: () => string): string[] {
  const found = new Set<string>();
  for (let attempt = 0; found.size < count && attempt < count * 20; attempt += 1) found.add(draw());
  return [...found];
}

/** The entities of one post, by its profile (and its planted rare entity, if any). */
function entitiesFor(
  spec: ArticleSpec,
  random: () => number,
  parts: { stack: string; area: string; problem: string; tools: string[]; scenario: string; language: string },
): Entity[] {
  const entities: Entity[] = [
    { name: parts.stack, type: "stack" },
    { name: parts.area, type: "area" },
    { name: parts.problem, type: "problem" },
  ];
  if (spec.profile === "many") {
    const total = 10 + Math.floor(random() * 11);
    entities.push(...parts.tools.map((name) => ({ name, type: "tool" })));
    entities.push({ name: parts.scenario, type: "scenario" }, { name: parts.language, type: "language" });
    const topics = distinct(Math.max(0, total - entities.length), () => `topic ${zipf(random, 5_000, 1.6)}`);
    entities.push(...topics.map((name) => ({ name, type: "topic" })));
  }
  if (spec.planted) entities.push(spec.planted);
  return entities;
}

/**
 * The canonical record of one planned article (same fields and text sizes as
 * {@link generateRecord}); apply {@link messyRecord} when `spec.messy`. Its text depends only on
 * `seed` and the article's index, so every layout holds the very same records.
 */
export function articleRecord(spec: ArticleSpec, seed = 42): Record<string, unknown> {
  const random = createRandom((Math.imul(seed, 0x9e3779b1) ^ (spec.index + 1)) >>> 0);
  const stack = pick(random, COMMON_STACKS);
  const area = pick(random, COMMON_AREAS);
  const problem = pick(random, PROBLEMS);
  const scenario = pick(random, SCENARIOS);
  const language = pick(random, LANGUAGES);
  const tools = distinct(3 + Math.floor(random() * 4), () => TOOLS[zipf(random, TOOLS.length)] as string);
  const entities = entitiesFor(spec, random, { stack, area, problem, tools, scenario, language });
  const year = 2012 + Math.floor(random() * 13);
  return {
    id: spec.id,
    site: spec.site,
    title: `practical guide to ${problem} with ${stack} ${spec.index}`,
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
      code_language: language,
      difficulty: pick(random, DIFFICULTIES),
      reading_time: 2 + Math.floor(random() * 15),
      view_count: Math.floor(random() * 100_000),
      score: { quality: Math.floor(random() * 100), freshness: Math.floor(random() * 100), depth: 50, clarity: 60 },
      revision: {
        status: spec.exclusion === "draft" ? "draft" : "reviewed",
        version: "1.0.0",
        last_reviewed: `${year}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
      },
      flags: {
        ai_generated_style: 1,
        has_images: 0,
        image_heavy: 0,
        needs_human_review: 0,
        noindex: spec.exclusion === "noindex" ? 1 : 0,
      },
      entities,
      payload: { source_id: spec.id, generator: "bench", paragraphs: 3, scenario, seed: spec.index },
    },
  };
}
