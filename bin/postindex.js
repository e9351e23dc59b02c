#!/usr/bin/env node
// Entry for `npx postindex`: runs the compiled CLI (built by `npm install` through `prepare`),
// re-launched with the V8 flags its command wants (see node-flags.js) when they are missing.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { nodeFlagsFor } from "./node-flags.js";

const flags = nodeFlagsFor(process.argv[2]).filter((flag) => !process.execArgv.includes(flag));
if (flags.length === 0) {
  await import("../dist/indexer/cli.js");
} else {
  const args = [...flags, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  const child = spawn(process.execPath, args, { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? (signal === "SIGINT" ? 130 : 143);
  });
}
