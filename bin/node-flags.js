// V8 flags per postindex command, shared by the launcher (bin/postindex.js) and the benchmark.
// A bulk pass (reindex, sync) makes garbage fast, and by default V8 lets the heap grow to up to
// four times what survived the last full collection before collecting again (peak RSS of a
// 20,000-article reindex: ~270 MB). --heap-growing-percent=20 collects at 1.2× instead: ~185 MB,
// at no measurable cost in time. (--optimize-for-size, used before, kept it at ~140 MB but made
// the pass ~1.7× slower on CPU: it shrinks the young generation to 1 MB and turns down the optimiser.)
// `check` is CPU-bound and stays under its memory budget, and the API is latency-bound: no flags.
const LEAN_COMMANDS = new Set(["reindex", "sync"]);
const LEAN_FLAGS = ["--heap-growing-percent=20"];

/** The extra V8 flags `postindex <command>` runs with. */
export function nodeFlagsFor(command) {
  return LEAN_COMMANDS.has(command) ? [...LEAN_FLAGS] : [];
}
