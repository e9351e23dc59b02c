// Straight from its module, not the core's index: that would load the Meilisearch client and the logger, which `check` never uses.
import { checkFolder } from "../../src/records/check-folder.js";
import { createProgressBar } from "../progress.js";
import { emitReport, EXIT, requireFolder, type ReportOptions } from "../options.js";

/** `postindex check DIR`: exit 0 when nothing was rejected, 1 when something was. */
export async function runCheck(dir: string, options: ReportOptions): Promise<number> {
  const folder = await requireFolder(dir);
  const bar = createProgressBar("check");
  const report = await checkFolder(folder, (p) => bar.update(p.doneFiles, p.totalFiles, `${p.records} records`));
  bar.stop();
  await emitReport(report, options, `checked ${dir}`);
  return report.rejected.length > 0 ? EXIT.failed : EXIT.ok;
}
