import { spawnSync } from "node:child_process";
import { getPriority } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { nicenessFor, nodeFlagsFor } from "../../bin/node-flags.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("what the launcher sets per command", () => {
  test("bulk passes run at nice 10 and collect garbage early; the other commands run as Node starts them", () => {
    for (const command of ["reindex", "sync"]) {
      expect(nicenessFor(command, {})).toBe(10);
      expect(nodeFlagsFor(command)).toEqual(["--heap-growing-percent=20"]);
    }
    for (const command of ["check", "watch", "serve", "start", "search-key", undefined]) {
      expect(nicenessFor(command, {})).toBeUndefined();
      expect(nodeFlagsFor(command)).toEqual([]);
    }
  });

  test("POSTINDEX_PRIORITY=normal keeps a bulk pass at the priority it was started with", () => {
    expect(nicenessFor("reindex", { POSTINDEX_PRIORITY: "normal" })).toBeUndefined();
    expect(nicenessFor("sync", { POSTINDEX_PRIORITY: "low" })).toBe(10);
  });

  test("the launcher lowers its own priority before the command runs", () => {
    // `reindex` of a missing folder stops at the usage check (exit 2), after the launcher set the
    // priority; a preloaded module prints the process's nice value as it exits.
    const launch = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, [path.join(ROOT, "bin/postindex.js"), "reindex", path.join(ROOT, "no-such-folder")], {
        encoding: "utf8",
        env: { ...process.env, ...env, NODE_OPTIONS: `--require ${path.join(ROOT, "tests/helpers/print-nice.cjs")}` },
      });
    const low = launch({});
    expect(low.status).toBe(2);
    // Started from this process, the launcher starts at its nice value (0 unless run under `nice`).
    const started = getPriority();
    expect(low.stderr).toContain(`nice=${Math.max(10, started)}`);
    const normal = launch({ POSTINDEX_PRIORITY: "normal" });
    expect(normal.status).toBe(2);
    expect(normal.stderr).toContain(`nice=${started}`);
  });
});
