import { readdirSync, readFileSync } from "node:fs";
import { startEmbeddedMeili, type EmbeddedMeili } from "../../src/index.js";

/** The pid of this process's child whose command line holds `needle` (`127.0.0.1:PORT`). */
function childPidWith(needle: string): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(
        readFileSync(`/proc/${entry}/stat`, "utf8")
          .replace(/^.*\) /s, "")
          .split(" ")[1],
      );
      if (parent !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").includes(needle)) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  throw new Error(`no child process of ${process.pid} runs with ${needle}`);
}

/**
 * SIGKILLs an embedded Meilisearch this process started (no shutdown, as a crash or the OOM killer
 * would) and resolves once it is gone.
 */
export async function killMeili(server: EmbeddedMeili): Promise<void> {
  process.kill(childPidWith(new URL(server.url).host), "SIGKILL");
  await server.onExit();
}

/** Starts Meilisearch again on the data and port of a killed one (same URL, same master key). */
export function restartMeili(dataDir: string, url: string): Promise<EmbeddedMeili> {
  return startEmbeddedMeili({
    dataDir,
    port: Number(new URL(url).port),
    binPath: process.env["MEILI_BIN"] || undefined,
  });
}
