import { PostindexError } from "../../src/index.js";
import type { Config } from "../config.js";
import { createProgressBar } from "../progress.js";
import { reindexFolder } from "../../indexer/reindex.js";
import { openIndexer } from "../runtime.js";
import { syncFolder, type SyncChanges } from "../../indexer/sync.js";
import { emitReport, EXIT, requireFolder, type ReportOptions } from "../options.js";

/**
 * `postindex reindex DIR` / `postindex sync DIR`: exit 0 when done (rejections are in the report,
 * not fatal), 1 on an operational failure (server unreachable, task failed, lock held).
 */
export async function runIndexCommand(
  config: Config,
  kind: "reindex" | "sync",
  dir: string,
  options: ReportOptions,
): Promise<number> {
  const folder = await requireFolder(dir);
  const runtime = await openIndexer(config, { retryForMs: config.meiliRetryMs });
  const bar = createProgressBar(kind);
  const onProgress = (p: { doneFiles: number; totalFiles: number; records: number }): void =>
    bar.update(p.doneFiles, p.totalFiles, `${p.records} records`);
  try {
    const result =
      kind === "reindex"
        ? await reindexFolder(runtime.context, folder, { onProgress })
        : await syncFolder(runtime.context, folder, { onProgress });
    bar.stop();
    await emitReport(result.report, options, `${kind} ${dir} into index "${config.indexUid}"`, [
      changesLine(result.changes),
    ]);
    return EXIT.ok;
  } catch (error) {
    bar.stop();
    if (!(error instanceof PostindexError)) throw error;
    process.stderr.write(`postindex ${kind}: ${error.message}\n`);
    return EXIT.failed;
  } finally {
    await runtime.close();
  }
}

function changesLine(changes: SyncChanges): string {
  const kept = changes.keptBroken > 0 ? `, ${changes.keptBroken} kept from broken records` : "";
  return `\nindex: ${changes.upserted} written, ${changes.deleted} deleted, ${changes.unchanged} unchanged${kept}`;
}
