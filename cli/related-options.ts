import { InvalidArgumentError, Option, type Command } from "commander";

/** What `--format` may name for `postindex related`. */
export const RELATED_EXPORT_FORMATS = ["ndjson", "json"] as const;

/** `postindex related`'s options, as commander parses them (`cli/commands/related.ts` decides what they mean together). */
export interface RelatedCommandOptions {
  /** Where the export goes; `-` for stdout. */
  out?: string;
  format: (typeof RELATED_EXPORT_FORMATS)[number];
  limit: number;
  minScore?: number;
  /** An earlier export to compare with. */
  diff?: string;
  json?: boolean;
}

/** Longest related list, as the API allows. */
const MAX_LIMIT = 50;

function parseLimit(value: string): number {
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > MAX_LIMIT)
    throw new InvalidArgumentError(`It must be a whole number from 1 to ${MAX_LIMIT}.`);
  return Number(value);
}

function parseMinScore(value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number < 0 || number > 1)
    throw new InvalidArgumentError("It must be a number from 0 to 1.");
  return number;
}

/** Adds `postindex related`'s options to its command. */
export function withRelatedOptions(command: Command): Command {
  return command
    .addOption(new Option("--out <file>", "write the export to FILE (- for stdout)"))
    .addOption(
      new Option("--format <format>", "ndjson: one line per post; json: one object keyed by id")
        .choices(RELATED_EXPORT_FORMATS)
        .default("ndjson"),
    )
    .addOption(
      new Option("--limit <n>", `related posts per post, 1 to ${MAX_LIMIT} (as the API's limit)`)
        .argParser(parseLimit)
        .default(5),
    )
    .addOption(
      new Option(
        "--min-score <score>",
        "drop automatic entries scoring below it (0..1), as the API's minScore",
      ).argParser(parseMinScore),
    )
    .addOption(
      new Option("--diff <old>", "compare with an earlier export (NDJSON or JSON): the posts whose list changed"),
    )
    .addOption(new Option("--json", "print the report (counts, timings, the diff) as JSON instead of the summary"));
}
