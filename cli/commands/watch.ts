import { PostindexError } from "../../src/index.js";
import type { Config } from "../config.js";
import { countsLine } from "../report.js";
import { openIndexer } from "../runtime.js";
import { FolderWatcher } from "../../indexer/watch.js";
import { EXIT, requireFolder } from "../options.js";
import { untilSignal } from "../signals.js";

/**
 * `postindex watch DIR`: reconcile, then follow changes until SIGINT/SIGTERM, which finish the
 * batch in flight and exit 0.
 */
export async function runWatch(config: Config, dir: string): Promise<number> {
  const folder = await requireFolder(dir);
  const runtime = await openIndexer(config, { retryForMs: Number.POSITIVE_INFINITY });
  const { log } = runtime.context;
  const watcher = new FolderWatcher(runtime.context, folder, {
    onApplied: ({ kind, files, report, changes }) => {
      log.info(
        { kind, files, ...changes },
        `${kind === "reconcile" ? "reconciled" : "applied changes"}: ${countsLine(report)}`,
      );
      for (const rejected of report.rejected) log.warn(rejected, "record rejected");
      for (const warning of report.warnings) log.warn(warning, "field left out");
    },
  });
  try {
    await watcher.start();
  } catch (error) {
    await runtime.close();
    if (!(error instanceof PostindexError)) throw error;
    process.stderr.write(`postindex watch: ${error.message}\n`);
    return EXIT.failed;
  }
  log.info({ dir: folder, index: config.indexUid }, "watching for changes (Ctrl-C to stop)");
  await untilSignal();
  log.info("stopping: finishing the batch in flight");
  await watcher.stop();
  await runtime.close();
  return EXIT.ok;
}
