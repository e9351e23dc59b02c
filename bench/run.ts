import { execFileSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { openCorpus, readCorpusPosts, type Corpus } from "./corpus-cache.js";
import { PROJECT_DIR } from "./process.js";
import { BENCH_DIR } from "./results.js";
import { isShapeName, SHAPE_NAMES, type ShapeName } from "./shapes.js";
import { createMeiliClient, startEmbeddedMeili, type EmbeddedMeili } from "../src/index.js";
import { benchCheck } from "./sections/check.js";
import { benchReindex, type BenchServer } from "./sections/reindex.js";
import { benchWatch } from "./sections/watch.js";
import { benchLoad } from "./sections/load.js";
import { benchRelated, casesFromCorpus } from "./sections/related.js";
import { benchSearch, type BenchTarget } from "./sections/search.js";
import { startApiProcess, startPassThroughProcess } from "./api-process.js";
import { benchAlgolia } from "./sections/algolia.js";
import { benchRelatedExport } from "./sections/related-export.js";

/**
 * `npm run bench [-- --articles N] [--shape NAME]… [--only SECTION]… [--rounds N]`: builds the
 * project, generates (or reuses) the seeded corpora under bench/.data, one per shape (`files`,
 * `ndjson`, `mixed`; default all) at N articles (default 20000), runs each section and writes
 * bench/RESULTS.md. `check` and `reindex` run on every chosen shape (a table row each); the
 * sections after them (watch, search, related, load) run once, on the index of the `ndjson`
 * corpus when it is chosen, else of the first chosen shape. `--rounds`: runs of check and
 * alternating rounds of reindex, best of them (default 3).
 */
const { values } = parseArgs({
  options: {
    articles: { type: "string", default: "20000" },
    shape: { type: "string", multiple: true },
    only: { type: "string", multiple: true },
    rounds: { type: "string", default: "3" },
  },
});
const articles = Number(values.articles);
const rounds = Number(values.rounds);
if (!Number.isInteger(articles) || articles < 1)
  throw new Error(`--articles must be a positive whole number, not ${values.articles}`);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`--rounds must be a positive whole number, not ${values.rounds}`);
const unknownShape = values.shape?.find((name) => !isShapeName(name));
if (unknownShape !== undefined)
  throw new Error(`unknown --shape ${unknownShape}; the shapes are ${SHAPE_NAMES.join(", ")}`);
const shapes: ShapeName[] = SHAPE_NAMES.filter((name) => !values.shape || values.shape.includes(name));

/** What every section works with: the corpora, and a Meilisearch started for this run. */
interface BenchContext {
  corpora: Corpus[];
  /** The corpus whose index the sections after reindex use. */
  primary: Corpus;
  server: () => Promise<BenchServer>;
  dataDir: string;
}

/** The index the reindex section fills with one shape's corpus (and the sections after it read). */
function indexUidFor(corpus: Corpus): string {
  return `bench_${corpus.shape}`;
}

const sections: Record<string, (bench: BenchContext) => Promise<void>> = {
  check: async (bench) => {
    for (const corpus of bench.corpora) await benchCheck(corpus, { rounds });
  },
  reindex: async (bench) => {
    for (const corpus of bench.corpora)
      await benchReindex(await bench.server(), corpus, indexUidFor(corpus), bench.dataDir, { rounds });
  },
  watch: async (bench) =>
    benchWatch(await filledServer(bench), bench.primary.contentDir, indexUidFor(bench.primary), articles),
  search: (bench) => withApi(bench, (target) => benchSearch(target, articles)),
  related: (bench) =>
    withApi(bench, async (target) =>
      benchRelated(target, articles, { cases: casesFromCorpus(await readCorpusPosts(bench.primary)) }),
    ),
  load: (bench) => withApi(bench, (target) => benchLoad(target, bench.primary.contentDir, articles)),
  algolia: (bench) => withApi(bench, (target) => benchAlgolia(target, articles)),
  "related-export": async (bench) => {
    const server = await filledServer(bench).catch(() => undefined);
    const live = server && { url: server.url, apiKey: server.apiKey, indexUid: indexUidFor(bench.primary) };
    await benchRelatedExport(bench.primary, { server: live });
  },
};

/** The server, once the primary corpus's index is known to hold that corpus (filled by `reindex`, now or in an earlier run). */
async function filledServer(bench: BenchContext): Promise<BenchServer> {
  const server = await bench.server();
  const client = createMeiliClient({ url: server.url, apiKey: server.apiKey, timeoutMs: 30_000 });
  const uid = indexUidFor(bench.primary);
  const count = await client.getDocumentCount(uid).catch(() => 0);
  await client.close();
  if (count < bench.primary.manifest.expected.indexed) {
    throw new Error(
      `index "${uid}" holds ${count} documents, not the ${bench.primary.manifest.expected.indexed} of the ${bench.primary.shape} corpus at ${articles}: run the reindex section first (--only reindex --shape ${bench.primary.shape} --articles ${articles})`,
    );
  }
  return server;
}

/** Runs a section against `postindex serve` in its own process over the primary corpus's index. */
async function withApi(bench: BenchContext, run: (target: BenchTarget) => Promise<void>): Promise<void> {
  const server = await filledServer(bench);
  const indexUid = indexUidFor(bench.primary);
  const api = await startApiProcess(server, indexUid);
  const passThrough = await startPassThroughProcess(server);
  try {
    await run({
      meiliUrl: server.url,
      apiKey: server.apiKey,
      indexUid,
      apiUrl: api.url,
      meiliPid: server.pid,
      apiPid: api.pid,
      passThrough: { url: passThrough.url, pid: passThrough.pid },
    });
  } finally {
    await Promise.all([api.stop(), passThrough.stop()]);
  }
}

const unknownSection = values.only?.find((name) => !(name in sections));
if (unknownSection !== undefined)
  throw new Error(`unknown --only ${unknownSection}; the sections are ${Object.keys(sections).join(", ")}`);
console.log("building …");
// The sources compiled, then the CLI's bundle: what the launcher runs.
execFileSync("npm", ["run", "--silent", "build"], { cwd: PROJECT_DIR, stdio: "inherit" });
const corpora: Corpus[] = [];
for (const shape of shapes) corpora.push(await openCorpus(shape, articles));
const primary = corpora.find((corpus) => corpus.shape === "ndjson") ?? corpora[0];
if (primary === undefined) throw new Error("bench: no corpus to measure");
const dataDir = path.join(BENCH_DIR, ".data", "run");
let embedded: EmbeddedMeili | undefined;
const bench: BenchContext = {
  corpora,
  primary,
  dataDir,
  async server() {
    embedded ??= await startEmbeddedMeili({ dataDir });
    return { url: embedded.url, apiKey: embedded.masterKey, pid: embedded.pid };
  },
};
try {
  for (const [name, run] of Object.entries(sections)) {
    if (values.only && !values.only.includes(name)) continue;
    await run(bench);
  }
} finally {
  await embedded?.stop();
}
