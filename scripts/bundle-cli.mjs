// `npm run build`, after tsc: bundles the compiled CLI (dist/cli/main.js) and its worker threads'
// entries into dist/bundle/, which the launcher (bin/postindex.js) runs. One module per chunk
// instead of ~150 of ours and ~100 of zod's: Node 20 loads ESM modules one by one, and that was
// ~0.1 s of every command's start-up, on the main thread and again in each worker (a 20,000-record
// `check`: 0.89 → 0.83 s; see bench/NOTES.md). The commands stay lazily loaded (code splitting), and
// the other dependencies are left to node_modules, loaded as before: only zod, pure ESM, is inlined.
// Modules that find files beside themselves still do: dist/bundle/ sits where dist/src/ does
// (`PROJECT_ROOT`), and a worker's entry is `./NAME.js` beside the chunk that starts it.
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const BUNDLED_PACKAGES = new Set(["zod"]);
const OUT_DIR = "dist/bundle";

const { dependencies } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const external = Object.keys(dependencies)
  .filter((name) => !BUNDLED_PACKAGES.has(name))
  .flatMap((name) => [name, `${name}/*`]);

/**
 * zod's `locales` namespace (`z.locales`, 64 languages' error messages) reduced to the English one
 * zod registers itself (`classic/schemas.js` imports `locales/en.js` directly): `z` is a namespace,
 * so a bundler must keep all it can reach, and the other 63 were 370 kB of the 830 kB chunk that
 * both threads of a `check` parse at start-up. Nothing here asks for another language.
 */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(plugin) {
    plugin.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](core|classic)[\\/]/.test(args.importer)
        ? { path: path.resolve(path.dirname(args.importer), "../locales/index.js"), namespace: "zod-english-only" }
        : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: "zod-english-only" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), "en.js"))};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

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
  plugins: [zodEnglishOnly],
  logLevel: "warning",
});
