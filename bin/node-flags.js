// V8 flags per postindex command, shared by the launcher (bin/postindex.js) and the benchmark.
// A bulk pass (reindex, sync) makes garbage fast, and by default V8 lets the heap grow to up to
// four times what survived the last full collection before collecting again (peak RSS of a
// 20,000-article reindex: ~270 MB). --heap-growing-percent=20 collects at 1.2× instead: ~185 MB,
// at no measurable cost in time. (--optimize-for-size, used before, kept it at ~140 MB but made
// the pass ~1.7× slower on CPU: it shrinks the young generation to 1 MB and turns down the optimiser.)
// `check` is CPU-bound and stays under its memory budget, and the API is latency-bound: no flags.
const LEAN_COMMANDS = new Set(["reindex", "sync"]);
const LEAN_FLAGS = ["--heap-growing-percent=20"];
// `related DIR` reads a whole folder like a reindex, keeping only the related-posts index.
const LEAN_ONLY = new Set(["related"]);

/** The extra V8 flags `postindex <command>` runs with. */
export function nodeFlagsFor(command) {
  return LEAN_COMMANDS.has(command) || LEAN_ONLY.has(command) ? [...LEAN_FLAGS] : [];
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
