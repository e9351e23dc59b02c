// Runs a Node entry script in this process and, when it exits, writes its peak RSS (the kernel's
// maxrss, in KiB) to OUTFILE. The bench uses it to measure the real CLI's memory when GNU time is
// not installed; wall time is measured by the parent, from spawn to exit.
// usage: node [V8 FLAGS] bench/measure-process.mjs OUTFILE SCRIPT [ARGS…]
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [outFile, script, ...args] = process.argv.slice(2);
if (!outFile || !script) {
  process.stderr.write("usage: node bench/measure-process.mjs OUTFILE SCRIPT [ARGS…]\n");
  process.exit(2);
}
process.argv = [process.argv[0], script, ...args];
process.on("exit", () => {
  writeFileSync(outFile, `${process.resourceUsage().maxRSS}\n`);
});
await import(pathToFileURL(script).href);
