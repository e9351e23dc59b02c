import { execFileSync } from "node:child_process";
import { access, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { writeCorpus } from "./corpus.js";
import { PROJECT_DIR } from "./process.js";
import { BENCH_DIR } from "./results.js";
import { startEmbeddedMeili, type EmbeddedMeili } from "../src/index.js";
import { benchCheck } from "./sections/check.js";
import { benchReindex, type BenchServer } from "./sections/reindex.js";
import { benchWatch } from "./sections/watch.js";
import { benchLoad } from "./sections/load.js";
import { benchRelated } from "./sections/related.js";
import { benchSearch, type BenchTarget } from "./sections/search.js";
import { startApiProcess } from "./api-process.js";

/**
 * `npm run bench [-- --articles N] [--only SECTION]`: builds the project, generates (or reuses)
 * the seeded corpus under bench/.data, runs each section and writes bench/RESULTS.md.
 */
const { values } = parseArgs({
  options: {
    articles: { type: "string", default: "100000" },
    only: { type: "string", multiple: true },
  },
});
const articles = Number(values.articles);

/** What every section works with: the corpus, and a Meilisearch started for this run. */
interface BenchContext {
  corpusDir: string;
  server: () => Promise<BenchServer>;
  dataDir: string;
}

/** The index the reindex section fills and the sections after it read. */
const INDEX_UID = "bench_articles";

const sections: Record<string, (bench: BenchContext) => Promise<void>> = {
  check: (bench) => benchCheck(bench.corpusDir, articles),
  reindex: async (bench) => benchReindex(await bench.server(), bench.corpusDir, articles, INDEX_UID, bench.dataDir),
  watch: async (bench) => benchWatch(await bench.server(), bench.corpusDir, INDEX_UID, articles),
  search: (bench) => withApi(bench, (target) => benchSearch(target, articles)),
  related: (bench) => withApi(bench, (target) => benchRelated(target, articles)),
  load: (bench) => withApi(bench, (target) => benchLoad(target, bench.corpusDir, articles)),
};

/** Runs a section against `postindex serve` in its own process over the bench index. */
async function withApi(bench: BenchContext, run: (target: BenchTarget) => Promise<void>): Promise<void> {
  const server = await bench.server();
  const api = await startApiProcess(server, INDEX_UID);
  try {
    await run({ meiliUrl: server.url, apiKey: server.apiKey, indexUid: INDEX_UID, apiUrl: api.url });
  } finally {
    await api.stop();
  }
}

async function corpusFor(count: number): Promise<string> {
  const dir = path.join(BENCH_DIR, ".data", `corpus-${count}`);
  const marker = path.join(dir, ".complete");
  const done = await access(marker).then(() => true, () => false);
  if (!done) {
    await rm(dir, { recursive: true, force: true });
    console.log(`generating ${count} articles in ${path.relative(PROJECT_DIR, dir)} …`);
    const { files, bytes } = await writeCorpus(dir, { articles: count });
    await writeFile(marker, JSON.stringify({ files, bytes }));
  }
  const { bytes } = JSON.parse(await readFile(marker, "utf8")) as { bytes: number };
  console.log(`corpus: ${count} articles, ${(bytes / 2 ** 20).toFixed(0)} MB`);
  return dir;
}

console.log("building …");
execFileSync(process.execPath, [path.join(PROJECT_DIR, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: PROJECT_DIR, stdio: "inherit" });
const corpusDir = await corpusFor(articles);
const dataDir = path.join(BENCH_DIR, ".data", "run");
let embedded: EmbeddedMeili | undefined;
const bench: BenchContext = {
  corpusDir,
  dataDir,
  async server() {
    embedded ??= await startEmbeddedMeili({ dataDir });
    return { url: embedded.url, apiKey: embedded.masterKey };
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
