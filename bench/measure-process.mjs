// Runs a Node entry script in this process and, when it exits, writes its wall time and peak RSS
// (the kernel's maxrss) as JSON to OUTFILE. The bench uses it to measure the real CLI.
// usage: node bench/measure-process.mjs OUTFILE SCRIPT [ARGS…]
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [outFile, script, ...args] = process.argv.slice(2);
if (!outFile || !script) {
  process.stderr.write("usage: node bench/measure-process.mjs OUTFILE SCRIPT [ARGS…]\n");
  process.exit(2);
}
process.argv = [process.argv[0], script, ...args];
const startedAt = performance.now();
process.on("exit", (code) => {
  const usage = process.resourceUsage();
  writeFileSync(outFile, JSON.stringify({ ms: performance.now() - startedAt, maxRssKb: usage.maxRSS, code }));
});
await import(pathToFileURL(script).href);
