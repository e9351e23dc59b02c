import { emptyReport, type RunReport } from "../report.js";
import { addToReport } from "./report-builder.js";
import { scanFolder } from "./scan-folder.js";

export interface CheckProgress {
  /** Record files found (known after listing). */
  totalFiles: number;
  doneFiles: number;
  records: number;
}

/**
 * `postindex check`: parse, normalise, validate and classify every record under `dir`, with no
 * server. `onProgress` is called after each file.
 */
export async function checkFolder(dir: string, onProgress?: (progress: CheckProgress) => void): Promise<RunReport> {
  const report = emptyReport();
  const progress: CheckProgress = { totalFiles: 0, doneFiles: 0, records: 0 };
  for await (const event of scanFolder(dir)) {
    if (event.type === "listed") {
      report.ignored.push(...event.ignored);
      progress.totalFiles = event.files.length;
      onProgress?.(progress);
    } else if (event.type === "record") {
      addToReport(report, event.outcome);
      progress.records += 1;
    } else {
      progress.doneFiles = event.index + 1;
      onProgress?.(progress);
    }
  }
  return report;
}
