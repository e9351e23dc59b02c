import { access, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { planArticles, isPlainSpec, type ArticlePlan, type PlantedGroup } from "./corpus.js";
import { BENCH_DIR } from "./results.js";
import { SHAPES, type BrokenRecord, type ShapeName } from "./shapes.js";

/**
 * The benchmark corpora, generated once per shape and size and cached under
 * `bench/.data/corpus-<shape>-<articles>/`:
 *
 * - `content/`: the folder postindex reads;
 * - `posts.json`: post ids the related-posts benchmark picks from ({@link CorpusPosts});
 * - `corpus.json`: what was generated and what `check` must find ({@link CorpusManifest}), written
 *   last, so a corpus without it is incomplete and is generated again;
 * - `documents.ndjson`: the search documents the reindex baseline sends (written by that section).
 */

/** Bumped whenever the generator's output changes, so cached corpora are regenerated. */
const GENERATOR_VERSION = 1;
const SEED = 42;
/** How many ids `commonOnly` and `manyEntities` list, spread evenly over the corpus. */
const SAMPLE_SIZE = 200;

/** Post ids of one corpus, each of an indexed record (never excluded, never broken). */
export interface CorpusPosts {
  /** Every post carrying a planted rare entity (3 common ones besides it). */
  readonly rarePlanted: readonly string[];
  /** Each planted rare entity with the 2–5 posts that share it (and no other post has). */
  readonly rareGroups: readonly PlantedGroup[];
  /** Posts whose only entities are a common stack, area and problem (on ≥ 1/15 of the site each). */
  readonly commonOnly: readonly string[];
  /** Posts with 10–20 entities (common ones and a long tail of topics). */
  readonly manyEntities: readonly string[];
}

export interface CorpusManifest {
  readonly version: number;
  readonly shape: ShapeName;
  readonly articles: number;
  readonly seed: number;
  readonly description: string;
  readonly files: number;
  readonly ignoredFiles: number;
  readonly bytes: number;
  /** What `check` reports for this corpus when every record reads as generated. */
  readonly expected: { readonly indexed: number; readonly excluded: number; readonly rejected: number };
  readonly broken: readonly BrokenRecord[];
}

/** One generated corpus on disk. */
export interface Corpus {
  readonly shape: ShapeName;
  readonly articles: number;
  /** `bench/.data/corpus-<shape>-<articles>` */
  readonly root: string;
  /** The content folder: what `postindex check|reindex` is given. */
  readonly contentDir: string;
  readonly manifest: CorpusManifest;
}

function corpusRoot(shape: ShapeName, articles: number): string {
  return path.join(BENCH_DIR, ".data", `corpus-${shape}-${articles}`);
}

async function readManifest(root: string): Promise<CorpusManifest | undefined> {
  try {
    return JSON.parse(await readFile(path.join(root, "corpus.json"), "utf8")) as CorpusManifest;
  } catch {
    return undefined;
  }
}

/** Evenly spread ids from `ids`, at most `count`. */
function spread(ids: readonly string[], count: number): string[] {
  const step = Math.max(1, ids.length / count);
  const picked: string[] = [];
  for (let at = 0; at < ids.length && picked.length < count; at += step) picked.push(ids[Math.floor(at)] as string);
  return picked;
}

function postsOf(plan: ArticlePlan, broken: readonly BrokenRecord[]): CorpusPosts {
  const brokenIds = new Set(broken.map((record) => record.id));
  const readable = plan.specs.filter((spec) => !brokenIds.has(spec.id));
  return {
    rarePlanted: plan.groups.flatMap((group) => group.ids),
    rareGroups: plan.groups,
    commonOnly: spread(
      readable.filter(isPlainSpec).map((spec) => spec.id),
      SAMPLE_SIZE,
    ),
    manyEntities: spread(
      readable.filter((spec) => spec.profile === "many" && spec.exclusion === undefined).map((spec) => spec.id),
      SAMPLE_SIZE,
    ),
  };
}

/**
 * The corpus of `shape` at `articles` articles: reused from `bench/.data` when it was generated
 * by this generator version, generated (seeded, deterministic) otherwise.
 */
export async function openCorpus(shape: ShapeName, articles: number): Promise<Corpus> {
  const root = corpusRoot(shape, articles);
  const contentDir = path.join(root, "content");
  let manifest = await readManifest(root);
  if (manifest?.version !== GENERATOR_VERSION) {
    await rm(root, { recursive: true, force: true });
    await mkdir(contentDir, { recursive: true });
    console.log(
      `generating the ${shape} corpus of ${articles} articles in ${path.relative(process.cwd(), contentDir)} …`,
    );
    const plan = planArticles(articles, SEED);
    const output = await SHAPES[shape].write(contentDir, plan);
    const excluded = plan.specs.filter((spec) => spec.exclusion !== undefined).length;
    manifest = {
      version: GENERATOR_VERSION,
      shape,
      articles,
      seed: SEED,
      description: SHAPES[shape].description,
      files: output.files,
      ignoredFiles: output.ignoredFiles,
      bytes: output.bytes,
      // Broken records are always indexable ones (see isPlainSpec), so they only take from `indexed`.
      expected: { indexed: articles - excluded - output.broken.length, excluded, rejected: output.broken.length },
      broken: output.broken,
    };
    await writeFile(path.join(root, "posts.json"), `${JSON.stringify(postsOf(plan, output.broken), null, 2)}\n`);
    await writeFile(path.join(root, "corpus.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  }
  console.log(
    `corpus ${shape}: ${articles} articles, ${manifest.files} files, ${(manifest.bytes / 2 ** 20).toFixed(0)} MB`,
  );
  return { shape, articles, root, contentDir, manifest };
}

/** The post ids of a generated corpus (`posts.json`), for picking posts to ask related posts about. */
export async function readCorpusPosts(corpus: Pick<Corpus, "root">): Promise<CorpusPosts> {
  return JSON.parse(await readFile(path.join(corpus.root, "posts.json"), "utf8")) as CorpusPosts;
}

/** Whether `file` exists (a cached artefact of a corpus). */
export async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
