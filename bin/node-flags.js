// V8 flags per postindex command, shared by the launcher (bin/postindex.js) and the benchmark.
// A bulk pass (reindex, sync) makes garbage fast, and by default V8 lets the heap grow to up to
// four times what survived the last full collection before collecting again (peak RSS of a
// 20,000-article reindex: ~270 MB). --heap-growing-percent=20 collects at 1.2× instead: ~185 MB,
// at no measurable cost in time. (--optimize-for-size, used before, kept it at ~140 MB but made
// the pass ~1.7× slower on CPU: it shrinks the young generation to 1 MB and turns down the optimiser.)
// `check` is CPU-bound and stays under its memory budget, and the API is latency-bound: no flags.
const LEAN_COMMANDS = new Set(["reindex", "sync"]);
const LEAN_FLAGS = ["--heap-growing-percent=20"];
// `related DIR` reads a whole folder like a reindex but keeps a large live heap (the related-posts
// index of every post): collecting at 1.2× of it runs full collections all along (100,000 articles:
// ~47 s); 1.5× keeps the peak at ~440 MB in ~29 s (the default: ~510 MB).
const RELATED_FLAGS = ["--heap-growing-percent=50"];

/** The extra V8 flags `postindex <command>` runs with. */
export function nodeFlagsFor(command) {
  if (command === "related") return [...RELATED_FLAGS];
  return LEAN_COMMANDS.has(command) ? [...LEAN_FLAGS] : [];
}

// A bulk pass (reindex, sync) shares the machine with the Meilisearch it feeds, usually on the
// same cores: every CPU-millisecond the indexer takes while the engine is indexing slows the
// engine, and the engine is what the pass waits for. At a lower CPU priority (nice 10) the
// indexer reads, normalises and serialises in the time the engine leaves idle (its indexing is
// single-threaded in parts) and stays ahead of it anyway (16 tasks of 8 MiB may wait), and an API
// on the same machine keeps answering searches first. POSTINDEX_PRIORITY=normal turns it off.
const LOW_PRIORITY = 10;

/** The CPU priority (nice value) `postindex <command>` lowers itself to, or undefined to leave it. */
export function nicenessFor(command, env = process.env) {
  if (!LEAN_COMMANDS.has(command) || env["POSTINDEX_PRIORITY"] === "normal") return undefined;
  return LOW_PRIORITY;
}
