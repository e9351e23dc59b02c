import { stat } from "node:fs/promises";
import path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { checkFolder, type RunReport } from "../src/index.js";
import { createProgressBar } from "./progress.js";
import { formatSummary, writeReportFile } from "./report.js";

/** Exit statuses of the contract: 0 done, 1 rejected records or an operational failure, 2 usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

interface ReportOptions {
  json?: boolean;
  report?: string;
}

function reportOptions(command: Command): Command {
  return command
    .addOption(new Option("--json", "print the report as JSON on stdout instead of the summary"))
    .addOption(new Option("--report <file>", "also write the report as JSON to FILE"));
}

async function requireFolder(dir: string): Promise<string> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new CommanderError(EXIT.usage, "postindex.usage", `not a folder: ${dir}`);
  return path.resolve(dir);
}

async function emitReport(report: RunReport, options: ReportOptions, heading: string): Promise<void> {
  if (options.report) await writeReportFile(options.report, report);
  process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatSummary(report, heading)}\n`);
}

async function runCheck(dir: string, options: ReportOptions): Promise<number> {
  const folder = await requireFolder(dir);
  const bar = createProgressBar("check");
  const report = await checkFolder(folder, (p) => bar.update(p.doneFiles, p.totalFiles, `${p.records} records`));
  bar.stop();
  await emitReport(report, options, `checked ${dir}`);
  return report.rejected.length > 0 ? EXIT.failed : EXIT.ok;
}

/** Builds the `postindex` command line; `exit` receives each command's status. */
export function buildProgram(exit: (status: number) => void): Command {
  const program = new Command("postindex")
    .description("Full-text search and related posts for article sites, on Meilisearch")
    .exitOverride()
    .showHelpAfterError();
  reportOptions(
    program
      .command("check")
      .description("parse, normalise, validate and classify the records under DIR (no server needed)")
      .argument("<dir>", "folder of article files"),
  ).action(async (dir: string, options: ReportOptions) => exit(await runCheck(dir, options)));
  return program;
}

async function main(): Promise<void> {
  let status: number = EXIT.ok;
  const program = buildProgram((code) => {
    status = code;
  });
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "postindex.usage") process.stderr.write(`postindex: ${error.message}\n`);
      const helpShown = error.code === "commander.helpDisplayed" || error.code === "commander.version";
      process.exitCode = helpShown ? EXIT.ok : EXIT.usage;
      return;
    }
    throw error;
  }
  process.exitCode = status;
}

await main();
