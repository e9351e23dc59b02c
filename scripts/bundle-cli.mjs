// `npm run build`, after tsc: bundles the compiled CLI (dist/cli/main.js) and its worker threads'
// entries into dist/bundle/, which the launcher (bin/postindex.js) runs. One module per chunk
// instead of ~150 of ours and ~100 of zod's: Node 20 loads ESM modules one by one, and that was
// ~0.1 s of every command's start-up, on the main thread and again in each worker (a 20,000-record
// `check`: 0.89 → 0.83 s; see bench/NOTES.md). The commands stay lazily loaded (code splitting), and
// the other dependencies are left to node_modules, loaded as before: only zod, pure ESM, is inlined,
// and tree-shaken: the sources import it as a namespace (`import * as z from "zod/v4"`, a lint rule
// holds them to it), where zod's own `z` object reaches all of zod, 64 languages' messages included
// (the chunk both threads of a `check` parse at start-up: 830 kB so, 282 kB now).
// Modules that find files beside themselves still do: dist/bundle/ sits where dist/src/ does
// (`PROJECT_ROOT`), and a worker's entry is `./NAME.js` beside the chunk that starts it.
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const BUNDLED_PACKAGES = new Set(["zod"]);
const OUT_DIR = "dist/bundle";

const { dependencies } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const external = Object.keys(dependencies)
  .filter((name) => !BUNDLED_PACKAGES.has(name))
  .flatMap((name) => [name, `${name}/*`]);
rmSync(OUT_DIR, { recursive: true, force: true });
await build({
  entryPoints: {
    main: "dist/cli/main.js",
    "check-worker": "dist/src/records/check-worker.js",
    "read-ahead-worker": "dist/src/records/read-ahead-worker.js",
    "ranking-worker": "dist/src/related/ranking-worker.js",
  },
  outdir: OUT_DIR,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  sourcemap: true,
  logLevel: "warning",
});
