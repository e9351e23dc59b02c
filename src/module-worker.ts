// Node built-ins only: `check` starts its worker through this before loading its own modules.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts a worker thread whose entry is the module `name` beside `here` (the caller's
 * `import.meta.url`): `name.js` when the caller is compiled (`dist/`); when it is TypeScript source
 * (vitest, `tsx`), `name.ts` through tsx's ESM loader, registered inside the worker, since a worker
 * does not inherit its parent's loader for its entry file. Either way without the parent's Node
 * flags: a test runner's (module conditions, loaders) are not for the worker.
 */
export function startModuleWorker(here: string, name: string, options: WorkerOptions = {}): Worker {
  if (!here.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, here), options);
  // tsx's ESM entry (its CommonJS one cannot register from inside a process that runs tsx already).
  const tsx = import.meta.resolve?.("tsx/esm/api") ?? pathToFileURL(createRequire(here).resolve("tsx/esm/api")).href;
  const entry = new URL(`./${name}.ts`, here).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { ...options, eval: true, execArgv: [] });
}
