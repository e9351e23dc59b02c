// V8 flags per postindex command, shared by the launcher (bin/postindex.js) and the benchmark.
// Bulk indexing waits on Meilisearch most of the time, and --optimize-for-size keeps its heap
// (peak RSS of a 100,000-article reindex: ~200 MB instead of ~500 MB) at no cost in wall time.
// `check` is CPU-bound (twice as slow with it) and the API is latency-bound, so they run without.
const LEAN_COMMANDS = new Set(["reindex", "sync"]);

/** The extra Node flags `postindex <command>` runs with. */
export function nodeFlagsFor(command) {
  return LEAN_COMMANDS.has(command) ? ["--optimize-for-size"] : [];
}
