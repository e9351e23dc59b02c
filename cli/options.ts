import { stat } from "node:fs/promises";
import path from "node:path";
import { CommanderError, InvalidArgumentError, Option, type Command } from "commander";
import type { RunReport } from "../src/index.js";
import { formatSummary, writeReportFile } from "./report.js";

/** Exit statuses of the contract: 0 done, 1 rejected records (check) or an operational failure, 2 usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface ReportOptions {
  json?: boolean;
  report?: string;
}

export function withReportOptions(command: Command): Command {
  return command
    .addOption(new Option("--json", "print the report as JSON on stdout instead of the summary"))
    .addOption(new Option("--report <file>", "also write the report as JSON to FILE"));
}

/**
 * `--port`'s parser (overrides `PORT`): an invalid value is a usage error (exit 2) that commander
 * reports with the flag's name, before the command connects to anything.
 */
function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535)
    throw new InvalidArgumentError("It must be a whole number from 0 to 65535.");
  return Number(value);
}

export function portOption(): Option {
  return new Option("--port <port>", "API port (default: PORT or 7800)").argParser(parsePort);
}

/** The folder argument, resolved; a usage error (exit 2) when it is not a folder. */
export async function requireFolder(dir: string): Promise<string> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new CommanderError(EXIT.usage, "postindex.usage", `not a folder: ${dir}`);
  return path.resolve(dir);
}

/** Writes `--report FILE`, then prints the JSON report or the human summary (with extra lines). */
export async function emitReport(
  report: RunReport,
  options: ReportOptions,
  heading: string,
  extra: string[] = [],
): Promise<void> {
  if (options.report) await writeReportFile(options.report, report);
  const text = options.json ? JSON.stringify(report) : [formatSummary(report, heading), ...extra].join("\n");
  process.stdout.write(`${text}\n`);
}
