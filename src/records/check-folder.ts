import { emptyReport, type RunReport } from "../report.js";
import { PinnedIdCheck } from "../related/pinned-check.js";
import { addToReport } from "./report-builder.js";
import { scanWithProgress, type ScanOutcome, type ScanProgress } from "./scan-folder.js";

/**
 * `postindex check`: parse, normalise, validate and classify every record under `dir`, with no
 * server. `onProgress` is called after each file; `observe` sees every outcome in the same pass
 * (the content lints), so nothing is read twice.
 */
export async function checkFolder(
  dir: string,
  onProgress?: (progress: ScanProgress) => void,
  observe?: (outcome: ScanOutcome) => void,
): Promise<RunReport> {
  const report = emptyReport();
  // Pinned related posts that cannot be listed are warned about once every record is known.
  const pins = new PinnedIdCheck();
  const onRecord =
    observe === undefined
      ? (outcome: ScanOutcome) => {
          addToReport(report, outcome);
          pins.note(outcome);
        }
      : (outcome: ScanOutcome) => {
          addToReport(report, outcome);
          pins.note(outcome);
          observe(outcome);
        };
  const ignored = await scanWithProgress(dir, { onRecord, onProgress });
  report.warnings.push(...pins.warnings());
  report.ignored.push(...ignored);
  return report;
}
