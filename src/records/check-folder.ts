import { emptyReport, type RunReport } from "../report.js";
import { addToReport } from "./report-builder.js";
import { scanWithProgress, type ScanProgress } from "./scan-folder.js";

/**
 * `postindex check`: parse, normalise, validate and classify every record under `dir`, with no
 * server. `onProgress` is called after each file.
 */
export async function checkFolder(dir: string, onProgress?: (progress: ScanProgress) => void): Promise<RunReport> {
  const report = emptyReport();
  const ignored = await scanWithProgress(dir, { onRecord: (outcome) => addToReport(report, outcome), onProgress });
  report.ignored.push(...ignored);
  return report;
}
