import { InvalidArgumentError, Option, type Command } from "commander";
import type { ReportOptions } from "./options.js";

/** What `--format` may name: `text` (the summary, default) and `json` print on stdout, as does `github` (before the summary); `junit` and `sarif` write files. */
export const CHECK_FORMATS = ["text", "json", "github", "junit", "sarif"] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** `check`'s options: the report options every command has, and the CI gate's. */
export interface CheckOptions extends ReportOptions {
  format: CheckFormat[];
  output: string[];
  junit?: string;
  sarif?: string;
  root?: string;
  lint?: boolean;
  strict?: boolean;
  maxWarnings?: number;
  today?: string;
}

function collectFormat(value: string, previous: CheckFormat[]): CheckFormat[] {
  if (!(CHECK_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`It must be one of ${CHECK_FORMATS.join(", ")}.`);
  }
  return [...previous, value as CheckFormat];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseCount(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError("It must be a whole number, 0 or more.");
  return Number(value);
}

function parseDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError("It must be a date like 2025-01-31.");
  }
  return value;
}

/**
 * Adds the CI gate's options to `check`: output formats (repeatable, combinable), where file
 * formats are written, the root paths are relative to, the content lints and what makes warnings
 * fail. Commander only parses here; `cli/commands/check.ts` decides what the combination means.
 */
export function withCheckOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--format <format>", `output format, repeatable: ${CHECK_FORMATS.join(", ")}`)
        .argParser(collectFormat)
        .default([]),
    )
    .addOption(
      new Option(
        "--output <[format=]file>",
        "where a file format is written, repeatable: FILE when one file format is chosen, else junit=FILE / sarif=FILE",
      )
        .argParser(collect)
        .default([]),
    )
    .addOption(new Option("--junit <file>", "write JUnit XML to FILE (same as --format junit --output junit=FILE)"))
    .addOption(new Option("--sarif <file>", "write SARIF 2.1.0 to FILE (same as --format sarif --output sarif=FILE)"))
    .addOption(
      new Option(
        "--root <dir>",
        "paths in annotations, JUnit and SARIF are relative to DIR (default: the current folder)",
      ),
    )
    .addOption(new Option("--lint", "run the content lints (on by default when DIR has a postindex.config.json)"))
    .addOption(new Option("--no-lint", "do not run the content lints, even with a postindex.config.json"))
    .addOption(new Option("--strict", "warnings fail the check too (exit 1)"))
    .addOption(
      new Option("--max-warnings <n>", "fail the check when there are more than N warnings").argParser(parseCount),
    )
    .addOption(
      new Option("--today <date>", "the date stale reviews are measured from (default: today, UTC)").argParser(
        parseDate,
      ),
    );
}
