#!/usr/bin/env node
// Entry for `npx postindex`: runs the built CLI (dist/bundle/, made by `npm install` through `prepare`) with
// the V8 flags its command wants (see node-flags.js). They are set in this process rather than by
// re-launching Node with them: they only steer when the garbage collector runs, which V8 reads at
// every collection, and a second Node start cost ~0.1 s and its own memory.
import { getPriority, setPriority } from "node:os";
import { setFlagsFromString } from "node:v8";
import { nicenessFor, nodeFlagsFor } from "./node-flags.js";

for (const flag of nodeFlagsFor(process.argv[2])) setFlagsFromString(flag);
const niceness = nicenessFor(process.argv[2]);
// Lowering one's own priority needs no privilege; where it is refused, the pass just runs as it is.
if (niceness !== undefined) {
  try {
    setPriority(Math.max(niceness, getPriority()));
  } catch {}
}
await import("../dist/bundle/main.js");
