import type { RunReport } from "../report.js";
import type { CheckOutcome } from "./check-outcome.js";

/** Adds one scanned record to a run report, in the contract's shape. */
export function addToReport(report: RunReport, outcome: CheckOutcome): void {
  const { file, line } = outcome;
  switch (outcome.kind) {
    case "indexed":
      report.indexed.push({ id: outcome.id, file });
      break;
    case "excluded":
      report.excluded.push({ id: outcome.id, file, reason: outcome.reason });
      break;
    case "rejected":
      report.rejected.push({ file, line, id: outcome.id, field: outcome.field, message: outcome.message });
      return;
    case "duplicate":
      report.duplicates.push({ id: outcome.id, file, kept: outcome.kept });
      return;
  }
  for (const warning of outcome.warnings) {
    report.warnings.push({ file, line, id: outcome.id, field: warning.field, message: warning.message });
  }
}
