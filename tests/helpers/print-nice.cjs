// Preloaded into a launched postindex (NODE_OPTIONS=--require) by tests/unit/launcher-settings.test.ts:
// prints the process's CPU priority (nice value) on stderr as it exits.
const { getPriority } = require("node:os");
process.on("exit", () => process.stderr.write(`nice=${getPriority()}\n`));
